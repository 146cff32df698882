"""Per-job overhead of a multirun, as jobs per second, with the basic and joblib launchers.

Each job is a trivial-horizon run (``horizon`` a week after the first deal), so what is
measured is what a sweep costs beyond the model: starting Python and Hydra, composing each
job's config, writing its results and plots, the launcher's own work, and the sweep report.
For each launcher it times a multirun of N jobs and one of a single job, and prints

- jobs/s over the whole command (N / wall time), what a user waits for;
- marginal jobs/s, (N - 1) / (wall(N) - wall(1)): the rate once the command has started.

    python -m benchmarks.launchers                      # 8 jobs, basic and joblib
    python -m benchmarks.launchers --jobs 16 --launchers basic,joblib,ray

Ray needs ``pip install -e ".[ray]"``. Run it on an otherwise idle machine: the figures are
wall times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TRIVIAL_HORIZON = "horizon=2025-09-29"
LAUNCHER_ARGS = {
    "basic": [],
    "joblib": ["hydra/launcher=joblib"],
    "ray": ["hydra/launcher=ray"],
}


def time_multirun(launcher: str, jobs: int) -> float:
    """Wall seconds of ``python -m sim -m`` with ``jobs`` trivial jobs on ``launcher``."""
    with tempfile.TemporaryDirectory(prefix="bench-launchers-") as cwd:
        args = [sys.executable, "-m", "sim", "-m", f"seed=range(0,{jobs})", TRIVIAL_HORIZON,
                *LAUNCHER_ARGS[launcher]]
        started = time.perf_counter()
        proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                              env={**os.environ, "MPLBACKEND": "Agg"})
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"error: {launcher} multirun failed: "
                             f"{(proc.stderr.strip().splitlines() or ['?'])[-1]}")
        finished = len(list(Path(cwd).glob("results/multirun/*/*/manifest.json")))
        if finished != jobs:
            raise SystemExit(f"error: {launcher}: {finished} of {jobs} jobs finished")
    return wall


def measure(launchers: list[str], jobs: int) -> list[dict]:
    rows = []
    for launcher in launchers:
        one = time_multirun(launcher, 1)
        many = time_multirun(launcher, jobs)
        rows.append({"launcher": launcher, "jobs": jobs, "wall_1": one, "wall_n": many,
                     "jobs_per_s": jobs / many,
                     "marginal_jobs_per_s": (jobs - 1) / max(many - one, 1e-9)})
    return rows


def render(rows: list[dict]) -> str:
    lines = [f"multirun overhead, trivial-horizon jobs ({TRIVIAL_HORIZON}), "
             f"{os.cpu_count()} cores",
             f"{'launcher':<9} {'jobs':>4} {'1 job s':>8} {'N jobs s':>9} {'jobs/s':>7} "
             f"{'marginal jobs/s':>16} {'s/job':>6}"]
    for r in rows:
        lines.append(f"{r['launcher']:<9} {r['jobs']:>4} {r['wall_1']:>8.1f} "
                     f"{r['wall_n']:>9.1f} {r['jobs_per_s']:>7.2f} "
                     f"{r['marginal_jobs_per_s']:>16.2f} {1 / r['marginal_jobs_per_s']:>6.2f}")
    return "\n".join(lines)


def main(quick: bool = False) -> list:
    """``python -m benchmarks``'s part: basic and joblib, 8 jobs (4 with ``quick``); no
    targets, so no figures."""
    print(render(measure(["basic", "joblib"], 4 if quick else 8)))
    return []


def cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.launchers",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8, help="jobs per multirun (default 8)")
    parser.add_argument("--launchers", default="basic,joblib",
                        help="comma-separated, of: " + ", ".join(LAUNCHER_ARGS))
    args = parser.parse_args(argv)
    launchers = [name.strip() for name in args.launchers.split(",") if name.strip()]
    unknown = [name for name in launchers if name not in LAUNCHER_ARGS]
    if unknown or args.jobs < 2:
        parser.error(f"--launchers: unknown {', '.join(unknown)}; choose from "
                     f"{', '.join(LAUNCHER_ARGS)}" if unknown else "--jobs: need 2 or more")
    print(render(measure(launchers, args.jobs)))


if __name__ == "__main__":
    cli()
