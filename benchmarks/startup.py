"""What a whole run costs beyond importing its libraries: wall times of whole commands, as a
user waits for them, over the import floor.

The import floor is the wall time of a fresh Python that imports every third-party module a
default run loads (found by running one and listing them), and nothing else: what no change
to this project could save. Figures (medians of interleaved rounds, after one warm-up of each
command so the operating system's file cache is warm for all):

- a default run (``python -m sim``: 500 replications and the drivers' re-runs, on every
  core) over the floor;
- the quick look (``python -m sim mc.replications=10``) over the floor;
- a refused run (a bad override: one line, exit 2) over the floor.

Below them it prints where the two runs' time went: the median seconds of each stage their
manifests record (``seconds``: checks, study, tables, figures, report), and before them what
the run's own clock does not see (Python, the imports, Hydra composing the config), by
difference. A run imports pandas once its input is accepted and matplotlib with its first
figure, so "checks" and "figures" hold those imports, which the floor counts too.

    python -m benchmarks.startup [--quick]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from benchmarks.common import Figure, interleaved, report, rounds

RUNS = {"default": [], "quick": ["mc.replications=10"], "refused": ["seed=-1"]}
"""The overrides of each whole command timed (``python -m sim ...``)."""
NAMES = {"default": "default run", "quick": "quick look", "refused": "refused run"}
TARGETS = {"default": 3.0, "quick": 2.0, "refused": 1.0}
BEFORE = "Python, imports and Hydra"
LIST_MODULES = """
import atexit, json, runpy, sys
def dump():
    names = sorted(m for m in sys.modules if m.split(".")[0] not in sys.stdlib_module_names
                   and m.split(".")[0] not in ("sim", "__main__"))
    open({out!r}, "w").write(json.dumps(names))
atexit.register(dump)
sys.argv = ["sim", *{args!r}]
runpy.run_module("sim", run_name="__main__", alter_sys=True)
"""
IMPORT_ALL = """
import importlib, json, sys
for name in json.loads(open(sys.argv[1]).read()):
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""


@dataclass(frozen=True)
class Measured:
    """Median wall seconds of the floor and of each run (:data:`RUNS`), the number of modules
    the floor imports, and where each finished run's time went (stage: median seconds)."""

    floor: float
    runs: dict[str, float]
    modules: int
    stages: dict[str, dict[str, float]]


def _run(args: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> None:
    proc = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    if proc.returncode not in ok:
        raise SystemExit(f"benchmark command failed: {' '.join(args)}\n{proc.stderr}")


def command(name: str, cwd: Path):
    """``python -m sim`` with run ``name``'s overrides, in ``cwd/name`` (so each run's
    manifests are apart)."""
    folder = cwd / name
    folder.mkdir(parents=True, exist_ok=True)
    ok = (2,) if name == "refused" else (0,)
    return lambda: _run(["-m", "sim", *RUNS[name]], folder, ok)


def stages(folder: Path, wall: float) -> dict[str, float]:
    """The median seconds of each stage over the runs finished in ``folder``, after what came
    before the run's own clock (``wall`` less their median ``wall_seconds``)."""
    manifests = [json.loads(p.read_text()) for p in (folder / "results").rglob("manifest.json")]
    if not manifests:
        return {}
    before = wall - statistics.median(m["wall_seconds"] for m in manifests)
    return {BEFORE: before, **{stage: statistics.median(m["seconds"][stage] for m in manifests)
                               for stage in manifests[0]["seconds"]}}


def measure(count: int) -> Measured:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        cwd = Path(tmp)
        listed = cwd / "modules.json"  # listing a default run's modules warms its files
        _run(["-c", LIST_MODULES.format(out=str(listed), args=RUNS["default"])], cwd)
        floor = partial(_run, ["-c", IMPORT_ALL, str(listed)], cwd)
        floor()
        for name in ("quick", "refused"):
            command(name, cwd / "warm-up")()
        actions = {"floor": floor, **{name: command(name, cwd / "timed") for name in RUNS}}
        found = interleaved(actions, count)
        return Measured(found.pop("floor"), found, len(json.loads(listed.read_text())),
                        {name: stages(cwd / "timed" / name, found[name]) for name in found})


def figures(measured: Measured) -> list[Figure]:
    return [Figure(f"{NAMES[name]} / import floor", measured.runs[name] / measured.floor,
                   TARGETS[name], at_least=False) for name in RUNS]


def where(name: str, parts: dict[str, float]) -> str:
    """One line: where run ``name``'s time went, stage by stage, in seconds and shares."""
    total = sum(parts.values())
    return f"  where the {NAMES[name]}'s time goes ({total:.2f} s): " + ", ".join(
        f"{stage} {seconds:.2f} s ({seconds / total:.0%})" for stage, seconds in parts.items())


def main(quick: bool = False) -> list[Figure]:
    count = rounds(quick)
    measured = measure(count)
    print(f"  import floor {measured.floor:.2f} s ({measured.modules} third-party modules a "
          f"default run loads); " + "; ".join(
              f"{NAMES[name]} {seconds:.2f} s" for name, seconds in measured.runs.items())
          + f" (medians of {count} interleaved rounds)")
    for name in ("default", "quick"):
        if measured.stages.get(name):
            print(where(name, measured.stages[name]))
    return [report(figure) for figure in figures(measured)]


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
