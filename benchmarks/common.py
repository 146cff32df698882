"""What the benchmarks share: a composed config, a figure printed against its target in one
line form, and the medians of interleaved rounds."""

from __future__ import annotations

import operator
import re
import statistics
import time
from dataclasses import dataclass
from typing import Callable

from sim.app.compose import compose
from sim.app.runner import prepare

ROUNDS = 5
"""Interleaved rounds of each timing (the median counts); ``--quick``: :data:`QUICK_ROUNDS`."""
QUICK_ROUNDS = 3
LINE = re.compile(r"^(?P<name>[^:]+): (?P<value>[0-9][0-9,]*(?:\.[0-9]+)?)(?P<unit>x|s) "
                  r"\(target (?P<op><=|>=) (?P<target>[0-9][0-9,]*(?:\.[0-9]+)?)(?P=unit)\)$")
"""Every figure's line: ``<figure>: <value>x (target <op> <target>x)`` (``s`` for seconds)."""


def config(*overrides: str):
    """The prepared config and seed data of ``overrides``, as a run would have them."""
    return prepare(compose(list(overrides)))


def rounds(quick: bool) -> int:
    return QUICK_ROUNDS if quick else ROUNDS


def number(value: float) -> str:
    """Three significant figures at most, thousands separated: 0.412, 5.1, 11,480."""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


@dataclass(frozen=True)
class Figure:
    """One measured figure and its target: ``value`` must be ``at_least`` or at most
    ``target``; ``unit`` is ``x`` (a ratio) or ``s`` (seconds)."""

    name: str
    value: float
    target: float
    at_least: bool
    unit: str = "x"

    @property
    def met(self) -> bool:
        return (operator.ge if self.at_least else operator.le)(self.value, self.target)

    def line(self) -> str:
        sign = ">=" if self.at_least else "<="
        return (f"{self.name}: {number(self.value)}{self.unit} "
                f"(target {sign} {self.target:,g}{self.unit})")


def report(figure: Figure) -> Figure:
    print(figure.line(), flush=True)
    return figure


def seconds(action: Callable[[], object]) -> float:
    """The wall time of one ``action()``."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def interleaved(actions: dict[str, Callable[[], object]], count: int) -> dict[str, float]:
    """The median wall time of each action over ``count`` rounds, each round running every
    action once, in turn (so a load that comes and goes falls on all of them alike)."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(count):
        for name, action in actions.items():
            times[name].append(seconds(action))
    return {name: statistics.median(found) for name, found in times.items()}
