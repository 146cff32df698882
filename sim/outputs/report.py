"""``report.html``: one self-contained page per run, comparison and sweep, to share.

The page answers the question first, in plain words (when all GPUs run, how sure the model
is, what drives the date), then shows every figure with a caption, the inputs with their
sources, and what reproduces it (command, seed, config hash, package version). Figures are
inline (PNG as ``data:`` URIs, or SVG inline), styles too, and nothing is fetched: the file
opens the same in any browser, offline, attached to an e-mail. An as-of date, where the run
has one, heads the page.

This module holds the page and the run's report (its answer, in plain words, is
:mod:`sim.outputs.report_answer`); :mod:`sim.outputs.report_many` builds the
comparison's and the sweep's with the same parts.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from pathlib import Path

from sim.outputs import captions
from sim.outputs.formats import date_or, pairs, percent
from sim.outputs.html_parts import esc, table_html
from sim.outputs.labels import Names
from sim.outputs.report_answer import answer_html, warnings_html
from sim.outputs.sites_report import sites_html
from sim.study.headline import ONE, replications
from sim.text import CITED

REPORT = "report.html"
STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;
 max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}
.sub{color:#555;margin-top:0}.asof{font-weight:bold;color:#7a3e00}
.answer{background:#f4f7fb;border-left:4px solid #1f77b4;padding:.6em 1.2em;font-size:1.05em}
.warn{background:#fff4e5;border-left:4px solid #e8a33d;padding:.4em 1em}
figure{margin:1.5em 0}figure img,figure svg{max-width:100%;height:auto;
 border:1px solid #eee}figcaption{color:#444;font-size:.92em;margin-top:.3em}
.wide{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.88em;margin:.5em 0}
td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;white-space:nowrap}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88em}
pre{background:#f7f7f7;padding:.7em;overflow-x:auto;white-space:pre-wrap}
.nosource{color:#b00}
"""


def page(heading: str, sub: str, as_of: str | None, body: list[str]) -> str:
    """A whole page: heading, an optional as-of line, then ``body``'s HTML parts."""
    as_of_line = (f'<p class="asof">As of {esc(as_of)}: a forecast made with what was known '
                  'on that date.</p>' if as_of else "")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(heading)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{esc(heading)}</h1><p class=\"sub\">{esc(sub)}</p>{as_of_line}"
            + "\n".join(body) + "</body></html>\n")


def figure_html(folder: Path, name: str, caption: str) -> str:
    """One figure of ``folder`` inline, with its caption: the PNG as a data URI, or the SVG
    itself; a line saying it is missing if neither was written."""
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    if png.is_file():
        data = base64.b64encode(png.read_bytes()).decode()
        image = f'<img src="data:image/png;base64,{data}" alt="{esc(caption[:120])}">'
    elif svg.is_file():
        text = svg.read_text()
        image = text[text.index("<svg"):]  # drop the XML prolog and doctype
    else:
        return f"<p class=\"warn\">Figure {esc(name)} was not drawn.</p>"
    return f"<figure>{image}<figcaption>{esc(caption)}</figcaption></figure>"


def reproduce_html(command: str | None, seed, run_inputs: dict, folder: Path,
                   terminal: str = "") -> str:
    versions = run_inputs.get("versions", {})
    rows = [["command", f"<code>{esc(command or 'not recorded')}</code>"],
            ["seed", esc(seed)],
            ["config hash (SHA-256)", f"<code>{esc(run_inputs.get('config_sha256', '-'))}</code>"],
            ["seed files hash (SHA-256)",
             f"<code>{esc(run_inputs.get('seeds_sha256', '-'))}</code>"],
            ["package version", esc(f"sim {versions.get('sim', '-')}")],
            ["other packages", esc(", ".join(f"{k} {v}" for k, v in versions.items()
                                             if k != "sim") or "-")],
            ["folder", f"<code>{esc(folder)}</code>"]]
    out = "<h2>How to reproduce it</h2>" + table_html(["", ""], rows)
    out += ("<p>Run the command from the project folder with the same package version and "
            "seed files: it gives the same numbers, whatever the number of workers.</p>")
    if terminal:
        out += f"<h3>What the terminal said</h3><pre>{esc(terminal)}</pre>"
    return out


# --- a run -----------------------------------------------------------------------------------

def describe(value) -> str:
    """A config value as a reader reads it: ``lognormal, median 12, p90 30``."""
    if dataclasses.is_dataclass(value):
        kind = type(value).__name__.lower()
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        if kind == "fixed":
            return f"{fields['value']:g}"
        return f"{kind}, " + ", ".join(f"{k} {v:g}" for k, v in fields.items())
    if isinstance(value, dict):
        return "; ".join(f"{k}: {describe(v)}" for k, v in value.items()) or "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:,g}"
    return str(value)


def has_source(text: str) -> bool:
    """Whether a comment names a source or says ``assumption``: a source id of
    ``seeds/sources.yaml``, a dated publisher, an article or the word assumption."""
    text = text or ""
    return bool(CITED.search(text) or re.search(r"assum|article|\b20\d\d\b|\(\w+[^)]*\d{4}", text))


def _linked(text: str, cited: dict) -> str:
    """``text`` escaped, each source id it cites a link to its entry in the sources list."""
    out, at = [], 0
    for m in CITED.finditer(text):
        out.append(esc(text[at:m.start()]))
        sid = m.group(0)
        out.append(f'<a href="#src-{esc(sid)}">{esc(sid)}</a>' if sid in cited else esc(sid))
        at = m.end()
    return "".join(out) + esc(text[at:])


def sources_html(cited: dict | None) -> str:
    """The sources the inputs cite: publisher, date, title and address of each."""
    if not cited:
        return ""
    rows = []
    for sid, (publisher, when, title, address) in cited.items():
        where = (f'<a href="{esc(address)}">{esc(address)}</a>'
                 if address.startswith(("https://", "http://")) else esc(address))
        rows.append([f'<code id="src-{esc(sid)}">{esc(sid)}</code>', esc(publisher),
                     esc(when), esc(title), where])
    return ("<h2>Sources</h2><p>Every source the inputs above cite, as "
            "<code>seeds/sources.yaml</code> records it.</p>"
            + table_html(["id", "publisher", "date", "what it says", "address"], rows))


SCENARIO_NOTES = "scenario notes: "


def is_setting(key: str) -> bool:
    """A choice of how to run (seed, horizon, Monte Carlo, a deal switched on), not a fact
    about the world: it needs no source."""
    return key in ("seed", "horizon", "as_of") or key.startswith("mc.") or \
        key.endswith(".enabled")


def _source_cell(key: str, source: str, cited: dict) -> str:
    if source.startswith(SCENARIO_NOTES):
        return "the scenario's notes above"
    if has_source(source):
        return _linked(source, cited)
    if is_setting(key):
        return f"setting{': ' + esc(source) if source else ''}"
    return (f'<span class="nosource">no dated source, nor marked an assumption'
            f'{": " + esc(source) if source else ""}</span>')


def inputs_html(rows: list[tuple[str, str, str, str, str]], cited: dict | None = None) -> str:
    """The inputs table: key, meaning, value, where it was set, its source; a scenario's
    notes (which give the sources of the ranges it sets) once above it."""
    notes = next((src[len(SCENARIO_NOTES):] for *_, src in rows
                  if src.startswith(SCENARIO_NOTES)), "")
    body = [[f"<code>{esc(k)}</code>", esc(label), esc(value), esc(where),
             _source_cell(k, source, cited or {})] for k, label, value, where, source in rows]
    return ("<h2>The inputs</h2><p>Every input of this scenario, with the value the run used, "
            "where it was set and the source its comment names (or <em>assumption</em>). An "
            "uncertain input is drawn anew in each replication from its distribution.</p>"
            + (f"<p><b>The scenario's notes:</b> {_linked(notes, cited or {})}</p>"
               if notes else "")
            + table_html(["key", "meaning", "value", "set in", "source"], body))


def milestones_html(milestones, summary: dict) -> str:
    names = Names(summary.get("names"))
    n = summary["monte_carlo"]["replications"]
    intro = ("<h2>Milestones</h2><p>When each recipient, and all together, see their first "
             "GPU arrive and their first GPU run, and reach 25, 50, 90 and 100 % of their "
             "GPUs operational")
    if n == 1:  # no spread: the one replication's dates
        rows = [[esc(names.recipient(m.recipient)), esc(reached(m.milestone)),
                 f"<b>{esc(date_or(m.p50_date))}</b>", esc(m.target)]
                for m in milestones.itertuples()]
        return (intro + f" in the run's one replication ({esc(ONE)}).</p>"
                + table_html(["recipient", "milestone", "date", "target"], rows))
    rows = [[esc(names.recipient(m.recipient)), esc(reached(m.milestone)),
             esc(date_or(m.p10_date)),
             f"<b>{esc(date_or(m.p50_date))}</b>", esc(date_or(m.p90_date)), esc(m.target),
             esc(percent(m.p_by_target, n)) if m.milestone == "100%" else ""]
            for m in milestones.itertuples()]
    return (intro + f": P10, P50 and P90 over the {replications(n)}, and the share of "
            "replications that meet the target.</p>"
            + table_html(["recipient", "milestone", "P10", "P50", "P90", "target",
                          "P(by target)"], rows))


def reached(milestone: str) -> str:
    """A milestone as a reader says it: ``25% operational``, ``first arrival``."""
    return f"{milestone} operational" if milestone.endswith("%") else milestone


def run_report(folder: Path, tables: dict, *, where: Path, who: str, labels: dict,
               inputs: list, command: str | None, run_inputs: dict, terminal: str,
               figures: list[str], as_of: str | None = None, cited: dict | None = None
               ) -> str:
    """The report of one run, from its tables and the figures in ``folder / 'plots'``
    (``where``: the run's folder, as the page names it)."""
    summary = tables["summary"]
    mc = summary["monte_carlo"]
    drivers = tables["drivers"]
    k = pairs(drivers)
    body = [answer_html(summary, labels), warnings_html(summary), "<h2>Figures</h2>"]
    body += [figure_html(folder / "plots", name, captions.run_caption(
        name, mc["replications"], mc["representative_replication"], k)) for name in figures] \
        or ["<p>No figures were drawn for this run (<code>outputs.figures</code>: a sweep's "
            "job draws none unless it is <code>always</code>; the sweep's report has the "
            "sweep's own).</p>"]
    body.append(milestones_html(tables["milestones"], summary))
    if "sites" in tables and "first_ready_p50" in tables["sites"]:
        body.append(sites_html(tables["sites"], summary))
    body.append(inputs_html(inputs, cited))
    body.append(sources_html(cited))
    body.append(reproduce_html(command, summary["seed"], run_inputs, where, terminal))
    return page(f"When will the {summary['pledged_gpus']:,} GPUs run? Scenario: "
                f"{summary['scenario']}", f"{who} · seed {summary['seed']} · "
                f"{replications(mc['replications'])} · horizon {summary['horizon']}",
                as_of or summary.get("as_of"), body)
