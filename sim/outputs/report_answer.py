"""The answer at the top of a run's ``report.html``, in plain words: when all GPUs run and
how sure the model is, the odds of each target, where the time goes, what drives the date,
and the warnings (:mod:`sim.outputs.report` builds the page around it)."""

from __future__ import annotations

from sim.outputs.formats import date_or, percent, signed_days
from sim.outputs.html_parts import esc
from sim.outputs.labels import Names
from sim.study.drivers import MIN_RANKED_PAIRS
from sim.study.generation_counts import sentence
from sim.study.headline import ONE, OWN_P, replications
from sim.study.own_count import sentence as own_count_sentence
from sim.study.precision import said as precision_said
from sim.study.targets import DEADLINE, P_OWN_TARGET, TOTAL
from sim.study.undefined import said


def answer_html(summary: dict, labels: dict) -> str:
    """The question answered in plain words: the P50 date and its range, the odds of the
    targets, where the time goes, the generations, what the date's spread comes from, the
    tornado's clear drivers and what finishes last."""
    mc = summary["monte_carlo"]
    n = mc["replications"]
    when = mc["all_operational"]
    names = Names(summary.get("names"))
    horizon = summary["horizon"]
    gpus = summary["pledged_gpus"]
    p50 = when["p50"]
    undone = mc.get("finishes_last", {}).get("recipients", {}).get("not by the horizon")
    if p50:
        first = (f"In its one replication, all {gpus:,} pledged GPUs are operational by "
                 f"<b>{esc(p50)}</b> ({esc(ONE)}; the horizon is {esc(horizon)})."
                 if n == 1 else
                 f"In the median of {replications(n)}, all {gpus:,} pledged GPUs are "
                 f"operational by <b>{esc(p50)}</b>; in 8 of 10 replications between "
                 f"{esc(date_or(when['p10']))} and {esc(date_or(when['p90']))} (P10 to P90; "
                 f"the horizon is {esc(horizon)}).")
    else:
        first = (f"In {undone if undone is not None else 'more than half'} of "
                 f"{replications(n)}, not all {gpus:,} pledged GPUs are operational by the "
                 f"horizon, <b>{esc(horizon)}</b>: the median date is after it"
                 + (f"; the earliest tenth are done by {esc(when['p10'])} (P10)."
                    if when.get("p10") else ".") + " A later horizon would show when.")
    parts = [first]
    if (mc.get("delay") or {}).get("text"):  # what delays them: right after when
        text = mc["delay"]["text"]
        parts.append("Where the time goes: " + esc(text[0].upper() + text[1:]) + ".")
    parts.append(odds_html(mc, names, n))
    if mc.get("precision"):
        parts.append(esc(precision_said(mc["precision"])) + ".")
    if mc.get("own_count"):
        parts.append("As the ministry counts (its GPUs outside the pledge too): "
                     + esc(own_count_sentence(mc["own_count"], n, percent)) + ".")
    if sentence(mc.get("figures") or {}):
        parts.append("Generations (the pledge counts every GPU delivered under it, Vera "
                     "Rubin too): " + esc(sentence(mc["figures"])) + ".")
    if (mc.get("sensitivity") or {}).get("text"):
        text = mc["sensitivity"]["text"]
        parts.append("What the spread of the date comes from: " + esc(text) + " (see "
                     "sensitivity.csv).")
    top = [d for d in mc.get("top_drivers", [])
           if d.get("driver_replications", 0) >= MIN_RANKED_PAIRS and
           (d.get("effect_low_days", 1) > 0 or d.get("effect_high_days", -1) < 0)]
    if top:
        parts.append("What drives the date: " + "; ".join(
            f"{esc(labels.get(d['risk'], d['risk']))} {signed_days(d['effect_days'])} "
            f"(90 %: {signed_days(d['effect_low_days'])} to "
            f"{signed_days(d['effect_high_days'])})" for d in top)
            + ": holding it at its median would bring the P50 that much earlier (later, "
            "for a negative shift).")
    elif any(d.get("driver_replications", 0) >= MIN_RANKED_PAIRS
             for d in mc.get("top_drivers", [])):
        parts.append("No single input moves the P50 by more than sampling noise in the "
                     "replications studied (see the drivers figure).")
    elif mc.get("top_drivers"):
        parts.append(f"The tornado has too few replications to rank: no risk was re-run "
                     f"with the {MIN_RANKED_PAIRS} paired replications its interval needs "
                     "(raise mc.replications or mc.driver_budget).")
    last = mc.get("finishes_last", {}).get("recipients", {})
    if last:
        who, count = next(iter(last.items()))
        site, site_count = next(iter(mc["finishes_last"].get("sites", {}).items()),
                                (None, 0))
        text = ("some GPUs never run by the horizon" if who == "not by the horizon"
                else f"{names.recipient(who)} runs the last GPU")
        parts.append(f"What finishes last: {esc(text)} in {count} of {replications(n)}"
                     + (f"; the site of the last GPU is most often {esc(names.site(site))} "
                        f"({site_count} of {n})" if site and site != "not by the horizon"
                        else "") + ".")
    return '<div class="answer">' + "".join(f"<p>{p}</p>" for p in parts) + "</div>"


def odds_html(mc: dict, names: Names, n: int) -> str:
    """The odds of the targets in words: all by 2030-12-31, each recipient's own target
    (the government's 50,000), each other recipient's full allocation by its sites'
    announced dates; a figure not defined says so, with why."""
    own = {m["recipient"]: (m["gpus"], m["by"].replace("_", "-"), p) for key, p in mc.items()
           if (m := OWN_P.fullmatch(key))}
    text = (f"The chance that all are operational by {DEADLINE}: "
            f"<b>{esc(percent(mc['p_all_operational_by_2030_12_31'], n))}</b>. ")
    for r, (gpus, by, p) in own.items():
        text += (f"The chance that {esc(names.recipient(r, short=False))} has its own target, "
                 f"{esc(gpus)} GPUs operational by {esc(by)}: <b>{esc(percent(p, n))}</b>. ")
    if P_OWN_TARGET in mc:
        text += f"A recipient's own target: {esc(said(mc[P_OWN_TARGET]))}. "
    firms = ", ".join(f"{esc(names.recipient(r))} {esc(percent(p, n))}"
                      for r, p in mc["p_full_by_target"].items() if r != TOTAL and r not in own)
    if firms:
        text += f"Each other recipient's full allocation by its sites' announced dates: {firms}. "
    return text + "(Shares of the replications, with their 95 % Wilson intervals.)"


def warnings_html(summary: dict) -> str:
    notes = []
    for total, by, what in (("stranded_gpus", "stranded_by_recipient",
                             "waiting for power at the horizon"),
                            ("unshipped_gpus_at_horizon", "unshipped_by_recipient",
                             "not shipped by the horizon")):
        if summary.get(total):
            notes.append(f"In the representative replication, {summary[total]:,} GPUs are "
                         f"{what} ({', '.join(f'{r} {v:,}' for r, v in summary[by].items())}).")
    return "".join(f'<p class="warn">{esc(n)}</p>' for n in notes)
