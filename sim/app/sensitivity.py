"""``python -m sim.sensitivity [options] [overrides ...]``: each uncertain input at its low and
its high, one at a time, with common random numbers (:mod:`sim.study.swings`).

Overrides choose the config as for ``python -m sim`` (``+scenario=slow_power``, ``seed=3``).
It writes ``results/sensitivity/<timestamp>-<id>/swings.csv`` (a row per input swung,
largest |P50 swing| first, with the run's identity in every row: :mod:`sim.outputs.machine`)
and ``skipped.csv`` (the inputs it could not swing, and why), and prints the table with the
inputs' names. Bad input (an option it does not take, a key that is no uncertain input, a
scenario that does not exist) stops it in one line, exit status 2, nothing written; a full
disk in one line, exit status 1, nothing half-written.
"""

from __future__ import annotations

from pathlib import Path

from sim.app.arguments import Parser, whole
from sim.app.compose import compose
from sim.app.errors import run_command
from sim.app.runner import inputs, prepare_dated
from sim.app.sources import bases, stated_ranges
from sim.calendar import to_date
from sim.errors import InputError
from sim.model.params import rules
from sim.outputs.folders import new_name, shown, staged_folder
from sim.study.workers import Pool

SENSITIVITY_DIR = Path("results") / "sensitivity"


def parse(argv: list[str] | None):
    parser = Parser(prog="python -m sim.sensitivity",
                    description="Each uncertain input at the two ends of its stated range "
                                "(or its P10 and P90), one at a time, with the same "
                                "replications: how far it moves the answer.",
                    hints={flag: "it runs its inputs itself and takes no sweep; choose them "
                                 "with --keys" for flag in ("-m", "--multirun")})
    parser.add_argument("--replications", type=whole(1, 65_535), default=100,
                        help="replications at each end, 1..65535 (default 100)")
    parser.add_argument("--keys", default=None,
                        help="only these inputs, comma-separated config keys (default: every "
                             "uncertain input)")
    parser.add_argument("overrides", nargs="*", help="config overrides, as for python -m sim")
    return parser.parse_args(argv)


def keys_of(text: str | None) -> list[str] | None:
    if text is None:
        return None
    keys = [k.strip() for k in text.split(",") if k.strip()]
    if not keys:
        raise InputError("--keys", f"{text!r} names no key; give config keys, comma-separated")
    return keys


def swings(overrides: list[str], replications: int, keys: list[str] | None = None,
           progress: bool = False):
    """``(swings table, skipped table, about)`` of the config ``overrides`` give; nothing
    written. ``about`` is the run's identity (:func:`sim.outputs.machine.identity`)."""
    import pandas as pd

    from sim.outputs.machine import identity
    from sim.study import swings as study

    cfg = compose(list(overrides))
    ready = prepare_dated(cfg)
    config = ready.config
    pool = Pool.of(config)
    pool.connect()
    known = dict(rules(config))
    stated = {k: r for k, r in stated_ranges().items() if k in known}
    table, skipped = study.swings(config, ready.seed_data, {**stated, **ready.used},
                                  replications, keys, pool, progress)
    if len(table):  # what each input rests on: the drivers name assumptions as such
        table.insert(2, "basis", table["input"].map(bases(ready.used)).fillna(""))
    about = identity({"scenario": config.scenario, "as_of": ready.seed_data.as_of
                      and ready.seed_data.as_of.isoformat(), "seed": config.seed}, inputs(cfg))
    return table, pd.DataFrame([vars(s) for s in skipped], columns=["key", "why"]), about


def write(table, skipped, about: dict, out: Path) -> Path:
    """``swings.csv`` and ``skipped.csv`` into the new folder ``out``, whole or not at all."""
    from sim.outputs.machine import for_machines
    from sim.outputs.text import write_csv

    def fill(folder: Path) -> None:
        write_csv(for_machines(table, about), folder / "swings.csv")
        write_csv(skipped, folder / "skipped.csv")

    return staged_folder(out, fill)


def date_text(day) -> str:
    return "after the horizon" if day != day else to_date(day).isoformat()


def _signed(x: float) -> str:
    return f"{round(x):+d}"  # rounded first: -0.3 is +0, not -0


def swing_days(r) -> str:
    """``+290 d (+24 to +361)``: a row's P50 swing and its interval (``at least`` where a
    P50 is past the horizon)."""
    if r.p50_swing_days != r.p50_swing_days:
        return "not defined (both after the horizon)"
    at_least = "at least " if r.p50_swing_censored else ""
    return (f"{at_least}{_signed(r.p50_swing_days)} d ({_signed(r.p50_swing_low_days)} to "
            f"{_signed(r.p50_swing_high_days)})")


def swing_points(r, stem: str) -> str:
    """``-5 pp (-15 to +0)``: a row's swing of the share ``stem`` and its interval."""
    s, lo, hi = (_signed(100 * getattr(r, f"{stem}{x}"))
                 for x in ("_swing", "_swing_low", "_swing_high"))
    return f"{s} pp ({lo} to {hi})"


def p_names(table) -> list[str]:
    """The shares the table swings (P(all by 2030), each own target's), by column stem."""
    return [c[:-len("_swing")] for c in table.columns
            if c.startswith("p_") and c.endswith("_swing")]


def share_label(stem: str) -> str:
    """A share's name as a reader reads it: ``government 50k by 2030`` for
    ``p_government_50k_by_2030_12_31``, ``all by 2030`` for P(all operational by then)."""
    what, _, when = stem.removeprefix("p_").partition("_by_")
    what = "all" if what == "all_operational" else what.replace("_", " ")
    return f"{what} by {when[:4] if when.endswith('_12_31') else when.replace('_', '-')}"


def render(table, skipped, replications: int) -> str:
    """The swings as a terminal table, largest first, then what was skipped."""
    lines = [f"swings: {len(table)} inputs, each at its low and its high, {replications} "
             "replications each with the same random numbers; swing = high - low (90 % "
             "paired bootstrap interval)"]
    names = p_names(table)
    head = ["input", "low to high", "P50 all operational", "P50 swing",
            *(f"P({share_label(n)})" for n in names)]
    rows = [[r.input_label, f"{r.low} to {r.high}"
             f"{' (stated)' if r.ends == 'stated range' else ' (P10-P90)'}",
             f"{date_text(r.p50_low_day)} to {date_text(r.p50_high_day)}", swing_days(r),
             *(swing_points(r, n) for n in names)] for r in table.itertuples()]
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    for cells in [head, *rows]:
        lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    for s in skipped.itertuples():
        lines.append(f"  skipped {s.key}: {s.why}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)

    def work():
        table, skipped, about = swings(args.overrides, args.replications, keys_of(args.keys),
                                       progress=True)
        out = write(table, skipped, about, SENSITIVITY_DIR / new_name())
        return render(table, skipped, args.replications), shown(out)

    return run_command(work, "sensitivity")
