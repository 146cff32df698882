"""The suite's tiers (tests/tiers.py): a test that starts a process is found to be ``cli``; a
``unit`` test that starts one all the same fails."""

from __future__ import annotations

import subprocess
import sys

import pytest
import tiers

pytest_plugins = ["pytester"]


def _helper_that_runs_python():
    return subprocess.run([sys.executable, "-c", "pass"], check=True)


def _test_calling_a_helper():
    _helper_that_runs_python()


def _test_of_a_sweep():
    return ["mc.n_jobs=2", "seed=1"]


def _test_in_process():
    return sum(range(10))


def test_a_test_that_starts_a_process_itself_or_through_a_helper_or_a_pool_is_found():
    assert tiers.starts_process(_helper_that_runs_python)
    assert tiers.starts_process(_test_calling_a_helper)
    assert tiers.starts_process(_test_of_a_sweep)
    assert not tiers.starts_process(_test_in_process)
    assert not tiers.starts_process(sum)  # not the suite's own: not looked into


def test_watch_notes_every_process_started(tmp_path):
    with tiers.watch() as started:
        _helper_that_runs_python()
    assert len(started) == 1 and "fork_exec" in started[0]


@pytest.mark.cli
def test_a_unit_test_that_starts_a_process_fails(pytester):
    pytester.makepyfile(test_hidden="""
        import importlib, sys
        def test_hidden_start():
            importlib.import_module("subpro" + "cess").run([sys.executable, "-c", "pass"])
        def test_quiet():
            assert True
    """)
    result = pytester.runpytest("-p", "tiers", "-m", "unit")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*a unit test started a process*mark it cli*"])
