"""Reports: one summary model rendered to text, HTML, LaTeX and markdown.

- :mod:`~glmstats.report.report`: :class:`Report` (title, header pairs, coefficient sections, notes)
  and its four renderers;
- :mod:`~glmstats.report.summary`: the summaries of GLM (and negative binomial), multinomial and
  penalized fits, built as Reports;
- :mod:`~glmstats.report.compare`: :func:`compare`, several fits side by side (a Report too);
- :mod:`~glmstats.report.format`: numbers and p-values as R prints them, escapes.
"""
