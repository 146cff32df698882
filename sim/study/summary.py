"""The headline figures of one run (``summary.json``).

``gpus_at_horizon`` accounts for every GPU at the horizon, by stage and recipient
(:mod:`sim.study.accounting`); the totals of the stages that are not operational, and the
recipients they belong to, are given again beside it for sweeps and warnings.

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
from sim.study.targets import DEADLINE, GOVERNMENT_TARGET, TOTAL, YEAR_ENDS


def summary(out: RunOutput, cfg) -> dict:
    """The headline figures of one run (written as ``summary.json``)."""
    pledge = sum(out.allocations.values())
    all_day = first_day_reaching(out, pledge)
    target_gpus, target_date = GOVERNMENT_TARGET
    idle_months, peak, peak_day = waiting(out)
    won_per_gpu_month = cfg.costs.pledge_value_won / pledge / (12 * cfg.costs.depreciation_years)
    lots = out.lots
    gov = operational_by(out, target_date, "government")
    counts = accounting.at_horizon(out)

    def by_recipient(stage: str) -> dict[str, int]:
        return {r: c[stage] for r, c in counts.items() if r != TOTAL and c[stage]}

    return {
        "scenario": out.scenario,
        "as_of": None if out.as_of is None else out.as_of.isoformat(),
        "seed": out.seed,
        "horizon": to_date(out.horizon_day).isoformat(),
        "pledged_gpus": pledge,
        "operational_at_year_end": {str(y): operational_by(out, date(y, 12, 31))
                                    for y in YEAR_ENDS},
        "all_operational_date": None if all_day is None else to_date(all_day).isoformat(),
        "all_operational_days_after_2030": days_after(all_day, DEADLINE, out.horizon_day),
        "government_50k_by_2030": gov >= target_gpus,
        "government_operational_2030_12_31": gov,
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
