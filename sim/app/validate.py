"""``python -m sim.validate [options] [overrides ...]``: hindcasts, scored against history.

For each as-of date (by default the articles' date, 2025-10-31, then each month's end up to
the latest date in the seeds), a forecast is made with what was public then
(:mod:`sim.study.validation`) and scored against everything observed that became public
later. Overrides choose the config as for ``python -m sim`` (e.g. ``+scenario=slow_power``).
It writes ``results/validation/<timestamp>-<id>/``: ``hindcasts.csv`` (a row per as-of date
and observed quantity), ``calibration.json``, ``hindcasts.png`` and ``calibration.png``, and
prints the calibration. Bad input stops it in one line, exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import date
from pathlib import Path

from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from sim.app.compose import compose
from sim.app.errors import one_line
from sim.app.runner import prepare
from sim.calendar import parse_date
from sim.errors import InputError
from sim.outputs.folders import new_name, shown
from sim.study.headline import replications
from sim.study.workers import Pool

ARTICLES = date(2025, 10, 31)
VALIDATION_DIR = Path("results") / "validation"


def parse(argv: list[str] | None):
    parser = argparse.ArgumentParser(
        prog="python -m sim.validate",
        description="Hindcasts: forecasts made as of past dates with what was public then, "
                    "scored against what happened later.")
    parser.add_argument("--dates", default="",
                        help="as-of dates, comma-separated YYYY-MM-DD (default: 2025-10-31 "
                             "and each month's end up to the latest date in seeds/)")
    parser.add_argument("--replications", type=int, default=100,
                        help="replications per as-of date (default 100)")
    parser.add_argument("overrides", nargs="*", help="config overrides, as for python -m sim")
    return parser.parse_args(argv)


def run(args) -> tuple[Path, dict, str]:
    table, summary = score(args)
    out = write(table, summary, VALIDATION_DIR / new_name())
    return out, summary, render(table, summary)


def score(args):
    """``(hindcasts table, calibration summary)`` for the parsed ``args``; nothing written."""
    import pandas as pd  # pandas: only once the input is accepted

    from sim.study.validation import calibration, grid, hindcast

    if not 1 <= args.replications <= 65_535:
        raise InputError("--replications", f"{args.replications} is not allowed; need a "
                                           "whole number 1..65535")
    cfg = compose(list(args.overrides))
    config, seed_data = prepare(cfg)
    latest = seed_data.records.latest
    dates = ([parse_date("--dates", d.strip()) for d in args.dates.split(",")]
             if args.dates else grid(ARTICLES, latest))
    views = [seed_data.at(d) for d in dates]  # refuses a date before the pledge
    pool = Pool.of(config)
    pool.connect()
    rows = [row for view in views for row in hindcast(config, view, args.replications, pool)]
    table = pd.DataFrame(rows)
    summary = {"dates": [d.isoformat() for d in dates], "replications": args.replications,
               "scenario": config.scenario, "overrides": list(args.overrides),
               **calibration(rows)}
    return table, summary


def write(table, summary: dict, out: Path) -> Path:
    """The validation's files into the new folder ``out``, whole or not at all."""
    from sim.outputs import validation_plots  # pyplot: only when writing

    staging = out.parent / f".staging-{out.name}"
    try:
        staging.mkdir(parents=True)
        table.to_csv(staging / "hindcasts.csv", index=False)
        (staging / "calibration.json").write_text(json.dumps(summary, indent=2) + "\n")
        if len(table):
            validation_plots.hindcasts(table, staging / "hindcasts.png")
            validation_plots.calibration(table, staging / "calibration.png")
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def render(table, summary: dict) -> str:
    """The calibration in a few lines, and each as-of date's share inside P10-P90."""
    if not summary["scored"]:
        return "validation: nothing observed after these as-of dates to score against"
    lines = [f"validation: {summary['scored']} forecasts scored over "
             f"{len(summary['dates'])} as-of dates ({replications(summary['replications'])} each)",
             f"  inside P10-P90: {summary['share_inside_p10_p90']:.0%} (80 % if calibrated); "
             f"PIT by fifths: {summary['pit_histogram']} (even if calibrated)",
             f"  mean CRPS: {summary['mean_crps_days']:.0f} days for dates"
             if summary["mean_crps_days"] is not None else "  mean CRPS: no dates scored"]
    if summary["mean_crps_gpus"] is not None:
        lines[-1] += f", {summary['mean_crps_gpus']:,.0f} GPUs for counts"
    for as_of, rows in table.groupby("as_of"):
        lines.append(f"  as of {as_of}: {rows['inside_p10_p90'].sum()} of {len(rows)} inside")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        out, _, text = run(args)
    except (InputError, HydraException, OmegaConfBaseException) as ex:
        print(f"error: {one_line(ex)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing written", file=sys.stderr)
        return 130
    print(text)
    print(f"validation: {shown(out)}")
    return 0
