"""The outputs' part of the config (``outputs.*``): which file formats figures are saved in."""

from __future__ import annotations

from dataclasses import dataclass

from sim.model.params import choices

FORMATS = ("png", "svg", "pdf")


@dataclass
class OutputsConfig:
    formats: list[str] = choices(*FORMATS, label="figure file formats")
