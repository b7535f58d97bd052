"""The GLM summaries render exactly as before the one-report restructuring (issue 11, part 5).

The strings below are the outputs of the pre-unification ``Summary`` at commit e949a1d
(glmstats/report/summary.py, ``as_text``, ``as_html``, ``as_latex``, ``as_markdown``), printed by
capture_golden.py beside this file from the fits in _report_fits.py. The report code may move;
what it prints for a GLM must not change by a byte.
"""

import pytest

import _report_fits as F

EXPECTED = {
    ('dobson_poisson', 'text'): r'''                      Generalized Linear Model Results
============================================================================
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
============================================================================
                   coef    std err         z    P>|z|     [0.025      0.975]
----------------------------------------------------------------------------
Intercept       3.04452   0.125988   24.1651   <2e-16    2.79759     3.29145
outcome[T.2]  -0.454255   0.202171  -2.24689  0.02465  -0.850503  -0.0580079
outcome[T.3]  -0.292987   0.192742   -1.5201   0.1285  -0.670755   0.0847809
============================================================================''',
    ('dobson_poisson', 'html'): r'''<div class="glmstats-summary">
<p><strong>Generalized Linear Model Results</strong></p>
<table>
<tbody>
<tr><td>Dep. Variable:    </td><td style="text-align: right;">    counts</td><td>Deviance:      </td><td style="text-align: right;"> 5.12914</td></tr>
<tr><td>Model family:     </td><td style="text-align: right;">   poisson</td><td>Pearson chi2:  </td><td style="text-align: right;">  5.1732</td></tr>
<tr><td>Link:             </td><td style="text-align: right;">       log</td><td>Null deviance: </td><td style="text-align: right;"> 10.5814</td></tr>
<tr><td>Method:           </td><td style="text-align: right;">      IRLS</td><td>Df Null:       </td><td style="text-align: right;">       8</td></tr>
<tr><td>No. Observations: </td><td style="text-align: right;">         9</td><td>Log-Likelihood:</td><td style="text-align: right;">-23.3807</td></tr>
<tr><td>Df Residuals:     </td><td style="text-align: right;">         6</td><td>AIC:           </td><td style="text-align: right;"> 52.7613</td></tr>
<tr><td>Df Model:         </td><td style="text-align: right;">         2</td><td>BIC:           </td><td style="text-align: right;">  53.353</td></tr>
<tr><td>Dispersion:       </td><td style="text-align: right;">         1</td><td>Iterations:    </td><td style="text-align: right;">       4</td></tr>
<tr><td>Dispersion method:</td><td style="text-align: right;">fixed at 1</td><td>Converged:     </td><td style="text-align: right;">     yes</td></tr>
<tr><td>Covariance type:  </td><td style="text-align: right;"> nonrobust</td><td>               </td><td style="text-align: right;">        </td></tr>
</tbody>
</table>
<table>
<thead>
<tr><th>            </th><th style="text-align: right;">     coef</th><th style="text-align: right;">  std err</th><th style="text-align: right;">       z</th><th style="text-align: right;">  P&gt;|z|</th><th style="text-align: right;">   [0.025</th><th style="text-align: right;">    0.975]</th></tr>
</thead>
<tbody>
<tr><td>Intercept   </td><td style="text-align: right;">  3.04452</td><td style="text-align: right;"> 0.125988</td><td style="text-align: right;"> 24.1651</td><td style="text-align: right;"> &lt;2e-16</td><td style="text-align: right;">  2.79759</td><td style="text-align: right;">   3.29145</td></tr>
<tr><td>outcome[T.2]</td><td style="text-align: right;">-0.454255</td><td style="text-align: right;"> 0.202171</td><td style="text-align: right;">-2.24689</td><td style="text-align: right;">0.02465</td><td style="text-align: right;">-0.850503</td><td style="text-align: right;">-0.0580079</td></tr>
<tr><td>outcome[T.3]</td><td style="text-align: right;">-0.292987</td><td style="text-align: right;"> 0.192742</td><td style="text-align: right;"> -1.5201</td><td style="text-align: right;"> 0.1285</td><td style="text-align: right;">-0.670755</td><td style="text-align: right;"> 0.0847809</td></tr>
</tbody>
</table>
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
 Intercept        &   3.04452 &  0.125988 &  24.1651 &                       \textless{}2e-16 &    2.79759 &    3.29145 \\
 outcome{[}T.2{]} & -0.454255 &  0.202171 & -2.24689 &                                0.02465 &  -0.850503 & -0.0580079 \\
 outcome{[}T.3{]} & -0.292987 &  0.192742 &  -1.5201 &                                 0.1285 &  -0.670755 &  0.0847809 \\
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
| Intercept    |   3.04452 |  0.125988 |  24.1651 |    <2e-16 |   2.79759 |    3.29145 |
| outcome[T.2] | -0.454255 |  0.202171 | -2.24689 |   0.02465 | -0.850503 | -0.0580079 |
| outcome[T.3] | -0.292987 |  0.192742 |  -1.5201 |    0.1285 | -0.670755 |  0.0847809 |''',
    ('gaussian_aliased_dropped', 'text'): r'''                      Generalized Linear Model Results
===========================================================================
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
===========================================================================
                coef     std err         t      P>|t|     [0.025     0.975]
---------------------------------------------------------------------------
Intercept   0.213178   0.0543254    3.9241   0.007765  0.0802489   0.346108
x           0.992248  0.00611208   162.342  3.685e-12   0.977292     1.0072
g[T.b]     0.0333333   0.0566811  0.588085     0.5779   -0.10536   0.172027
g[T.c]     -0.305039   0.0538071  -5.66911   0.001296    -0.4367  -0.173377
x2                NA          NA        NA         NA         NA         NA
===========================================================================
Notes:
[1] 2 observations deleted due to missingness (missing values in: y, x, x2)
[2] Coefficients not defined because of singularities: x2''',
    ('gaussian_aliased_dropped', 'html'): r'''<div class="glmstats-summary">
<p><strong>Generalized Linear Model Results</strong></p>
<table>
<tbody>
<tr><td>Dep. Variable:    </td><td style="text-align: right;">                      y</td><td>Deviance:      </td><td style="text-align: right;">0.0289147</td></tr>
<tr><td>Model family:     </td><td style="text-align: right;">               gaussian</td><td>Pearson chi2:  </td><td style="text-align: right;">0.0289147</td></tr>
<tr><td>Link:             </td><td style="text-align: right;">               identity</td><td>Null deviance: </td><td style="text-align: right;">  130.305</td></tr>
<tr><td>Method:           </td><td style="text-align: right;">                   IRLS</td><td>Df Null:       </td><td style="text-align: right;">        9</td></tr>
<tr><td>No. Observations: </td><td style="text-align: right;">                     10</td><td>Log-Likelihood:</td><td style="text-align: right;">  15.0406</td></tr>
<tr><td>Df Residuals:     </td><td style="text-align: right;">                      6</td><td>AIC:           </td><td style="text-align: right;"> -20.0811</td></tr>
<tr><td>Df Model:         </td><td style="text-align: right;">                      3</td><td>BIC:           </td><td style="text-align: right;"> -18.5682</td></tr>
<tr><td>Dispersion:       </td><td style="text-align: right;">             0.00481912</td><td>Iterations:    </td><td style="text-align: right;">        2</td></tr>
<tr><td>Dispersion method:</td><td style="text-align: right;">Pearson chi2 / df_resid</td><td>Converged:     </td><td style="text-align: right;">      yes</td></tr>
<tr><td>Covariance type:  </td><td style="text-align: right;">              nonrobust</td><td>               </td><td style="text-align: right;">         </td></tr>
</tbody>
</table>
<table>
<thead>
<tr><th>         </th><th style="text-align: right;">     coef</th><th style="text-align: right;">   std err</th><th style="text-align: right;">       t</th><th style="text-align: right;">    P&gt;|t|</th><th style="text-align: right;">   [0.025</th><th style="text-align: right;">   0.975]</th></tr>
</thead>
<tbody>
<tr><td>Intercept</td><td style="text-align: right;"> 0.213178</td><td style="text-align: right;"> 0.0543254</td><td style="text-align: right;">  3.9241</td><td style="text-align: right;"> 0.007765</td><td style="text-align: right;">0.0802489</td><td style="text-align: right;"> 0.346108</td></tr>
<tr><td>x        </td><td style="text-align: right;"> 0.992248</td><td style="text-align: right;">0.00611208</td><td style="text-align: right;"> 162.342</td><td style="text-align: right;">3.685e-12</td><td style="text-align: right;"> 0.977292</td><td style="text-align: right;">   1.0072</td></tr>
<tr><td>g[T.b]   </td><td style="text-align: right;">0.0333333</td><td style="text-align: right;"> 0.0566811</td><td style="text-align: right;">0.588085</td><td style="text-align: right;">   0.5779</td><td style="text-align: right;"> -0.10536</td><td style="text-align: right;"> 0.172027</td></tr>
<tr><td>g[T.c]   </td><td style="text-align: right;">-0.305039</td><td style="text-align: right;"> 0.0538071</td><td style="text-align: right;">-5.66911</td><td style="text-align: right;"> 0.001296</td><td style="text-align: right;">  -0.4367</td><td style="text-align: right;">-0.173377</td></tr>
<tr><td>x2       </td><td style="text-align: right;">       NA</td><td style="text-align: right;">        NA</td><td style="text-align: right;">      NA</td><td style="text-align: right;">       NA</td><td style="text-align: right;">       NA</td><td style="text-align: right;">       NA</td></tr>
</tbody>
</table>
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
            &      coef &    std err &        t &   P\textgreater{}\textbar{}t\textbar{} &   {[}0.025 &   0.975{]} \\
\midrule
 Intercept  &  0.213178 &  0.0543254 &   3.9241 &                               0.007765 &  0.0802489 &   0.346108 \\
 x          &  0.992248 & 0.00611208 &  162.342 &                              3.685e-12 &   0.977292 &     1.0072 \\
 g{[}T.b{]} & 0.0333333 &  0.0566811 & 0.588085 &                                 0.5779 &   -0.10536 &   0.172027 \\
 g{[}T.c{]} & -0.305039 &  0.0538071 & -5.66911 &                               0.001296 &    -0.4367 &  -0.173377 \\
 x2         &        NA &         NA &       NA &                                     NA &         NA &         NA \\
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

|           |      coef |    std err |        t |   P>\|t\| |    [0.025 |    0.975] |
|:----------|----------:|-----------:|---------:|----------:|----------:|----------:|
| Intercept |  0.213178 |  0.0543254 |   3.9241 |  0.007765 | 0.0802489 |  0.346108 |
| x         |  0.992248 | 0.00611208 |  162.342 | 3.685e-12 |  0.977292 |    1.0072 |
| g[T.b]    | 0.0333333 |  0.0566811 | 0.588085 |    0.5779 |  -0.10536 |  0.172027 |
| g[T.c]    | -0.305039 |  0.0538071 | -5.66911 |  0.001296 |   -0.4367 | -0.173377 |
| x2        |        NA |         NA |       NA |        NA |        NA |        NA |

Notes:

1. 2 observations deleted due to missingness (missing values in: y, x, x2)
2. Coefficients not defined because of singularities: x2''',
    ('binomial_aliased_dropped', 'text'): r'''                    Generalized Linear Model Results
=======================================================================
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
=======================================================================
               coef    std err         z      P>|z|    [0.025    0.975]
-----------------------------------------------------------------------
Intercept  -3.39974   0.484661  -7.01467  2.305e-12  -4.34966  -2.44982
sex[T.M]    1.03453   0.377192   2.74271   0.006093  0.295245   1.77381
ldose       1.04016   0.137889    7.5435  4.575e-14  0.769907   1.31042
ld2              NA         NA        NA         NA        NA        NA
=======================================================================
Notes:
[1] 1 observation deleted due to missingness (missing values in: sex)
[2] Coefficients not defined because of singularities: ld2''',
    ('binomial_aliased_dropped', 'html'): r'''<div class="glmstats-summary">
<p><strong>Generalized Linear Model Results</strong></p>
<table>
<tbody>
<tr><td>Dep. Variable:    </td><td style="text-align: right;">cbind(dead, alive)</td><td>Deviance:      </td><td style="text-align: right;">  6.5085</td></tr>
<tr><td>Model family:     </td><td style="text-align: right;">          binomial</td><td>Pearson chi2:  </td><td style="text-align: right;"> 4.86576</td></tr>
<tr><td>Link:             </td><td style="text-align: right;">             logit</td><td>Null deviance: </td><td style="text-align: right;"> 106.229</td></tr>
<tr><td>Method:           </td><td style="text-align: right;">              IRLS</td><td>Df Null:       </td><td style="text-align: right;">      10</td></tr>
<tr><td>No. Observations: </td><td style="text-align: right;">                11</td><td>Log-Likelihood:</td><td style="text-align: right;">-17.0548</td></tr>
<tr><td>Df Residuals:     </td><td style="text-align: right;">                 8</td><td>AIC:           </td><td style="text-align: right;"> 40.1096</td></tr>
<tr><td>Df Model:         </td><td style="text-align: right;">                 2</td><td>BIC:           </td><td style="text-align: right;"> 41.3033</td></tr>
<tr><td>Dispersion:       </td><td style="text-align: right;">                 1</td><td>Iterations:    </td><td style="text-align: right;">       4</td></tr>
<tr><td>Dispersion method:</td><td style="text-align: right;">        fixed at 1</td><td>Converged:     </td><td style="text-align: right;">     yes</td></tr>
<tr><td>Covariance type:  </td><td style="text-align: right;">         nonrobust</td><td>               </td><td style="text-align: right;">        </td></tr>
</tbody>
</table>
<table>
<thead>
<tr><th>         </th><th style="text-align: right;">    coef</th><th style="text-align: right;">  std err</th><th style="text-align: right;">       z</th><th style="text-align: right;">    P&gt;|z|</th><th style="text-align: right;">  [0.025</th><th style="text-align: right;">  0.975]</th></tr>
</thead>
<tbody>
<tr><td>Intercept</td><td style="text-align: right;">-3.39974</td><td style="text-align: right;"> 0.484661</td><td style="text-align: right;">-7.01467</td><td style="text-align: right;">2.305e-12</td><td style="text-align: right;">-4.34966</td><td style="text-align: right;">-2.44982</td></tr>
<tr><td>sex[T.M] </td><td style="text-align: right;"> 1.03453</td><td style="text-align: right;"> 0.377192</td><td style="text-align: right;"> 2.74271</td><td style="text-align: right;"> 0.006093</td><td style="text-align: right;">0.295245</td><td style="text-align: right;"> 1.77381</td></tr>
<tr><td>ldose    </td><td style="text-align: right;"> 1.04016</td><td style="text-align: right;"> 0.137889</td><td style="text-align: right;">  7.5435</td><td style="text-align: right;">4.575e-14</td><td style="text-align: right;">0.769907</td><td style="text-align: right;"> 1.31042</td></tr>
<tr><td>ld2      </td><td style="text-align: right;">      NA</td><td style="text-align: right;">       NA</td><td style="text-align: right;">      NA</td><td style="text-align: right;">       NA</td><td style="text-align: right;">      NA</td><td style="text-align: right;">      NA</td></tr>
</tbody>
</table>
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
              &     coef &   std err &        z &   P\textgreater{}\textbar{}z\textbar{} &   {[}0.025 &   0.975{]} \\
\midrule
 Intercept    & -3.39974 &  0.484661 & -7.01467 &                              2.305e-12 &   -4.34966 &   -2.44982 \\
 sex{[}T.M{]} &  1.03453 &  0.377192 &  2.74271 &                               0.006093 &   0.295245 &    1.77381 \\
 ldose        &  1.04016 &  0.137889 &   7.5435 &                              4.575e-14 &   0.769907 &    1.31042 \\
 ld2          &       NA &        NA &       NA &                                     NA &         NA &         NA \\
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

|           |     coef |   std err |        z |   P>\|z\| |   [0.025 |   0.975] |
|:----------|---------:|----------:|---------:|----------:|---------:|---------:|
| Intercept | -3.39974 |  0.484661 | -7.01467 | 2.305e-12 | -4.34966 | -2.44982 |
| sex[T.M]  |  1.03453 |  0.377192 |  2.74271 |  0.006093 | 0.295245 |  1.77381 |
| ldose     |  1.04016 |  0.137889 |   7.5435 | 4.575e-14 | 0.769907 |  1.31042 |
| ld2       |       NA |        NA |       NA |        NA |       NA |       NA |

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
