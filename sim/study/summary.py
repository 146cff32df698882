"""The headline figures of one run (``summary.json``).

``gpus_at_horizon`` accounts for every GPU at the horizon, by stage and recipient
(:mod:`sim.study.accounting`); the totals of the stages that are not operational, and the
recipients they belong to, are given again beside it for sweeps and warnings.

A figure taken on a date after the horizon (a year-end count, a target's) is not defined,
and says why (:mod:`sim.study.undefined`); with no recipient stating a target of its own,
the own target's figure says that.

Idle GPUs (arrived, waiting for powered room) are valued at straight-line depreciation of
the pledge's value: ``costs.pledge_value_won`` (about 20 trillion won, article 001) over
``costs.depreciation_years`` (assumption); both are in :class:`sim.study.config.CostsConfig`.
"""

from __future__ import annotations

from datetime import date

from sim.calendar import to_date
from sim.model.output import RunOutput
from sim.study import accounting
from sim.study.metrics import (
    days_after,
    first_day_reaching,
    milestone_days,
    operational_by,
    waiting,
)
from sim.study.targets import (
    DEADLINE,
    NO_OWN_TARGET,
    OWN_TARGET_MET,
    TOTAL,
    YEAR_ENDS,
    RecipientTarget,
)
from sim.study.undefined import after_horizon, undefined


def summary(out: RunOutput, cfg, own: tuple[RecipientTarget, ...] = ()) -> dict:
    """The headline figures of one run (written as ``summary.json``); ``own``: the
    recipients' own targets (:func:`sim.study.targets.own_targets`)."""
    pledge = sum(out.allocations.values())
    all_day = first_day_reaching(out, pledge)
    idle_months, peak, peak_day = waiting(out)
    won_per_gpu_month = cfg.costs.pledge_value_won / pledge / (12 * cfg.costs.depreciation_years)
    lots = out.lots
    counts = accounting.at_horizon(out)
    horizon = to_date(out.horizon_day)

    def on(when: date, count):
        """A figure taken on ``when``: not defined after the horizon."""
        return after_horizon(when, horizon) or count

    def by_recipient(stage: str) -> dict[str, int]:
        return {r: c[stage] for r, c in counts.items() if r != TOTAL and c[stage]}

    return {
        "scenario": out.scenario,
        "as_of": None if out.as_of is None else out.as_of.isoformat(),
        "seed": out.seed,
        "horizon": to_date(out.horizon_day).isoformat(),
        "pledged_gpus": pledge,
        "operational_at_year_end": {str(y): on(date(y, 12, 31), operational_by(
            out, date(y, 12, 31))) for y in YEAR_ENDS},
        "all_operational_date": None if all_day is None else to_date(all_day).isoformat(),
        "all_operational_days_after_2030": days_after(all_day, DEADLINE, out.horizon_day),
        **own_target_figures(out, own, horizon),
        "peak_waiting_gpus": peak,
        "peak_waiting_date": None if peak == 0 else to_date(peak_day).isoformat(),
        "gpus_at_horizon": counts,
        "stranded_gpus": counts[TOTAL]["waiting_power"],
        "stranded_by_recipient": by_recipient("waiting_power"),
        "unshipped_gpus_at_horizon": counts[TOTAL]["unshipped"],
        "unshipped_by_recipient": by_recipient("unshipped"),
        "in_transit_gpus_at_horizon": counts[TOTAL]["in_transit"],
        "in_transit_by_recipient": by_recipient("in_transit"),
        "installing_gpus_at_horizon": counts[TOTAL]["installing"],
        "installing_by_recipient": by_recipient("installing"),
        "idle_gpu_months": round(idle_months, 1),
        "idle_value_won": round(idle_months * won_per_gpu_month),
        "mw_drawn_at_horizon": round(float(lots.loc[lots["placed"].notna(), "lot_kw"].sum()) / 1000,
                                     1),
        "mw_for_full_pledge": round(float(lots["lot_kw"].sum()) / 1000, 1),
        "milestones": {f"{pct}%": None if day is None else to_date(day).isoformat()
                       for (r, pct), day in milestone_days(out).items() if r == TOTAL},
    }


def own_target_figures(out: RunOutput, own: tuple[RecipientTarget, ...], horizon: date
                       ) -> dict:
    """Whether this replication meets each recipient's own target, and that recipient's
    GPUs operational on its date (``government_50k_by_2030``,
    ``government_operational_2030_12_31``); not defined after the horizon, nor where no
    recipient states a target."""
    if not own:
        return {OWN_TARGET_MET: undefined(NO_OWN_TARGET)}
    found = {}
    for t in own:
        gpus = operational_by(out, t.by, t.recipient)
        late = after_horizon(t.by, horizon)
        found[t.met_key] = late or gpus >= t.gpus
        found[t.count_key] = late or gpus
    return found
