"""The config schema: one dataclass per concern, one field per key in ``conf/``.

The schema holds types, not values: every value lives in ``conf/config.yaml`` (the baseline)
and the scenario overlays, so a default is set in one place.

The schema is registered with Hydra as ``schema`` and sits first in ``conf/config.yaml``'s
defaults, so an unknown key or a value of the wrong type fails when the config is composed.
Fields typed ``Any`` hold an uncertain input in one of the forms of :mod:`sim.distributions`;
:func:`resolve` parses them, checks every range, and returns the same tree with each such
field replaced by its distribution. The model reads that tree: ``power.grid_delay_months`` in
``conf/`` is ``cfg.power.grid_delay_months`` in :mod:`sim.sites`.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

from omegaconf import MISSING

from sim import distributions
from sim.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CONF_DIR = ROOT / "conf"
SEEDS_DIR = ROOT / "seeds"
RESULTS_DIR = ROOT / "results"

POLICIES = ("plan_order", "pro_rata", "government_first")
TIMINGS = ("site_schedule", "asap")


def _dist():
    """An uncertain input: any of the forms of :mod:`sim.distributions`, checked by
    :func:`resolve`; its value comes from ``conf/config.yaml``."""
    return field(default_factory=dict)


@dataclass
class SupplyConfig:
    cap_gpus_per_quarter: int = MISSING
    order_to_ship_months: Any = _dist()
    policy: str = MISSING


@dataclass
class DemandConfig:
    plan_delay_months: Any = _dist()
    timing: str = MISSING
    order_ahead_months: float = MISSING


@dataclass
class LogisticsConfig:
    ship_days: Any = _dist()


@dataclass
class RegionOdds:
    capital: float = MISSING
    non_capital: float = MISSING


@dataclass
class PowerConfig:
    grid_delay_months: Any = _dist()
    derate: Any = _dist()
    derate_lag_months: Any = _dist()
    approval_p: RegionOdds = field(default_factory=RegionOdds)
    rejection_delay_months: Any = _dist()


@dataclass
class KindFactors:
    existing: float = MISSING
    brownfield: float = MISSING
    greenfield: float = MISSING
    mou_stage: float = MISSING


@dataclass
class SitesConfig:
    slip_months: Any = _dist()
    slip_months_by_site: dict[str, Any] = field(default_factory=dict)
    slip_factor: KindFactors = field(default_factory=KindFactors)
    relocation_p: float = MISSING
    relocation_months: Any = _dist()


@dataclass
class HardwareConfig:
    gpus_per_lot: int = MISSING
    facility_kw_per_gpu: float = MISSING


@dataclass
class InstallConfig:
    racks_per_week: float = MISSING
    burnin_days: Any = _dist()
    burnin_fail_p: float = MISSING
    replace_days: Any = _dist()


@dataclass
class StargateLoiConfig:
    enabled: bool = MISSING
    supply_cut: Any = _dist()
    cut_months: Any = _dist()


@dataclass
class BlackrockMouConfig:
    enabled: bool = MISSING
    mw: float = MISSING
    ready_months: Any = _dist()


@dataclass
class DealsConfig:
    stargate_loi: StargateLoiConfig = field(default_factory=StargateLoiConfig)
    blackrock_mou: BlackrockMouConfig = field(default_factory=BlackrockMouConfig)


@dataclass
class CostsConfig:
    pledge_value_won: float = MISSING
    depreciation_years: float = MISSING


@dataclass
class McConfig:
    replications: int = MISSING
    n_jobs: int = MISSING
    drivers: bool = MISSING
    driver_replications: int = MISSING
    progress: bool = MISSING


@dataclass
class Config:
    seed: int = MISSING
    horizon: str = MISSING
    scenario: str = MISSING
    seeds_dir: str = MISSING
    objective: str = MISSING  # a headline figure the app returns (for goal seek); empty: none
    objective_at_most: Optional[float] = None  # goal: the figure just at or below this
    supply: SupplyConfig = field(default_factory=SupplyConfig)
    demand: DemandConfig = field(default_factory=DemandConfig)
    logistics: LogisticsConfig = field(default_factory=LogisticsConfig)
    power: PowerConfig = field(default_factory=PowerConfig)
    sites: SitesConfig = field(default_factory=SitesConfig)
    hardware: HardwareConfig = field(default_factory=HardwareConfig)
    install: InstallConfig = field(default_factory=InstallConfig)
    deals: DealsConfig = field(default_factory=DealsConfig)
    costs: CostsConfig = field(default_factory=CostsConfig)
    mc: McConfig = field(default_factory=McConfig)


def register() -> None:
    """Store the schema with Hydra; call before composing (the CLI and tests do)."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="schema", node=schema_node())


def schema_node():
    """The schema as a config node, with each distribution left open to new fields.

    A command-line dict merges into the value it overrides, so switching a distribution's
    form (lognormal to uniform) adds fields; :func:`sim.distributions.parse` checks them.
    """
    from omegaconf import OmegaConf

    node = OmegaConf.structured(Config)
    for key in [*DIST_RANGES, "sites.slip_months_by_site"]:
        OmegaConf.set_struct(OmegaConf.select(node, key), False)
    return node


# Ranges of every uncertain input: (key, low, high). Delays may not be negative; fractions
# and probabilities lie in [0, 1].
DIST_RANGES = {
    "supply.order_to_ship_months": (0, math.inf),
    "demand.plan_delay_months": (0, math.inf),
    "logistics.ship_days": (0, math.inf),
    "power.grid_delay_months": (0, math.inf),
    "power.derate": (0, 1),
    "power.derate_lag_months": (0, math.inf),
    "power.rejection_delay_months": (0, math.inf),
    "sites.slip_months": (0, math.inf),
    "sites.relocation_months": (0, math.inf),
    "install.burnin_days": (0, math.inf),
    "install.replace_days": (0, math.inf),
    "deals.stargate_loi.supply_cut": (0, 1),
    "deals.stargate_loi.cut_months": (0, math.inf),
    "deals.blackrock_mou.ready_months": (0, math.inf),
}
_PROBABILITIES = ("power.approval_p.capital", "power.approval_p.non_capital",
                  "sites.relocation_p", "install.burnin_fail_p")
_NON_NEGATIVE = ("demand.order_ahead_months", "sites.slip_factor.existing",
                 "sites.slip_factor.brownfield", "sites.slip_factor.greenfield",
                 "sites.slip_factor.mou_stage", "supply.cap_gpus_per_quarter",
                 "deals.blackrock_mou.mw", "costs.pledge_value_won")
_POSITIVE = ("hardware.gpus_per_lot", "hardware.facility_kw_per_gpu",
             "install.racks_per_week", "costs.depreciation_years")
_CHOICES = {"supply.policy": POLICIES, "demand.timing": TIMINGS}
FIRST_DEAL = date(2025, 9, 22)


def get(obj, dotted: str):
    """The value at a dotted key (``power.grid_delay_months``) of a config tree."""
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _set(obj, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, last, value)


def _check_number(key: str, value, low: float, high: float, what: str) -> None:
    if not (math.isfinite(value) and low <= value <= high):  # NaN and inf too
        raise InputError(key, f"{value!r} is not allowed; need {what}")


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
    """What to say about ``full_key``, which the schema does not have: the keys it allows there."""
    parent = schema_type(full_key.rpartition(".")[0])
    if not dataclasses.is_dataclass(parent):
        return f"no such key (to add one, write +{full_key}=...)"
    return f"unknown key; allowed here: {keys_of(parent)}"


def check_keys(cfg, node: type = Config, prefix: str = "") -> None:
    """Refuse a key of the composed config ``cfg`` that the schema does not have.

    Hydra refuses ``key=value`` for an unknown key, but ``+key=value`` adds it, and
    ``OmegaConf.to_object`` would drop it: a typo such as ``+power.grid_dealy_months=3``
    would change nothing, silently. Distributions and per-site slips are open mappings,
    checked by :func:`resolve`.
    """
    hints = typing.get_type_hints(node)
    for key in cfg:
        full = f"{prefix}{key}"
        if key not in hints:
            raise InputError(full, unknown_key(full))
        if dataclasses.is_dataclass(hints[key]):
            check_keys(cfg[key], hints[key], f"{full}.")


def resolve(cfg: Config) -> Config:
    """Check every value of ``cfg`` and parse its distributions; return a new tree.

    ``cfg`` is the schema dataclass tree (``OmegaConf.to_object`` of the composed config).
    """
    cfg = copy.deepcopy(cfg)
    for key, (low, high) in DIST_RANGES.items():
        _set(cfg, key, distributions.parse(key, get(cfg, key), low=low, high=high))
    cfg.sites.slip_months_by_site = {
        site: distributions.parse(f"sites.slip_months_by_site.{site}", spec, low=0)
        for site, spec in cfg.sites.slip_months_by_site.items()}
    for key in _PROBABILITIES:
        _check_number(key, get(cfg, key), 0, 1, "a probability in [0, 1]")
    for key in _NON_NEGATIVE:
        _check_number(key, get(cfg, key), 0, math.inf, "a finite number >= 0")
    for key in _POSITIVE:
        _check_number(key, get(cfg, key), 1e-12, math.inf, "a finite number > 0")
    for key, allowed in _CHOICES.items():
        if get(cfg, key) not in allowed:
            raise InputError(key, f"{get(cfg, key)!r} is not allowed; "
                                  f"choose one of {', '.join(allowed)}")
    _check_number("mc.replications", cfg.mc.replications, 1, 65_535, "a whole number 1..65535")
    _check_number("mc.driver_replications", cfg.mc.driver_replications, 0, 65_535,
                  "a whole number 0..65535")
    if cfg.mc.n_jobs == 0:
        raise InputError("mc.n_jobs", "0 is not allowed; need a number of workers >= 1, "
                                      "or -1 for every core")
    if cfg.seed < 0:
        raise InputError("seed", f"{cfg.seed} is not allowed; need an integer >= 0")
    horizon = parse_date("horizon", cfg.horizon)
    if horizon <= FIRST_DEAL:
        raise InputError("horizon", f"{cfg.horizon} is not after the first deal "
                                    f"({FIRST_DEAL}); give a later end date")
    return cfg


def parse_date(where: str, value) -> date:
    """A date from config or seeds: a ``date`` or a ``YYYY-MM-DD`` string (nothing looser:
    Python 3.11 would also read ``20300101`` or ``2030-W01-1``, Python 3.10 would not)."""
    if isinstance(value, date):
        return value
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            raise ValueError
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(where, f"{value!r} is not a date; use YYYY-MM-DD") from None


def horizon_date(cfg: Config) -> date:
    return parse_date("horizon", cfg.horizon)
