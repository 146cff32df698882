"""The look shared by every figure: colours, axis formats, and how a figure is finished.

Imported only when a figure is drawn, since it brings in pyplot.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402

from sim.study.targets import TOTAL  # noqa: E402

COLORS = {"government": "#4c72b0", "samsung": "#55a868", "sk": "#c44e52",
          "hyundai": "#8172b3", "naver": "#ccb974", TOTAL: "#333333", "any": "#64b5cd"}
STAGE_COLORS = ["#bbbbbb", "#8fb8de", "#e8a33d", "#b07cc6", "#4c9a5b"]
THOUSANDS = mticker.FuncFormatter(lambda v, _: f"{v / 1000:.0f}k")
"""GPU counts on an axis: 50k, 100k."""


def years(ax, step: int = 1) -> None:
    """Year ticks on a date axis, every ``step`` years."""
    ax.xaxis.set_major_locator(mdates.YearLocator(step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def finish(fig, ax, path: Path, title: str, ylabel: str) -> None:
    """Title, y label, year ticks and grid on a one-panel figure; save and close it."""
    ax.set_title(title, loc="left", fontsize=11)
    ax.set_ylabel(ylabel)
    years(ax)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def save_panels(fig, path: Path) -> None:
    """Save a 2 x 3 grid of panels; fixed margins, as tight_layout costs more than drawing."""
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.07, top=0.9, wspace=0.22, hspace=0.25)
    fig.savefig(path, dpi=100)
    plt.close(fig)
