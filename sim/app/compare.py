"""``python -m sim.compare RUN_DIR [RUN_DIR ...]``: finished runs side by side.

Each RUN_DIR is one run, or a multirun folder, which stands for all its jobs in job order
(:mod:`sim.outputs.compare` reads them and writes ``results/compare/<timestamp>-<id>/``).
A folder that does not exist or is not a finished run stops the command before anything is
written, with one line on stderr and exit status 2.
"""

from __future__ import annotations

import sys

from sim.app.arguments import Parser
from sim.errors import InputError
from sim.outputs.compare import compare
from sim.outputs.config import FORMATS
from sim.outputs.folders import shown
from sim.text import inert


def main(argv: list[str] | None = None) -> int:
    parser = Parser(
        prog="python -m sim.compare",
        hints={flag: "it compares finished runs; a multirun folder stands for all its jobs"
               for flag in ("-m", "--multirun")},
        description="Compare finished runs: milestones, headline figures and their "
                    "differences from the first run, with plots. A multirun folder means "
                    "all its jobs.")
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR",
                        help="a run folder (with manifest.json) or a multirun folder")
    parser.add_argument("--formats", default="png", metavar="png,svg,pdf",
                        help="figure file formats, comma-separated (default: png); "
                             "report.html embeds the png (or svg)")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if not formats or any(f not in FORMATS for f in formats) or len(set(formats)) < len(formats):
        print(inert(f"error: --formats: {args.formats!r} is not allowed; need one or more of "
                    f"{', '.join(FORMATS)}, each once, comma-separated"), file=sys.stderr)
        return 2
    try:
        out, text = compare(args.runs, formats=formats)
    except InputError as ex:
        print(f"error: {ex}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing written", file=sys.stderr)
        return 130
    except OSError as ex:  # e.g. a full disk: compare() has taken out what it wrote
        print(inert(f"error: cannot write the comparison: {ex.strerror or ex}; nothing "
                    "written"),
              file=sys.stderr)
        return 1
    try:
        print(inert(text, newlines=True))
        print(inert(f"\ncomparison: {shown(out)} (open report.html there to read or share "
                    "it)", newlines=True))
    except KeyboardInterrupt:
        print(f"interrupted: the comparison is complete in {shown(out)}", file=sys.stderr)
        return 130
    return 0
