"""Step-halving: the one line search of the package (R's glm.fit).

IRLS halves a step while the deviance is not finite or eta and mu leave their valid region; the
penalized solver halves it until the penalized objective decreases; the multinomial Newton
solver until the log-likelihood does not decrease. All three are :func:`halve_step`.
"""

__all__ = ["halve_step"]


def halve_step(evaluate, accept, candidate, anchor, max_halvings):
    """Evaluate ``candidate``; while the result is not accepted, move the candidate halfway back to ``anchor``.

    Parameters
    ----------
    evaluate : callable
        candidate -> result (one pass over the rows).
    accept : callable
        result -> bool.
    candidate, anchor : ndarray
        The full step's point and the point it starts from (R: ``start`` and ``coefold``).
    max_halvings : int

    Returns
    -------
    (point, result, halvings) : tuple
        The accepted point, its result and the number of halvings; ``point`` is None when
        ``max_halvings`` halvings were not enough (``result`` is then the last one evaluated).

    Notes
    -----
    As R's ``glm.fit``: ``start <- (start + coefold) / 2`` after each rejection.
    """
    result = evaluate(candidate)
    halvings = 0
    while not accept(result):
        if halvings == max_halvings:
            return None, result, halvings
        halvings += 1
        candidate = (candidate + anchor) / 2.0
        result = evaluate(candidate)
    return candidate, result, halvings
