"""Rows of numbers under named columns, as one array: what a chunk of replications sends
back (its sampled inputs, milestone days, sites' days), compact to send and cheap to gather
into one table (no frame per chunk)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Block:
    """Rows of numbers under named columns, as one array: a chunk's sampled inputs or
    milestone days, compact to send and cheap to gather (no frame per chunk)."""

    columns: tuple[str, ...]
    values: np.ndarray
    """Shape (rows, columns), NaN where a row has no value."""

    @classmethod
    def of(cls, rows: list[dict]) -> "Block":
        columns = tuple(dict.fromkeys(k for row in rows for k in row))
        return cls(columns, np.array([[row.get(c, np.nan) for c in columns] for row in rows],
                                     dtype=float).reshape(len(rows), len(columns)))


def gathered(blocks: list[Block], sort: bool = False) -> pd.DataFrame:
    """The blocks' rows one after another, under every column any has (in order of first
    appearance, or sorted), NaN where a block lacks one."""
    columns = list(dict.fromkeys(c for b in blocks for c in b.columns))
    columns = sorted(columns) if sort else columns
    where = {c: k for k, c in enumerate(columns)}
    out = np.full((sum(len(b.values) for b in blocks), len(columns)), np.nan)
    start = 0
    for b in blocks:
        out[start:start + len(b.values), [where[c] for c in b.columns]] = b.values
        start += len(b.values)
    return pd.DataFrame(out, columns=columns)
