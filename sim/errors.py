"""The one error type a user should ever see: bad input, told in one line."""


class InputError(ValueError):
    """A config value, an override or a seed record that the simulator refuses.

    The message is one line that names the key (or file and record), the bad value and what
    is allowed, e.g. ``power.grid_delay_months: low=9 > high=3; need low <= mode <= high``.
    """

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")
