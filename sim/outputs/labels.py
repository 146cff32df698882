"""How a run is named in titles, legends and tables: its scenario and its overrides."""

from __future__ import annotations

from sim.outputs.manifest import NO_EFFECT_ON_NUMBERS
from sim.seeds.data import OPEN_TO_ALL
from sim.study.targets import TOTAL


def label_overrides(overrides: list[str]) -> list[str]:
    """The command-line overrides that say how a run differs: not its scenario, not Hydra's,
    nor those that change no number (:data:`~sim.outputs.manifest.NO_EFFECT_ON_NUMBERS`,
    and the figures' formats)."""
    unsaid = ("+scenario=", "scenario=", "hydra.", "hydra/", "objective=", "outputs.",
              *(f"{key}=" for key in NO_EFFECT_ON_NUMBERS))
    return [o for o in overrides if not o.startswith(unsaid)]


def label(scenario: str, overrides: list[str]) -> str:
    """A run's name in titles and tables: its scenario and its other overrides."""
    return " ".join([scenario, *label_overrides(overrides)])


def key_labels(schema: type, keys, site_names: dict[str, str] | None = None) -> dict[str, str]:
    """Each dotted config key as a reader names it (its field's label, with the unit); a
    per-site key names its site: ``construction slip (months): Hyundai ... Saemangeum``."""
    from sim.model.params import label as rule_label  # the config rules, only when labelling

    site_names = site_names or {}
    out = {}
    for key in keys:
        text = rule_label(schema, key)
        head, _, site = text.rpartition(": ")
        if head and site in site_names:
            text = f"{head}: {site_names[site]}"
        out[key] = text
    return out


class Names:
    """Readers' names of recipients and sites (from the seed files, via ``summary.json``'s
    ``names``), falling back to the id where a run does not carry one."""

    def __init__(self, names: dict | None = None):
        names = names or {}
        self.recipients = dict(names.get("recipients", {}))
        self.sites = dict(names.get("sites", {}))

    @property
    def order(self) -> list[str]:
        """The recipients in the seed files' order: their colours' order
        (:func:`sim.outputs.style.color`)."""
        return list(self.recipients)

    def recipient(self, rid: str, short: bool = True) -> str:
        if rid == TOTAL:
            return "all recipients"
        if rid == OPEN_TO_ALL:
            return "capacity open to all"
        name = self.recipients.get(rid, rid)
        return name.split(" (")[0] if short else name

    def site(self, sid: str) -> str:
        """The seed file's name; for a site the model makes (the colocation pool, a site
        not yet disclosed), its id in words."""
        return self.sites.get(sid) or str(sid).replace("_", " ")
