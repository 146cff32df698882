"""Our Monte Carlo engine against EMA Workbench's, on the very same replication function.

EMA Workbench (the exploratory-modelling toolkit) runs a model function once per
experiment and collects what it returns. Here the model function is ours,
:func:`sim.study.montecarlo.replicate` on the baseline with its weekly series, returning the
all-operational day and the weekly series (what our engine folds into bands). Both engines
run N replications with two processes, in interleaved rounds (the medians count), each pool
started and warm before the clock; our engine also folds the bands and the replications
table, EMA only collects the outcomes. The figure is our rate over EMA's.

EMA is a benchmark-only extra: ``pip install -c constraints.txt -e ".[bench]"``. The peer is
EMA Workbench 2.5: 3.0 (2026, the only 3.x on PyPI) requires Python 3.12 or later, and this
project's machines and its constraints are on Python 3.11. The calls used here are the same
in 3.0 (``Model``, ``IntegerParameter``, ``ScalarOutcome``, ``ArrayOutcome``,
``MultiprocessingEvaluator(n_processes=2).perform_experiments(scenarios=n)``).

    python -m benchmarks.ema [--quick]
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import warnings
from dataclasses import dataclass
from functools import lru_cache

from benchmarks.common import Figure, config, interleaved, report, rounds
from sim.study import metrics, montecarlo
from sim.study.workers import Pool

TARGET = 2.0
N = 1000


@dataclass(frozen=True)
class Measured:
    """Median seconds of N replications, ours and EMA's, and EMA Workbench's version."""

    ours: float
    theirs: float
    version: str


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


def ema_model():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EMA warns of optional parts it lacks (ipyparallel)
        from ema_workbench import ArrayOutcome, IntegerParameter, Model, ScalarOutcome
    logging.getLogger("EMA").setLevel(logging.WARNING)
    model = Model("sim", function=replication)
    model.uncertainties = [IntegerParameter("replication", 0, 1_000_000)]
    model.outcomes = [ScalarOutcome("all_operational_day"), ArrayOutcome("weekly")]
    return model


def ours(pool: Pool, n: int) -> None:
    cfg, seed_data, days = _baseline()
    cfg.mc.replications = n
    montecarlo.run(cfg, seed_data, days, pool=pool)


def measure(times: int) -> Measured:
    """Both engines, two processes each, both pools up and warm, in interleaved rounds."""
    model = ema_model()  # imports EMA, its warnings silenced
    import ema_workbench
    from ema_workbench import MultiprocessingEvaluator

    pool = Pool(2)
    pool.start(["sim.study.montecarlo"])
    ours(pool, 40)  # the worker is up and has run a chunk
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        # progress to EMA's log (quiet above), not a bar over the figures
        evaluator.perform_experiments(scenarios=20, log_progress=True)  # workers up
        found = interleaved({
            "ours": lambda: ours(pool, N),
            "theirs": lambda: evaluator.perform_experiments(scenarios=N, log_progress=True),
        }, times)
    return Measured(found["ours"], found["theirs"], ema_workbench.__version__)


def figures(m: Measured) -> list[Figure]:
    return [Figure(f"ours / EMA Workbench {m.version}, {N:,} replications on 2 processes each",
                   m.theirs / m.ours, TARGET, at_least=True)]


def main(quick: bool = False) -> list[Figure]:
    if importlib.util.find_spec("ema_workbench") is None:
        print('  EMA Workbench is not installed: pip install -c constraints.txt -e ".[bench]"')
        return []
    times = rounds(quick)
    m = measure(times)
    print(f"  {N:,} replications on 2 processes (medians of {times} interleaved rounds): ours "
          f"{N / m.ours:.1f}/s, EMA's multiprocessing evaluator {N / m.theirs:.1f}/s")
    return [report(figure) for figure in figures(m)]


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
