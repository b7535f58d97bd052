"""Inference on a fit, read from its :class:`~glmstats.models.fit_state.FitState` (never from the model).

- :mod:`~glmstats.inference.anova`, :mod:`~glmstats.inference.drop1` (with
  :mod:`~glmstats.inference.submodels` and :mod:`~glmstats.inference.deviance_tests`): analysis of deviance;
- :mod:`~glmstats.inference.hypothesis`: Wald and t tests of linear restrictions;
- :mod:`~glmstats.inference.robust`: sandwich covariances;
- :mod:`~glmstats.inference.influence`, :mod:`~glmstats.inference.profile`,
  :mod:`~glmstats.inference.prediction`.
"""
