"""The outputs' part of the config (``outputs.*``): whether a run draws its figures, and in
which file formats."""

from __future__ import annotations

from dataclasses import dataclass

from sim.model.params import choice, choices

FORMATS = ("png", "svg", "pdf")
FIGURE_MODES = ("auto", "always", "never")
"""``auto``: a run draws its figures, a sweep's job does not (the sweep report draws the
sweep's own, and a job's figures cost more than its study); ``always``; ``never``."""


@dataclass
class OutputsConfig:
    figures: str = choice(*FIGURE_MODES, label="whether a run draws its figures")
    formats: list[str] = choices(*FORMATS, label="figure file formats")


def draws_figures(cfg, sweep_job: bool) -> bool:
    """Whether a run (or, with ``sweep_job``, a sweep's job) of ``cfg`` draws its figures."""
    return cfg.outputs.figures == "always" or (cfg.outputs.figures == "auto" and not sweep_job)
