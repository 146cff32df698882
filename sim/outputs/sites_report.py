"""The report's sites table: each site over the replications (``sites.csv``,
:mod:`sim.study.site_table`), whose dates decide the answer."""

from __future__ import annotations

import pandas as pd

from sim.outputs.formats import date_or
from sim.outputs.html_parts import esc, table_html
from sim.outputs.labels import Names

KINDS = {"greenfield": "new build", "brownfield": "conversion or expansion",
         "mou_stage": "MOU stage", "existing": "existing hall", "drawn": "drawn"}
REGIONS = {"capital": "capital region", "non_capital": "outside the capital region",
           "drawn": "drawn"}


def _mw(row) -> str:
    if pd.isna(row.mw_p50):
        return "-"
    if row.mw_p10 == row.mw_p90:
        return f"{row.mw_p50:,.0f}"
    return f"{row.mw_p50:,.0f} ({row.mw_p10:,.0f} to {row.mw_p90:,.0f})"


def sites_html(table: pd.DataFrame, summary: dict) -> str:
    """Per site: recipient, region and kind; disclosed or prior; its announced first-ready
    date as known on the as-of date; MW; grid status; P10, P50 and P90 of its first MW."""
    names = Names(summary.get("names"))
    n = summary["monte_carlo"]["replications"]
    rows = []
    for s in table.itertuples():
        status = "disclosed" if s.status == "disclosed" else \
            f"prior ({s.replications_with_site} of {n} replications)"
        rows.append([esc(s.name), esc(names.recipient(s.recipient) if s.recipient != "any"
                                      else "any recipient"),
                     esc(REGIONS.get(s.region, s.region)), esc(KINDS.get(s.kind, s.kind)),
                     esc(status), esc(date_or(s.announced_first_ready, "-")), esc(_mw(s)),
                     esc(s.grid_assessment), esc(date_or(s.first_ready_p10)),
                     f"<b>{esc(date_or(s.first_ready_p50))}</b>",
                     esc(date_or(s.first_ready_p90))])
    as_of = summary.get("as_of")
    known = f" as known on {as_of}" if as_of else ""
    return ("<h2>Sites</h2><p>Each site's first MW ready: P10, P50 and P90 over the "
            f"replications that have it (sites.csv; the representative replication's own draw "
            f"is sites_drawn.csv). Announced: the first phase's ready date{known}. A prior is "
            "a site not yet disclosed, drawn from seeds/priors.yaml; what it is (region, kind, "
            "MW, grid) is drawn too. MW: P50 (P10 to P90) where it is uncertain.</p>"
            + table_html(["site", "recipient", "region", "kind", "status", "announced",
                          "MW", "grid assessment", "P10", "P50", "P90"], rows,
                         numeric={6}))
