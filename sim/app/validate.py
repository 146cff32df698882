"""``python -m sim.validate [options] [overrides ...]``: hindcasts, scored against history.

For each as-of date (by default the articles' date, 2025-10-31, then each month's end up to
the latest date in the seeds), a forecast is made with what was public then
(:mod:`sim.study.validation`) and scored against everything observed that became public
later. Overrides choose the config as for ``python -m sim`` (e.g. ``+scenario=slow_power``).
It writes ``results/validation/<timestamp>-<id>/``: ``hindcasts.csv`` (a row per as-of date
and observed outcome, ``counted`` for the one score per target per lead band that counts),
``calibration.json``, ``hindcasts.png``, ``calibration.png``, ``reliability.png`` and
``report.html`` (:mod:`sim.outputs.validation_report`), and prints the verification
(:mod:`sim.study.verification`). Bad input (an option it does not take, a date that is
not one, after today or after the horizon) stops it in one line, exit status 2, nothing
written; a date given twice is scored once. A disk that fills up ends it in one line,
exit status 1, with nothing half-written: the folder is staged under a hidden name and
moved into place whole.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sim.app.arguments import Parser, whole
from sim.app.compose import compose
from sim.app.errors import run_command
from sim.app.runner import config_as_of, prepare_dated
from sim.calendar import parse_date
from sim.errors import InputError
from sim.outputs.folders import new_name, shown, staged_folder
from sim.study.headline import replications
from sim.study.workers import Pool

ARTICLES = date(2025, 10, 31)
VALIDATION_DIR = Path("results") / "validation"


def parse(argv: list[str] | None):
    parser = Parser(
        prog="python -m sim.validate",
        description="Hindcasts: forecasts made as of past dates with what was public then, "
                    "scored against what happened later.",
        hints={flag: "it runs its as-of dates itself and takes no sweep; give them with "
                     "--dates" for flag in ("-m", "--multirun")})
    parser.add_argument("--dates", default=None,
                        help="as-of dates, comma-separated YYYY-MM-DD (default: 2025-10-31 "
                             "and each month's end up to the latest date in seeds/)")
    parser.add_argument("--replications", type=whole(1, 65_535), default=100,
                        help="replications per as-of date, 1..65535 (default 100)")
    parser.add_argument("overrides", nargs="*", help="config overrides, as for python -m sim")
    return parser.parse_args(argv)


def as_of_dates(text: str | None, latest: date, horizon: date) -> list[date]:
    """The as-of dates of ``--dates`` (each once, in the order given), or by default the
    articles' date and each month's end up to the latest date in the seeds and the horizon."""
    from sim.study.validation import grid

    if text is None:
        return grid(ARTICLES, min(latest, horizon)) if ARTICLES <= horizon else [ARTICLES]
    given = [part.strip() for part in text.split(",")]
    if not any(given):
        raise InputError("--dates", f"{text!r} holds no date; give YYYY-MM-DD, "
                                    "comma-separated")
    return list(dict.fromkeys(parse_date("--dates", d) for d in given if d))


def run(args) -> tuple[Path, dict, str]:
    table, summary = score(args)
    out = write(table, summary, VALIDATION_DIR / new_name())
    return out, summary, render(table, summary)


def score(args):
    """``(hindcasts table, calibration summary)`` for the parsed ``args``; nothing written."""
    import pandas as pd  # pandas: only once the input is accepted

    from sim.study.validation import hindcast
    from sim.study.verification import calibration, counted

    cfg = compose(list(args.overrides))
    ready = prepare_dated(cfg)
    config, seed_data = ready.config, ready.seed_data
    dates = as_of_dates(args.dates, seed_data.records.latest, config.horizon_date)
    views = [seed_data.at(d, config.horizon_date, key="--dates") for d in dates]
    pool = Pool.of(config)
    pool.connect()
    rows = []
    for view in views:  # each date's forecast with the assumptions in force on it
        dated_config, used = config_as_of(ready.raw, view)
        fitted = {event for revision in used.values() for event in revision.fitted_to}
        rows += [row for row in hindcast(dated_config, view, args.replications, pool)
                 if row["target"] not in fitted]  # an event a value was set on: not scored
    rows = counted(rows)  # one score per target per lead band counts
    prospective = counted(archived_rows(config, seed_data))
    table = pd.DataFrame(rows + prospective)
    summary = {"dates": [d.isoformat() for d in dates], "replications": args.replications,
               "scenario": config.scenario, "overrides": list(args.overrides),
               **calibration(rows), "archived": archived_summary(prospective)}
    return table, summary


def archived_rows(config, seed_data) -> list[dict]:
    """Every archived forecast of the scenario (:mod:`sim.app.archive`), scored against the
    outcomes made public after it was made."""
    from sim.app.archive import archived
    from sim.study.archived import scored

    rows = []
    for about, lots in archived(config.scenario):
        view = seed_data.at(date.fromisoformat(about["as_of"]), config.horizon_date)
        rows += scored(lots, about, view)
    return rows


def archived_summary(rows: list[dict]) -> dict:
    """How many archived forecasts were scored, and their calibration (prospective skill)."""
    from sim.study.verification import calibration

    made = sorted({r["made_on"] for r in rows})
    return {"forecasts_scored": len(made), "made_on": made,
            **({} if not rows else calibration(rows))}


def command(summary: dict) -> str:
    """The command that makes the same validation."""
    from shlex import quote

    return " ".join(["python -m sim.validate", "--dates", ",".join(summary["dates"]),
                     "--replications", str(summary["replications"]),
                     *map(quote, summary["overrides"])])


def write(table, summary: dict, out: Path) -> Path:
    """The validation's files into the new folder ``out``, whole or not at all
    (:func:`sim.outputs.folders.staged_folder`)."""
    from sim.outputs import validation_plots
    from sim.outputs.text import write_csv
    from sim.outputs.validation_report import write_report

    def fill(staging: Path) -> None:
        write_csv(table, staging / "hindcasts.csv")
        (staging / "calibration.json").write_text(
            json.dumps(summary, indent=2, allow_nan=False) + "\n")
        hind = table[table["forecast"] == "hindcast"] if len(table) else table
        if len(hind):
            validation_plots.hindcasts(hind, staging / "hindcasts.png")
            validation_plots.calibration(hind, staging / "calibration.png")
            validation_plots.reliability(summary["reliability"], staging / "reliability.png")
        write_report(staging, table, summary, command(summary))

    return staged_folder(out, fill)


def _share(summary: dict) -> str:
    """``5 of 6 (83 %; 95 %: 44 % to 97 %)``: a share with its Wilson interval."""
    if not summary["scores"]:
        return "no scores"
    low, high = summary["inside_interval_95"]
    return (f"{summary['inside']} of {summary['scores']} "
            f"({100 * summary['share_inside_p10_p90']:.0f} %; 95 %: {100 * low:.0f} to "
            f"{100 * high:.0f} %)")


def _skill(summary: dict, unit: str) -> str:
    tag = unit.lower()
    if summary[f"mean_crps_{tag}"] is None:
        return f"no {unit} scored"
    text = f"CRPS {summary[f'mean_crps_{tag}']:,.0f} {unit}"
    crpss = summary[f"crpss_{tag}"]
    if crpss is not None:
        text += (f", CRPSS {crpss:+.2f} against the reference "
                 f"({summary[f'reference_pairs_{tag}']} pairs)")
    return text


def render(table, summary: dict) -> str:
    """The verification in a few lines: in all, then by lead time."""
    if not summary["scored"]:
        return "\n".join(["validation: nothing observed after these as-of dates to score "
                          "against", _archived_line(summary.get("archived") or {})])
    lines = [f"validation: {summary['targets']} targets over {len(summary['dates'])} as-of "
             f"dates ({replications(summary['replications'])} each); {summary['scores']} "
             f"scores count (one per target per lead band) of {summary['scored']} made",
             f"  inside P10-P90: {_share(summary)} (80 % if calibrated); "
             f"randomized PIT by fifths: {summary['pit_histogram']} (even if calibrated)",
             f"  dates: {_skill(summary, 'days')}; counts: {_skill(summary, 'GPUs')}"]
    for band, part in summary["by_lead"].items():
        lines.append(f"  lead {band}: inside {_share(part)}; dates: {_skill(part, 'days')}; "
                     f"counts: {_skill(part, 'GPUs')}")
    lines.append(_archived_line(summary.get("archived") or {}))
    return "\n".join(lines)


def _archived_line(part: dict) -> str:
    """What the archived forecasts scored (python -m sim archive=true keeps them)."""
    if not part.get("forecasts_scored"):
        return ("  archived forecasts: none scored yet (python -m sim archive=true keeps "
                "today's; it is scored once outcomes made public after today are recorded)")
    return (f"  archived forecasts: {part['forecasts_scored']} scored ({part['scores']} "
            f"scores); inside {_share(part)}; dates: {_skill(part, 'days')}; counts: "
            f"{_skill(part, 'GPUs')}")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)

    def work():
        out, _, text = run(args)
        return text, shown(out)

    return run_command(work, "validation")
