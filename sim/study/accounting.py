"""Every GPU accounted for: where each recipient's allocation stands at the horizon, and the
check that the stages add up to it.

A lot is in the last stage it reached by the horizon: ``operational``, ``installing``
(placed: racked or burning in), ``waiting_power`` (arrived, no powered room: *stranded*),
``in_transit`` (shipped, not arrived) or ``unshipped``. :func:`at_horizon` counts GPUs so,
per recipient and in total, from the lots' own histories; :func:`check` holds those counts
(and the weekly table, :func:`check_weekly`) against the allocations of the seed files. A run
whose stages do not add up has lost or made GPUs: it fails with :class:`ConservationError`
and is never marked complete.
"""

from __future__ import annotations

import numpy as np

from sim.errors import ConservationError
from sim.model.output import RunOutput
from sim.study.headline import HORIZON_STAGES as STAGES
from sim.study.metrics import STAGES as WEEKLY
from sim.study.targets import TOTAL

_REACHED = (("operational", "operational"), ("placed", "installing"),
            ("arrived", "waiting_power"), ("shipped", "in_transit"))


def stage_of_lots(out: RunOutput) -> np.ndarray:
    """The stage (an index into :data:`STAGES`) each lot is in at the horizon."""
    stage = np.full(len(out.columns["gpus"]), STAGES.index("unshipped"))
    for column, name in reversed(_REACHED):  # later stages overwrite earlier ones
        stage[~np.isnan(out.columns[column])] = STAGES.index(name)
    return stage


def at_horizon(out: RunOutput) -> dict[str, dict[str, int]]:
    """GPUs by stage at the horizon: ``{recipient: {stage: gpus}}`` and ``total``.

    A recipient whose allocation the pledge had not yet opened by the horizon (a pledge dated
    after it) has no lots: all its GPUs are not yet shipped.
    """
    n = len(STAGES)
    by_row = np.bincount(out.rows * n + stage_of_lots(out), weights=out.columns["gpus"],
                         minlength=len(out.allocations) * n).reshape(-1, n)
    has_lots = np.bincount(out.rows, minlength=len(out.allocations)) > 0
    opened = {row[2] for row in out.other_events if row[1] == "allocated"}
    counts = {}
    for i, (recipient, allocation) in enumerate(out.allocations.items()):
        sums = by_row[i]
        if recipient not in opened and not has_lots[i]:
            sums[STAGES.index("unshipped")] = allocation
        counts[recipient] = {name: int(sums[k]) for k, name in enumerate(STAGES)}
    counts[TOTAL] = {name: sum(c[name] for c in counts.values()) for name in STAGES}
    return counts


def check(counts: dict[str, dict[str, int]], allocations: dict[str, int], where: str = ""
          ) -> None:
    """Raise :class:`ConservationError` unless each recipient's stages add up to its
    allocation (and none is negative), and the total's to the pledge."""
    expected = {**allocations, TOTAL: sum(allocations.values())}
    for recipient in [*expected, *(r for r in counts if r not in expected)]:
        stages = counts.get(recipient, {})
        total = sum(stages.values())
        if recipient not in expected or total != expected[recipient] or \
                any(n < 0 for n in stages.values()):
            parts = " + ".join(f"{n:,} {name}" for name, n in stages.items()) or "none"
            raise ConservationError(
                f"GPUs not conserved{where}: {recipient} has {parts} = {total:,} GPUs at the "
                f"horizon, but its allocation is {expected.get(recipient, 0):,}; this is a "
                "fault in the model, and the run is not marked complete")


def check_weekly(timeseries, allocations: dict[str, int]) -> None:
    """The weekly table: every week, each recipient's GPU stages are >= 0 and add up to its
    allocation (``timeseries`` as :func:`sim.study.metrics.timeseries` makes it)."""
    expected = {**allocations, TOTAL: sum(allocations.values())}
    values = timeseries[WEEKLY].to_numpy()
    want = timeseries["recipient"].map(expected).to_numpy()
    bad = (values.sum(axis=1) != want) | (values < 0).any(axis=1)
    if bad.any():
        row = timeseries[bad].iloc[0]
        parts = " + ".join(f"{int(row[s]):,} {s}" for s in WEEKLY)
        raise ConservationError(
            f"GPUs not conserved in the weekly table: {row['recipient']} on "
            f"{str(row['date'])[:10]} has {parts}, but its allocation is "
            f"{expected.get(row['recipient'], 0):,}; this is a fault in the model, and the run "
            "is not marked complete")
