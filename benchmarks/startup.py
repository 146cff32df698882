"""What a run costs beyond importing its libraries: wall times of whole commands, as a user
waits for them, over the import floor.

The import floor is the wall time of a fresh Python that imports every third-party module
a one-replication run loads (found by running one and listing them), and nothing else: what
no change to this project could save. Figures (medians of a few runs, after one warm-up so
the operating system's file cache is warm for both):

- a one-replication run (``mc.replications=1 mc.drivers=false mc.n_jobs=1``) over the floor;
- a default ``python -m sim`` over the floor;
- a refused run (a bad override: one line, exit 2) over the floor.

Below the two runs' figures it prints where their time went: the median seconds of each
stage their manifests record (``seconds``), and before them what the run's own clock does not
see (Python, the imports, Hydra composing the config), by difference. A run imports pandas
once its input is accepted and matplotlib with its first figure, so "checks" and "figures"
hold those imports (about 0.2 s each), which the floor counts too.

    python -m benchmarks.startup
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Figure, median_seconds, report

ONE = ["mc.replications=1", "mc.drivers=false", "mc.n_jobs=1"]
TARGETS = {"one": 1.5, "default": 3.0, "refused": 1.0}
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


def _run(args: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> None:
    proc = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    if proc.returncode not in ok:
        raise SystemExit(f"benchmark command failed: {' '.join(args)}\n{proc.stderr}")


def modules_of_a_run(cwd: Path) -> Path:
    """A file listing the third-party modules a one-replication run loads."""
    out = cwd / "modules.json"
    _run(["-c", LIST_MODULES.format(out=str(out), args=ONE)], cwd)
    return out


def timed(args: list[str], cwd: Path, repeats: int, ok: tuple[int, ...] = (0,)) -> float:
    _run(args, cwd, ok)  # warm the file cache
    return median_seconds(lambda: _run(args, cwd, ok), repeats)


def stages(cwd: Path, replications: int, wall: float) -> str:
    """The median seconds of each stage over the finished runs in ``cwd`` with
    ``replications``, after what came before the run's own clock (``wall`` less its
    median ``wall_seconds``)."""
    manifests = [json.loads(p.read_text()) for p in (cwd / "results").rglob("manifest.json")]
    manifests = [m for m in manifests if m["replications"] == replications]
    before = wall - statistics.median(m["wall_seconds"] for m in manifests)
    parts = {"Python, imports and Hydra": before, **{
        stage: statistics.median(m["seconds"][stage] for m in manifests)
        for stage in manifests[0]["seconds"]}}
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in parts.items())


def main(repeats: int = 5) -> list[Figure]:
    cwd = Path(tempfile.mkdtemp())
    listed = modules_of_a_run(cwd)
    floor = timed(["-c", IMPORT_ALL, str(listed)], cwd, repeats)
    print(f"  import floor: {floor:.2f} s ({len(json.loads(listed.read_text()))} "
          "third-party modules a one-replication run loads)")
    one = timed(["-m", "sim", *ONE], cwd, repeats)
    default = timed(["-m", "sim"], cwd, max(3, repeats // 2))
    refused = timed(["-m", "sim", "seed=-1"], cwd, repeats, ok=(2,))
    print(f"  one-replication run {one:.2f} s; default run {default:.2f} s; "
          f"refused run {refused:.2f} s")
    print(f"  where the one-replication run's time goes: {stages(cwd, 1, one)}")
    print(f"  where the default run's time goes: {stages(cwd, 100, default)}")
    return [report(Figure("a one-replication run / the import floor", one / floor,
                          TARGETS["one"], at_least=False)),
            report(Figure("a default python -m sim / the import floor", default / floor,
                          TARGETS["default"], at_least=False)),
            report(Figure("a refused run / the import floor", refused / floor,
                          TARGETS["refused"], at_least=False))]


if __name__ == "__main__":
    main()
