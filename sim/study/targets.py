"""The dates the answer is measured against: "a plan to 2030" for the whole pledge, each
recipient's own target where its allocation states one, and each firm's announced sites.

"The 260k is a plan to 2030" (the science minister, fnnews 2025-12-12): all of the pledge is
measured against 2030-12-31. A recipient's own target is data (``target:`` on its record in
``seeds/allocations.yaml``: the government's 50,000 by 2030, articles 000 and 001); no
recipient id is named here. A recipient without one is measured by its sites' last
announced ready date; one without an announced site yet (Hyundai before 2026-02-24) has no
target date, and its odds are not defined (:mod:`sim.study.undefined`).

A recipient's own target gives the headline figures their names, so that sweeps and goal
seeks can name them: ``p_government_50k_by_2030_12_31`` (the share of replications that
meet it), ``government_operational_2030_12_31`` (its GPUs operational on that date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sim.calendar import to_date
from sim.seeds.data import TOTAL, SeedData
from sim.text import count_tag

__all__ = ["DEADLINE", "Goal", "NO_OWN_TARGET", "OWN_TARGET_MET", "P_OWN_TARGET",
           "RecipientTarget", "TOTAL", "YEAR_ENDS", "own_targets", "targets"]

DEADLINE = date(2030, 12, 31)
YEAR_ENDS = range(2026, DEADLINE.year + 1)
NO_OWN_TARGET = ("no recipient in seeds/allocations.yaml states a target of its own "
                 "(target: on its allocation)")
"""Why the own-target figures are not defined, in seeds without one."""
OWN_TARGET_MET = "own_target_met"
P_OWN_TARGET = f"p_{OWN_TARGET_MET}"
"""The own target's figures (in one replication, over all) in seeds without one: not
defined, with :data:`NO_OWN_TARGET` as the reason."""


@dataclass(frozen=True)
class Goal:
    """What a recipient's full allocation (or the total) is measured against: ``text`` as a
    reader reads it and its date ``by``, or, with no date, the ``reason``."""

    text: str
    by: date | None
    reason: str = ""


@dataclass(frozen=True)
class RecipientTarget:
    """A recipient's own target (``gpus`` operational by ``by``) and the names of its
    headline figures."""

    recipient: str
    gpus: int
    by: date

    @property
    def tag(self) -> str:
        """``50k`` for 50,000 (the exact count if it is no whole thousand)."""
        return count_tag(self.gpus)

    @property
    def p_key(self) -> str:
        """The share of replications that meet it: ``p_government_50k_by_2030_12_31``."""
        return f"p_{self.recipient}_{self.tag}_by_{self.by:%Y_%m_%d}"

    @property
    def count_key(self) -> str:
        """Its recipient's GPUs operational on its date: ``government_operational_2030_12_31``."""
        return f"{self.recipient}_operational_{self.by:%Y_%m_%d}"

    @property
    def met_key(self) -> str:
        """Whether one replication meets it: ``government_50k_by_2030``."""
        when = f"{self.by:%Y}" if (self.by.month, self.by.day) == (12, 31) else \
            f"{self.by:%Y_%m_%d}"
        return f"{self.recipient}_{self.tag}_by_{when}"


def own_targets(seed_data: SeedData) -> tuple[RecipientTarget, ...]:
    """The targets the allocations state, in allocation order."""
    return tuple(RecipientTarget(a.recipient, a.target.gpus, a.target.by)
                 for a in seed_data.allocations if a.target is not None)


def targets(seed_data: SeedData) -> dict[str, Goal]:
    """Per recipient and total, what its full allocation is measured against: all by
    2030-12-31; a recipient's own target; or its disclosed sites' last announced date (the
    median of a date that is a prior). A recipient with none of these has no date."""
    found = {TOTAL: Goal(f"all by {DEADLINE}", DEADLINE)}
    for a in seed_data.allocations:
        dates = [p.ready if isinstance(p.ready, date) else to_date(p.ready.ppf(0.5))
                 for s in seed_data.sites if s.recipient == a.recipient for p in s.phases]
        if a.target is not None:
            wanted = a.target.gpus
            found[a.recipient] = Goal(f"{wanted:,} by {a.target.by}" if wanted == a.gpus
                                      else f"all {a.gpus:,} by {a.target.by} (its own "
                                           f"target: {wanted:,})", a.target.by)
        elif dates:
            found[a.recipient] = Goal("by its sites' announced dates", max(dates))
        else:
            when = f" as of {seed_data.as_of}" if seed_data.as_of else ""
            found[a.recipient] = Goal("", None, f"{a.recipient} has no announced site "
                                                f"date{when}")
    return found
