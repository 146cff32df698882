"""Our Monte Carlo engine against EMA Workbench's, on the very same replication function.

EMA Workbench (the exploratory-modelling toolkit) runs a model function once per
experiment and collects what it returns. Here the model function is ours,
:func:`sim.study.montecarlo.replicate` on the baseline with its weekly series, returning the
all-operational day and the weekly series (what our engine folds into bands). Both engines
run N replications with two processes, three times each (the median counts); our engine
also folds the bands and the replications table, EMA only collects the outcomes. The
figure is our rate over EMA's.

EMA is a benchmark-only extra: ``pip install -c constraints.txt -e ".[bench]"``.

    python -m benchmarks.ema
"""

from __future__ import annotations

import importlib.util
import logging
import time
import warnings
from functools import lru_cache
from statistics import median

from benchmarks.common import Figure, config, report
from sim.study import metrics, montecarlo
from sim.study.workers import Pool

TARGET = 1.3
N = 1000
ROUNDS = 3


@lru_cache(maxsize=1)
def _baseline():
    cfg, seed_data = config("mc.drivers=false")
    return cfg, seed_data, metrics.weeks(seed_data, cfg)


def replication(replication: int = 0) -> dict:
    """EMA's model function: one baseline replication, as our engine runs it."""
    cfg, seed_data, days = _baseline()
    rep = montecarlo.replicate(cfg, seed_data, int(replication), days)
    weekly = rep.cube.reshape(-1, rep.cube.shape[-1])  # EMA stores arrays of up to 2-D
    return {"all_operational_day": rep.headline["all_operational_day"], "weekly": weekly}


def ema_seconds(n: int, rounds: int) -> list[float]:
    """EMA's multiprocessing evaluator, two processes, ``n`` experiments, ``rounds`` times
    (pool started before the clock, as ours is)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EMA warns of optional parts it lacks (ipyparallel)
        from ema_workbench import (
            ArrayOutcome,
            IntegerParameter,
            Model,
            MultiprocessingEvaluator,
            ScalarOutcome,
        )
    logging.getLogger("EMA").setLevel(logging.WARNING)
    model = Model("sim", function=replication)
    model.uncertainties = [IntegerParameter("replication", 0, 1_000_000)]
    model.outcomes = [ScalarOutcome("all_operational_day"), ArrayOutcome("weekly")]
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        # progress to EMA's log (quiet above), not a bar over the figures
        evaluator.perform_experiments(scenarios=20, log_progress=True)  # workers up, imports done
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            evaluator.perform_experiments(scenarios=n, log_progress=True)
            times.append(time.perf_counter() - start)
        return times


def ours_seconds(n: int, rounds: int) -> list[float]:
    cfg, seed_data, days = _baseline()
    pool = Pool(2)
    pool.start(["sim.study.montecarlo"])
    cfg.mc.replications = 40
    montecarlo.run(cfg, seed_data, days, pool=pool)  # the worker is up and has run a chunk
    cfg.mc.replications = n
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        montecarlo.run(cfg, seed_data, days, pool=pool)
        times.append(time.perf_counter() - start)
    return times


def main() -> list[Figure]:
    if importlib.util.find_spec("ema_workbench") is None:
        print('  EMA Workbench is not installed: pip install -c constraints.txt -e ".[bench]"')
        return []
    ours, theirs = median(ours_seconds(N, ROUNDS)), median(ema_seconds(N, ROUNDS))
    print(f"  {N:,} replications on 2 processes (median of {ROUNDS}): ours {N / ours:.1f}/s, "
          f"EMA's multiprocessing evaluator {N / theirs:.1f}/s")
    return [report(Figure("our engine's rate / EMA Workbench's (2 processes each)",
                          theirs / ours, TARGET, at_least=True))]


if __name__ == "__main__":
    main()
