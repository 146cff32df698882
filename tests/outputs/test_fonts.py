"""Hangul in a name draws in a Korean font where one is installed (Debian's fonts-nanum, as
.ci/run installs it); without one, the figures say so once, not once per glyph."""

from __future__ import annotations

import io
import warnings

import pytest

from sim.outputs import style

HANGUL = "정부 GPU 센터 (광주)"


def _draw_hangul() -> list[str]:
    """The warnings drawing a Hangul title gives (the filters in force kept)."""
    fig, axes = style.figure(4, 3)
    axes[0, 0].set_title(HANGUL)
    with warnings.catch_warnings(record=True) as caught:
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught]


@pytest.fixture
def fonts():
    """The font settings as they were, after the test."""
    import matplotlib

    family = matplotlib.rcParams["font.family"]
    with warnings.catch_warnings():  # use_fonts' filter goes with the test
        yield
    matplotlib.rcParams["font.family"] = family


@pytest.mark.skipif(style.korean_font() is None,
                    reason="no Korean font here: apt-get install fonts-nanum (as .ci/run does)")
def test_with_a_korean_font_hangul_draws_without_a_missing_glyph(fonts):
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # a missing glyph would be seen, not filtered
        assert style.use_fonts() == "NanumGothic"
        assert not [m for m in _draw_hangul() if "missing from" in m]


def test_without_one_the_figures_say_so_once_and_matplotlib_not_per_glyph(
        fonts, monkeypatch, capsys):
    monkeypatch.setattr(style, "korean_font", lambda: None)  # the font hidden from the lookup
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        monkeypatch.setattr(style, "KOREAN", style.use_fonts())
        monkeypatch.setattr(style, "_noted", False)
        assert style.KOREAN is None
        seen = _draw_hangul() + _draw_hangul()
        style.font_note()
        style.font_note()
    assert not [m for m in seen if "missing from" in m]
    assert capsys.readouterr().out == style.NO_KOREAN_FONT + "\n"
