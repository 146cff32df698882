"""How fast and how lean the Monte Carlo engine is, measured in one process so ratios hold.

Figures (each printed against its target; timings are medians of interleaved rounds):

- one full-pledge replication's time over one bare SimPy timeout's on the same machine (so
  the figure does not depend on how fast the machine is);
- a 10x pledge's replication time over the 1x one (work grows with lots, not worse);
- the speed-up of 1,000 replications on two processes over one (the second worker warm);
- peak traced memory of N=1,000 replications over N=100 (bands fold into fixed histograms).

    python -m benchmarks.montecarlo [--quick]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import tracemalloc
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import simpy
import yaml

from benchmarks.common import Figure, config, interleaved, report, rounds
from sim.app.paths import SEEDS_DIR
from sim.study import metrics, montecarlo
from sim.study.workers import Pool

TARGETS = {"timeout_equivalents": 12_000, "scale_ratio": 5.0, "speedup": 1.8,
           "memory_ratio": 1.2}
TIMEOUTS = 200_000
"""Bare SimPy timeouts per timed round."""
N = 1000
"""Replications per round of the speed-up."""


@dataclass(frozen=True)
class Measured:
    """Median seconds of one bare timeout, one replication at 1x and 10x the pledge, and N
    replications on one and two processes; peak traced megabytes at N=100 and N=1,000."""

    timeout: float
    one: float
    ten: float
    serial: float
    parallel: float
    small_mb: float
    large_mb: float


def bare_timeouts(n: int = TIMEOUTS) -> None:
    env = simpy.Environment()

    def loop():
        for _ in range(n):
            yield env.timeout(1)

    env.process(loop())
    env.run()


def replicating(cfg, seed_data):
    """A call that runs the next replication (0, 1, ...) with its weekly series."""
    days, indices = metrics.weeks(seed_data, cfg), count()
    montecarlo.replicate(cfg, seed_data, next(indices), days)  # warm-up
    return lambda: montecarlo.replicate(cfg, seed_data, next(indices), days)


def study(cfg, seed_data, n: int, pool: Pool) -> None:
    """``n`` replications folded into a study's bands and tables, on ``pool``."""
    cfg.mc.replications = n
    montecarlo.run(cfg, seed_data, metrics.weeks(seed_data, cfg), pool=pool)


def peak_megabytes(cfg, seed_data, n: int) -> float:
    days = metrics.weeks(seed_data, cfg)
    cfg.mc.replications = n
    tracemalloc.start()
    montecarlo.run(cfg, seed_data, days, pool=Pool(1))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def scaled(mw, factor: int):
    """MW, or a distribution of MW (a prior), times ``factor``."""
    if isinstance(mw, dict):
        return {k: v if k == "dist" else v * factor for k, v in mw.items()}
    return mw * factor


def scaled_seeds(factor: int) -> Path:
    """A copy of the seeds with every allocation, the pledge and every site's MW scaled."""
    folder = Path(tempfile.mkdtemp()) / "seeds"
    shutil.copytree(SEEDS_DIR, folder)
    data = yaml.safe_load((folder / "allocations.yaml").read_text())
    data["pledge"]["gpus"] *= factor
    for record in data["allocations"]:
        record["gpus"] *= factor
    (folder / "allocations.yaml").write_text(yaml.safe_dump(data))
    sites = yaml.safe_load((folder / "sites.yaml").read_text())
    for site in sites["sites"]:
        for phases in [site["phases"], *(r["phases"] for r in site.get("revisions", [])
                                         if "phases" in r)]:
            for phase in phases:
                phase["mw"] = scaled(phase["mw"], factor)
    (folder / "sites.yaml").write_text(yaml.safe_dump(sites))
    return folder


def measure(times: int) -> Measured:
    cfg, seed_data = config("mc.drivers=false")
    big_cfg, big_seeds = config("mc.drivers=false", f"seeds_dir={scaled_seeds(10)}",
                                "supply.cap_gpus_per_quarter=600000")
    single = interleaved({"timeouts": bare_timeouts, "one": replicating(cfg, seed_data),
                          "ten": replicating(big_cfg, big_seeds)}, 4 * times)
    two = Pool(2)
    two.start(["sim.study.montecarlo"])
    study(cfg, seed_data, 40, two)  # the worker is up and has run a chunk
    studies = interleaved({"serial": lambda: study(cfg, seed_data, N, Pool(1)),
                           "parallel": lambda: study(cfg, seed_data, N, two)}, times)
    return Measured(single["timeouts"] / TIMEOUTS, single["one"], single["ten"],
                    studies["serial"], studies["parallel"], peak_megabytes(cfg, seed_data, 100),
                    peak_megabytes(cfg, seed_data, 1000))


def figures(m: Measured) -> list[Figure]:
    return [
        Figure("one full-pledge replication / one bare SimPy timeout", m.one / m.timeout,
               TARGETS["timeout_equivalents"], at_least=False),
        Figure("10x pledge's replication / 1x", m.ten / m.one, TARGETS["scale_ratio"],
               at_least=False),
        Figure(f"speed-up on 2 cores, 2 workers over 1, {N:,} replications",
               m.serial / m.parallel, TARGETS["speedup"], at_least=True),
        Figure("peak memory, N=1,000 / N=100", m.large_mb / m.small_mb, TARGETS["memory_ratio"],
               at_least=False),
    ]


def main(quick: bool = False) -> list[Figure]:
    times = rounds(quick)
    m = measure(times)
    print(f"  bare SimPy {1 / m.timeout:,.0f} timeouts/s; one replication {m.one * 1000:.1f} ms, "
          f"at 10x the pledge (2.6 M GPUs) {m.ten * 1000:.1f} ms")
    print(f"  {N:,} replications (medians of {times} interleaved rounds): {m.serial:.2f} s on "
          f"one process, {m.parallel:.2f} s on two ({N / m.serial:.0f} and "
          f"{N / m.parallel:.0f} replications/s)")
    print(f"  peak traced memory {m.small_mb:.1f} MB at N=100, {m.large_mb:.1f} MB at N=1,000")
    return [report(figure) for figure in figures(m)]


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
