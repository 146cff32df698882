"""A sweep's figures, drawn from ``sweep.csv``'s table: each headline figure against the swept
input(s), in the style of :mod:`sim.outputs.compare_plots`.

:func:`factor_lines`, against one numeric input: a panel per figure with the P50 over each
job's replications and its P10–P90 bar, and one panel of every odds the jobs have
(P(all GPUs operational by 2030-12-31), each recipient's own target such as P(government 50k
by 2030-12-31)): each the share of replications with its 95 % Wilson interval
(:func:`sim.study.scores.wilson`), on an axis from 0 % to 100 %, so that a flat 0 % reads as
one and not as noise around it. Odds that do not move are drawn too, and their legend says
so. :func:`heatmap`, over two numeric inputs: one cell per job; odds on the same 0-100 %
scale in every panel, each cell with its Wilson interval.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from sim.outputs.formats import headline_label
from sim.outputs.style import figure, nothing_to_show, run_color, title
from sim.study.headline import HEADLINE_UNITS, OWN_P, own_unit
from sim.study.scores import wilson
from sim.study.undefined import NOT_DEFINED

UNITS = {"days": "days", "GPUs": "GPUs", "GPU-months": "GPU-months", "won": "won",
         "MW": "MW (facility)", "probability": "share of replications"}
ODDS = "odds"
"""The panel of every odds, in the place of the first."""
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
STYLES = ["-", "--", ":", "-."]


def is_odds(output: str) -> bool:
    """Whether a headline figure is a share of replications (odds)."""
    return (HEADLINE_UNITS.get(output) or own_unit(output)) == "probability"


def _value(output: str, v: float) -> str:
    """A headline figure as a reader wants it: won in trillions, counts with separators."""
    if is_odds(output):
        return f"{v:.0%}"
    return f"{v / 1e12:,.2f} tn" if output.endswith("_won") else f"{v:,.0f}"


def _defined(table: pd.DataFrame, output: str) -> bool:
    values = pd.to_numeric(table[output], errors="coerce") if output in table else None
    return values is not None and bool(values.notna().any())


def _undefined(ax, table: pd.DataFrame, output: str) -> bool:
    """Say on ``ax`` that ``output`` is not defined in any job, and why (True if so)."""
    if _defined(table, output):
        return False
    why = table.get(f"{output}_reason", pd.Series(dtype=object)).dropna()
    nothing_to_show(ax, f"{NOT_DEFINED} in any job" + (f" ({why.iloc[0]})" if len(why) else ""))
    ax.set_title(headline_label(output), fontsize=10, loc="left")
    return True


def _grid(n: int, width: float = 11):
    ncols = 2 if n > 1 else 1
    nrows = -(-n // ncols)
    height = 3.4 * nrows + 1.4
    fig, axes = figure(width, height, nrows=nrows, ncols=ncols, left=0.1, right=0.97,
                       bottom=0.75 / height, top=1 - 1.0 / height, wspace=0.3, hspace=0.5)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    return fig, axes.ravel()[:n]


def intervals(shares, replications) -> np.ndarray:
    """The 95 % Wilson interval of each share of ``replications`` (NaN where none)."""
    return np.array([wilson(round(p * k), k) or (np.nan, np.nan) if np.isfinite(p) and k > 0
                     else (np.nan, np.nan) for p, k in zip(shares, replications)], float)


def short_odds(output: str) -> str:
    """An odds as a legend names it: ``P(all GPUs by 2030-12-31)``, ``P(government 50k by
    2030-12-31)``."""
    found = OWN_P.fullmatch(output)
    if found:
        return f"P({found['recipient']} {found['gpus']} by {found['by'].replace('_', '-')})"
    return headline_label(output).replace(" operational", "")


def panels(outputs: list[str]) -> list[str]:
    """The panels of :func:`factor_lines`: each figure that is no odds, and :data:`ODDS` (all
    the odds together) where the first odds is."""
    out = [ODDS if is_odds(o) else o for o in outputs]
    return list(dict.fromkeys(out))


def factor_lines(table: pd.DataFrame, factor: str, by: str | None, outputs: list[str],
                 labels: dict):
    """Each output's P50 against a numeric ``factor`` with P10–P90 error bars, and every
    odds in one panel with its Wilson interval; a line per value of ``by`` (if any)."""
    shown = panels(outputs)
    fig, axes = _grid(len(shown))
    groups = list(table.groupby(by, sort=False)) if by else [("", table)]
    for ax, output in zip(axes, shown):
        if output == ODDS:
            _odds(ax, groups, factor, [o for o in outputs if is_odds(o)
                                       and _defined(table, o)], by, labels)
        elif not _undefined(ax, table, output):
            _spread(ax, groups, factor, output, by, labels)
        ax.set_xlabel(labels.get(factor, factor))
        ax.grid(alpha=0.3)
    if by and ODDS != shown[0]:
        axes[0].legend(fontsize=7.5)
    title(fig, f"Sweep: headline figures against {labels.get(factor, factor)}",
          "dot: the P50 over each job's replications, bar: its P10–P90; odds: the share of "
          "replications, bar: its 95 % Wilson interval, on 0-100 %"
          + (f"; a line per {labels.get(by, by)}" if by else ""))
    return fig


def _spread(ax, groups, factor: str, output: str, by: str | None, labels: dict) -> None:
    """A figure's P50 per job against ``factor``, with its P10–P90 bar where it has one."""
    for i, (value, rows) in enumerate(groups):
        rows = rows.sort_values(factor)
        x, y = rows[factor].to_numpy(float), rows[output].to_numpy(float)
        low, high = f"{output}_p10", f"{output}_p90"
        label = f"{labels.get(by, by)} = {value}" if by else None
        if low in rows and high in rows and rows[[low, high]].notna().all().all():
            err = [y - rows[low].to_numpy(float), rows[high].to_numpy(float) - y]
            ax.errorbar(x, y, yerr=np.clip(err, 0, None), marker="o", color=run_color(i),
                        capsize=3, label=label)
        else:
            ax.plot(x, y, marker="o", color=run_color(i), label=label)
    ax.set_title(headline_label(output), fontsize=10, loc="left")
    ax.set_ylabel(UNITS.get(HEADLINE_UNITS.get(output) or own_unit(output), ""))
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _, o=output: _value(o, v)))
    if output.endswith("days_after_2030"):
        ax.axhline(0, color="black", linestyle=":", linewidth=0.8)


def _odds(ax, groups, factor: str, odds: list[str], by: str | None, labels: dict) -> None:
    """Every odds against ``factor``: the share of each job's replications and its Wilson
    interval, a marker (and a colour, with no second input) per odds, on 0 % to 100 %."""
    ax.set_title("the odds: shares of replications (bar: 95 % Wilson interval)", fontsize=10,
                 loc="left")
    if not odds:
        nothing_to_show(ax, f"no odds {NOT_DEFINED} in any job")
        return
    xs = pd.concat([rows[factor] for _, rows in groups]).to_numpy(float)
    nudge = (np.ptp(xs) or 1.0) * 0.012  # the odds of one job side by side, not on top
    for j, output in enumerate(odds):
        for i, (value, rows) in enumerate(groups):
            rows = rows.sort_values(factor)
            y = rows[output].to_numpy(float)
            n = rows["replications"].to_numpy(float) if "replications" in rows else \
                np.zeros(len(rows))
            bounds = intervals(y, n.astype(int))
            err = np.clip(np.nan_to_num([y - bounds[:, 0], bounds[:, 1] - y]), 0, None)
            flat = np.nanmax(y) == np.nanmin(y) if np.isfinite(y).any() else True
            label = short_odds(output) + (f", {value}" if by else "") \
                + (f" ({y[0]:.0%} in every job)" if flat and len(y) > 1 else "")
            k, of = j * len(groups) + i, len(odds) * len(groups)  # side by side, all of them
            ax.errorbar(rows[factor].to_numpy(float) + (k - (of - 1) / 2) * nudge, y,
                        yerr=err, marker=MARKERS[j % len(MARKERS)],
                        linestyle=STYLES[j % len(STYLES)] if by else "-",
                        color=run_color(i if by else j), capsize=3, label=label)
    ax.set_ylim(-0.03, 1.03)  # 0 % to 100 %, a dot on either end drawn whole
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel("share of replications")
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.legend(fontsize=7, loc="best")


def heatmap(table: pd.DataFrame, x: str, y: str, outputs: list[str], labels: dict):
    """Each output's P50 over two numeric factors, one cell per job, the value in it; an
    odds' cells on 0-100 % with their Wilson intervals."""
    fig, axes = _grid(len(outputs), width=12)
    for ax, output in zip(axes, outputs):
        if _undefined(ax, table, output):
            continue
        grid = table.pivot_table(index=y, columns=x, values=output, aggfunc="mean")
        values = grid.to_numpy(dtype=float)
        odds = is_odds(output)
        image = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis",
                          **({"vmin": 0, "vmax": 1} if odds else {}))
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns], fontsize=8)
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index], fontsize=8)
        ax.set_xlabel(labels.get(x, x))
        ax.set_ylabel(labels.get(y, y))
        ax.set_title(headline_label(output), fontsize=10, loc="left")
        n = table.pivot_table(index=y, columns=x, values="replications", aggfunc="min") \
            .reindex_like(grid).to_numpy(dtype=float) if odds and "replications" in table \
            else None
        finite = values[np.isfinite(values)]
        middle = 0.5 if odds else (finite.min() + finite.max()) / 2 if finite.size else 0
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                text = _value(output, v)
                if n is not None and np.isfinite(n[i, j]):
                    low, high = intervals([v], [int(n[i, j])])[0]
                    text += f"\n({low:.0%}-{high:.0%})"
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color="white" if v < middle else "black")
        bar = fig.colorbar(image, ax=ax)
        if odds:
            bar.ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    title(fig, f"Sweep: headline figures over {labels.get(x, x)} and {labels.get(y, y)}",
          "each cell: the P50 over that job's replications; odds: the share of replications "
          "and its 95 % Wilson interval, on one 0-100 % scale")
    return fig
