"""A distribution is one value: a mapping given for it replaces it whole.

Hydra merges a mapping into the mapping it overrides, in scenario files and on the command
line alike. For a distribution that is wrong: ``logistics.ship_days={dist:uniform,low:5}``
over the baseline's ``{dist: triangular, low: 7, mode: 14, high: 30}`` would become
``uniform(5, 30)`` with a stray ``mode``, silently. So for every uncertain input (and each
per-site entry) of the schema, the last mapping given for it, in a config file of the
defaults list or in an override, replaces whatever was below it; a dotted key
(``logistics.ship_days.high=45``) still changes one field. :func:`sim.distributions.parse`
then refuses a missing field or one its form does not take.

:func:`install` hooks this into Hydra's config loader, so every composition (a run, each job
of a sweep in whatever process, the checks before a sweep, the tests) sees it.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from hydra._internal.config_loader_impl import ConfigLoaderImpl
from omegaconf import DictConfig, OmegaConf, open_dict

from sim.app.schema import Config
from sim.model.params import rules


@lru_cache(maxsize=1)
def _keys() -> tuple[frozenset[str], frozenset[str]]:
    """(the uncertain inputs, the per-site or per-recipient mappings of them), as dotted keys."""
    found = list(rules(Config))
    return (frozenset(k for k, r in found if r.kind == "uncertain"),
            frozenset(k for k, r in found if r.kind == "per_entity"))


def is_distribution(key: str) -> bool:
    """Whether ``key`` holds a distribution: an uncertain input, or a per-site entry."""
    uncertain, per_entity = _keys()
    return key in uncertain or key.rpartition(".")[0] in per_entity


def _select(cfg, key: str):
    return OmegaConf.select(cfg, key, default=None, throw_on_resolution_failure=False)


def distribution_keys(cfg) -> list[str]:
    """The keys of ``cfg`` (a config layer) that hold a distribution."""
    uncertain, per_entity = _keys()
    found = [k for k in uncertain if _select(cfg, k) is not None]
    for table in per_entity:
        entries = _select(cfg, table)
        if isinstance(entries, DictConfig):
            found += [f"{table}.{site}" for site in entries]
    return found


def _replace(cfg: DictConfig, key: str, value) -> None:
    with open_dict(cfg):
        OmegaConf.update(cfg, key, value, merge=False)
    node = OmegaConf.select(cfg, key)
    if isinstance(node, DictConfig):  # open, as the schema leaves it (a new node would
        OmegaConf.set_struct(node, False)  # take its parent's struct flag)


def replace_from_layers(cfg: DictConfig, layers: list) -> None:
    """In the composed ``cfg``, each distribution becomes the mapping of the last layer that
    set it, if that was a mapping (a plain number replaces anyway)."""
    last: dict[str, object] = {}
    for layer in layers:
        if isinstance(layer, DictConfig):
            for key in distribution_keys(layer):
                last[key] = _select(layer, key)
    for key, node in last.items():
        if isinstance(node, DictConfig) and len(node):
            _replace(cfg, key, OmegaConf.to_container(node, resolve=False))


@contextmanager
def installed():
    """Within the block, Hydra's config loader replaces distributions (:func:`install`);
    its own methods are put back after."""
    if getattr(ConfigLoaderImpl, "_sim_replaces_distributions", False):
        yield
        return
    names = ("_load_single_config", "_compose_config_from_defaults_list",
             "_apply_overrides_to_config")
    saved = {name: ConfigLoaderImpl.__dict__[name] for name in names}
    install()
    try:
        yield
    finally:
        for name, method in saved.items():
            setattr(ConfigLoaderImpl, name, method)
        del ConfigLoaderImpl._sim_replaces_distributions


def install() -> None:
    """Make Hydra's config loader replace distributions instead of merging them."""
    if getattr(ConfigLoaderImpl, "_sim_replaces_distributions", False):
        return
    load, compose = (ConfigLoaderImpl._load_single_config,
                     ConfigLoaderImpl._compose_config_from_defaults_list)
    apply = ConfigLoaderImpl._apply_overrides_to_config

    def load_single_config(self, default, repo):
        loaded = load(self, default=default, repo=repo)
        layers = getattr(self, "_sim_layers", None)
        if layers is not None:
            layers.append(loaded.config)
        return loaded

    def compose_from_defaults(self, defaults, repo):
        self._sim_layers = []
        try:
            cfg = compose(self, defaults=defaults, repo=repo)
            replace_from_layers(cfg, self._sim_layers)
        finally:
            self._sim_layers = None
        return cfg

    def apply_overrides(overrides, cfg) -> None:
        for override in overrides:
            apply([override], cfg)
            if not override.is_delete() and is_distribution(override.key_or_group):
                value = override.value()
                if isinstance(value, dict):
                    _replace(cfg, override.key_or_group, value)

    ConfigLoaderImpl._load_single_config = load_single_config
    ConfigLoaderImpl._compose_config_from_defaults_list = compose_from_defaults
    ConfigLoaderImpl._apply_overrides_to_config = staticmethod(apply_overrides)
    ConfigLoaderImpl._sim_replaces_distributions = True
