"""Warnings and errors raised by glmstats.

Every problem the package detects is reported through one of these types (or a
plain ``ValueError``/``TypeError`` naming the offending argument), so that callers
can filter them with :mod:`warnings` or ``except`` clauses.
"""


class GLMStatsWarning(UserWarning):
    """Base class of the warnings glmstats emits."""


class ConvergenceWarning(GLMStatsWarning):
    """IRLS stopped at ``maxiter`` before the deviance criterion was met (R: "glm.fit: algorithm did not converge")."""


class PerfectSeparationWarning(GLMStatsWarning):
    """Fitted probabilities (or rates) reached 0 or 1: the MLE is at infinity for some coefficients.

    R: "glm.fit: fitted probabilities numerically 0 or 1 occurred". As R does, the last
    iterate is returned; the warning names the coefficients that were still diverging.
    """


class RankDeficientWarning(GLMStatsWarning):
    """Some design columns are linear combinations of earlier ones; their coefficients are NaN (R's NA)."""


class CollinearityWarning(GLMStatsWarning):
    """A column is so nearly a combination of earlier ones that its estimate and standard error lose most
    of their digits (R keeps such a column: only exact aliasing is detected)."""


class NonConvexWarning(GLMStatsWarning):
    """A penalized fit whose objective is not convex in the coefficients (Tweedie with variance power > 2 and a log
    link): the fit is a stationary point found by Fisher scoring, not necessarily the only minimum."""


class DomainWarning(GLMStatsWarning):
    """The data are valid but unusual for the family (for example non-integer binomial successes)."""


class ProfileWarning(GLMStatsWarning):
    """A profile-likelihood limit could not be found (the profile does not cross the cutoff); it is NaN.

    R: ``confint`` on a glm returns NA for such a limit (typically under separation).
    """


class FitError(ValueError):
    """IRLS cannot start or cannot find valid coefficients (R's glm.fit errors)."""
