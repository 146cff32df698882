"""``docs/findings.md``: what the model says today, generated from recorded runs.

Three tables, each from runs this module makes and writes under ``results/findings/`` (git
ignores them), each run named with the SHA-256 of its ``manifest.json`` (the swings: of
their ``swings.csv``):

- the scenarios side by side (every file of ``conf/scenario/``);
- one assumption at a time over its stated range (or its P10 and P90), the baseline
  otherwise: every uncertain input, with intervals (:mod:`sim.study.swings`);
- the hindcasts of ``python -m sim.validate``, by as-of date.

The page opens with a fingerprint of what decides its numbers: the package's source
(:func:`sim.outputs.provenance.source_sha256`), every file of ``conf/`` and ``seeds/``, and
the settings below. ``tests/test_docs.py`` fails when the fingerprint of today's checkout
differs (the page is stale: run ``python -m sim.docs``), and re-runs the baseline's row to
show that the page is what the command gives.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sim.app.paths import CONF_DIR, PACKAGE_DIR, SEEDS_DIR
from sim.outputs.provenance import source_sha256

REPLICATIONS = 500
"""Each scenario's replications: the default study's (``mc.replications``)."""
VALIDATION_REPLICATIONS = 100
"""Each hindcast's replications: ``python -m sim.validate``'s default."""
SEED = 0
SETTINGS = dict(replications=REPLICATIONS, seed=SEED, drivers=False, figures="never",
                progress=False)
"""What every recorded run of the page is given (results do not depend on ``n_jobs``)."""
RUNS = Path("results") / "findings"
"""Where the recorded runs go, under the checkout."""
SWING_REPLICATIONS = 100
"""Replications at each end of each swing (:mod:`sim.study.swings`). The baseline's 29 inputs
take 5,800 replications, 68 s of one core (measured 2026-12; 85-140 s on 2 cores other jobs
shared): the 16 full studies of the hand-picked list they replace took about 50."""
SWINGS = RUNS / "swings"
"""Where the swings' tables go (``swings.csv``, ``skipped.csv``)."""
MARK = "<!-- fingerprint: "


def fingerprint() -> str:
    """The SHA-256 of what decides the page's numbers (see the module's docstring)."""
    digest = hashlib.sha256(source_sha256().encode())
    for folder in (CONF_DIR, SEEDS_DIR):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    digest.update(repr((sorted(SETTINGS.items()), SWING_REPLICATIONS,
                        VALIDATION_REPLICATIONS)).encode())
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
    :func:`_run`'s ``root`` and settings): what it stands for (its file's first sentence),
    the sources its header cites, its headline."""
    summary, digest = _run(scenario, f"+scenario={scenario}", **where)
    mc = summary["monte_carlo"]
    stands_for, ids = about(scenario)
    return (f"| `{scenario}` | {stands_for} | {', '.join(f'`{i}`' for i in ids) or '-'} | "
            f"{_when(mc)} | {_pct(mc['p_all_operational_by_2030_12_31'])} | "
            f"{_pct(mc['p_government_50k_by_2030_12_31'])} | `{digest[:12]}` |")


def about(scenario: str) -> tuple[str, list[str]]:
    """``(what it stands for, the source ids its header cites)`` of a scenario file: the
    header's first sentence (less its name), and every id of ``seeds/sources.yaml`` it names
    (``worst_case``: its parts')."""
    import re

    from sim.app.sources import header

    path = CONF_DIR / "scenario" / f"{scenario}.yaml"
    text = header(path)
    first = text.split(". ")[0].split(": ", 1)[-1].rstrip(".")
    known = set(re.findall(r"^\s*- id: \"?([\w]+)\"?", (SEEDS_DIR / "sources.yaml").read_text(),
                           flags=re.M))
    parts = re.findall(r"^\s*- (\w+)$", path.read_text(), flags=re.M)
    texts = [text, *(header(CONF_DIR / "scenario" / f"{p}.yaml") for p in parts
                     if (CONF_DIR / "scenario" / f"{p}.yaml").is_file())]
    found = [w for t in texts for w in re.findall(r"[\w]+", t) if w in known]
    return first[:1].upper() + first[1:], list(dict.fromkeys(found))


def scenarios() -> list[str]:
    return sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))


def _swing_cells(r, stem: str) -> str:
    from sim.app.sensitivity import swing_points

    return (f"{_pct(getattr(r, f'{stem}_low'))} to {_pct(getattr(r, f'{stem}_high'))}: "
            f"{swing_points(r, stem)}")


def swings(root: Path | None = None) -> tuple[list[str], list[str], str]:
    """``(table rows, skipped lines, first 12 hex digits of swings.csv's SHA-256)`` of the
    baseline's swings, recorded under ``root`` (default: the checkout)."""
    import shutil

    from sim.app import sensitivity

    table, skipped, about = sensitivity.swings([f"seed={SEED}"], SWING_REPLICATIONS)
    out = (root or PACKAGE_DIR.parent) / SWINGS
    shutil.rmtree(out, ignore_errors=True)
    sensitivity.write(table, skipped, about, out)
    digest = hashlib.sha256((out / "swings.csv").read_bytes()).hexdigest()
    return (*swing_rows(table, skipped), digest[:12])


def swing_rows(table, skipped) -> tuple[list[str], list[str]]:
    """The page's rows of a swings table (:mod:`sim.app.sensitivity`) and its lines of the
    inputs skipped."""
    from sim.app.sensitivity import date_text, p_names, swing_days

    stems = p_names(table)
    rows = [f"| {r.input_label} (`{r.input}`) | {r.basis or '-'} | {r.low} to {r.high} "
            f"({'stated: ' + r.stated_range if r.ends == 'stated range' else 'P10 to P90'}) | "
            f"{date_text(r.p50_low_day)} to {date_text(r.p50_high_day)} | {swing_days(r)} | "
            f"{' | '.join(_swing_cells(r, n) for n in stems)} |" for r in table.itertuples()]
    return rows, [f"- {label(s.key)}: {s.why}" for s in skipped.itertuples()]


def label(key: str) -> str:
    from sim.app.schema import Config
    from sim.model.params import label as of

    return f"{of(Config, key)} (`{key}`)"


def _hindcast_rows() -> list[str]:
    from sim import api
    from sim.outputs.validation_report import _inside, _num

    c = api.validate(replications=VALIDATION_REPLICATIONS).calibration
    return [f"| {band} | {part['targets']} | {part['scores']} | {_inside(part)} | "
            f"{_num(part['mean_pit'], 2)} | {_num(part['mean_crps_days'])} | "
            f"{_num(part['crpss_days'], signed=True)} | {_num(part['mean_crps_gpus'])} | "
            f"{_num(part['crpss_gpus'], signed=True)} |"
            for band, part in [*c["by_lead"].items(), ("all", c)]]


def swing_section(root: Path | None = None) -> list[str]:
    """The page's "One assumption at a time" section, from swings recorded under ``root``."""
    rows, skipped, digest = swings(root)
    return ["## One assumption at a time", "",
            "`python -m sim.sensitivity`: each uncertain input at the two ends of the range "
            "its dated revision states, or else its P10 and P90, the baseline otherwise, "
            f"over the same {SWING_REPLICATIONS} replications (common random numbers). The "
            "swing is high minus low: of the P50 date of all 260k (at least, where a P50 "
            "is past the horizon), of P(all by 2030) and of P(government 50k by 2030), each "
            "with its 90 % paired bootstrap interval (the replications resampled, the same "
            "for both ends). Largest |P50 swing| first; an interval that reaches 0 is "
            "sampling noise. A stated range is often a distribution's whole span (a "
            "triangular's low and high), wider than its P10 to P90: the row says which "
            "it swings. Basis: what the value rests on (an estimate from sources, or an "
            "assumption: no source gives the number). Table: "
            f"`{SWINGS.as_posix()}/swings.csv` (SHA-256 `{digest}`).", "",
            "| input | basis | low to high | P50, all 260k | P50 swing (90 %) | "
            "P(all by 2030) | P(government 50k by 2030) |", "|---|---|---|---|---|---|---|",
            *rows, "", "Not swung:", "", *skipped, ""]


def markdown() -> str:
    """The whole page, from fresh recorded runs (a minute or two on 2 cores)."""
    head = ["# Findings", "", f"{MARK}{fingerprint()} -->", "",
            "What the model says today, generated by `python -m sim.docs` from runs it "
            f"records under `{RUNS.as_posix()}/` (seed {SEED}, {REPLICATIONS} replications "
            "each, as of the latest seed date); each row names the first 12 hex digits of "
            "its run's `manifest.json` SHA-256. Do not edit by hand: the suite fails when "
            "the code, `conf/` or `seeds/` changed since the page was made.", ""]
    table = ["## The scenarios", "",
             "All 260k operational: the P50 date (P10 to P90) over the replications; the "
             "shares are the fraction of replications that meet the target.", "",
             "| scenario | what it stands for | sources (seeds/sources.yaml) | "
             "all 260k: P50 (P10 to P90) | P(all by 2030) | P(government 50k by 2030) | run |",
             "|---|---|---|---|---|---|---|",
             *map(scenario_row, scenarios()), ""]
    swung = swing_section()
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
    return "\n".join(head + table + swung + hindcasts)
