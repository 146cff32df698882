"""``docs/findings.md``: what the model says today, generated from recorded runs.

Three tables, each from runs this module makes and writes under ``results/findings/`` (git
ignores them), each run named with the SHA-256 of its ``manifest.json``:

- the scenarios side by side (every file of ``conf/scenario/``);
- one assumption at a time over its stated range (:data:`SWINGS`), the baseline otherwise;
- the hindcasts of ``python -m sim.validate``, by as-of date.

The page opens with a fingerprint of what decides its numbers: the package's source
(:func:`sim.outputs.provenance.source_sha256`), every file of ``conf/`` and ``seeds/``, and
the settings below. ``tests/test_docs.py`` fails when the fingerprint of today's checkout
differs (the page is stale: run ``python -m sim.docs``), and re-runs the baseline's row to
show that the page is what the command gives.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sim.app.paths import CONF_DIR, PACKAGE_DIR, SEEDS_DIR
from sim.outputs.provenance import source_sha256

REPLICATIONS = 100
SEED = 0
SETTINGS = dict(replications=REPLICATIONS, seed=SEED, drivers=False, figures="never",
                progress=False)
"""What every recorded run of the page is given (results do not depend on ``n_jobs``)."""
RUNS = Path("results") / "findings"
"""Where the recorded runs go, under the checkout."""
SWINGS = (
    ("hardware.generations.vera_rubin.facility_kw_per_gpu", "2.8", "4.2", "kW"),
    ("hardware.generations.vera_rubin.first_ship", "2026-07-01", "2027-12-31", ""),
    ("power.transformer_lead_months", "24", "48", "months"),
    ("sites.slip_months", "lognormal(median=1.5, p90=6)", "lognormal(median=6, p90=24)",
     "months"),
    ("demand.order_ahead_months", "9", "4", "months"),
    ("demand.slip_notice_months", "3", "12", "months"),
    ("power.grid_delay_months", "lognormal(median=0.5, p90=2)",
     "lognormal(median=3, p90=12)", "months"),
    ("power.approval_p.non_capital", "0.6", "0.9", ""),
    ("power.zone_prior_weight", "5", "30", "assessments"),
)
"""Each assumption swung, its two ends (as a config value) and its unit: the ranges its
comment in ``conf/config.yaml`` states."""
MARK = "<!-- fingerprint: "


def fingerprint() -> str:
    """The SHA-256 of what decides the page's numbers (see the module's docstring)."""
    digest = hashlib.sha256(source_sha256().encode())
    for folder in (CONF_DIR, SEEDS_DIR):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    digest.update(repr((sorted(SETTINGS.items()), SWINGS)).encode())
    return digest.hexdigest()


def recorded(fingerprint_line: str) -> str | None:
    """The fingerprint a page's text records, or None."""
    for line in fingerprint_line.splitlines():
        if line.startswith(MARK):
            return line[len(MARK):].split()[0]
    return None


def _run(name: str, *overrides: str, root: Path | None = None, **more):
    """A recorded study, written under ``root`` (default: the checkout): ``(summary,
    manifest SHA-256)``. ``more`` settings change how it runs, not its numbers (``n_jobs``)."""
    from sim import api

    r = api.study(*overrides, **SETTINGS, **more)
    folder = r.write((root or PACKAGE_DIR.parent) / RUNS / name, overwrite=True)
    return r.summary, hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()


def _pct(x) -> str:
    return "not defined" if not isinstance(x, (int, float)) else f"{100 * x:.0f} %"


def _when(mc: dict) -> str:
    band = mc["all_operational"]
    p10, p50, p90 = (band.get(k) or "after the horizon" for k in ("p10", "p50", "p90"))
    return f"{p50} ({p10} to {p90})"


def scenario_row(scenario: str, **where) -> str:
    """The scenario table's row of ``scenario`` (a run recorded under its name; ``where``:
    :func:`_run`'s ``root`` and settings)."""
    summary, digest = _run(scenario, f"+scenario={scenario}", **where)
    mc = summary["monte_carlo"]
    return (f"| {scenario} | {_when(mc)} | {_pct(mc['p_all_operational_by_2030_12_31'])} | "
            f"{_pct(mc['p_government_50k_by_2030_12_31'])} | `{digest[:12]}` |")


def scenarios() -> list[str]:
    return sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))


def _swing_rows() -> list[str]:
    from datetime import date

    rows = []
    for key, low, high, unit in SWINGS:
        ends = [_run(re.sub(r"[^\w.=-]+", "_", f"{key}={v}").strip("_"), f"{key}='{v}'" if "(" in v
                     else f"{key}={v}") for v in (low, high)]
        mcs = [s["monte_carlo"] for s, _ in ends]
        p50 = [m["all_operational"]["p50"] for m in mcs]
        swing = (f"{abs((date.fromisoformat(p50[1]) - date.fromisoformat(p50[0])).days)} d"
                 if all(p50) else "past the horizon")
        rows.append(
            f"| `{key}` | {low} to {high}{' ' + unit if unit else ''} | "
            f"{p50[0] or 'after the horizon'} to {p50[1] or 'after the horizon'} | "
            f"{_pct(mcs[0]['p_all_operational_by_2030_12_31'])} to "
            f"{_pct(mcs[1]['p_all_operational_by_2030_12_31'])} | "
            f"{_pct(mcs[0]['p_government_50k_by_2030_12_31'])} to "
            f"{_pct(mcs[1]['p_government_50k_by_2030_12_31'])} | {swing} | "
            f"`{ends[0][1][:12]}`, `{ends[1][1][:12]}` |")
    return rows


def _hindcast_rows() -> list[str]:
    from sim import api
    from sim.outputs.validation_report import _inside, _num

    c = api.validate(replications=REPLICATIONS).calibration
    return [f"| {band} | {part['targets']} | {part['scores']} | {_inside(part)} | "
            f"{_num(part['mean_pit'], 2)} | {_num(part['mean_crps_days'])} | "
            f"{_num(part['crpss_days'], signed=True)} | {_num(part['mean_crps_gpus'])} | "
            f"{_num(part['crpss_gpus'], signed=True)} |"
            for band, part in [*c["by_lead"].items(), ("all", c)]]


def markdown() -> str:
    """The whole page, from fresh recorded runs (about a minute on 2 cores)."""
    head = ["# Findings", "", f"{MARK}{fingerprint()} -->", "",
            "What the model says today, generated by `python -m sim.docs` from runs it "
            f"records under `{RUNS.as_posix()}/` (seed {SEED}, {REPLICATIONS} replications "
            "each, as of the latest seed date); each row names the first 12 hex digits of "
            "its run's `manifest.json` SHA-256. Do not edit by hand: the suite fails when "
            "the code, `conf/` or `seeds/` changed since the page was made.", ""]
    table = ["## The scenarios", "",
             "All 260k operational: the P50 date (P10 to P90) over the replications; the "
             "shares are the fraction of replications that meet the target.", "",
             "| scenario | all 260k: P50 (P10 to P90) | P(all by 2030) | "
             "P(government 50k by 2030) | run |", "|---|---|---|---|---|",
             *map(scenario_row, scenarios()), ""]
    swings = ["## One assumption at a time", "",
              "Each assumption at the two ends of its stated range, the baseline otherwise; "
              "the swing is how far the P50 date of all 260k moves.", "",
              "| key | range | P50, all 260k | P(all by 2030) | P(government 50k by 2030) | "
              "swing | runs |", "|---|---|---|---|---|---|---|", *_swing_rows(), ""]
    hindcasts = ["## Hindcasts", "",
                 "`python -m sim.validate`: forecasts as of each month-end since the pledge, "
                 "each with the assumptions and facts public then, scored against outcomes "
                 "that became public later; one score per target per lead time counts. "
                 "Inside: the observed range lies within P10-P90 (95 % Wilson interval); "
                 "PIT: the randomized PIT (0.5 is central); CRPS: lower is better; CRPSS: "
                 "skill against the reference (the plan public then for dates, persistence "
                 "for counts), above 0 better. See [forecasts.md](forecasts.md).", "",
                 "| lead | targets | scores | inside P10-P90 | mean PIT | CRPS (days) | "
                 "CRPSS (dates) | CRPS (GPUs) | CRPSS (counts) |",
                 "|---|---|---|---|---|---|---|---|---|", *_hindcast_rows(), ""]
    return "\n".join(head + table + swings + hindcasts)
