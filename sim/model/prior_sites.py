"""Sites a recipient has not disclosed yet, drawn from the prior of ``seeds/priors.yaml``.

On the pledge day Hyundai had no site, and Samsung's 50,000-GPU "AI megafactory" never got
one; a forecast as of then still needs a date for them. A recipient whose disclosed sites
cannot hold the GPUs it orders for its own sites (its allocation less the tranches bought for
existing halls, at its drawn kW per GPU) gets undisclosed sites one after another until
their MW holds them. Each draws, from the prior: its region, its kind, its MW (phase 1, then
the rest of the site), when it is disclosed (``disclosure_lag_months`` after the need, or
the as-of date if later) and its announced ready date (``lead_months`` after that, adjusted
by kind), whether its grid-impact assessment has passed, and whether it needs a new
substation. The next undisclosed site comes ``step_months`` after the one before. MW are
drawn, never GPUs × kW: a recipient short of MW gets another site, later.

The sites are labelled as priors in ``sites.csv``; their draws are keyed by recipient and
site number, so a recipient's first undisclosed site is the same draw in every scenario.
"""

from __future__ import annotations

from sim.calendar import DAYS_PER_MONTH, to_date
from sim.model.draws import Draws
from sim.seeds.data import Phase, Prior
from sim.seeds.data import Site as SiteSpec

GROUP = "prior"
"""The draws' group: a prior's draws are recorded as ``prior.*`` (``seeds/priors.yaml``)."""

MAX_SITES = 8
"""Undisclosed sites a recipient can get at most (each holds at least a few MW)."""
MIN_LEAD_MONTHS = 3.0


def undisclosed(prior: Prior, draws: Draws, recipient: str, name: str, short_mw: float,
                need_day: float) -> list[SiteSpec]:
    """The undisclosed sites of ``recipient`` (human name ``name``) that give at least
    ``short_mw`` more MW, needed from ``need_day``."""
    draws = draws.of(GROUP, prior)
    sites, found, disclosed = [], 0.0, need_day
    for k in range(MAX_SITES):
        if found >= short_mw:
            break
        entity = f"{recipient}#{k}"
        if k == 0:
            disclosed += draws.one("disclosure_lag_months", entity) * DAYS_PER_MONTH
        else:
            disclosed += draws.one("step_months", entity) * DAYS_PER_MONTH
        site = _site(draws, prior, recipient, name, k, disclosed)
        found += sum(p.mw for p in site.phases)
        sites.append(site)
    return sites


def _site(draws: Draws, prior: Prior, recipient: str, name: str, k: int, disclosed: float
          ) -> SiteSpec:
    """Undisclosed site ``k`` of ``recipient``, disclosed on day ``disclosed`` (``draws``
    bound to the prior)."""
    entity = f"{recipient}#{k}"
    region = "capital" if draws.uniform("region", entity) < prior.capital_p else "non_capital"
    kind = draws.pick("kind", entity, prior.kind)
    first = draws.one("phase1_mw", entity)
    total = max(first, draws.one("total_mw", entity))
    lead = max(MIN_LEAD_MONTHS, draws.one("lead_months", entity)
               + prior.lead_by_kind_months[kind])
    ready = disclosed + lead * DAYS_PER_MONTH
    step = draws.one("step_months", f"{entity}:phase2")
    passed = draws.uniform("passed", entity) < prior.passed_p[region]
    new_substation = draws.uniform("substation", entity) < prior.new_substation_p and \
        kind != "existing"
    public = to_date(disclosed)
    phases = (Phase(first, to_date(ready), public),
              Phase(total - first, to_date(ready + step * DAYS_PER_MONTH), public)) \
        if total > first else (Phase(first, to_date(ready), public),)
    return SiteSpec(f"{recipient}_undisclosed_{k + 1}", f"{name}: undisclosed site {k + 1}",
                    recipient, region, kind,
                    "energized" if kind == "existing" else "passed" if passed else "pending",
                    phases, "new" if new_substation else "existing", None,
                    public, prior=True)
