"""The look shared by every figure: colours, names, axis formats, and how a figure is saved.

One colour per recipient in every figure of a run, by its place among the run's recipients
(the seed files' order: no recipient id is named here), and one colour per run (by its place
in a comparison or sweep) in every figure across runs. Figures are
:class:`~matplotlib.figure.Figure` objects, not pyplot's: nothing global to close, and
cheaper to make. Margins are fixed (``tight_layout`` costs more than the drawing). A figure
with no data says so in its middle ("nothing to show yet") rather than failing or drawing
an empty frame.

Names in Hangul (a user's seed files may give them) need a Korean font: NanumGothic
(Debian's ``fonts-nanum``, which ``.ci/run`` installs) is used where it is present, behind
DejaVu Sans for every other glyph. Without one, Hangul draws as boxes, and matplotlib's
warning per missing glyph is silenced: :func:`font_note` says so once instead.

Imported only when a figure is drawn, since it brings in matplotlib.
"""

from __future__ import annotations

import logging
import textwrap
import zlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
# Titles sit just above their panel: left to themselves, matplotlib measures every tick
# label of each panel to lift its title clear of a top axis, which no figure here has.
matplotlib.rcParams["axes.titley"] = 1.0
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sim.seeds.data import OPEN_TO_ALL  # noqa: E402
from sim.study.targets import TOTAL  # noqa: E402

PALETTE = ["#4c72b0", "#55a868", "#c44e52", "#8172b3", "#ccb974", "#937860", "#da8bc3",
           "#8c8c8c", "#17becf", "#bcbd22"]
"""The recipients' colours, by their place in the seed files (then around again)."""
FIXED = {TOTAL: "#333333", OPEN_TO_ALL: "#64b5cd"}
"""The colours of the rows that are no recipient: the total and capacity open to all."""
RUN_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
              "#7f7f7f", "#bcbd22", "#17becf"]
"""One colour per run, by its place (``[1]``, ``[2]``, ...) in a comparison or sweep."""
STAGE_COLORS = ["#bbbbbb", "#8fb8de", "#e8a33d", "#b07cc6", "#4c9a5b"]
FORMATS = ("png", "svg", "pdf")
DPI = 100
PNG_SPEED = {"compress_level": 1}
"""zlib's fastest level: about a third less time per PNG than the default for files about
10 % larger (the figures are 15-110 kB)."""
KOREAN_FONTS = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR")
"""Fonts that draw Hangul, the first found preferred."""
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
"""Where a font installed after matplotlib made its font cache is looked for."""
MISSING_GLYPH = r"Glyph .* missing from (current )?font"
NO_KOREAN_FONT = ("figures: no Korean font (NanumGothic: apt-get install fonts-nanum), so "
                  "Hangul in names draws as boxes")


def korean_font() -> str | None:
    """The name of a font that draws Hangul, or None: one matplotlib knows, else NanumGothic
    installed since its font cache was made (added to it here)."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    for name in KOREAN_FONTS:
        if name in known:
            return name
    for folder in FONT_DIRS:
        # its regular and bold faces (and the others of the family), not NanumGothicCoding
        paths = [p for p in sorted(Path(folder).expanduser().glob("**/NanumGothic*.ttf"))
                 if "Coding" not in p.name]
        for path in paths:
            font_manager.fontManager.addfont(str(path))
        if paths:
            return font_manager.FontProperties(fname=str(paths[0])).get_name()
    return None


def use_fonts() -> str | None:
    """DejaVu Sans with the Korean font behind it for Hangul (:func:`korean_font`); without
    one, matplotlib's glyph-by-glyph warnings silenced. The Korean font's name, or None."""
    import warnings

    name = korean_font()
    if name:  # its bold is a little lighter than bold: said on every bold title, else
        logging.getLogger("matplotlib.font_manager").addFilter(_weight_near)
    # a list of families, not "sans-serif": matplotlib falls back glyph by glyph only along it
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", *([name] if name else [])]
    if name is None:
        warnings.filterwarnings("ignore", message=MISSING_GLYPH, category=UserWarning)
    return name


def _weight_near(record) -> bool:
    """A log filter: drop matplotlib's note that a font's weight is near the one asked."""
    return not str(record.msg).startswith("findfont: Failed to find font weight")


KOREAN = use_fonts()
"""The font that draws Hangul in this process's figures (None: there is none)."""
_noted = False


def font_note() -> None:
    """Print, once per process, that there is no Korean font (if there is none)."""
    global _noted
    if KOREAN is None and not _noted:
        print(NO_KOREAN_FONT)
        _noted = True


def gpu_axis(ax) -> None:
    """A y axis of GPU counts: whole GPUs only, never below 0, read 50k, 100k (and 0, 400
    under a thousand, where a panel has next to nothing: not a column of "0k")."""
    ax.yaxis.set_major_locator(mticker.MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10],
                                                   integer=True, min_n_ticks=1))
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(
        lambda v, _: f"{v / 1000:,.0f}k" if abs(v) >= 1000 else f"{v:,.0f}"))
    ax.set_ylim(bottom=0)
NOTHING = "nothing to show yet"
TOO_SHORT = ("the horizon leaves fewer than two weeks after the pledge: no line or band to "
             "draw over time")
"""Why a figure over time shows nothing: its weekly table has fewer than two dates."""


def color(recipient: str, order=()) -> str:
    """A recipient's colour: :data:`PALETTE` at its place in ``order`` (the run's
    recipients, :attr:`sim.outputs.labels.Names.order`), the total's and open capacity's
    their own. An id not in ``order`` gets a colour fixed by its name."""
    if recipient in FIXED:
        return FIXED[recipient]
    others = [r for r in order if r not in FIXED]
    i = others.index(recipient) if recipient in others else \
        len(others) + zlib.crc32(str(recipient).encode())
    return PALETTE[i % len(PALETTE)]


def run_color(i: int):
    """The colour of the ``i``-th run (0-based) in every figure across runs."""
    if i < len(RUN_COLORS):
        return RUN_COLORS[i]
    return matplotlib.colormaps["viridis"]((i * 0.618) % 1.0)


def figure(width: float, height: float, *, left=0.08, right=0.97, bottom=0.12, top=0.88,
           nrows: int = 1, ncols: int = 1, wspace: float = 0.25, hspace: float = 0.35,
           **shared) -> tuple[Figure, np.ndarray]:
    """A figure with fixed margins (fractions of its size) and its axes as an array."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    axes = fig.subplots(nrows, ncols, squeeze=False, **shared)
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, wspace=wspace,
                        hspace=hspace)
    return fig, axes


def title(fig: Figure, text: str, note: str = "") -> None:
    """The figure's title, top left, and a smaller line under it (what it shows, from what)."""
    fig.text(0.01, 0.985, text, fontsize=12, weight="bold", va="top", ha="left")
    if note:
        fig.text(0.01, 0.985 - 0.32 / fig.get_figheight(), note, fontsize=8.5, va="top",
                 ha="left", color="#444444")


def years(ax, step: int | None = None) -> None:
    """Year ticks on a date axis, every ``step`` years (chosen from the span if None)."""
    if step is None:
        lo, hi = ax.get_xlim()
        inches = ax.get_position().width * ax.figure.get_figwidth()
        step = max(1, int(np.ceil((hi - lo) / 365.25 / max(inches * 2, 1))))
    ax.xaxis.set_major_locator(mdates.YearLocator(step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def label_panels(axes: np.ndarray, used: int, ylabel: str) -> None:
    """A grid of panels over time: those past the first ``used`` hidden, ``ylabel`` on the
    first column, years on the bottom row."""
    for ax in axes.ravel()[used:]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    for ax in axes[-1]:
        ax.set_xlabel("year")
        years(ax)


def span_weeks(ax, dates: pd.Index) -> None:
    """The x axis from the first week shown to the last (a week wide if there is one)."""
    last = dates.max() if len(dates) > 1 else dates.min() + pd.Timedelta(days=7)
    ax.set_xlim(dates.min(), last)


def too_short(ts: pd.DataFrame) -> bool:
    """Whether a weekly table has too few weeks to draw over time (:data:`TOO_SHORT`): none
    (the horizon before the pledge's first week), or one, which a line or a stacked area
    cannot show."""
    return ts.empty or ts["date"].nunique() < 2


def nothing_to_show(ax, why: str) -> None:
    """Say in the middle of ``ax`` that there is nothing to show yet, and why (wrapped to
    the panel's width: matplotlib's own wrapping fills the figure's, past a panel set off
    to one side)."""
    inches = ax.get_position().width * ax.figure.get_figwidth()
    why = textwrap.fill(why, max(30, int(inches * 11)))  # about 11 characters an inch at 11 pt
    ax.text(0.5, 0.5, f"{NOTHING}:\n{why}", transform=ax.transAxes, ha="center",
            va="center", fontsize=11, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def finite_dates(days, horizon_day: float | None = None) -> pd.Series:
    """Model days as timestamps; a day past the horizon (or not finite) becomes NaT."""
    from sim.calendar import DAY0

    days = pd.Series(np.asarray(days, dtype=float))
    limit = horizon_day if horizon_day is not None else 200 * 365.25
    keep = np.isfinite(days) & (days <= limit)
    out = pd.Series(pd.NaT, index=days.index, dtype="datetime64[ns]")
    out[keep] = pd.Timestamp(DAY0) + pd.to_timedelta(days[keep].astype(int), "D")
    return out


def save(fig: Figure, path: Path, formats=("png",)) -> list[Path]:
    """Save ``fig`` as ``path`` with each of ``formats``' suffixes; the paths written."""
    path = Path(path)
    written = []
    for fmt in formats:
        target = path.with_suffix(f".{fmt}")
        fig.savefig(target, dpi=DPI, format=fmt, metadata=_metadata(fmt),
                    **({"pil_kwargs": PNG_SPEED} if fmt == "png" else {}))
        written.append(target)
    return written


def _metadata(fmt: str) -> dict:
    """No creation date in the file, so that a figure is the same bytes every time."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}
