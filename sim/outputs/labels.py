"""How a run is named in titles, legends and tables: its scenario and its overrides."""

from __future__ import annotations


def label_overrides(overrides: list[str]) -> list[str]:
    """The command-line overrides that say how a run differs: not its scenario, not Hydra's."""
    return [o for o in overrides if not o.startswith(("+scenario=", "scenario=", "hydra.",
                                                      "hydra/", "objective="))]


def label(scenario: str, overrides: list[str]) -> str:
    """A run's name in titles and tables: its scenario and its other overrides."""
    return " ".join([scenario, *label_overrides(overrides)])
