"""``python -m sim.history [options] [overrides ...]``: the forecast's history, and what
moved the date.

As of the articles' date (2025-10-31) and each month's end up to the latest date in the
seeds (or ``--dates``), the headline forecast with what was public then
(:mod:`sim.study.history`); between two dates, each record made public in between added one
at a time, with the same replications, and how far it moved the P50 of all GPUs
operational. It writes ``results/history/<timestamp>-<id>/``: ``history.csv`` (a row per
as-of date), ``moves.csv`` (a row per step: the month passing with nothing reported, then
each record), ``history.png`` and prints a line per month. Bad input stops it in one line,
exit status 2, nothing written.
"""

from __future__ import annotations

from pathlib import Path

from sim.app.arguments import Parser, whole
from sim.app.compose import compose
from sim.app.errors import run_command
from sim.app.runner import config_as_of, prepare_dated
from sim.app.validate import as_of_dates
from sim.calendar import to_date
from sim.outputs.folders import new_name, shown, staged_folder
from sim.study.workers import Pool

HISTORY_DIR = Path("results") / "history"
PASSED = "the month passing, nothing new reported"


def parse(argv: list[str] | None):
    parser = Parser(prog="python -m sim.history",
                    description="The headline forecast as of each month-end since the "
                                "pledge, and how far each record made public moved it.",
                    hints={flag: "it runs its as-of dates itself and takes no sweep; give "
                                 "them with --dates" for flag in ("-m", "--multirun")})
    parser.add_argument("--dates", default=None,
                        help="as-of dates, comma-separated YYYY-MM-DD, in order (default: "
                             "2025-10-31 and each month's end up to the latest seed date)")
    parser.add_argument("--replications", type=whole(1, 65_535), default=40,
                        help="replications per forecast, 1..65535 (default 40)")
    parser.add_argument("overrides", nargs="*", help="config overrides, as for python -m sim")
    return parser.parse_args(argv)


def _date(day) -> str | None:
    return None if day is None else to_date(day).isoformat()


def history(args):
    """``(history rows, move rows)`` for the parsed ``args``; nothing written."""
    from sim.study.history import as_of_config, headline, items

    ready = prepare_dated(compose(list(args.overrides)))
    config, records = ready.config, ready.seed_data.records
    dates = sorted(as_of_dates(args.dates, records.latest, config.horizon_date))
    for d in dates:  # each checked as a run's as-of date is, before anything runs
        ready.seed_data.at(d, config.horizon_date, key="--dates")
    pool = Pool.of(config)
    pool.connect()

    def forecast(as_of, hold):
        cfg, seeds = as_of_config(ready.raw, config_as_of, records, as_of,
                                  config.horizon_date, hold)
        return headline(cfg, seeds, args.replications, pool)

    rows, moves, before = [], [], None
    for k, as_of in enumerate(dates):
        if k:
            new = items(records, ready.raw, dates[k - 1], as_of)
            steps = [(PASSED, None, new)] + [(i.label, i.public, new[n + 1:])
                                             for n, i in enumerate(new)]
            for what, public, hold in steps:
                after = forecast(as_of, hold)
                moves.append({"as_of": as_of.isoformat(), "record": what,
                              "public": public and public.isoformat(),
                              "p50_before": _date(before["p50_day"]),
                              "p50_after": _date(after["p50_day"]),
                              "moved_days": None if None in (before["p50_day"],
                                                             after["p50_day"])
                              else round(after["p50_day"] - before["p50_day"], 1)})
                before = after
        else:
            before = forecast(as_of, [])
        rows.append({"as_of": as_of.isoformat(), "horizon": config.horizon_date.isoformat(),
                     **{f"{q}_date": _date(before[f"{q}_day"]) for q in ("p10", "p50", "p90")},
                     **{k: v for k, v in before.items() if k.startswith("p_")}})
    return rows, moves


def render(rows: list[dict], moves: list[dict]) -> str:
    lines = [f"history: the forecast as of {len(rows)} dates; P50 of all GPUs operational "
             "(P10 to P90), and what moved it most"]
    for row in rows:
        line = (f"  {row['as_of']}: {row['p50_date'] or 'after the horizon'} "
                f"({row['p10_date'] or 'after'} to {row['p90_date'] or 'after the horizon'}), "
                f"P(all by 2030) {100 * row['p_all_by_2030']:.0f} %")
        mine = [m for m in moves if m["as_of"] == row["as_of"] and m["moved_days"] is not None]
        if mine:
            total = sum(m["moved_days"] for m in mine)
            top = max(mine, key=lambda m: abs(m["moved_days"]))
            line += f"; moved {total:+.0f} d, most by {top['record']} ({top['moved_days']:+.0f} d)"
        lines.append(line)
    return "\n".join(lines)


def write(rows: list[dict], moves: list[dict], out: Path) -> Path:
    import pandas as pd

    from sim.outputs.history_plots import history_figure
    from sim.outputs.text import write_csv

    def fill(folder: Path) -> None:
        write_csv(pd.DataFrame(rows), folder / "history.csv")
        write_csv(pd.DataFrame(moves, columns=["as_of", "record", "public", "p50_before",
                                               "p50_after", "moved_days"]),
                  folder / "moves.csv")
        history_figure(rows, moves, folder / "history.png")

    return staged_folder(out, fill)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)

    def work():
        rows, moves = history(args)
        out = write(rows, moves, HISTORY_DIR / new_name())
        return render(rows, moves), shown(out)

    return run_command(work, "history")
