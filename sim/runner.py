"""One run from a composed config: check it, simulate, write the results.

Kept apart from the command line so that tests, Monte Carlo and sweeps call the same steps.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from omegaconf import DictConfig, OmegaConf

from sim import seeds
from sim.config import SEEDS_DIR, Config, check_keys, resolve
from sim.errors import InputError
from sim.seeds import SeedData

if TYPE_CHECKING:
    from sim.model import RunOutput


def prepare(cfg: DictConfig) -> tuple[Config, SeedData]:
    """Check the composed config and the seed files; refuse bad input with one line."""
    check_keys(cfg)
    config = resolve(OmegaConf.to_object(cfg))
    seed_data = seeds.load(config.seeds_dir or SEEDS_DIR)
    smallest = min(seed_data.allocations, key=lambda a: a.gpus)
    if config.hardware.gpus_per_lot > smallest.gpus:
        raise InputError("hardware.gpus_per_lot",
                         f"{config.hardware.gpus_per_lot} is larger than the smallest "
                         f"allocation ({smallest.recipient}: {smallest.gpus:,}); "
                         "need 1..that")
    known = {s.id for s in seed_data.sites}
    for site in config.sites.slip_months_by_site:
        if site not in known:
            raise InputError(f"sites.slip_months_by_site.{site}",
                             f"no site {site!r} in seeds/sites.yaml; known: "
                             f"{', '.join(sorted(known))}")
    return config, seed_data


def run(cfg: DictConfig) -> tuple[Config, RunOutput]:
    config, seed_data = prepare(cfg)
    from sim.model import simulate  # pandas and SimPy load only once the input is accepted

    return config, simulate(config, seed_data)


def run_and_write(cfg: DictConfig, run_dir: Path, label: str) -> dict:
    """Run ``cfg`` once and write every output into ``run_dir``; return the summary."""
    started = time.perf_counter()
    config, out = run(cfg)
    from sim import results

    return results.write(run_dir, out, config, config_yaml=OmegaConf.to_yaml(cfg),
                         label=label, started=started)
