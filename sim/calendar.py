"""Model time: days from the first deal (BlackRock's MOU, 2025-09-22); outputs give dates.

Every conversion between a model day and a calendar date goes through this module: one
date (:func:`to_date`), many (:func:`timestamps`, for tables), and a date typed into a
config or a seed file (:func:`parse_date`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sim.errors import InputError

DAY0 = date(2025, 9, 22)
DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_WEEK = 7.0


def to_day(when: date) -> float:
    return float((when - DAY0).days)


def to_date(day: float) -> date:
    return DAY0 + timedelta(days=int(day))


def timestamps(days):
    """Whole model days as a column of pandas timestamps (for the date column of a table);
    a missing day (NaN) is a missing timestamp (NaT)."""
    import numpy as np  # only tables need these; a refused run should not wait for them
    import pandas as pd

    whole = np.trunc(np.asarray(pd.Series(days), dtype=float))
    return pd.Timestamp(DAY0) + pd.to_timedelta(whole, "D")


def parse_date(where: str, value) -> date:
    """A date from config or seeds: a ``date`` or a ``YYYY-MM-DD`` string (nothing looser:
    Python 3.11 would also read ``20300101`` or ``2030-W01-1``, Python 3.10 would not)."""
    if isinstance(value, date):
        return value
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            raise ValueError
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(where, f"{value!r} is not a date; use YYYY-MM-DD") from None
