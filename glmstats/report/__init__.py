"""Reports: one summary model rendered to text, HTML, LaTeX and markdown.

- :mod:`~glmstats.report.report`: :class:`Report` (title, header pairs, coefficient sections, notes)
  and its four renderers;
- :mod:`~glmstats.report.summary`: the summaries of GLM (and negative binomial), multinomial and
  penalized fits, built as Reports;
- :mod:`~glmstats.report.compare`: :func:`compare`, several fits side by side (a Report too);
- :mod:`~glmstats.report.format`: numbers and p-values as R prints them, a column at a time
  (R's formatReal, format.pval, printCoefmat, print.anova; R's round in
  :mod:`~glmstats.report.rounding`); :mod:`~glmstats.report.escape`: the
  LaTeX and markdown escapes;
- :mod:`~glmstats.report.table`: the one text/HTML table renderer, and the anova table type;
- :mod:`~glmstats.report.display`: the ``__repr__``/``_repr_html_`` of fits, tests, predictions
  and influence measures.
"""
