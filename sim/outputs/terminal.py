"""The few lines the terminal shows at the end of a run, from its ``summary.json``.

A figure the run does not define reads ``not defined yet (why)``; every line is inert
(:func:`sim.text.inert`): ids and names from the seed files reach no terminal raw.
"""

from __future__ import annotations

from pathlib import Path

from sim.outputs.folders import shown
from sim.outputs.formats import headline_label, percent
from sim.study.generation_counts import sentence
from sim.study.headline import HORIZON_NAMES as NAMES
from sim.study.headline import ONE, own_unit, replications
from sim.study.own_count import sentence as own_count_sentence
from sim.study.precision import said
from sim.study.tables import NOT_BY_HORIZON
from sim.study.targets import TOTAL
from sim.study.undefined import NOT_DEFINED, is_undefined
from sim.text import inert


def year_ends(counts: dict, horizon: str, said=lambda n: f"{n / 1000:.0f}k") -> str:
    """``2026: 18k, 2027: 23k`` (each count as ``said`` says it); the years after the
    horizon together, not defined."""
    said_ = [f"{y}: {said(n)}" for y, n in counts.items() if not is_undefined(n)]
    late = [y for y, n in counts.items() if is_undefined(n)]
    if late:
        span = late[0] if len(late) == 1 else f"{late[0]}-{late[-1]}"
        said_.append(f"{span}: {NOT_DEFINED} (after the horizon {horizon})")
    return ", ".join(said_)


def report(summary: dict, run_dir: Path) -> str:
    """The few lines the terminal shows at the end of a run."""
    mc = summary["monte_carlo"]
    n = mc["replications"]
    when = mc["all_operational"]
    years = year_ends(summary["operational_at_year_end"], summary["horizon"])
    own = "".join(f"; {headline_label(key).replace(' operational by', ' by')} = "
                  f"{percent(p, n)}" for key, p in mc.items()
                  if own_unit(key) == "probability")
    spread = (f" ({ONE})" if n == 1 else
              f" (P10 {when['p10'] or 'after the horizon'}, "
              f"P90 {when['p90'] or 'after the horizon'})")
    lines = [
        f"results: {shown(run_dir)}",
        f"scenario {summary['scenario']} as of {summary.get('as_of') or '-'} "
        f"(seed {summary['seed']}, {replications(n)}): all {summary['pledged_gpus']:,} GPUs "
        f"operational {'on' if n == 1 else 'P50'} {when['p50'] or 'after the horizon'}"
        + spread,
        *([f"  where the time goes: {mc['delay']['text']}"]
          if (mc.get("delay") or {}).get("text") else []),
        f"  P(all operational by 2030-12-31) = "
        f"{percent(mc['p_all_operational_by_2030_12_31'], n)}{own}"
        " (shares of the replications, with 95 % Wilson intervals)",
        "  P(full allocation by target): " + ", ".join(
            f"{r} {percent(p, n)}" for r, p in mc["p_full_by_target"].items() if r != TOTAL),
    ]
    if mc.get("precision"):
        lines.append(f"  {said(mc['precision'])}")
    if mc.get("own_count"):
        lines.append(f"  {own_count_sentence(mc['own_count'], n, percent)}")
    if sentence(mc.get("figures") or {}):
        lines.append(f"  generations: {sentence(mc['figures'])}")
    if (mc.get("sensitivity") or {}).get("text"):
        lines.append(f"  what drives the date: {mc['sensitivity']['text']}")
    figures = mc.get("figures") or {}
    if n > 1 and "mw_drawn_at_horizon" in figures:
        lines += statistic_lines(summary, figures)
    else:  # one replication: its own figures
        lines += [
            f"  operational at year end ({ONE}): {years}",
            f"  peak waiting for power: {summary['peak_waiting_gpus']:,} GPUs"
            f" ({summary['peak_waiting_date'] or '-'}); idle "
            f"{summary['idle_gpu_months']:,.0f} GPU-months, worth "
            f"{summary['idle_value_won'] / 1e12:.2f} trillion won",
            f"  MW drawn at the horizon: {summary['mw_drawn_at_horizon']:,} of the "
            f"{summary['mw_for_full_pledge']:,} the full pledge needs"]
    return inert("\n".join(lines + [horizon_line(summary)] + warning_lines(summary)),
                 newlines=True)


def _band(figure, scale: float = 1.0, unit: str = "", digits: int = 0) -> str:
    """``P50 x (P10 a to P90 b)`` of a figure's quantiles, in ``unit`` after dividing by
    ``scale``; not defined where the figure is not."""
    if is_undefined(figure):
        return NOT_DEFINED
    low, mid, high = (figure[q] / scale for q in ("p10", "p50", "p90"))
    text = f"{mid:,.{digits}f}{unit}"
    return text if low == high else f"{text} ({low:,.{digits}f}-{high:,.{digits}f}{unit})"


def statistic_lines(summary: dict, figures: dict) -> list[str]:
    """The year ends, the waiting for power and the MW as P50s with their P10 to P90 over
    the replications (the statistics compare and sweeps give under the same names)."""
    year_keys = sorted(key for key in figures if key.startswith("operational_") and
                       key.endswith("_12_31") and key[12:16].isdigit())
    years = year_ends({key[12:16]: figures[key] for key in year_keys}, summary["horizon"],
                      lambda f: _band(f, 1000, "k"))
    return [
        f"  P50 (P10-P90) over the replications: operational at year end {years}",
        f"  peak waiting for power {_band(figures['peak_waiting_gpus'])} GPUs; idle "
        f"{_band(figures['idle_gpu_months'], 1e6, ' M', 2)} GPU-months, worth "
        f"{_band(figures['idle_value_won'], 1e12, ' tn', 2)} won",
        f"  MW drawn at the horizon {_band(figures['mw_drawn_at_horizon'])} of the "
        f"{_band(figures['mw_for_full_pledge'])} the full pledge needs",
    ]


# What the end of a run warns about: a stage of :data:`sim.study.accounting.STAGES` other
# than operational, and what a GPU left in it at the horizon is.
WARNINGS = (
    ("waiting_power", "stranded without power at the horizon"),
    ("in_transit", "still in transit at the horizon"),
    ("installing", "still installing (racked or burning in) at the horizon"),
    ("unshipped", "not shipped by the horizon"),
)


def horizon_line(summary: dict) -> str:
    """Where every GPU stands at the horizon, by stage, in the representative replication
    (the warnings name the recipients), and in how many replications some are not running."""
    total = summary["gpus_at_horizon"][TOTAL]
    stages = ", ".join(f"{n:,} {NAMES[stage]}" for stage, n in total.items()
                       if n or stage == "operational")
    mc = summary["monte_carlo"]
    n = mc["replications"]
    if n == 1:
        return f"  GPUs at the horizon {summary['horizon']}: {stages}"
    late = mc.get("finishes_last", {}).get("recipients", {}).get(NOT_BY_HORIZON, 0)
    return (f"  GPUs at the horizon {summary['horizon']} in the representative replication "
            f"{mc['representative_replication']} (nearest the median): {stages}; in {late} "
            f"of {n} replications some GPUs are not operational by then")


def warning_lines(summary: dict) -> list[str]:
    """A line for each stage other than operational that holds GPUs at the horizon, naming
    the recipients whose GPUs are there."""
    counts = summary["gpus_at_horizon"]
    lines = []
    for stage, what in WARNINGS:
        n = counts[TOTAL][stage]
        if n:
            named = ", ".join(f"{r} {c[stage]:,}" for r, c in counts.items()
                              if r != TOTAL and c[stage])
            lines.append(f"  warning: {n:,} GPUs {what} {summary['horizon']}: {named}")
    return lines
