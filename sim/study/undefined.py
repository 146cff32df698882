"""A figure a run cannot give, written as ``null`` with its reason.

Some figures have no value at a run's date: the odds that Hyundai gets its full allocation
by its sites' announced dates, as of a day it had announced none; the odds of a target
whose date is after the horizon, where the run does not look; the odds of a recipient's own
target, in seeds where no recipient states one. Such a figure is never a NaN (which no
JSON writer takes, and which reads as a number) nor a guess (0 %): wherever it would
stand, in ``summary.json`` and in every table read from it, it is

    {"value": null, "reason": "hyundai has no announced site date as of 2025-10-31"}

one rule everywhere. Readers show it as ``not defined yet (<reason>)``
(:func:`said`); a flat table (``sweep.csv``) carries an empty cell and the reason in a
``<figure>_reason`` column, ``compare.csv`` the reason in the row's ``statistic``.
"""

from __future__ import annotations

from datetime import date

NOT_DEFINED = "not defined yet"


def undefined(reason: str) -> dict:
    """The value of a figure that has none at this run's date, with why."""
    return {"value": None, "reason": reason}


def is_undefined(value) -> bool:
    return isinstance(value, dict) and value.get("value") is None and "reason" in value


def reason(value) -> str | None:
    """Why ``value`` is not defined; None if it is."""
    return str(value["reason"]) if is_undefined(value) else None


def plain(value):
    """``value``, or None where it is not defined (for tables of plain cells)."""
    return None if is_undefined(value) else value


def said(value) -> str:
    """How a reader is told of a figure that is not defined: ``not defined yet (why)``."""
    return f"{NOT_DEFINED} ({reason(value)})"


def after_horizon(when: date, horizon: date) -> dict | None:
    """Undefined, if a figure taken on ``when`` lies after the horizon; else None."""
    return undefined(f"{when} is after the horizon {horizon}") if when > horizon else None
