"""The seconds of "what delays them": the variance-based sensitivity of the headline over every
uncertain input with intervals (:mod:`sim.study.sensitivity`, RBD-FAST on a study's own
replications, ``sensitivity.csv``).

Each round runs a default study's replications (``mc.replications``, 500, their draws and
outputs folded as a run folds them; the tornado's re-runs are not part of it) on two
processes, the second worker warm, then computes the sensitivity table from them. The
figure is the median seconds of the two together; both parts are printed.

    python -m benchmarks.sensitivity [--quick]
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from benchmarks.common import Figure, config, report, rounds
from sim.study import metrics, montecarlo
from sim.study.drivers import risks
from sim.study.sensitivity import sensitivity
from sim.study.workers import Pool

TARGET = 60.0


@dataclass(frozen=True)
class Measured:
    """Median seconds of the replications and of the sensitivity on them; replications and
    the inputs the table covers."""

    replications_s: float
    sensitivity_s: float
    replications: int
    inputs: int


def once(cfg, seed_data, pool: Pool) -> tuple[float, float, int]:
    """Seconds of a study's replications and of their sensitivity, and the inputs covered."""
    start = time.perf_counter()
    mc = montecarlo.run(cfg, seed_data, metrics.weeks(seed_data, cfg), pool=pool)
    middle = time.perf_counter()
    table = sensitivity(mc.replications, list(risks(cfg)), type(cfg), cfg.seed)
    return middle - start, time.perf_counter() - middle, table["input"].nunique()


def measure(times: int) -> Measured:
    cfg, seed_data = config()
    pool = Pool(2)
    pool.start(["sim.study.montecarlo", "sim.study.sensitivity"])
    replications = cfg.mc.replications
    cfg.mc.replications = 40
    once(cfg, seed_data, pool)  # the worker is up and has run a chunk
    cfg.mc.replications = replications
    found = [once(cfg, seed_data, pool) for _ in range(times)]
    total = [run + table for run, table, _ in found]
    middle = found[sorted(range(times), key=total.__getitem__)[times // 2]]
    return Measured(middle[0], middle[1], replications, middle[2])


def figures(m: Measured) -> list[Figure]:
    return [Figure(f"sensitivity of what delays them ({m.replications:,} replications and "
                   "RBD-FAST, 2 cores)", m.replications_s + m.sensitivity_s, TARGET,
                   at_least=False, unit="s")]


def main(quick: bool = False) -> list[Figure]:
    times = rounds(quick)
    m = measure(times)
    print(f"  {m.replications:,} replications {m.replications_s:.2f} s, then the sensitivity "
          f"of {m.inputs} uncertain inputs {m.sensitivity_s:.2f} s (the round of median "
          f"total, of {times})")
    return [report(figure) for figure in figures(m)]


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
