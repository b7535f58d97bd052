"""The iteration trace of the fitting loops: a few numbers per iteration, kept and logged.

Each loop of the engine (IRLS, the penalized Newton loop, the multinomial Newton loop) hands
every finished iteration to a :class:`Trace`, which

- keeps the row (the fit's history, which the results expose as ``fit_history``);
- logs it on the logger ``glmstats.fit`` at DEBUG (one record per iteration);
- logs a progress line at INFO when the fit has run for :data:`PROGRESS_SECONDS` (and then again
  every :data:`PROGRESS_SECONDS`), and an INFO line at the end of such a long fit, so that a user who
  turns on INFO for ``glmstats`` sees that a long fit is alive without the per-iteration lines.

The library never prints: ``fit(verbose=True)`` wraps the fit in :func:`verbose_output`, which
attaches a temporary handler writing the records to stdout, and takes it off afterwards.

Cost: a tuple appended, a cached level check and a clock read per iteration; an iteration is at
least one pass over the rows, so the trace does not show in the timings.
"""

import logging
import sys
import time
from contextlib import contextmanager
from typing import NamedTuple

__all__ = ["DEVIANCE_COLUMNS", "History", "LOGGER", "PROGRESS_SECONDS", "Trace", "verbose_output"]

#: The logger of every fitting loop (per-iteration records at DEBUG, progress of long fits at INFO).
LOGGER = logging.getLogger("glmstats.fit")

#: A fit that has run this long (seconds) logs a progress line at INFO, then one every as long again.
PROGRESS_SECONDS = 10.0

#: The history of the loops that stop on R's deviance rule (IRLS, multinomial Newton), after ``iteration``.
DEVIANCE_COLUMNS = ("deviance", "relative_change", "step_halvings")

#: Their DEBUG record.
DEVIANCE_MESSAGE = "deviance = %.10g, relative change = %.3g, step-halvings = %d"


class History(NamedTuple):
    """The rows of a trace: ``columns`` names the entries of each row in ``rows`` (the first is the iteration)."""

    columns: tuple
    rows: tuple


class Trace:
    """Records the iterations of one fitting loop and logs them.

    Parameters
    ----------
    label : str or None
        Starts each log record (``"IRLS"``, ``"Penalized"``); None: record without logging (the
        inner fits of a loop that logs its own lines).
    columns : tuple of str
        The names of the values of :meth:`record` after the iteration number.
    message : str
        %-format of the values of a record, after ``"<label> iteration <k>: "``.
    """

    def __init__(self, label, columns, message):
        self.label = label
        self.columns = ("iteration",) + tuple(columns)
        self._debug = "%s iteration %d: " + message
        self._progress = "%s: iteration %d after %.1f s; " + message
        self._rows = []
        self._start = time.perf_counter()
        self._next_progress = PROGRESS_SECONDS
        self._reported = False

    def record(self, iteration, *values):
        """Keep one iteration's row and log it (DEBUG; a progress line at INFO in a long fit)."""
        self._rows.append((iteration,) + values)
        if self.label is None:
            return
        LOGGER.debug(self._debug, self.label, iteration, *values)  # formatted only if DEBUG is enabled
        elapsed = time.perf_counter() - self._start
        if elapsed >= self._next_progress:
            self._next_progress = elapsed + PROGRESS_SECONDS
            self._reported = True
            LOGGER.info(self._progress, self.label, iteration, elapsed, *values)

    def finish(self, converged):
        """Log the end of a fit that logged progress (INFO). Returns the :class:`History`."""
        if self._reported:
            LOGGER.info("%s %s after %d iterations in %.1f s", self.label,
                        "converged" if converged else "stopped without converging", len(self._rows),
                        time.perf_counter() - self._start)
        return self.history

    @property
    def history(self):
        return History(self.columns, tuple(self._rows))


class _StdoutHandler(logging.Handler):
    """Writes each record to ``sys.stdout`` as it is when the record comes (a notebook's or pytest's stream)."""

    def emit(self, record):
        try:
            sys.stdout.write(self.format(record) + "\n")
        except Exception:  # logging's contract: a handler never raises
            self.handleError(record)


@contextmanager
def verbose_output(verbose):
    """While active, the records of :data:`LOGGER` (DEBUG and up) also go to stdout, one line each.

    Parameters
    ----------
    verbose : bool
        False: nothing changes.

    Notes
    -----
    The logger's level is lowered to DEBUG for the duration (and restored): handlers the user has
    attached to ``glmstats`` or the root logger then see the per-iteration records as well. The
    logger is shared: fits running in other threads meanwhile print their lines too.
    """
    if not verbose:
        yield
        return
    handler = _StdoutHandler(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(message)s"))
    level = LOGGER.level
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        LOGGER.removeHandler(handler)
        LOGGER.setLevel(level)
