"""The tables of a run as programs read them: dates beside model days, and the run each row
comes from, so that many runs' tables can be read in one query.

Every table a run writes (CSV and Parquet) gets, after its own columns:

- for each column of model days (``<name>_day``, ``day_reached:<milestone>``), the same
  instant as a date (``<name>_date``, ``date_reached:<milestone>``; a timestamp at midnight,
  as the timeseries' ``date``, which CSV writes as ``YYYY-MM-DD``; empty where the day was not
  reached by the horizon);
- the run's identity, the same in every row: :data:`RUN_COLUMNS` (scenario, as-of date, seed,
  and the SHA-256 of its config and of its seed files, as ``manifest.json`` gives them).

A table read back from a run (:func:`sim.api.load`) already has them and is written as it is.
Parquet files are written with one schema whatever a run reached (:func:`write_parquet`): a
column with no value in this run is typed as it is in a run that has values, so every job of
a sweep reads in one query.
"""

from __future__ import annotations

import math

import pandas as pd

from sim.calendar import to_date

RUN_COLUMNS = ("run_scenario", "run_as_of", "run_seed", "run_config_sha256", "run_seeds_sha256")
"""The identity of the run, in every table it writes."""
REACHED = "day_reached:"


def identity(summary: dict, run_inputs: dict) -> dict:
    """The values of :data:`RUN_COLUMNS` for one run."""
    return {"run_scenario": summary.get("scenario"), "run_as_of": summary.get("as_of"),
            "run_seed": summary.get("seed"),
            "run_config_sha256": run_inputs.get("config_sha256"),
            "run_seeds_sha256": run_inputs.get("seeds_sha256")}


def _date_name(column: str) -> str | None:
    if column.startswith(REACHED):
        return "date_reached:" + column[len(REACHED):]
    if column.endswith("_day"):
        return column[:-len("_day")] + "_date"
    return None


def _as_date(day):
    try:
        return to_date(float(day)).isoformat() if math.isfinite(float(day)) else None
    except (TypeError, ValueError):
        return None


def for_machines(frame: pd.DataFrame, ids: dict) -> pd.DataFrame:
    """``frame`` with a date beside each column of model days and the run's identity."""
    added = {}
    for column in frame.columns:
        name = _date_name(str(column))
        if name and name not in frame.columns and pd.api.types.is_numeric_dtype(frame[column]):
            added[name] = pd.to_datetime([_as_date(v) for v in frame[column]])
    return frame.assign(**added, **{k: ids[k] for k in RUN_COLUMNS})


def write_parquet(frame: pd.DataFrame, path) -> None:
    """``frame`` as Parquet at ``path``, a column of nothing but nulls typed as text (pyarrow
    would type it ``null``, which no other run's text column can be read together with)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    schema = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                        for f in table.schema], metadata=table.schema.metadata)
    pq.write_table(table.cast(schema), path)
