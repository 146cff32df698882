"""The dates the answer is measured against: the government's own target, "a plan to 2030",
and each firm's announced sites.

"The 260k is a plan to 2030" (the science minister, fnnews 2025-12-12); the government's own
target before the pledge was 50,000 GPUs by 2030 (articles 000, 001). A firm has no stated
date, so its full allocation is measured against its sites' last announced ready date.
"""

from __future__ import annotations

from datetime import date

from sim.calendar import to_date
from sim.seeds.data import SeedData

TOTAL = "total"
"""The row of every table that sums the recipients."""
DEADLINE = date(2030, 12, 31)
GOVERNMENT_TARGET = (50_000, DEADLINE)
YEAR_ENDS = range(2026, DEADLINE.year + 1)


def targets(seed_data: SeedData) -> dict[str, tuple[str, date]]:
    """Per recipient and total: ``(what the target says, its date)``: the government's own
    50k by 2030; all 260k by 2030; each firm by its disclosed sites' announced dates (the
    median of a date that is a prior)."""
    gov_gpus, gov_date = GOVERNMENT_TARGET
    found = {TOTAL: (f"all by {DEADLINE}", DEADLINE)}
    for a in seed_data.allocations:
        dates = [p.ready if isinstance(p.ready, date) else to_date(p.ready.ppf(0.5))
                 for s in seed_data.sites if s.recipient == a.recipient for p in s.phases]
        if a.recipient == "government":
            found[a.recipient] = (f"{gov_gpus:,} by {gov_date}", gov_date)
        elif dates:
            found[a.recipient] = ("by its sites' announced dates", max(dates))
    return found
