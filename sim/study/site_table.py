"""``sites.csv``: each site over all the replications, as the report's sites table shows it.

Per site: who it serves, its region, grid zone (whose assessment odds it meets) and kind;
whether it is disclosed (a record of ``seeds/sites.yaml`` public by the as-of date) or a
prior (an undisclosed site drawn from ``seeds/priors.yaml``, in some replications only); its
first phase's announced ready date as known on the as-of date; its grid status; the P10, P50
and P90 of its MW and of the day its first MW is ready, over the replications that have it
(a site not ready by the horizon ranks after every date: a percentile that lands there is
empty), with the share of those replications in which it is ready by its announced date. The
representative replication's own draw of each site is ``sites_drawn.csv``
(:attr:`sim.model.output.RunOutput.sites`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.calendar import to_date

QUANTILES = {"p10": 10, "p50": 50, "p90": 90}


def _date(day: float | None) -> str | None:
    return None if day is None or not math.isfinite(day) else to_date(day).isoformat()


def _percentile(days: np.ndarray, q: float) -> float:
    return float(np.percentile(days, q, method="inverted_cdf")) if len(days) else math.nan


def site_table(representative: pd.DataFrame, site_days: pd.DataFrame,
               recipients: dict[str, str]) -> pd.DataFrame:
    """The statistics of each site over the replications (``site_days``: one row per
    replication, a column per site and one per site's MW), beside what the seeds say of it
    (``representative``: the representative replication's ``sites`` table; ``recipients``:
    readers' names). What a prior site is (region, kind, grid) is drawn in each replication:
    ``drawn``."""
    drawn = representative.set_index("site")
    rows = []
    for site in (c for c in site_days.columns if not c.startswith("mw:")):
        days = site_days[site].to_numpy(float)
        have = ~np.isnan(days)  # the replications that have this site
        days, mw = days[have], site_days[f"mw:{site}"].to_numpy(float)[have]
        known = drawn.loc[site] if site in drawn.index else None
        prior = known is None or bool(known["prior"])
        announced = None if prior or pd.isna(known["first_announced_day"]) else \
            float(known["first_announced_day"])
        owner, _, number = site.rpartition("_undisclosed_")
        row = {"site": site,
               "name": known["name"] if known is not None else
               f"{recipients.get(owner, owner)}: undisclosed site {number}",
               "recipient": known["recipient"] if known is not None else owner,
               **{k: "drawn" if prior else known[k] for k in ("region", "zone", "kind")},
               "status": "prior" if prior else "disclosed",
               "announced_first_ready": _date(announced),
               "grid_assessment": "drawn" if prior else known["grid_assessment"],
               "replications_with_site": int(have.sum())}
        for name, q in QUANTILES.items():
            row[f"mw_{name}"] = round(_percentile(mw, q), 1) if len(mw) else None
        for name, q in QUANTILES.items():
            row[f"first_ready_{name}"] = _date(_percentile(days, q))
        row["p_ready_by_announced"] = (float(np.mean(days <= announced))
                                       if announced is not None and len(days) else None)
        rows.append(row)
    return pd.DataFrame(rows)
