"""A finished run's files as a comparison reads them, each checked on the way in.

A file that is missing, damaged or not what a run writes (``garbage{`` in summary.json, a
milestones table without dates, a timeseries without its columns, overrides Hydra cannot
parse) is refused in one line naming the run and the file (:func:`read`), never a
traceback. The checksums of the files are verified before (:func:`sim.outputs.manifest.verify`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser

from sim.errors import InputError
from sim.outputs import received
from sim.study.headline import headline

NEEDS = ("summary.json", "milestones.csv", "timeseries.parquet")
"""The files of a finished run that a comparison reads (and verifies first)."""


def read(path: Path, name: str, reader):
    """``reader(path / name)``; a file that is missing, damaged or not what a run writes
    (the reader says why) is refused in one line naming the run and the file."""
    try:
        return reader(received.file(path, name))  # a regular file, bounded, no link
    except Exception as ex:  # a finished run whose file is missing or damaged
        text = str(ex).strip().splitlines()[0][:200] if str(ex).strip() else type(ex).__name__
        raise InputError(str(path), f"cannot read {name}: {text}") from None


def _needs(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"no column {missing[0]!r}")
    return frame


def timeseries_file(path: Path) -> pd.DataFrame:
    ts = _needs(pd.read_parquet(path), "date", "recipient")
    if not pd.api.types.is_datetime64_any_dtype(ts["date"]):
        raise ValueError("its date column holds no dates")
    for name in ("operational", "mw_drawn", "mw_energized"):
        if not any(c in ts for c in (name, f"{name}_p50", f"{name}_mean")):
            raise ValueError(f"no column {name!r}")
    return ts


def milestones_file(path: Path) -> pd.DataFrame:
    ms = _needs(pd.read_csv(path, dtype=str), "recipient", "milestone")
    if "p50_date" not in ms and "date" not in ms:
        raise ValueError("no column 'p50_date'")
    for column in ("date", "p50_date", "representative_date"):
        if column in ms:
            pd.to_datetime(ms[column], format="%Y-%m-%d")  # raises on what is not a date
    return ms


def summary_file(path: Path) -> dict:
    summary = json.loads(path.read_text())
    if not isinstance(summary, dict):
        raise ValueError(f"it holds {type(summary).__name__}, not a run's summary")
    row = headline(summary)  # raises on a summary of another shape
    for key in ("all_operational_date", "horizon"):
        when = row.get(key) if key in row else summary.get(key)
        if when is not None:
            pd.Timestamp(when)
    return summary


def overrides_file(path: Path) -> list[str]:
    found = yaml.safe_load(path.read_text()) or []
    if not isinstance(found, list) or not all(isinstance(o, str) for o in found):
        raise ValueError("it is not a list of overrides")
    OverridesParser.create().parse_overrides(found)  # raises on one Hydra cannot read
    return found


def overrides_of(path: Path) -> list[str]:
    """The command-line overrides a run was started with (empty if Hydra did not record them)."""
    file = Path(path) / ".hydra" / "overrides.yaml"
    return read(path, ".hydra/overrides.yaml", overrides_file) if os.path.lexists(file) else []


@dataclass
class Run:
    """One finished run as its files tell it."""

    path: Path
    summary: dict
    overrides: list[str]
    label: str = ""
    _timeseries: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def scenario(self) -> str:
        return self.summary.get("scenario", "baseline")

    @property
    def timeseries(self) -> pd.DataFrame:
        """Weekly rows per recipient and ``total`` (read when first needed)."""
        if self._timeseries is None:
            self._timeseries = read(self.path, "timeseries.parquet", timeseries_file)
        return self._timeseries

    @property
    def milestones(self) -> pd.DataFrame:
        """The run's milestone dates; with Monte Carlo, the P50 over its replications (so
        that runs compare like for like, not one replication against another)."""
        ms = read(self.path, "milestones.csv", milestones_file)
        if "p50_date" in ms.columns:
            if "date" in ms.columns:  # a run written before the column was named so
                ms = ms.rename(columns={"date": "representative_date"})
            ms["date"] = ms["p50_date"]
        return ms
