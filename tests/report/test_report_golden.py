"""The GLM summaries render exactly as expected, in every format.

The layout (rules, header block, tabulate's columns) is that of the pre-unification ``Summary`` at
commit e949a1d, printed by capture_golden.py beside this file from the fits in _report_fits.py. The
numbers of the coefficient tables follow R's printCoefmat with digits = 6 (issue 12): they are not
trusted from glmstats' own output -- test_coefficient_cells_are_rs parses every cell of the text
literals and compares it with the cells R itself printed for the same fits
(tests/reference_extra/format/format.json, from generate_format.R: cases dobson_outcome,
gaussian_aliased and budworm_aliased at digits 6). The header values are R's format(x, digits = 6)
of each number, unchanged from e949a1d. The HTML is the notebook table of glmstats.report.table
(issue 12: tabular figures, numbers right-aligned); test_html_cells_are_the_texts checks that it shows
exactly the text's cells.
"""

import json
from pathlib import Path

import pytest

import _report_fits as F

EXPECTED = {
    ('dobson_poisson', 'text'): r'''                       Generalized Linear Model Results
=============================================================================
Dep. Variable:          counts    Deviance:         5.12914
Model family:          poisson    Pearson chi2:      5.1732
Link:                      log    Null deviance:    10.5814
Method:                   IRLS    Df Null:                8
No. Observations:            9    Log-Likelihood:  -23.3807
Df Residuals:                6    AIC:              52.7613
Df Model:                    2    BIC:               53.353
Dispersion:                  1    Iterations:             4
Dispersion method:  fixed at 1    Converged:            yes
Covariance type:     nonrobust
=============================================================================
                   coef    std err         z     P>|z|     [0.025      0.975]
-----------------------------------------------------------------------------
Intercept      3.044522   0.125988  24.16515   < 2e-16   2.797590   3.2914547
outcome[T.2]  -0.454255   0.202171  -2.24689  0.024647  -0.850503  -0.0580079
outcome[T.3]  -0.292987   0.192742  -1.52010  0.128487  -0.670755   0.0847809
=============================================================================''',
    ('dobson_poisson', 'html'): r'''<div class="glmstats-summary">
<p><strong>Generalized Linear Model Results</strong></p>
<table class="glmstats-table" style="border-collapse: collapse; font-variant-numeric: tabular-nums;">
<tbody>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Dep. Variable:</td><td style="text-align: right; padding: 0.1em 0.6em;">counts</td><td style="text-align: left; padding: 0.1em 0.6em;">Deviance:</td><td style="text-align: right; padding: 0.1em 0.6em;">5.12914</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Model family:</td><td style="text-align: right; padding: 0.1em 0.6em;">poisson</td><td style="text-align: left; padding: 0.1em 0.6em;">Pearson chi2:</td><td style="text-align: right; padding: 0.1em 0.6em;">5.1732</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Link:</td><td style="text-align: right; padding: 0.1em 0.6em;">log</td><td style="text-align: left; padding: 0.1em 0.6em;">Null deviance:</td><td style="text-align: right; padding: 0.1em 0.6em;">10.5814</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Method:</td><td style="text-align: right; padding: 0.1em 0.6em;">IRLS</td><td style="text-align: left; padding: 0.1em 0.6em;">Df Null:</td><td style="text-align: right; padding: 0.1em 0.6em;">8</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">No. Observations:</td><td style="text-align: right; padding: 0.1em 0.6em;">9</td><td style="text-align: left; padding: 0.1em 0.6em;">Log-Likelihood:</td><td style="text-align: right; padding: 0.1em 0.6em;">-23.3807</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Df Residuals:</td><td style="text-align: right; padding: 0.1em 0.6em;">6</td><td style="text-align: left; padding: 0.1em 0.6em;">AIC:</td><td style="text-align: right; padding: 0.1em 0.6em;">52.7613</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Df Model:</td><td style="text-align: right; padding: 0.1em 0.6em;">2</td><td style="text-align: left; padding: 0.1em 0.6em;">BIC:</td><td style="text-align: right; padding: 0.1em 0.6em;">53.353</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Dispersion:</td><td style="text-align: right; padding: 0.1em 0.6em;">1</td><td style="text-align: left; padding: 0.1em 0.6em;">Iterations:</td><td style="text-align: right; padding: 0.1em 0.6em;">4</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Dispersion method:</td><td style="text-align: right; padding: 0.1em 0.6em;">fixed at 1</td><td style="text-align: left; padding: 0.1em 0.6em;">Converged:</td><td style="text-align: right; padding: 0.1em 0.6em;">yes</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Covariance type:</td><td style="text-align: right; padding: 0.1em 0.6em;">nonrobust</td><td style="text-align: left; padding: 0.1em 0.6em;"></td><td style="text-align: right; padding: 0.1em 0.6em;"></td></tr>
</tbody></table>
<table class="glmstats-table" style="border-collapse: collapse; font-variant-numeric: tabular-nums;">
<thead><tr><th style="text-align: left; padding: 0.1em 0.6em;"></th><th style="text-align: right; padding: 0.1em 0.6em;">coef</th><th style="text-align: right; padding: 0.1em 0.6em;">std err</th><th style="text-align: right; padding: 0.1em 0.6em;">z</th><th style="text-align: right; padding: 0.1em 0.6em;">P&gt;|z|</th><th style="text-align: right; padding: 0.1em 0.6em;">[0.025</th><th style="text-align: right; padding: 0.1em 0.6em;">0.975]</th></tr></thead>
<tbody>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">Intercept</th><td style="text-align: right; padding: 0.1em 0.6em;">3.044522</td><td style="text-align: right; padding: 0.1em 0.6em;">0.125988</td><td style="text-align: right; padding: 0.1em 0.6em;">24.16515</td><td style="text-align: right; padding: 0.1em 0.6em;">&lt; 2e-16</td><td style="text-align: right; padding: 0.1em 0.6em;">2.797590</td><td style="text-align: right; padding: 0.1em 0.6em;">3.2914547</td></tr>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">outcome[T.2]</th><td style="text-align: right; padding: 0.1em 0.6em;">-0.454255</td><td style="text-align: right; padding: 0.1em 0.6em;">0.202171</td><td style="text-align: right; padding: 0.1em 0.6em;">-2.24689</td><td style="text-align: right; padding: 0.1em 0.6em;">0.024647</td><td style="text-align: right; padding: 0.1em 0.6em;">-0.850503</td><td style="text-align: right; padding: 0.1em 0.6em;">-0.0580079</td></tr>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">outcome[T.3]</th><td style="text-align: right; padding: 0.1em 0.6em;">-0.292987</td><td style="text-align: right; padding: 0.1em 0.6em;">0.192742</td><td style="text-align: right; padding: 0.1em 0.6em;">-1.52010</td><td style="text-align: right; padding: 0.1em 0.6em;">0.128487</td><td style="text-align: right; padding: 0.1em 0.6em;">-0.670755</td><td style="text-align: right; padding: 0.1em 0.6em;">0.0847809</td></tr>
</tbody></table>
</div>''',
    ('dobson_poisson', 'latex'): r'''\begin{table}[htbp]
\centering
\caption{Generalized Linear Model Results}
\begin{tabular}{lrlr}
\toprule
 Dep. Variable:     &     counts & Deviance:       &  5.12914 \\
 Model family:      &    poisson & Pearson chi2:   &   5.1732 \\
 Link:              &        log & Null deviance:  &  10.5814 \\
 Method:            &       IRLS & Df Null:        &        8 \\
 No. Observations:  &          9 & Log-Likelihood: & -23.3807 \\
 Df Residuals:      &          6 & AIC:            &  52.7613 \\
 Df Model:          &          2 & BIC:            &   53.353 \\
 Dispersion:        &          1 & Iterations:     &        4 \\
 Dispersion method: & fixed at 1 & Converged:      &      yes \\
 Covariance type:   &  nonrobust &                 &          \\
\bottomrule
\end{tabular}

\medskip
\begin{tabular}{lrrrrrr}
\toprule
                  &      coef &   std err &        z &   P\textgreater{}\textbar{}z\textbar{} &   {[}0.025 &   0.975{]} \\
\midrule
 Intercept        &  3.044522 &  0.125988 & 24.16515 &                      \textless{} 2e-16 &   2.797590 &  3.2914547 \\
 outcome{[}T.2{]} & -0.454255 &  0.202171 & -2.24689 &                               0.024647 &  -0.850503 & -0.0580079 \\
 outcome{[}T.3{]} & -0.292987 &  0.192742 & -1.52010 &                               0.128487 &  -0.670755 &  0.0847809 \\
\bottomrule
\end{tabular}
\end{table}''',
    ('dobson_poisson', 'markdown'): r'''**Generalized Linear Model Results**

|                   |            |                |          |
|:------------------|-----------:|:---------------|---------:|
| Dep. Variable     |     counts | Deviance       |  5.12914 |
| Model family      |    poisson | Pearson chi2   |   5.1732 |
| Link              |        log | Null deviance  |  10.5814 |
| Method            |       IRLS | Df Null        |        8 |
| No. Observations  |          9 | Log-Likelihood | -23.3807 |
| Df Residuals      |          6 | AIC            |  52.7613 |
| Df Model          |          2 | BIC            |   53.353 |
| Dispersion        |          1 | Iterations     |        4 |
| Dispersion method | fixed at 1 | Converged      |      yes |
| Covariance type   |  nonrobust |                |          |

|              |      coef |   std err |        z |   P>\|z\| |    [0.025 |     0.975] |
|:-------------|----------:|----------:|---------:|----------:|----------:|-----------:|
| Intercept    |  3.044522 |  0.125988 | 24.16515 |   < 2e-16 |  2.797590 |  3.2914547 |
| outcome[T.2] | -0.454255 |  0.202171 | -2.24689 |  0.024647 | -0.850503 | -0.0580079 |
| outcome[T.3] | -0.292987 |  0.192742 | -1.52010 |  0.128487 | -0.670755 |  0.0847809 |''',
    ('gaussian_aliased_dropped', 'text'): r'''                        Generalized Linear Model Results
================================================================================
Dep. Variable:                            y    Deviance:        0.0289147
Model family:                      gaussian    Pearson chi2:    0.0289147
Link:                              identity    Null deviance:     130.305
Method:                                IRLS    Df Null:                 9
No. Observations:                        10    Log-Likelihood:    15.0406
Df Residuals:                             6    AIC:              -20.0811
Df Model:                                 3    BIC:              -18.5682
Dispersion:                      0.00481912    Iterations:              2
Dispersion method:  Pearson chi2 / df_resid    Converged:             yes
Covariance type:                  nonrobust
================================================================================
                  coef     std err          t       P>|t|      [0.025     0.975]
--------------------------------------------------------------------------------
Intercept   0.21317829  0.05432536    3.92410   0.0077652   0.0802489   0.346108
x           0.99224806  0.00611208  162.34211  3.6852e-12   0.9772923   1.007204
g[T.b]      0.03333333  0.05668110    0.58809   0.5779230  -0.1053603   0.172027
g[T.c]     -0.30503876  0.05380714   -5.66911   0.0012961  -0.4367001  -0.173377
x2                  NA          NA         NA          NA          NA         NA
================================================================================
Notes:
[1] 2 observations deleted due to missingness (missing values in: y, x, x2)
[2] Coefficients not defined because of singularities: x2''',
    ('gaussian_aliased_dropped', 'html'): r'''<div class="glmstats-summary">
<p><strong>Generalized Linear Model Results</strong></p>
<table class="glmstats-table" style="border-collapse: collapse; font-variant-numeric: tabular-nums;">
<tbody>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Dep. Variable:</td><td style="text-align: right; padding: 0.1em 0.6em;">y</td><td style="text-align: left; padding: 0.1em 0.6em;">Deviance:</td><td style="text-align: right; padding: 0.1em 0.6em;">0.0289147</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Model family:</td><td style="text-align: right; padding: 0.1em 0.6em;">gaussian</td><td style="text-align: left; padding: 0.1em 0.6em;">Pearson chi2:</td><td style="text-align: right; padding: 0.1em 0.6em;">0.0289147</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Link:</td><td style="text-align: right; padding: 0.1em 0.6em;">identity</td><td style="text-align: left; padding: 0.1em 0.6em;">Null deviance:</td><td style="text-align: right; padding: 0.1em 0.6em;">130.305</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Method:</td><td style="text-align: right; padding: 0.1em 0.6em;">IRLS</td><td style="text-align: left; padding: 0.1em 0.6em;">Df Null:</td><td style="text-align: right; padding: 0.1em 0.6em;">9</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">No. Observations:</td><td style="text-align: right; padding: 0.1em 0.6em;">10</td><td style="text-align: left; padding: 0.1em 0.6em;">Log-Likelihood:</td><td style="text-align: right; padding: 0.1em 0.6em;">15.0406</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Df Residuals:</td><td style="text-align: right; padding: 0.1em 0.6em;">6</td><td style="text-align: left; padding: 0.1em 0.6em;">AIC:</td><td style="text-align: right; padding: 0.1em 0.6em;">-20.0811</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Df Model:</td><td style="text-align: right; padding: 0.1em 0.6em;">3</td><td style="text-align: left; padding: 0.1em 0.6em;">BIC:</td><td style="text-align: right; padding: 0.1em 0.6em;">-18.5682</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Dispersion:</td><td style="text-align: right; padding: 0.1em 0.6em;">0.00481912</td><td style="text-align: left; padding: 0.1em 0.6em;">Iterations:</td><td style="text-align: right; padding: 0.1em 0.6em;">2</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Dispersion method:</td><td style="text-align: right; padding: 0.1em 0.6em;">Pearson chi2 / df_resid</td><td style="text-align: left; padding: 0.1em 0.6em;">Converged:</td><td style="text-align: right; padding: 0.1em 0.6em;">yes</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Covariance type:</td><td style="text-align: right; padding: 0.1em 0.6em;">nonrobust</td><td style="text-align: left; padding: 0.1em 0.6em;"></td><td style="text-align: right; padding: 0.1em 0.6em;"></td></tr>
</tbody></table>
<table class="glmstats-table" style="border-collapse: collapse; font-variant-numeric: tabular-nums;">
<thead><tr><th style="text-align: left; padding: 0.1em 0.6em;"></th><th style="text-align: right; padding: 0.1em 0.6em;">coef</th><th style="text-align: right; padding: 0.1em 0.6em;">std err</th><th style="text-align: right; padding: 0.1em 0.6em;">t</th><th style="text-align: right; padding: 0.1em 0.6em;">P&gt;|t|</th><th style="text-align: right; padding: 0.1em 0.6em;">[0.025</th><th style="text-align: right; padding: 0.1em 0.6em;">0.975]</th></tr></thead>
<tbody>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">Intercept</th><td style="text-align: right; padding: 0.1em 0.6em;">0.21317829</td><td style="text-align: right; padding: 0.1em 0.6em;">0.05432536</td><td style="text-align: right; padding: 0.1em 0.6em;">3.92410</td><td style="text-align: right; padding: 0.1em 0.6em;">0.0077652</td><td style="text-align: right; padding: 0.1em 0.6em;">0.0802489</td><td style="text-align: right; padding: 0.1em 0.6em;">0.346108</td></tr>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">x</th><td style="text-align: right; padding: 0.1em 0.6em;">0.99224806</td><td style="text-align: right; padding: 0.1em 0.6em;">0.00611208</td><td style="text-align: right; padding: 0.1em 0.6em;">162.34211</td><td style="text-align: right; padding: 0.1em 0.6em;">3.6852e-12</td><td style="text-align: right; padding: 0.1em 0.6em;">0.9772923</td><td style="text-align: right; padding: 0.1em 0.6em;">1.007204</td></tr>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">g[T.b]</th><td style="text-align: right; padding: 0.1em 0.6em;">0.03333333</td><td style="text-align: right; padding: 0.1em 0.6em;">0.05668110</td><td style="text-align: right; padding: 0.1em 0.6em;">0.58809</td><td style="text-align: right; padding: 0.1em 0.6em;">0.5779230</td><td style="text-align: right; padding: 0.1em 0.6em;">-0.1053603</td><td style="text-align: right; padding: 0.1em 0.6em;">0.172027</td></tr>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">g[T.c]</th><td style="text-align: right; padding: 0.1em 0.6em;">-0.30503876</td><td style="text-align: right; padding: 0.1em 0.6em;">0.05380714</td><td style="text-align: right; padding: 0.1em 0.6em;">-5.66911</td><td style="text-align: right; padding: 0.1em 0.6em;">0.0012961</td><td style="text-align: right; padding: 0.1em 0.6em;">-0.4367001</td><td style="text-align: right; padding: 0.1em 0.6em;">-0.173377</td></tr>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">x2</th><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td></tr>
</tbody></table>
<p>Notes:</p>
<ol><li>2 observations deleted due to missingness (missing values in: y, x, x2)</li><li>Coefficients not defined because of singularities: x2</li></ol>
</div>''',
    ('gaussian_aliased_dropped', 'latex'): r'''\begin{table}[htbp]
\centering
\caption{Generalized Linear Model Results}
\begin{tabular}{lrlr}
\toprule
 Dep. Variable:     &                        y & Deviance:       & 0.0289147 \\
 Model family:      &                 gaussian & Pearson chi2:   & 0.0289147 \\
 Link:              &                 identity & Null deviance:  &   130.305 \\
 Method:            &                     IRLS & Df Null:        &         9 \\
 No. Observations:  &                       10 & Log-Likelihood: &   15.0406 \\
 Df Residuals:      &                        6 & AIC:            &  -20.0811 \\
 Df Model:          &                        3 & BIC:            &  -18.5682 \\
 Dispersion:        &               0.00481912 & Iterations:     &         2 \\
 Dispersion method: & Pearson chi2 / df\_resid & Converged:      &       yes \\
 Covariance type:   &                nonrobust &                 &           \\
\bottomrule
\end{tabular}

\medskip
\begin{tabular}{lrrrrrr}
\toprule
            &        coef &    std err &         t &   P\textgreater{}\textbar{}t\textbar{} &   {[}0.025 &   0.975{]} \\
\midrule
 Intercept  &  0.21317829 & 0.05432536 &   3.92410 &                              0.0077652 &  0.0802489 &   0.346108 \\
 x          &  0.99224806 & 0.00611208 & 162.34211 &                             3.6852e-12 &  0.9772923 &   1.007204 \\
 g{[}T.b{]} &  0.03333333 & 0.05668110 &   0.58809 &                              0.5779230 & -0.1053603 &   0.172027 \\
 g{[}T.c{]} & -0.30503876 & 0.05380714 &  -5.66911 &                              0.0012961 & -0.4367001 &  -0.173377 \\
 x2         &          NA &         NA &        NA &                                     NA &         NA &         NA \\
\bottomrule
\end{tabular}

\medskip
\begin{minipage}{0.95\linewidth}\footnotesize
Notes:\par
{[}1{]} 2 observations deleted due to missingness (missing values in: y, x, x2)\par
{[}2{]} Coefficients not defined because of singularities: x2\par
\end{minipage}
\end{table}''',
    ('gaussian_aliased_dropped', 'markdown'): r'''**Generalized Linear Model Results**

|                   |                          |                |           |
|:------------------|-------------------------:|:---------------|----------:|
| Dep. Variable     |                        y | Deviance       | 0.0289147 |
| Model family      |                 gaussian | Pearson chi2   | 0.0289147 |
| Link              |                 identity | Null deviance  |   130.305 |
| Method            |                     IRLS | Df Null        |         9 |
| No. Observations  |                       10 | Log-Likelihood |   15.0406 |
| Df Residuals      |                        6 | AIC            |  -20.0811 |
| Df Model          |                        3 | BIC            |  -18.5682 |
| Dispersion        |               0.00481912 | Iterations     |         2 |
| Dispersion method | Pearson chi2 / df\_resid | Converged      |       yes |
| Covariance type   |                nonrobust |                |           |

|           |        coef |    std err |         t |    P>\|t\| |     [0.025 |    0.975] |
|:----------|------------:|-----------:|----------:|-----------:|-----------:|----------:|
| Intercept |  0.21317829 | 0.05432536 |   3.92410 |  0.0077652 |  0.0802489 |  0.346108 |
| x         |  0.99224806 | 0.00611208 | 162.34211 | 3.6852e-12 |  0.9772923 |  1.007204 |
| g[T.b]    |  0.03333333 | 0.05668110 |   0.58809 |  0.5779230 | -0.1053603 |  0.172027 |
| g[T.c]    | -0.30503876 | 0.05380714 |  -5.66911 |  0.0012961 | -0.4367001 | -0.173377 |
| x2        |          NA |         NA |        NA |         NA |         NA |        NA |

Notes:

1. 2 observations deleted due to missingness (missing values in: y, x, x2)
2. Coefficients not defined because of singularities: x2''',
    ('binomial_aliased_dropped', 'text'): r'''                     Generalized Linear Model Results
==========================================================================
Dep. Variable:      cbind(dead, alive)    Deviance:          6.5085
Model family:                 binomial    Pearson chi2:     4.86576
Link:                            logit    Null deviance:    106.229
Method:                           IRLS    Df Null:               10
No. Observations:                   11    Log-Likelihood:  -17.0548
Df Residuals:                        8    AIC:              40.1096
Df Model:                            2    BIC:              41.3033
Dispersion:                          1    Iterations:             4
Dispersion method:          fixed at 1    Converged:            yes
Covariance type:             nonrobust
==========================================================================
                coef    std err         z       P>|z|     [0.025    0.975]
--------------------------------------------------------------------------
Intercept  -3.399737   0.484661  -7.01467  2.3050e-12  -4.349655  -2.44982
sex[T.M]    1.034527   0.377192   2.74271   0.0060934   0.295245   1.77381
ldose       1.040164   0.137889   7.54350  4.5752e-14   0.769907   1.31042
ld2               NA         NA        NA          NA         NA        NA
==========================================================================
Notes:
[1] 1 observation deleted due to missingness (missing values in: sex)
[2] Coefficients not defined because of singularities: ld2''',
    ('binomial_aliased_dropped', 'html'): r'''<div class="glmstats-summary">
<p><strong>Generalized Linear Model Results</strong></p>
<table class="glmstats-table" style="border-collapse: collapse; font-variant-numeric: tabular-nums;">
<tbody>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Dep. Variable:</td><td style="text-align: right; padding: 0.1em 0.6em;">cbind(dead, alive)</td><td style="text-align: left; padding: 0.1em 0.6em;">Deviance:</td><td style="text-align: right; padding: 0.1em 0.6em;">6.5085</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Model family:</td><td style="text-align: right; padding: 0.1em 0.6em;">binomial</td><td style="text-align: left; padding: 0.1em 0.6em;">Pearson chi2:</td><td style="text-align: right; padding: 0.1em 0.6em;">4.86576</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Link:</td><td style="text-align: right; padding: 0.1em 0.6em;">logit</td><td style="text-align: left; padding: 0.1em 0.6em;">Null deviance:</td><td style="text-align: right; padding: 0.1em 0.6em;">106.229</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Method:</td><td style="text-align: right; padding: 0.1em 0.6em;">IRLS</td><td style="text-align: left; padding: 0.1em 0.6em;">Df Null:</td><td style="text-align: right; padding: 0.1em 0.6em;">10</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">No. Observations:</td><td style="text-align: right; padding: 0.1em 0.6em;">11</td><td style="text-align: left; padding: 0.1em 0.6em;">Log-Likelihood:</td><td style="text-align: right; padding: 0.1em 0.6em;">-17.0548</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Df Residuals:</td><td style="text-align: right; padding: 0.1em 0.6em;">8</td><td style="text-align: left; padding: 0.1em 0.6em;">AIC:</td><td style="text-align: right; padding: 0.1em 0.6em;">40.1096</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Df Model:</td><td style="text-align: right; padding: 0.1em 0.6em;">2</td><td style="text-align: left; padding: 0.1em 0.6em;">BIC:</td><td style="text-align: right; padding: 0.1em 0.6em;">41.3033</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Dispersion:</td><td style="text-align: right; padding: 0.1em 0.6em;">1</td><td style="text-align: left; padding: 0.1em 0.6em;">Iterations:</td><td style="text-align: right; padding: 0.1em 0.6em;">4</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Dispersion method:</td><td style="text-align: right; padding: 0.1em 0.6em;">fixed at 1</td><td style="text-align: left; padding: 0.1em 0.6em;">Converged:</td><td style="text-align: right; padding: 0.1em 0.6em;">yes</td></tr>
<tr><td style="text-align: left; padding: 0.1em 0.6em;">Covariance type:</td><td style="text-align: right; padding: 0.1em 0.6em;">nonrobust</td><td style="text-align: left; padding: 0.1em 0.6em;"></td><td style="text-align: right; padding: 0.1em 0.6em;"></td></tr>
</tbody></table>
<table class="glmstats-table" style="border-collapse: collapse; font-variant-numeric: tabular-nums;">
<thead><tr><th style="text-align: left; padding: 0.1em 0.6em;"></th><th style="text-align: right; padding: 0.1em 0.6em;">coef</th><th style="text-align: right; padding: 0.1em 0.6em;">std err</th><th style="text-align: right; padding: 0.1em 0.6em;">z</th><th style="text-align: right; padding: 0.1em 0.6em;">P&gt;|z|</th><th style="text-align: right; padding: 0.1em 0.6em;">[0.025</th><th style="text-align: right; padding: 0.1em 0.6em;">0.975]</th></tr></thead>
<tbody>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">Intercept</th><td style="text-align: right; padding: 0.1em 0.6em;">-3.399737</td><td style="text-align: right; padding: 0.1em 0.6em;">0.484661</td><td style="text-align: right; padding: 0.1em 0.6em;">-7.01467</td><td style="text-align: right; padding: 0.1em 0.6em;">2.3050e-12</td><td style="text-align: right; padding: 0.1em 0.6em;">-4.349655</td><td style="text-align: right; padding: 0.1em 0.6em;">-2.44982</td></tr>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">sex[T.M]</th><td style="text-align: right; padding: 0.1em 0.6em;">1.034527</td><td style="text-align: right; padding: 0.1em 0.6em;">0.377192</td><td style="text-align: right; padding: 0.1em 0.6em;">2.74271</td><td style="text-align: right; padding: 0.1em 0.6em;">0.0060934</td><td style="text-align: right; padding: 0.1em 0.6em;">0.295245</td><td style="text-align: right; padding: 0.1em 0.6em;">1.77381</td></tr>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">ldose</th><td style="text-align: right; padding: 0.1em 0.6em;">1.040164</td><td style="text-align: right; padding: 0.1em 0.6em;">0.137889</td><td style="text-align: right; padding: 0.1em 0.6em;">7.54350</td><td style="text-align: right; padding: 0.1em 0.6em;">4.5752e-14</td><td style="text-align: right; padding: 0.1em 0.6em;">0.769907</td><td style="text-align: right; padding: 0.1em 0.6em;">1.31042</td></tr>
<tr><th style="text-align: left; padding: 0.1em 0.6em;">ld2</th><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td><td style="text-align: right; padding: 0.1em 0.6em;">NA</td></tr>
</tbody></table>
<p>Notes:</p>
<ol><li>1 observation deleted due to missingness (missing values in: sex)</li><li>Coefficients not defined because of singularities: ld2</li></ol>
</div>''',
    ('binomial_aliased_dropped', 'latex'): r'''\begin{table}[htbp]
\centering
\caption{Generalized Linear Model Results}
\begin{tabular}{lrlr}
\toprule
 Dep. Variable:     & cbind(dead, alive) & Deviance:       &   6.5085 \\
 Model family:      &           binomial & Pearson chi2:   &  4.86576 \\
 Link:              &              logit & Null deviance:  &  106.229 \\
 Method:            &               IRLS & Df Null:        &       10 \\
 No. Observations:  &                 11 & Log-Likelihood: & -17.0548 \\
 Df Residuals:      &                  8 & AIC:            &  40.1096 \\
 Df Model:          &                  2 & BIC:            &  41.3033 \\
 Dispersion:        &                  1 & Iterations:     &        4 \\
 Dispersion method: &         fixed at 1 & Converged:      &      yes \\
 Covariance type:   &          nonrobust &                 &          \\
\bottomrule
\end{tabular}

\medskip
\begin{tabular}{lrrrrrr}
\toprule
              &      coef &   std err &        z &   P\textgreater{}\textbar{}z\textbar{} &   {[}0.025 &   0.975{]} \\
\midrule
 Intercept    & -3.399737 &  0.484661 & -7.01467 &                             2.3050e-12 &  -4.349655 &   -2.44982 \\
 sex{[}T.M{]} &  1.034527 &  0.377192 &  2.74271 &                              0.0060934 &   0.295245 &    1.77381 \\
 ldose        &  1.040164 &  0.137889 &  7.54350 &                             4.5752e-14 &   0.769907 &    1.31042 \\
 ld2          &        NA &        NA &       NA &                                     NA &         NA &         NA \\
\bottomrule
\end{tabular}

\medskip
\begin{minipage}{0.95\linewidth}\footnotesize
Notes:\par
{[}1{]} 1 observation deleted due to missingness (missing values in: sex)\par
{[}2{]} Coefficients not defined because of singularities: ld2\par
\end{minipage}
\end{table}''',
    ('binomial_aliased_dropped', 'markdown'): r'''**Generalized Linear Model Results**

|                   |                    |                |          |
|:------------------|-------------------:|:---------------|---------:|
| Dep. Variable     | cbind(dead, alive) | Deviance       |   6.5085 |
| Model family      |           binomial | Pearson chi2   |  4.86576 |
| Link              |              logit | Null deviance  |  106.229 |
| Method            |               IRLS | Df Null        |       10 |
| No. Observations  |                 11 | Log-Likelihood | -17.0548 |
| Df Residuals      |                  8 | AIC            |  40.1096 |
| Df Model          |                  2 | BIC            |  41.3033 |
| Dispersion        |                  1 | Iterations     |        4 |
| Dispersion method |         fixed at 1 | Converged      |      yes |
| Covariance type   |          nonrobust |                |          |

|           |      coef |   std err |        z |    P>\|z\| |    [0.025 |   0.975] |
|:----------|----------:|----------:|---------:|-----------:|----------:|---------:|
| Intercept | -3.399737 |  0.484661 | -7.01467 | 2.3050e-12 | -4.349655 | -2.44982 |
| sex[T.M]  |  1.034527 |  0.377192 |  2.74271 |  0.0060934 |  0.295245 |  1.77381 |
| ldose     |  1.040164 |  0.137889 |  7.54350 | 4.5752e-14 |  0.769907 |  1.31042 |
| ld2       |        NA |        NA |       NA |         NA |        NA |       NA |

Notes:

1. 1 observation deleted due to missingness (missing values in: sex)
2. Coefficients not defined because of singularities: ld2''',
}


@pytest.fixture(scope="module", params=["dobson_poisson", "gaussian_aliased_dropped", "binomial_aliased_dropped"])
def fit(request):
    return request.param, getattr(F, request.param)()


@pytest.mark.parametrize("fmt", ["text", "html", "latex", "markdown"])
def test_glm_summary_renders_as_before(fit, fmt):
    name, res = fit
    assert getattr(res.summary(), f"as_{fmt}")() == EXPECTED[name, fmt]


def test_str_is_the_text(fit):
    name, res = fit
    assert str(res.summary()) == repr(res.summary()) == EXPECTED[name, "text"]
    assert res.summary()._repr_html_() == EXPECTED[name, "html"]


R_CASES = {"dobson_poisson": "dobson_outcome", "gaussian_aliased_dropped": "gaussian_aliased",
           "binomial_aliased_dropped": "budworm_aliased"}
# summary column -> printCoefmat column of generate_format.R
R_COLUMNS = {"coef": "Estimate", "std err": "Std. Error", "z": "z value", "t": "t value", "P>|z|": "Pr(>|z|)",
             "P>|t|": "Pr(>|t|)", "[0.025": "lower", "0.975]": "upper"}


def _text_cells(text):
    """The coefficient table of a text summary: {column: [cells]}, cut at the right-aligned headers."""
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.lstrip().startswith("coef"))
    header = lines[head]
    names = header.replace("std err", "std\0err").split()
    names = [n.replace("\0", " ") for n in names]
    edges = []
    pos = 0
    for name in names:
        pos = header.index(name, pos) + len(name)  # headers are right-aligned: this is the column's edge
        edges.append(pos)
    rows = []
    for line in lines[head + 2:]:
        if line.startswith("="):
            break
        rows.append(line)
    out = {}
    for j, name in enumerate(names):
        out[name] = [row[(edges[j - 1] if j else len(row.split()[0])):edges[j]].strip() for row in rows]
    return out


@pytest.mark.parametrize("name", sorted(R_CASES))
def test_coefficient_cells_are_rs(name):
    ref = json.loads((Path(__file__).parents[1] / "reference_extra" / "format" / "format.json").read_text())
    case = next(c for c in ref["cases"] if c["kind"] == "coefmat" and c["name"] == R_CASES[name] and c["digits"] == 6)
    r_cells = {c["name"]: [s.strip() for s in c["out"]] for c in case["columns"]}
    ours = _text_cells(EXPECTED[name, "text"])
    assert set(ours) == {k for k in R_COLUMNS if R_COLUMNS[k] in r_cells}
    for col, cells in ours.items():
        assert cells == r_cells[R_COLUMNS[col]], col


@pytest.mark.parametrize("name", sorted(R_CASES))
def test_html_cells_are_the_texts(name):
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.in_cell = [], False

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            self.in_cell = tag in ("td", "th")

        def handle_endtag(self, tag):
            self.in_cell = False

        def handle_data(self, data):
            if self.in_cell:
                self.rows[-1].append(data)

    parser = Cells()
    parser.feed(EXPECTED[name, "html"])
    header = next(i for i, row in enumerate(parser.rows) if row[:1] == ["coef"])
    html_cols = dict(zip(parser.rows[header], zip(*[row[1:] for row in parser.rows[header + 1:]])))
    for col, cells in _text_cells(EXPECTED[name, "text"]).items():
        assert list(html_cols[col]) == cells, col
