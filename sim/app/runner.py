"""One run from a composed config, in three steps: check it (:func:`check`: nothing is
written), run its study (:func:`study_tables`), write the results into a claimed folder
(:func:`write`).

The same steps serve ``python -m sim``, a sweep's jobs and :mod:`sim.api`.
"""

from __future__ import annotations

import os
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omegaconf import DictConfig, OmegaConf

from sim.app.paths import SEEDS_DIR
from sim.app.schema import Config, check_keys
from sim.app.sources import catalogue, revision_text, sources
from sim.errors import InputError
from sim.model import dated
from sim.model.params import get, resolve, rules
from sim.outputs import manifest
from sim.outputs.config import draws_figures
from sim.seeds.data import SeedData
from sim.seeds.files import load
from sim.study.headline import check_objective, headline
from sim.study.targets import own_targets
from sim.study.workers import Pool

if TYPE_CHECKING:
    from sim.model.output import RunOutput


def prepare(cfg: DictConfig) -> tuple[Config, SeedData]:
    """Check the composed config and the seed files; refuse bad input with one line."""
    ready = prepare_dated(cfg)
    return ready.config, ready.seed_data


@dataclass(frozen=True)
class Prepared:
    """A checked config as of its as-of date, its seed data, the revision of each dated
    assumption it uses (:mod:`sim.model.dated`) and the composed tree before selection."""

    config: Config
    seed_data: SeedData
    used: dict
    raw: Any


def config_as_of(raw, seed_data: SeedData) -> tuple[Config, dict]:
    """The config of the composed tree ``raw`` as of ``seed_data``'s as-of date: each dated
    assumption's value in force then, checked; and the revisions used. A revision citing a
    source the seeds do not hold, or dated before one it cites, is refused in one line
    (``conf/`` cites the project's ``seeds/sources.yaml``: a run on other seeds finds its
    citations there too)."""
    known = seed_data.sources
    histories = dated.history(raw)
    if any(sid not in known for h in histories.values() for r in h for sid in r.sources):
        from sim.seeds.files import read_all

        known = {**read_all(SEEDS_DIR).sources, **known}
    for key, history in histories.items():
        for n, revision in enumerate(history):
            for sid in revision.sources:
                if sid not in known:
                    raise InputError(f"{key}[{n}].sources", f"{sid!r} is not a source of "
                                                            "seeds/sources.yaml")
                if known[sid].date > revision.since:
                    raise InputError(f"{key}[{n}].since", f"{revision.since} is before its "
                                     f"source {sid} ({known[sid].date}); a value rests on "
                                     "evidence public by its date")
    picked, used = dated.select(raw, seed_data.as_of)
    return resolve(picked), used


def prepare_dated(cfg: DictConfig) -> Prepared:
    """:func:`prepare`, keeping what a forecast as of other dates needs (:class:`Prepared`)."""
    check_keys(cfg)
    raw = OmegaConf.to_object(cfg)
    config = resolve(dated.select(raw, None)[0])  # every value checked, the dates first
    seed_data = load(config.seeds_dir or SEEDS_DIR, config.as_of_date, config.horizon_date)
    config, used = config_as_of(raw, seed_data)
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
        check_objective(config.objective, config.objective_at_most,
                        own=own_targets(seed_data), horizon=config.horizon_date)
    return Prepared(config, seed_data, used, raw)


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


def hydra_files(cfg: DictConfig, hydra: DictConfig | None) -> dict[str, str]:
    """What Hydra keeps in ``.hydra/`` (the config, Hydra's own ``{hydra: ...}``, the
    overrides), written by the run with its results: Hydra itself writes nothing into the
    run's folder, so that a refused run leaves a folder as it was."""
    if hydra is None:
        return {}
    return {".hydra/config.yaml": OmegaConf.to_yaml(cfg),
            ".hydra/hydra.yaml": OmegaConf.to_yaml(hydra),
            ".hydra/overrides.yaml": OmegaConf.to_yaml(hydra.hydra.overrides.task)}


def command(overrides: list[str]) -> str:
    """The command line that runs ``overrides`` again (as one job, for a sweep's job)."""
    return " ".join(["python -m sim", *map(shlex.quote, overrides)])


@dataclass
class Checked:
    """A run whose input is accepted: the composed config and its Hydra node, the config
    as the model reads it, the seed files, what decides its numbers, where it runs."""

    cfg: DictConfig
    hydra: DictConfig | None
    config: Config
    seed_data: SeedData
    run_inputs: dict
    pool: Pool
    started: float = field(default_factory=time.perf_counter)
    laps: manifest.Laps = field(default_factory=manifest.Laps)
    used: dict = field(default_factory=dict)
    """The revision of each dated assumption the run uses (:mod:`sim.model.dated`)."""

    @property
    def overrides(self) -> list[str]:
        """The command line's overrides (Hydra's own left out)."""
        return [] if self.hydra is None else list(self.hydra.hydra.overrides.task)


def check(cfg: DictConfig, hydra: DictConfig | None = None,
          run_inputs: dict | None = None) -> Checked:
    """Check the composed ``cfg`` (its ``{hydra: ...}`` node beside it), its seed files and
    where its replications run; refuse bad input in one line. Nothing is written.
    ``run_inputs`` (:func:`inputs`) are taken before the seed files are read, so that the
    manifest records the files the run read."""
    laps = manifest.Laps()
    started = laps.last
    run_inputs = run_inputs or inputs(cfg)
    ready = prepare_dated(cfg)
    pool = Pool.of(ready.config)
    pool.connect()  # a backend that cannot take tasks is bad input
    return Checked(cfg, hydra, ready.config, ready.seed_data, run_inputs, pool, started, laps,
                   ready.used)


def study_tables(run: Checked) -> dict:
    """Run the study of a checked run; its tables (:func:`sim.outputs.results.tables`)."""
    run.pool.start(["sim.study.montecarlo", "sim.outputs.plots"])  # while this imports
    from sim.outputs import results  # pandas, SimPy: only once the input is accepted
    from sim.study.study import run_study  # (the same)

    run.laps.lap("checks")
    study = run_study(run.config, run.seed_data)
    run.laps.lap("study")
    return results.tables(study, run.config)


def write(run: Checked, t: dict, run_dir: Path, label: str, sweep_job: bool = False) -> dict:
    """Write the tables ``t`` of ``run`` and every other output into ``run_dir`` (already
    claimed); return the summary. A ``sweep_job`` draws its figures only if
    ``outputs.figures=always``."""
    from sim.app import assumptions  # (imports the outputs: once the input is accepted)
    from sim.outputs import results

    hydra = run.hydra
    if hydra is not None and OmegaConf.is_missing(hydra.hydra.runtime, "output_dir"):
        hydra = OmegaConf.create(OmegaConf.to_container(hydra, resolve=False))
        hydra.hydra.runtime.output_dir = os.path.abspath(run_dir)  # as Hydra's run says
    keys = [key for key, _ in results.config_items(run.config)]
    found = sources(keys, run.config.scenario, run.overrides)
    for key in keys:  # a dated value: the revision the run used, not the whole history
        revisions = [r for k, r in run.used.items() if k == key or k.startswith(f"{key}.")]
        if revisions:
            found[key] = ("conf/config.yaml", "; ".join(
                (f"{r.key.rpartition('.')[2]}: " if r.key != key else "") + revision_text(r)
                for r in revisions))
    return results.write(run_dir, t, run.config, config_yaml=OmegaConf.to_yaml(run.cfg),
                         run_inputs=run.run_inputs, label=label, started=run.started,
                         laps=run.laps, extra_files=hydra_files(run.cfg, hydra),
                         command=None if run.hydra is None else command(run.overrides),
                         sources=found, cited=catalogue(found, run.seed_data.sources),
                         assumptions=assumptions.rows(run.config, run.used, found,
                                                      run.seed_data),
                         figures=draws_figures(run.config, sweep_job))


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
