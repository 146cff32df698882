"""A recipient's own count of its GPUs, as it states its targets: the GPUs outside the pledge it
counts too (``outside_pledge``) and the targets it sets on that count (``counted_targets``),
both on its record in ``seeds/allocations.yaml``.

The ministry counts its whole GPU track: the 2025 batch's Hopper GPUs and Supercomputer No.6
beside the pledge's Blackwell GPUs (its 37,000 by the end of 2026 and 52,000 by 2028). The
model runs only the pledge's GPUs; the study adds these on the days they enter service
(:mod:`sim.study.own_count`). Each item carries the date it became public, so a forecast as
of D counts only what was known by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sim.seeds.events import window
from sim.seeds.fields import PROVENANCE, Record
from sim.text import count_tag

OUTSIDE_RECORD = ("id", "gpus", "in_service", "public", *PROVENANCE)
COUNTED_TARGET_RECORD = ("gpus", "by", "public", *PROVENANCE)


@dataclass(frozen=True)
class OutsideGpus:
    """GPUs outside the pledge that a recipient counts: ``gpus`` entering service on a day
    within ``in_service`` (as planned, or as reported), known from ``public``."""

    id: str
    gpus: int
    in_service: tuple[date, date]
    public: date


@dataclass(frozen=True)
class CountedTarget:
    """A target on the recipient's own count: ``gpus`` in service by ``by``, public from
    ``public``."""

    gpus: int
    by: date
    public: date

    @property
    def tag(self) -> str:
        """``37k`` for 37,000."""
        return count_tag(self.gpus)


def _items(file: str, rec: Record, name: str) -> list:
    raw = rec.get(name, None)
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        rec.fail(name, f"={raw!r} must be a list of records")
    return raw


def outside_pledge(file: str, rec: Record, sources) -> tuple[OutsideGpus, ...]:
    """The recipient's GPUs outside the pledge that it counts (``outside_pledge:``)."""
    out = []
    for j, raw in enumerate(_items(file, rec, "outside_pledge")):
        item = Record(file, f"{rec.label} outside_pledge[{j}]", raw, OUTSIDE_RECORD)
        item.provenance(sources)
        out.append(OutsideGpus(item.text("id"), int(item.positive("gpus", int)),
                               window(item, "in_service"), item.public()))
    return tuple(out)


def counted_targets(file: str, rec: Record, sources) -> tuple[CountedTarget, ...]:
    """The targets the recipient sets on its own count (``counted_targets:``)."""
    out = []
    for j, raw in enumerate(_items(file, rec, "counted_targets")):
        item = Record(file, f"{rec.label} counted_targets[{j}]", raw, COUNTED_TARGET_RECORD)
        item.provenance(sources)
        out.append(CountedTarget(int(item.positive("gpus", int)), item.date("by"),
                                 item.public()))
    return tuple(out)
