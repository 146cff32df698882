"""Config groups built from plain values, with no Hydra: what a mechanism test runs on.

``tests/fixtures/model.yaml`` holds a frozen copy of the model's config (conf/ may change its
values; no test of a mechanism breaks). :func:`config` builds one group's dataclass from it,
with the changes a test names, checked and parsed as a composed config is
(:func:`sim.model.params.build`); :func:`model` builds the whole model config the same way;
:data:`SEEDS` is the small frozen seed folder beside it.

    config("power", grid_delay_months=2, approval_p={"capital": 1})
"""

from __future__ import annotations

import copy
import dataclasses
import typing
from functools import lru_cache
from pathlib import Path

import yaml

from sim.model.config import ModelConfig
from sim.model.params import build
from sim.seeds.data import SeedData
from sim.seeds.files import load

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"
VALUES = yaml.safe_load((FIXTURES / "model.yaml").read_text())
GROUPS = {f.name: typing.get_type_hints(ModelConfig)[f.name]
          for f in dataclasses.fields(ModelConfig)
          if dataclasses.is_dataclass(typing.get_type_hints(ModelConfig)[f.name])}
"""Each config group's name and its dataclass: ``{"power": PowerConfig, ...}``."""


def merged(base: dict, changes: dict) -> dict:
    """``base`` with ``changes``: a mapping over a mapping changes its keys, anything else
    replaces the value whole (a distribution, a number)."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and value:
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def config(group: str, **changes):
    """The resolved config group ``group`` (its dataclass) with ``changes``."""
    return build(GROUPS[group], merged(VALUES[group], changes), f"{group}.")


def model(**changes) -> ModelConfig:
    """The resolved model config with ``changes``: ``model(power={"derate": 0.5}, seed=3)``."""
    return build(ModelConfig, merged(VALUES, changes))


@lru_cache(maxsize=8)
def seeds(as_of: str | None = None) -> SeedData:
    """The fixture's seed data as of ``as_of`` (default: its latest date)."""
    from datetime import date

    return load(SEEDS, date.fromisoformat(as_of) if as_of else None)
