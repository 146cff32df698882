"""``assumptions.csv``: every input of a run, the value it used and what that value rests on.

One row per input of the world (settings such as the seed or Monte Carlo sizes left out):

- a dated value (:mod:`sim.model.dated`): the revision in force on the as-of date, with its
  basis (fact, estimate or assumption), the date of its evidence (``since``), its sources,
  range, the events it was fitted to and its note;
- a plain value of ``conf/config.yaml``: the sources its comment cites that were public by
  the as-of date, the latest of their dates as its evidence date, and ``assumption`` or
  ``estimate`` as its comment says; ids it cites that were public only later are listed
  apart (``cited_after_as_of``), so a hindcast shows what it could not have known;
- a value a scenario or the command line sets: basis ``scenario`` or ``override`` (a what-if);
- each distribution of the undisclosed-site prior (``seeds/priors.yaml``, keys ``prior.*``):
  the prior's date or that of the revision in force, with its sources.
"""

from __future__ import annotations

from sim.app.sources import COMMAND_LINE, cited
from sim.outputs.report import describe, is_setting
from sim.outputs.results import config_items

COLUMNS = ("key", "value", "basis", "evidence_date", "sources", "range", "fitted_to",
           "set_in", "cited_after_as_of", "note")


def _dated_row(revision, value) -> dict:
    return {"key": revision.key, "value": describe(value), "basis": revision.basis,
            "evidence_date": revision.since.isoformat(), "sources": " ".join(revision.sources),
            "range": revision.range, "fitted_to": " ".join(revision.fitted_to),
            "set_in": "conf/config.yaml (dated)", "cited_after_as_of": "",
            "note": revision.note}


def _plain_row(key: str, value, where: str, text: str, known: dict, as_of) -> dict:
    ids = [i for i in cited([text]) if i in known]
    before = [i for i in ids if as_of is None or known[i].date <= as_of]
    later = [i for i in ids if i not in before]
    if where == COMMAND_LINE:
        basis = "override"
    elif where.startswith("conf/scenario/"):
        basis = "scenario"
    else:
        basis = "assumption" if "assum" in text else "estimate"
    when = max((known[i].date for i in before), default=None)
    return {"key": key, "value": describe(value), "basis": basis,
            "evidence_date": when.isoformat() if when else "", "sources": " ".join(before),
            "range": "", "fitted_to": "", "set_in": where, "cited_after_as_of": " ".join(later),
            "note": text}


def rows(config, used: dict, found: dict, seed_data) -> list[dict]:
    """The rows of ``assumptions.csv`` for a run of ``config`` (``used``: its revisions,
    ``found``: :func:`sim.app.sources.sources` of its keys)."""
    known, as_of = seed_data.sources, seed_data.as_of
    out = []
    for key, value in config_items(config):
        if is_setting(key) or key.startswith("outputs.") or key in ("scenario",):
            continue
        revisions = [r for k, r in used.items() if k == key or k.startswith(f"{key}.")]
        if revisions and key not in used and isinstance(value, dict):  # a per-entity table
            out += [_dated_row(r, value[r.key.rpartition(".")[2]]) for r in revisions]
            rest = {e: v for e, v in value.items() if f"{key}.{e}" not in used}
            if not rest:
                continue
            value = rest
        elif revisions:
            out.append(_dated_row(revisions[0], value))
            continue
        where, text = found.get(key, ("conf/config.yaml", ""))
        out.append(_plain_row(key, value, where, text, known, as_of))
    return out + prior_rows(seed_data)


def prior_rows(seed_data) -> list[dict]:
    """A row per distribution of the undisclosed-site prior in force on the as-of date."""
    from sim.seeds.events import PRIOR_DISTRIBUTIONS

    records = seed_data.records
    if seed_data.prior is None or records is None:
        return []
    out = []
    for name in PRIOR_DISTRIBUTIONS:
        changed = [r for r in records.prior_revisions if name in r.fields and
                   (seed_data.as_of is None or r.public <= seed_data.as_of)]
        since = changed[-1].public if changed else seed_data.prior.public
        out.append({"key": f"prior.{name}", "value": describe(getattr(seed_data.prior, name)),
                    "basis": "assumption", "evidence_date": since.isoformat() if since else "",
                    "sources": "", "range": "", "fitted_to": "",
                    "set_in": "seeds/priors.yaml" + (" (revised)" if changed else ""),
                    "cited_after_as_of": "", "note": ""})
    return out
