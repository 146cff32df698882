"""The config schema: the dataclass tree every composed config is checked against.

Its groups sit beside the code that reads them (:mod:`sim.model.config` lists where); this
module adds the app's own keys (where the seed files are, what a goal seek optimizes); the
whole tree is registered with Hydra as ``schema`` while a config is composed
(:mod:`sim.app.compose`), first in ``conf/config.yaml``'s defaults, so an unknown key or a
value of the wrong type fails when the config is composed, with the key's name.
:func:`check_keys` catches what Hydra lets through (``+key=...``).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from typing import Optional

from omegaconf import MISSING, OmegaConf

from sim.distributions import part_given
from sim.errors import InputError
from sim.model.params import holds_distribution, open_keys, rules
from sim.outputs.config import OutputsConfig
from sim.study.config import StudyConfig


@dataclass
class Config(StudyConfig):
    outputs: OutputsConfig = field(default_factory=OutputsConfig)
    seeds_dir: str = MISSING  # empty: the project's seeds/ folder
    objective: str = MISSING  # a headline figure the run returns (for goal seek); empty: none
    objective_at_most: Optional[float] = None  # goal: the figure just at or below this
    overwrite: bool = MISSING  # replace a finished run in hydra.run.dir (sim/app/folders.py)
    archive: bool = MISSING  # also keep the forecast in results/archive/ (sim/app/archive.py)


def schema_node():
    """The schema as a config node, with each distribution and per-site table left open: a
    distribution is a string or a number in ``conf/`` (one value, which Hydra replaces whole),
    the command line may give a mapping instead, and :func:`sim.distributions.parse` checks
    either after composition."""
    node = OmegaConf.structured(Config)
    kinds = dict(rules(Config))
    for key in open_keys(Config):
        if kinds[key].kind == "uncertain":  # any form: a string, a mapping, a dated list
            parent, _, name = key.rpartition(".")
            (OmegaConf.select(node, parent) if parent else node)[name] = MISSING
        else:
            OmegaConf.set_struct(OmegaConf.select(node, key), False)
    return node


def schema_type(dotted: str):
    """The schema's type at the key ``dotted`` (a dataclass for a group of keys), or None."""
    node = Config
    for part in filter(None, dotted.split(".")):
        if not dataclasses.is_dataclass(node):
            return None
        node = typing.get_type_hints(node).get(part)
    return node


def keys_of(group: type) -> str:
    return ", ".join(f.name for f in dataclasses.fields(group))


def unknown_key(full_key: str) -> str:
    """What to say about ``full_key``, which the schema does not have: the keys it allows there
    (or, for a field of a distribution, how to give the distribution whole)."""
    above, _, name = full_key.rpartition(".")
    if holds_distribution(Config, above):
        return part_given(above, [name])
    parent = schema_type(above)
    if not dataclasses.is_dataclass(parent):
        return f"no such key (to add one, write +{full_key}=...)"
    return f"unknown key; allowed here: {keys_of(parent)}"


def check_keys(cfg, node: type = Config, prefix: str = "") -> None:
    """Refuse a key of the composed config ``cfg`` that the schema does not have.

    Hydra refuses ``key=value`` for an unknown key, but ``+key=value`` adds it, and
    ``OmegaConf.to_object`` would drop it: a typo such as ``+power.grid_dealy_months=3``
    would change nothing, silently. Distributions and per-site slips are open mappings,
    checked by :func:`sim.model.params.resolve`.
    """
    hints = typing.get_type_hints(node)
    for key in cfg:
        full = f"{prefix}{key}"
        if key not in hints:
            raise InputError(full, unknown_key(full))
        if dataclasses.is_dataclass(hints[key]):
            check_keys(cfg[key], hints[key], f"{full}.")
