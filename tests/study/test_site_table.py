"""sites.csv on its own: each site's statistics over the replications, priors drawn in only
some of them, and a site never ready by the horizon."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.calendar import to_date, to_day
from sim.study.site_table import site_table

DRAWN = pd.DataFrame([
    {"site": "gumi", "name": "Gumi", "recipient": "samsung", "region": "non_capital",
     "zone": "gyeongbuk", "kind": "brownfield", "prior": False, "grid_assessment": "passed",
     "mw": 60.0, "first_announced_day": 1000.0},
    {"site": "samsung_undisclosed_1", "name": "Samsung: undisclosed site 1",
     "recipient": "samsung", "region": "capital", "zone": "capital", "kind": "greenfield",
     "prior": True,
     "grid_assessment": "pending", "mw": 80.0, "first_announced_day": 1500.0}])


def test_each_site_gets_its_bands_over_the_replications_that_have_it():
    days = pd.DataFrame({"gumi": np.arange(900.0, 1100.0, 2.0),  # 100 replications
                         "mw:gumi": np.full(100, 60.0),
                         "samsung_undisclosed_1": [2000.0] * 30 + [np.nan] * 70,
                         "mw:samsung_undisclosed_1": [90.0] * 30 + [np.nan] * 70,
                         "sk_undisclosed_2": [np.inf] * 3 + [np.nan] * 97,
                         "mw:sk_undisclosed_2": [50.0] * 3 + [np.nan] * 97})
    table = site_table(DRAWN, days, {"samsung": "Samsung", "sk": "SK Group"}).set_index("site")
    gumi = table.loc["gumi"]
    assert (gumi.first_ready_p10, gumi.first_ready_p50, gumi.first_ready_p90) == tuple(
        to_date(d).isoformat() for d in (918.0, 998.0, 1078.0))
    assert gumi.p_ready_by_announced == 0.51 and gumi.status == "disclosed"  # 900..1000
    assert gumi.announced_first_ready == to_date(1000.0).isoformat() and gumi.mw_p50 == 60
    assert (gumi.region, gumi.zone) == ("non_capital", "gyeongbuk")  # whose odds it meets
    # a prior: drawn in 30 replications; what it is, is drawn too, and it has no announced date
    prior = table.loc["samsung_undisclosed_1"]
    assert prior.replications_with_site == 30 and prior.status == "prior"
    assert (prior.region, prior.zone, prior.kind, prior.grid_assessment) == ("drawn",) * 4
    assert pd.isna(prior.announced_first_ready) and pd.isna(prior.p_ready_by_announced)
    assert prior.mw_p50 == 90
    # a prior the representative replication did not draw, never ready by the horizon
    late = table.loc["sk_undisclosed_2"]
    assert late["name"] == "SK Group: undisclosed site 2" and late.recipient == "sk"
    assert pd.isna(late.first_ready_p50) and late.replications_with_site == 3


def test_a_runs_sites_csv_and_report_show_the_bands(tmp_path):
    from sim import api

    r = api.study(replications=20, drivers=False, n_jobs=1)
    sites = r.sites.set_index("site")
    assert (sites["replications_with_site"] <= 20).all()
    disclosed = sites[sites["status"] == "disclosed"]
    assert (disclosed["first_ready_p10"] <= disclosed["first_ready_p90"]).all()
    ulsan = sites.loc["sk_ulsan"]
    assert ulsan.first_ready_p10 < ulsan.first_ready_p90  # a band, not one draw
    assert "first_ready_day" in r.sites_drawn and len(r.sites_drawn) <= len(sites)
    page = (r.write(tmp_path / "run") / "report.html").read_text()
    section = page[page.index("<h2>Sites</h2>"):]
    assert "SK Telecom" in section and str(ulsan.first_ready_p50) in section
    assert to_day(pd.Timestamp(ulsan.first_ready_p50).date()) > 0
