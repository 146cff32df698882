"""Text the tool hands to other programs, made inert: every CSV it writes, and the lines it
prints (:func:`sim.text.inert`, re-exported here for the output layer).

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)`` in a site's name would reach ``sites.csv`` and be clicked),
and one starting with a tab or a carriage return can smuggle one in. The OWASP rule
("CSV Injection") is applied to every text cell of every table written: such a cell gets a
leading single quote, which spreadsheets show as text. Numbers are left alone (a negative
number is a number, not a formula), and so are text cells that start otherwise: the tables
of a run with the project's seeds are byte for byte what pandas writes.

:func:`write_csv` is the one writer of the tool's CSV files: ``sites.csv``,
``milestones.csv``, ``timeseries.csv``, ``drivers.csv``, ``sweep.csv``, ``compare.csv``,
``hindcasts.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.text import inert

__all__ = ["FORMULA_STARTS", "inert", "neutralised", "write_csv"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a text cell that a spreadsheet would run as a formula starts (OWASP)."""


def neutralised(value):
    """``value`` as a spreadsheet cell that cannot run: text starting as a formula gets a
    leading ``'``; anything else (numbers, empty cells) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``, or a copy whose text cells are :func:`neutralised` where any needs it."""
    risky = []
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            text = column.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
            if text.any():
                risky.append(name)
    if not risky:
        return frame
    frame = frame.copy()
    for name in risky:
        frame[name] = frame[name].map(neutralised)
    return frame


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as CSV at ``path`` (no index), every text cell neutralised."""
    _safe(frame).to_csv(path, index=False)
