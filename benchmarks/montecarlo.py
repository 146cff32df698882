"""How fast and how lean Monte Carlo is, measured in one process so that ratios hold.

Prints: bare SimPy timeouts per second; one full-pledge replication's median wall time and
how many bare timeouts take as long; replications per second with one and two workers and
the speed-up; peak memory at N=100 and N=1000; a 10x pledge's time relative to 1x.

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
from hydra import compose, initialize_config_dir

from sim.app import cli
from sim.study import metrics, montecarlo
from sim.app.paths import CONF_DIR, SEEDS_DIR
from sim.app.runner import prepare

TARGETS = {"timeout_equivalents": 30_000, "seconds_1000": 30.0, "speedup": 1.8,
           "memory_ratio": 1.2, "scale_ratio": 10.5}


def config(*overrides: str):
    cli.register()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        return prepare(compose(config_name="config", overrides=list(overrides)))


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
    days = metrics.weeks(seed_data, cfg)
    montecarlo.replicate(cfg, seed_data, 0, days)
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        montecarlo.replicate(cfg, seed_data, i, days)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def replications_per_second(cfg, seed_data, n: int, n_jobs: int) -> float:
    days = metrics.weeks(seed_data, cfg)
    cfg.mc.replications = n
    start = time.perf_counter()
    montecarlo.run(cfg, seed_data, days, n_jobs=n_jobs)
    return n / (time.perf_counter() - start)


def peak_megabytes(cfg, seed_data, n: int) -> float:
    days = metrics.weeks(seed_data, cfg)
    cfg.mc.replications = n
    tracemalloc.start()
    montecarlo.run(cfg, seed_data, days, n_jobs=1)
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
    for name, key, fields in (("allocations.yaml", "allocations", ["gpus"]),):
        data = yaml.safe_load((folder / name).read_text())
        data["pledge"]["gpus"] *= factor
        for record in data[key]:
            for f in fields:
                record[f] *= factor
        (folder / name).write_text(yaml.safe_dump(data))
    sites = yaml.safe_load((folder / "sites.yaml").read_text())
    for site in sites["sites"]:
        for phases in [site["phases"], *(r["phases"] for r in site.get("revisions", [])
                                         if "phases" in r)]:
            for phase in phases:
                phase["mw"] = scaled(phase["mw"], factor)
    (folder / "sites.yaml").write_text(yaml.safe_dump(sites))
    return folder


def main() -> None:
    cfg, seed_data = config("mc.drivers=false")
    rate = bare_timeouts_per_second()
    print(f"bare SimPy timeouts per second:            {rate:,.0f}")
    one = replication_seconds(cfg, seed_data)
    print(f"one full-pledge replication (median):      {one * 1000:.1f} ms "
          f"= {one * rate:,.0f} bare timeouts (target <= {TARGETS['timeout_equivalents']:,})")
    montecarlo.run(cfg, seed_data, metrics.weeks(seed_data, cfg), n_jobs=2)  # start workers
    serial = replications_per_second(cfg, seed_data, 200, 1)
    parallel = replications_per_second(cfg, seed_data, 1000, 2)
    print(f"replications per second, n_jobs=1:         {serial:.1f}")
    print(f"replications per second, n_jobs=2:         {parallel:.1f} "
          f"(1,000 replications in {1000 / parallel:.1f} s; target <= "
          f"{TARGETS['seconds_1000']:.0f} s)")
    print(f"speed-up on 2 cores:                       {parallel / serial:.2f}x "
          f"(target >= {TARGETS['speedup']})")
    small, large = peak_megabytes(cfg, seed_data, 100), peak_megabytes(cfg, seed_data, 1000)
    print(f"peak memory (traced), N=100 / N=1000:      {small:.1f} MB / {large:.1f} MB "
          f"= {large / small:.2f}x (target <= {TARGETS['memory_ratio']}x)")
    big_cfg, big_seeds = config("mc.drivers=false", f"seeds_dir={scaled_seeds(10)}",
                                "supply.cap_gpus_per_quarter=600000")
    ten = replication_seconds(big_cfg, big_seeds, repeats=10)
    print(f"10x pledge (2.6 M GPUs), one replication:  {ten * 1000:.1f} ms "
          f"= {ten / one:.2f}x the 1x time (target <= {TARGETS['scale_ratio']}x)")


if __name__ == "__main__":
    main()
