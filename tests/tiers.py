"""The suite's tiers, as a pytest plugin (tests/conftest.py loads its hooks).

- ``cli``: a test that starts a Python process (the command line, a worker pool, Ray);
- ``data``: a test that checks that today's ``seeds/`` and ``conf/`` give plausible answers;
- ``slow``: a long one;
- ``unit``: every other test: in this process, on the fixtures, quick
  (``pytest -m unit -n 2``).

A test is ``cli`` by hand, or found to be: its code, or that of a helper or fixture of the
suite it calls, names :data:`STARTERS` or gives an override of :data:`WORKERS`
(:func:`starts_process`). A ``unit`` test that starts
a process all the same (through a study's worker pool, say) fails (:func:`watch`): mark it
``cli``.
"""

from __future__ import annotations

import _posixsubprocess
import os
import re
import subprocess
import sys
import types
from contextlib import contextmanager
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
TIERS = {
    "unit": "in this process, on the fixtures: the quick tier (pytest -m unit -n 2)",
    "cli": "starts a Python process (the command line, a worker pool, Ray)",
    "data": "checks that today's seeds/ and conf/ give plausible answers",
    "slow": "long-running",
}
STARTERS = frozenset({"run_cli", "run_with_fault", "subprocess", "Popen"})
"""Names whose use starts a process: the suite's helpers that run ``python -m sim``, and the
standard library's own."""
WORKERS = re.compile(r"mc\.n_jobs=(?!1$)|mc\.backend=ray")
"""Overrides that run a study's replications on worker processes (any count but one) or Ray."""


def _names(code: types.CodeType) -> set[str]:
    """Every global or attribute name a code object (and the functions inside it) uses, and
    every string it holds, marked ``'...'``."""
    found = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= _names(const)
        elif isinstance(const, str):
            found.add(f"'{const}'")
    return found


def _in_suite(func) -> bool:
    code = getattr(func, "__code__", None)
    return code is not None and Path(code.co_filename).resolve().is_relative_to(TESTS)


def starts_process(func, seen: set | None = None) -> bool:
    """Whether ``func`` (a test, a fixture, a helper of the suite) names a process starter,
    itself or through a function of the suite it calls."""
    seen = set() if seen is None else seen
    if not _in_suite(func) or func.__code__ in seen:
        return False
    seen.add(func.__code__)
    names = _names(func.__code__)
    if names & STARTERS or any(WORKERS.match(n.strip("'")) for n in names if n[0] == "'"):
        return True
    called = (func.__globals__.get(name) for name in names)
    return any(isinstance(f, types.FunctionType) and starts_process(f, seen) for f in called)


def _fixtures(item) -> list:
    info = getattr(item, "_fixtureinfo", None)
    return [defs[-1].func for defs in (info.name2fixturedefs.values() if info else []) if defs]


def pytest_configure(config) -> None:
    for name, what in TIERS.items():
        config.addinivalue_line("markers", f"{name}: {what}")


def pytest_collection_modifyitems(config, items) -> None:
    """Mark each test with its tier: ``cli`` if it starts a process, ``unit`` if it is none
    of ``cli``, ``data`` or ``slow``."""
    for item in items:
        func = getattr(item, "function", None)
        if item.get_closest_marker("cli") is None and func is not None and (
                starts_process(func) or any(starts_process(f) for f in _fixtures(item))):
            item.add_marker(pytest.mark.cli)
        if not any(item.get_closest_marker(m) for m in ("cli", "data", "slow")):
            item.add_marker(pytest.mark.unit)


def _spawners() -> list[tuple[object, str]]:
    """``(owner, attribute)`` of every function through which a process starts or a pool of
    them is taken: the standard library's fork and exec (``subprocess`` and
    ``multiprocessing`` end there), joblib's process pool (a later test would find its
    workers already running) and Ray's start."""
    from joblib.externals import loky

    found = [(_posixsubprocess, "fork_exec"), (os, "fork"), (os, "posix_spawn"),
             (os, "posix_spawnp"), (loky, "get_reusable_executor")]
    if hasattr(subprocess, "_fork_exec"):  # Python 3.11 binds it at import
        found.append((subprocess, "_fork_exec"))
    ray = sys.modules.get("ray")
    return found + ([(ray, "init")] if ray is not None and hasattr(ray, "init") else [])


@contextmanager
def watch():
    """Within: every process started, or pool of processes taken, is noted in the list
    yielded (and still started)."""
    started: list[str] = []
    saved = [(owner, name, getattr(owner, name)) for owner, name in _spawners()]

    def noting(name, real):
        def start(*args, **kwargs):
            started.append(f"{name}{repr(args[:1])[:160]}")
            return real(*args, **kwargs)
        return start

    for owner, name, real in saved:
        setattr(owner, name, noting(name, real))
    try:
        yield started
    finally:
        for owner, name, real in saved:
            setattr(owner, name, real)


@pytest.fixture(autouse=True)
def unit_starts_no_process(request):
    """Fail a ``unit`` test that starts a process (after it ran, so that nothing hangs)."""
    if request.node.get_closest_marker("unit") is None:
        yield
        return
    with watch() as started:
        yield
    if started:
        pytest.fail(f"a unit test started a process ({started[0]}): mark it cli",
                    pytrace=False)
