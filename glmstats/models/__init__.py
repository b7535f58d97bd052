"""The models: front ends that check inputs, run the engine and freeze what it returns.

- :mod:`~glmstats.models.glm`: ``GLM``/``glm`` (array and formula interfaces), ``fit()``;
  :mod:`~glmstats.models.inputs`: the array interface's inputs and the rows of new data;
- :mod:`~glmstats.models.fit_state`: :class:`FitState`, what every consumer of a fit reads;
- :mod:`~glmstats.models.diagnostics`: convergence, aliasing, collinearity, separation (once per fit);
- :mod:`~glmstats.models.results`: :class:`GLMResults`; :mod:`~glmstats.models.null_model`;
- :mod:`~glmstats.models.negbin` (MASS::glm.nb), :mod:`~glmstats.models.multinomial` (nnet::multinom),
  :mod:`~glmstats.models.penalized` (elastic net), :mod:`~glmstats.models.tweedie_profile`.
"""
