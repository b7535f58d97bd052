"""The fitting engine, on arrays only: no formulas, no labels, no results.

- :mod:`~glmstats.engine.matrix`: the design-matrix protocol, :class:`DenseMatrix`;
  :mod:`~glmstats.engine.factor_matrix`: factors kept as integer codes;
- :mod:`~glmstats.engine.data`: :class:`GLMData`, the arrays a fit reads, by row blocks;
- :mod:`~glmstats.engine.blocks`: the one block-size policy, partitions and the thread pool;
- :mod:`~glmstats.engine.kernels`: the per-row work (mean, working weights and response, deviance);
- :mod:`~glmstats.engine.gram`: X'WX, X'Wz and the QR factor accumulated over row blocks;
- :mod:`~glmstats.engine.passes`: one pass over the rows, the template of every solver;
- :mod:`~glmstats.engine.linalg`: the solves (equilibrated Cholesky, R's pivoted QR, Schur);
- :mod:`~glmstats.engine.stephalving`: the one line search;
- :mod:`~glmstats.engine.trace`: the iteration trace every solver keeps and logs (``glmstats.fit``);
- the solvers: :mod:`~glmstats.engine.irls` (R's glm.fit), :mod:`~glmstats.engine.penalized`
  (elastic net), :mod:`~glmstats.engine.newton` (multinomial logit).

The structure and the data path of a fit are drawn in docs/engine.md.
"""
