"""How fast and how lean the Monte Carlo engine is, measured in one process so ratios hold.

Figures (each printed against its target):

- one full-pledge replication's median time, in bare SimPy timeouts of the same machine
  (so the figure does not depend on how fast the machine is);
- a 10x pledge's replication time over the 1x one (work grows with lots, not worse);
- the speed-up of 1,000 replications on two processes over one (worker warm; the median
  of three alternating pairs);
- peak traced memory of N=1,000 replications over N=100 (bands fold into fixed histograms).

    python -m benchmarks.montecarlo
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import simpy
import yaml

from benchmarks.common import Figure, config, median_seconds, report
from sim.app.paths import SEEDS_DIR
from sim.study import metrics, montecarlo
from sim.study.workers import Pool

TARGETS = {"timeout_equivalents": 12_000, "scale_ratio": 5.0, "speedup": 1.8,
           "memory_ratio": 1.2}


def bare_timeouts_per_second(n: int = 1_000_000) -> float:
    env = simpy.Environment()

    def loop():
        for _ in range(n):
            yield env.timeout(1)

    env.process(loop())
    start = time.perf_counter()
    env.run()
    return n / (time.perf_counter() - start)


def replication_seconds(cfg, seed_data, repeats: int = 30) -> float:
    """The median time of one replication with its weekly series (replications 0, 1, ...)."""
    days = metrics.weeks(seed_data, cfg)
    montecarlo.replicate(cfg, seed_data, 0, days)
    counter = iter(range(repeats))
    return median_seconds(lambda: montecarlo.replicate(cfg, seed_data, next(counter), days),
                          repeats)


def study_seconds(cfg, seed_data, n: int, pool: Pool) -> float:
    days = metrics.weeks(seed_data, cfg)
    cfg.mc.replications = n
    start = time.perf_counter()
    montecarlo.run(cfg, seed_data, days, pool=pool)
    return time.perf_counter() - start


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


def main() -> list[Figure]:
    cfg, seed_data = config("mc.drivers=false")
    rate = bare_timeouts_per_second()
    one = replication_seconds(cfg, seed_data)
    print(f"  bare SimPy: {rate:,.0f} timeouts/s; one replication: {one * 1000:.1f} ms")
    figures = [report(Figure("timeout-equivalents per full-pledge replication", one * rate,
                             TARGETS["timeout_equivalents"], at_least=False, unit=""))]

    big_cfg, big_seeds = config("mc.drivers=false", f"seeds_dir={scaled_seeds(10)}",
                                "supply.cap_gpus_per_quarter=600000")
    ten = replication_seconds(big_cfg, big_seeds, repeats=10)
    print(f"  10x pledge (2.6 M GPUs): one replication {ten * 1000:.1f} ms")
    figures.append(report(Figure("a 10x pledge's replication time / 1x", ten / one,
                                 TARGETS["scale_ratio"], at_least=False)))

    two = Pool(2)
    two.start(["sim.study.montecarlo"])
    study_seconds(cfg, seed_data, 40, two)  # the worker is up and has run a chunk
    pairs = [(study_seconds(cfg, seed_data, 1000, Pool(1)),
              study_seconds(cfg, seed_data, 1000, two)) for _ in range(3)]
    serial, parallel = (statistics.median(times) for times in zip(*pairs))
    print(f"  1,000 replications (median of 3): {serial:.2f} s on one process, {parallel:.2f} s "
          "on two "
          f"({1000 / serial:.0f} and {1000 / parallel:.0f} replications/s)")
    figures.append(report(Figure("speed-up, 2 workers over 1, 1,000 replications",
                                 serial / parallel, TARGETS["speedup"], at_least=True)))

    small, large = peak_megabytes(cfg, seed_data, 100), peak_megabytes(cfg, seed_data, 1000)
    print(f"  peak traced memory: {small:.1f} MB at N=100, {large:.1f} MB at N=1,000")
    figures.append(report(Figure("peak memory, N=1,000 / N=100", large / small,
                                 TARGETS["memory_ratio"], at_least=False)))
    return figures


if __name__ == "__main__":
    main()
