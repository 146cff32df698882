"""``python -m benchmarks`` prints each figure in one line form against its target: checked on
made-up measurements (the benchmarks' speed is measured by running them, never here)."""

from __future__ import annotations

import importlib
import json
import sys

import pytest
from conftest import ROOT


def _benchmark(name: str):
    if str(ROOT) not in sys.path:  # benchmarks/ is not part of the installed package
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(f"benchmarks.{name}")


def _fakes() -> dict[str, object]:
    startup, montecarlo = _benchmark("startup"), _benchmark("montecarlo")
    ema, sensitivity = _benchmark("ema"), _benchmark("sensitivity")
    return {
        "startup": startup.Measured(0.66, {"default": 3.5, "quick": 1.2, "refused": 0.5}, 834,
                                    {}),
        "montecarlo": montecarlo.Measured(4.6e-7, 5.3e-3, 21.5e-3, 5.5, 2.97, 45.7, 50.3),
        "ema": ema.Measured(2.0, 4.2, "2.5.3"),
        "sensitivity": sensitivity.Measured(3.1, 0.4, 500, 27),
    }


@pytest.mark.parametrize("name", ["startup", "montecarlo", "ema", "sensitivity"])
def test_every_figure_prints_as_value_against_target(name):
    common = _benchmark("common")
    figures = _benchmark(name).figures(_fakes()[name])
    assert figures
    for figure in figures:
        found = common.LINE.match(figure.line())
        assert found, figure.line()
        assert found["name"] == figure.name and found["unit"] == figure.unit
        assert found["op"] == (">=" if figure.at_least else "<=")
        value = float(found["value"].replace(",", ""))
        assert value == pytest.approx(figure.value, rel=0.01)
        assert float(found["target"].replace(",", "")) == figure.target


def test_a_line_reads_as_the_issue_writes_it_and_says_whether_it_is_met():
    common = _benchmark("common")
    slow = common.Figure("default run / import floor", 5.1, 3.0, at_least=False)
    assert slow.line() == "default run / import floor: 5.10x (target <= 3x)" and not slow.met
    fast = common.Figure("ours / EMA", 2.34, 2.0, at_least=True)
    assert fast.line() == "ours / EMA: 2.34x (target >= 2x)" and fast.met
    many = common.Figure("one replication / one timeout", 11_480.4, 12_000, at_least=False)
    assert many.line().endswith(": 11,480x (target <= 12,000x)") and many.met
    seconds = common.Figure("sensitivity", 41.27, 60.0, at_least=False, unit="s")
    assert seconds.line() == "sensitivity: 41.3s (target <= 60s)"
    assert not common.LINE.match("sensitivity: 41.3s (target <= 60x)")  # one unit


def test_interleaved_rounds_run_every_action_in_turn_and_keep_each_ones_median(monkeypatch):
    common = _benchmark("common")
    monkeypatch.setattr(common, "seconds", lambda action: action())  # an action's "time"
    calls, times = [], {"a": iter([5.0, 1.0, 3.0]), "b": iter([2.0, 9.0, 4.0])}

    def action(name):
        return lambda: calls.append(name) or next(times[name])

    found = common.interleaved({"a": action("a"), "b": action("b")}, 3)
    assert calls == ["a", "b"] * 3 and found == {"a": 3.0, "b": 4.0}


def test_where_a_run_went_reads_its_manifests(tmp_path):
    startup = _benchmark("startup")
    for k, study in enumerate([1.0, 3.0, 2.0]):
        folder = tmp_path / "results" / "baseline" / str(k)
        folder.mkdir(parents=True)
        seconds = {"checks": 0.3, "study": study, "tables": 0.2, "figures": 0.8, "report": 0.1}
        (folder / "manifest.json").write_text(json.dumps(
            {"wall_seconds": sum(seconds.values()), "seconds": seconds}))
    parts = startup.stages(tmp_path, wall=4.0)
    assert list(parts) == [startup.BEFORE, "checks", "study", "tables", "figures", "report"]
    assert parts["study"] == 2.0 and parts[startup.BEFORE] == pytest.approx(4.0 - 3.4)
    line = startup.where("default", parts)
    assert "study 2.00 s (50%)" in line and "(4.00 s)" in line
    assert startup.stages(tmp_path / "none", wall=1.0) == {}
