"""The one error type a user should ever see: bad input, told in one line.

The messages are inert (:func:`sim.text.inert`): a value typed on the command line or read
from a file is echoed with its control characters escaped, and stays on one line.
"""

from sim.text import inert


class InputError(ValueError):
    """A config value, an override or a seed record that the simulator refuses.

    The message is one line that names the key (or file and record), the bad value and what
    is allowed, e.g. ``power.grid_delay_months: low=9 > high=3; need low <= mode <= high``.
    """

    def __init__(self, where: str, problem: str):
        self.where = inert(where)
        self.problem = inert(problem)
        super().__init__(f"{self.where}: {self.problem}")


class WriteError(RuntimeError):
    """Results that could not be written (a full disk, a folder that vanished): one line that
    names the file and the reason. Nothing was marked complete."""

    def __init__(self, path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(inert(f"cannot write {path}: {reason}; nothing was marked complete"))


class ConservationError(RuntimeError):
    """The stages of a run's GPUs do not add up to the allocations: a fault in the model,
    told in one line (:mod:`sim.study.accounting`). The run is never marked complete."""
