"""One run from a composed config: check it, simulate, write the results.

Kept apart from the command line so that tests, Monte Carlo and sweeps call the same steps.
"""

from __future__ import annotations

import shlex
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from sim.app.paths import SEEDS_DIR
from sim.app.schema import Config, check_keys
from sim.app.sources import sources
from sim.errors import InputError
from sim.model.params import get, resolve, rules
from sim.outputs import manifest
from sim.outputs.config import draws_figures
from sim.seeds.data import SeedData
from sim.seeds.files import load
from sim.study.headline import check_objective, headline
from sim.study.workers import Pool

if TYPE_CHECKING:
    from sim.model.output import RunOutput


def prepare(cfg: DictConfig) -> tuple[Config, SeedData]:
    """Check the composed config and the seed files; refuse bad input with one line."""
    check_keys(cfg)
    config = resolve(OmegaConf.to_object(cfg))
    seed_data = load(config.seeds_dir or SEEDS_DIR, config.as_of_date)
    smallest = min(seed_data.allocations, key=lambda a: a.gpus)
    if config.hardware.gpus_per_lot > smallest.gpus:
        raise InputError("hardware.gpus_per_lot",
                         f"{config.hardware.gpus_per_lot} is larger than the smallest "
                         f"allocation ({smallest.recipient}: {smallest.gpus:,}); "
                         "need 1..that")
    known = {"site": ("seeds/sites.yaml", {s.id for s, _ in seed_data.records.sites}),
             "recipient": ("seeds/allocations.yaml", set(seed_data.recipients))}
    for key, rule in rules(config):
        if rule.kind == "per_entity":
            file, ids = known[rule.choices[0]]
            for name in get(config, key):
                if name not in ids:
                    raise InputError(f"{key}.{name}", f"no {rule.choices[0]} {name!r} in "
                                                      f"{file}; known: {', '.join(sorted(ids))}")
    if config.objective or config.objective_at_most is not None:
        check_objective(config.objective, config.objective_at_most)
    return config, seed_data


def run(cfg: DictConfig) -> tuple[Config, RunOutput]:
    config, seed_data = prepare(cfg)
    from sim.model.world import simulate  # SimPy and pandas: only once the input is accepted

    return config, simulate(config, seed_data)


def inputs(cfg: DictConfig) -> dict:
    """What decides the numbers of a run of ``cfg`` (:func:`sim.outputs.manifest.inputs`): its
    config less :data:`~sim.outputs.manifest.NO_EFFECT_ON_NUMBERS`, its seed files, the
    package versions."""
    numbers = OmegaConf.to_container(cfg, resolve=False)
    for key in manifest.NO_EFFECT_ON_NUMBERS:
        *groups, last = key.split(".")
        node = numbers
        for group in groups:
            node = node.get(group, {})
        node.pop(last, None)
    return manifest.inputs(OmegaConf.to_yaml(numbers), Path(cfg.seeds_dir or SEEDS_DIR))


def hydra_files(cfg: DictConfig) -> dict[str, str]:
    """What Hydra keeps in ``.hydra/`` (the config, Hydra's own, the overrides), written by
    the run with its results: Hydra itself writes nothing into the run's folder
    (``hydra.output_subdir: null``), so that a refused run leaves a folder as it was."""
    if not HydraConfig.initialized():
        return {}
    hydra_cfg = HydraConfig.instance().cfg
    return {".hydra/config.yaml": OmegaConf.to_yaml(cfg),
            ".hydra/hydra.yaml": OmegaConf.to_yaml(hydra_cfg),
            ".hydra/overrides.yaml": OmegaConf.to_yaml(hydra_cfg.hydra.overrides.task)}


def command(overrides: list[str]) -> str:
    """The command line that runs ``overrides`` again (as one job, for a sweep's job)."""
    return " ".join(["python -m sim", *map(shlex.quote, overrides)])


def run_and_write(cfg: DictConfig, run_dir: Path, label: str,
                  run_inputs: dict | None = None, overrides: list[str] | None = None,
                  claim: Callable[[Path, object], None] | None = None,
                  sweep_job: bool = False) -> dict:
    """Run ``cfg``'s replications and write every output into ``run_dir``; return the
    summary.

    The input is checked before ``run_dir`` is touched; then ``claim(run_dir, config)``
    (if given) may refuse the folder; only then is whatever an earlier attempt in ``run_dir``
    marked unmarked. ``run_inputs`` (:func:`inputs`, taken before the seed files are read, so
    that the manifest records the files the run read) is computed here unless given.
    ``overrides`` are the command line's (the report shows the command and where each value
    was set). A ``sweep_job`` draws its figures only if ``outputs.figures=always``.
    """
    started = time.perf_counter()
    laps = manifest.Laps()
    run_inputs = run_inputs or inputs(cfg)
    config, seed_data = prepare(cfg)
    pool = Pool.of(config)
    pool.connect()  # a backend that cannot take tasks is bad input: refused before claiming
    if claim is not None:
        claim(run_dir, config)
    pool.start(["sim.study.montecarlo", "sim.outputs.plots"])  # while this process imports
    manifest.start_afresh(run_dir)
    from sim.outputs import results  # pandas, SimPy: only once the input is accepted
    from sim.study.study import run_study  # (the same)

    laps.lap("checks")
    study = run_study(config, seed_data)
    laps.lap("study")
    keys = [key for key, _ in results.config_items(config)]
    return results.write(run_dir, study, config, config_yaml=OmegaConf.to_yaml(cfg),
                         run_inputs=run_inputs, label=label, started=started, laps=laps,
                         extra_files=hydra_files(cfg),
                         command=None if overrides is None else command(overrides),
                         sources=sources(keys, config.scenario, overrides or []),
                         figures=draws_figures(config, sweep_job))


MISSED = 1e15  # above any figure's range (won: ~1e13), below where +1 is lost in a float
"""What a goal seek adds to a run that misses its bound: worse than any run that meets it."""


def objective(cfg: DictConfig, summary: dict) -> float | None:
    """What the run returns to a sweeper to minimize; None without ``cfg.objective``.

    The headline figure named by ``objective``; with ``objective_at_most``, its distance
    below that bound if it meets it, else ``MISSED`` plus its excess. Minimizing that finds
    the input at which the figure just meets the bound, e.g. the largest grid delay at
    which all GPUs are still operational by 2030-12-31.
    """
    if not cfg.objective:
        return None
    value = float(headline(summary)[cfg.objective])
    if cfg.get("objective_at_most") is None:
        return value
    slack = cfg.objective_at_most - value
    return slack if slack >= 0 else MISSED - slack
