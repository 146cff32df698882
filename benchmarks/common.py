"""What the benchmarks share: a composed config, a figure printed against its target, and a
wall-time median over repeats."""

from __future__ import annotations

import operator
import statistics
import time
from dataclasses import dataclass
from typing import Callable

from sim.app.compose import compose
from sim.app.runner import prepare


def config(*overrides: str):
    """The prepared config and seed data of ``overrides``, as a run would have them."""
    return prepare(compose(list(overrides)))


@dataclass(frozen=True)
class Figure:
    """One measured figure and its target: ``value`` must be ``at_least`` or at most
    ``target``."""

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
        value = f"{self.value:,.0f}" if self.value >= 100 else f"{self.value:.2f}"
        target = f"{self.target:,.0f}" if self.target >= 100 else f"{self.target:g}"
        return (f"{self.name:<62} {value:>8}{self.unit:<2} target {sign} {target}{self.unit}"
                f"  {'met' if self.met else 'MISSED'}")


def report(figure: Figure) -> Figure:
    print(figure.line(), flush=True)
    return figure


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    """The median wall time of ``action()`` over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
