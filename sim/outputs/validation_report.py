"""The validation's ``report.html``: how good were the forecasts, in one page to share.

It says first, in plain words, how often the observation fell inside the forecasts' P10-P90
(with a Wilson interval) and whether the model beat the reference forecast (the CRPS skill
score), then the same by lead time, the figures (hindcasts, the randomized PIT histogram
with counts, the reliability diagram) with captions, every counted score, and how the
scores were made. Self-contained as the run's report is (:mod:`sim.outputs.report`).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from sim.calendar import to_date
from sim.outputs.report import esc, figure_html, page, table_html

CAPTIONS = {
    "hindcasts": "Each panel is one observed outcome. For each as-of date, the forecast's P50 "
                 "(dot) and P10-P90 (bar), made with only what was public then; the red line "
                 "or band is what was observed (a band where sources disagree or only a "
                 "window is known).",
    "calibration": "Where each observation fell in its forecast, by fifths (the randomized "
                   "PIT of the counted scores; the number of scores on each bar). A "
                   "calibrated forecast puts about 20 % in each; a U shape says the bands "
                   "are too narrow, a slope that the forecasts lean one way.",
    "reliability": "For each central interval of the forecasts (the 80 % one is P10-P90), the "
                   "share of observations it held, with its 95 % Wilson interval. A "
                   "calibrated forecast sits on the dotted diagonal; below it, the intervals "
                   "are too narrow. With few scores, the intervals are wide.",
}
RULES = [
    "Targets are outcomes only (arrivals, installations, GPUs in service, first arrival and "
    "first service), from <code>seeds/observed.yaml</code>, scored by forecasts made before "
    "they became public. Announcements (a site's revised ready date) are not outcomes and are "
    "not scored.",
    "One score per target per lead time counts: within a lead band (from the as-of date to "
    "the observed date), the forecast with the longest lead. The others are in "
    "<code>hindcasts.csv</code> with <code>counted</code> false.",
    "Inside: the observed range lies within P10-P90 (not merely overlaps it). The PIT of a "
    "range or of a forecast's point mass is an interval; one value is drawn in it (the "
    "randomized PIT), the same on every run.",
    "CRPS: the continuous ranked probability score, with no penalty inside an observed range "
    "(in days for dates, GPUs for counts; lower is better).",
    "Reference: for a date, the plan public on the as-of date, spread over its window; for a "
    "count, persistence (the latest count public then, or none). CRPSS = 1 - CRPS / "
    "reference CRPS over the scores that have a reference: above 0, the model did better.",
    "Leave-out: an event an assumption was fitted to is not scored for as-of dates on which "
    "that assumption was in force.",
]


def _pct(share) -> str:
    return "-" if share is None else f"{100 * share:.0f} %"


def _inside(part: dict) -> str:
    if not part["scores"]:
        return "-"
    low, high = part["inside_interval_95"]
    return f"{part['inside']} of {part['scores']} ({_pct(part['share_inside_p10_p90'])}; " \
           f"95 %: {_pct(low)} to {_pct(high)})"


def _num(value, digits: int = 0, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:+.2f}" if signed else f"{value:,.{digits}f}"


def answer_html(summary: dict) -> str:
    if not summary["scores"]:
        return "<p class=\"answer\">Nothing observed after these as-of dates to score.</p>"
    parts = [f"Of {summary['scores']} scores (one per target per lead time, from "
             f"{summary['targets']} observed outcomes), {_inside(summary)} held the "
             "observation inside the forecast's P10-P90; a calibrated forecast holds 80 %."]
    for unit, what in (("days", "dates"), ("gpus", "counts")):
        crpss = summary[f"crpss_{unit}"]
        if crpss is not None:
            verdict = "better than" if crpss > 0 else "no better than"
            parts.append(f"For {what}, the model did {verdict} the reference (CRPSS "
                         f"{crpss:+.2f} over {summary[f'reference_pairs_{unit}']} scores).")
    parts.append("So few scores, from so few outcomes, cannot establish calibration; they can "
                 "show a bias, and the interval says how much is known.")
    return f"<p class=\"answer\">{esc(' '.join(parts))}</p>"


def lead_html(summary: dict) -> str:
    rows = [[band, part["targets"], part["scores"], esc(_inside(part)),
             _num(part["mean_pit"], 2), _num(part["mean_crps_days"]),
             _num(part["crpss_days"], signed=True), _num(part["mean_crps_gpus"]),
             _num(part["crpss_gpus"], signed=True)]
            for band, part in [*summary["by_lead"].items(), ("all", summary)]]
    return "<h2>By lead time</h2>" + table_html(
        ["lead", "targets", "scores", "inside P10-P90", "mean PIT", "CRPS (days)",
         "CRPSS (dates)", "CRPS (GPUs)", "CRPSS (counts)"], rows, numeric={1, 2, 4, 5, 6, 7, 8})


def _shown(value: float, unit: str) -> str:
    if unit == "days":
        return to_date(value).isoformat()
    return f"{value:,.0f}"


def scores_html(table: pd.DataFrame) -> str:
    rows = []
    for _, r in table[table["counted"]].iterrows():
        unit = r["unit"]
        low, high = _shown(r["observed_low"], unit), _shown(r["observed_high"], unit)
        made = r.get("made_on")
        when = r["as_of"] if pd.isna(made) else f"{r['as_of']} (archived {made})"
        rows.append([esc(when), esc(r["label"]), esc(r["lead_band"]),
                     esc(low if low == high else f"{low} to {high}"),
                     esc(f"{_shown(r['p10'], unit)} to {_shown(r['p90'], unit)}"),
                     "yes" if r["inside_p10_p90"] else "no", f"{r['pit']:.2f}",
                     _num(r["crps"]), esc(r["reference"] or "none"),
                     _num(None if pd.isna(r["reference_crps"]) else r["reference_crps"])])
    return "<h2>Every counted score</h2>" + table_html(
        ["as of", "outcome", "lead", "observed", "forecast P10 to P90", "inside", "PIT",
         "CRPS", "reference", "reference CRPS"], rows, numeric={6, 7, 9})


def archived_html(summary: dict) -> str:
    """What the archived forecasts scored: prospective skill, apart from the hindcasts."""
    part = summary.get("archived") or {}
    text = ("<h2>Archived forecasts</h2><p>Forecasts kept on the day they were made "
            "(<code>python -m sim archive=true</code>) and scored only against outcomes "
            "made public after that day: skill no later knowledge can lend. ")
    if not part.get("forecasts_scored"):
        return text + "None is scored yet.</p>"
    n = part["forecasts_scored"]
    return (text + esc(f"{n} forecast{'s' if n > 1 else ''} (made on "
                       f"{', '.join(part['made_on'])}), {part['scores']} scores: "
                       f"{_inside(part)} inside the P10-P90.") + "</p>")


def write_report(folder: Path, table: pd.DataFrame, summary: dict, command: str) -> Path:
    """``report.html`` into ``folder``, beside the figures it shows (the hindcasts'; the
    archived forecasts' scores are listed apart)."""
    body = [answer_html(summary), archived_html(summary)]
    if summary["scores"]:
        body.append(lead_html(summary))
        body += ["<h2>Figures</h2>", *(figure_html(folder, name, text)
                                       for name, text in CAPTIONS.items())]
        body.append(scores_html(table))
    body.append("<h2>How the scores are made</h2><ul>"
                + "".join(f"<li>{rule}</li>" for rule in RULES) + "</ul>")
    body.append("<h2>How to reproduce it</h2><p><code>" + esc(command) + "</code></p>")
    sub = (f"Hindcasts of scenario {summary['scenario']} as of {len(summary['dates'])} dates "
           f"({summary['dates'][0]} to {summary['dates'][-1]}), {summary['replications']} "
           "replications each.")
    path = folder / "report.html"
    path.write_text(page("How good were the forecasts?", sub, None, body))
    return path
