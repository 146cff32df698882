"""How much precision Latin hypercube sampling buys per CPU-second, against plain Monte Carlo.

The baseline study (``mc.drivers=false``, 100 replications, one process) runs once per seed
for each of ``mc.sampling=monte_carlo`` and ``latin_hypercube``, the two interleaved seed by
seed. Over the seeds it measures the variance of two headline figures, the P50
all-operational day and P(government 50k by 2030-12-31), and the CPU seconds each study took.
Precision is 1 / variance; the figure is precision per CPU-second, LHS over plain Monte Carlo,
for the P50 day. Each variance ratio is printed with its 95 % F interval (seeds are
independent studies, so each variance has seeds - 1 degrees of freedom) and a bootstrap one.

    python -m benchmarks.precision [seeds] [replications]
"""

from __future__ import annotations

import sys
import time

import numpy as np
from scipy import stats

from benchmarks.common import Figure, config, report
from sim.model.streams import LATIN_HYPERCUBE, MONTE_CARLO
from sim.study import metrics, montecarlo
from sim.study.targets import own_targets
from sim.study.workers import Pool

TARGET = 1.5
SEEDS, REPLICATIONS = 20, 100
BOOTSTRAP = 2_000


def headline(cfg, seed_data, days, seed: int, sampling: str) -> tuple[float, float, float]:
    """One study's P50 all-operational day, P(government 50k by 2030-12-31) and its CPU
    seconds."""
    cfg.seed, cfg.mc.sampling = seed, sampling
    start = time.process_time()
    table = montecarlo.run(cfg, seed_data, days, pool=Pool(1)).replications
    cpu = time.process_time() - start
    government = next(t for t in own_targets(seed_data) if t.recipient == "government")
    p50 = float(np.percentile(table["all_operational_day"], 50, method="inverted_cdf"))
    return p50, float((table[government.count_key] >= government.gpus).mean()), cpu


def ratio_interval(lhs: np.ndarray, mc: np.ndarray, seed: int = 0) -> tuple[float, ...]:
    """var(lhs) / var(mc), its 95 % F interval and its 95 % bootstrap interval."""
    ratio = np.var(lhs, ddof=1) / np.var(mc, ddof=1)
    a, b = len(lhs) - 1, len(mc) - 1
    f_low, f_high = ratio / stats.f.ppf(0.975, a, b), ratio / stats.f.ppf(0.025, a, b)
    rng = np.random.default_rng(seed)
    boot = [np.var(lhs[rng.integers(0, len(lhs), len(lhs))], ddof=1)
            / max(np.var(mc[rng.integers(0, len(mc), len(mc))], ddof=1), 1e-300)
            for _ in range(BOOTSTRAP)]
    b_low, b_high = np.percentile(boot, [2.5, 97.5])
    return float(ratio), float(f_low), float(f_high), float(b_low), float(b_high)


def measure(seeds: int = SEEDS, replications: int = REPLICATIONS, *overrides: str) -> dict:
    """Per sampling, arrays over the seeds: P50 days, government shares, CPU seconds."""
    cfg, seed_data = config("mc.drivers=false", f"mc.replications={replications}", *overrides)
    days = metrics.weeks(seed_data, cfg)
    found = {MONTE_CARLO: [], LATIN_HYPERCUBE: []}
    for seed in range(seeds):
        for sampling in (found if seed % 2 else reversed(found)):  # interleaved
            found[sampling].append(headline(cfg, seed_data, days, 1000 + seed, sampling))
    return {k: np.array(v, float) for k, v in found.items()}


def main(quick: bool = False, seeds: int | None = None,
         replications: int = REPLICATIONS) -> list[Figure]:
    """The variance ratios and the precision per CPU-second (``quick``: half the seeds)."""
    seeds = seeds or (SEEDS // 2 if quick else SEEDS)
    found = measure(seeds, replications)
    mc, lhs = found[MONTE_CARLO], found[LATIN_HYPERCUBE]
    for i, name in enumerate(("P50 all-operational day", "P(government 50k by 2030-12-31)")):
        ratio, f_low, f_high, b_low, b_high = ratio_interval(lhs[:, i], mc[:, i])
        print(f"  {name}: sd {np.std(mc[:, i], ddof=1):.4g} (MC), "
              f"{np.std(lhs[:, i], ddof=1):.4g} (LHS) over {seeds} seeds x {replications} "
              f"replications; variance LHS / MC {ratio:.2f} (95 % F {f_low:.2f}-{f_high:.2f}, "
              f"bootstrap {b_low:.2f}-{b_high:.2f})")
    cpu_mc, cpu_lhs = np.median(mc[:, 2]), np.median(lhs[:, 2])
    print(f"  CPU per study (median): {cpu_mc:.2f} s (MC), {cpu_lhs:.2f} s (LHS)")
    gain = (np.var(mc[:, 0], ddof=1) * cpu_mc) / (np.var(lhs[:, 0], ddof=1) * cpu_lhs)
    return [report(Figure("precision per CPU-second, latin hypercube / plain Monte Carlo",
                          float(gain), TARGET, at_least=True))]


if __name__ == "__main__":
    main(False, *(int(a) for a in sys.argv[1:]))
