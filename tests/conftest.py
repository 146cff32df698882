"""Shared helpers: compose configs the way the command line does, run the model, run the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import settings
from tiers import pytest_collection_modifyitems, pytest_configure, unit_starts_no_process  # noqa: F401 (hooks)

from sim.app import compose
from sim.app.paths import CONF_DIR, SEEDS_DIR
from sim.app.runner import run

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))

# Property tests: `ci` by default; HYPOTHESIS_PROFILE=long pytest tests/test_properties.py
# for the long run by hand. Runs of the model take a while, so no per-example deadline.
settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("long", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def one_ray_at_a_time(tmp_path_factory):
    """Tests that start a Ray or look for one take turns: Ray's ``auto`` address finds any
    Ray running on the machine, and pytest-xdist runs tests in parallel. A lock file shared
    by the run's workers; on the way out, wait until the test's Ray has stopped."""
    import fcntl
    import time

    lock = tmp_path_factory.getbasetemp().parent / "ray.lock"
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            deadline = time.monotonic() + 30
            while _rays_running() and time.monotonic() < deadline:
                time.sleep(0.2)


def _rays_running() -> bool:
    try:
        from ray._private.services import find_gcs_addresses
    except ImportError:
        return False
    return bool(find_gcs_addresses())


def make_cfg(*overrides: str):
    """The composed config for ``overrides``, exactly as ``python -m sim`` would build it."""
    return compose.compose(list(overrides))


@lru_cache(maxsize=256)
def resolved(*overrides: str):
    """The resolved config for ``overrides``, as a run would see it (composed once: Hydra's
    composition costs a few tenths of a second; do not change the returned tree)."""
    from sim.app.runner import prepare

    return prepare(make_cfg(*overrides))[0]  # dated values as of the run's as-of date


def simulate(*overrides: str):
    """``(resolved config, RunOutput)`` for ``overrides``."""
    return run(make_cfg(*overrides))


def cli_env(env: dict | None = None) -> dict:
    """The environment of a command-line run: HYDRA_FULL_ERROR only if ``env`` sets it."""
    full_env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    return {**full_env, "MPLBACKEND": "Agg", **(env or {})}


QUICK = ("mc.replications=4", "mc.driver_replications=2")
"""A few replications: enough for tests of the command line that are not about the numbers."""


def run_cli(*args: str, cwd: Path, env: dict | None = None, module: str = "sim",
            quick: bool = True) -> subprocess.CompletedProcess:
    """``python -m sim ARGS`` (or another ``module``) as a user runs it, in ``cwd``; for
    ``sim``, with :data:`QUICK` Monte Carlo settings last unless ``quick=False``."""
    last = QUICK if module == "sim" and quick else ()
    return subprocess.run([sys.executable, "-m", module, *map(str, args), *last], cwd=cwd,
                          env=cli_env(env), capture_output=True, text=True, timeout=300)


def edit_seed(folder: Path, name: str, change) -> None:
    """Let ``change`` edit the data of ``<folder>/<name>.yaml`` in place, and write it back."""
    path = folder / f"{name}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def record(records: list[dict], **match) -> dict:
    """The first record whose fields hold ``match``: ``record(d["sites"], id="sk_ulsan")``."""
    return next(r for r in records if all(r.get(k) == v for k, v in match.items()))


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of the seed files, for tests that break or change them."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, folder)
    return folder


FIXTURE_SEEDS = ROOT / "tests" / "fixtures" / "seeds"
"""The small frozen seed folder of the mechanism tests (tests/fixtures/seeds/README.md)."""


@pytest.fixture
def fixture_copy(tmp_path) -> Path:
    """A private copy of the fixture's seed files, for tests that break or change them."""
    folder = tmp_path / "seeds"
    shutil.copytree(FIXTURE_SEEDS, folder)
    return folder


def tree(folder: Path) -> dict[str, str]:
    """Everything under ``folder``, hidden files too: path -> the file's sha256, ``dir``, or
    ``link -> target``. Two equal trees are byte-identical."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            found[rel] = f"link -> {os.readlink(path)}"
        elif path.is_dir():
            found[rel] = "dir"
        elif not path.is_file():  # a pipe: reading it would wait for a writer
            found[rel] = "special"
        else:
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def rehash(run_dir: Path, *names: str) -> None:
    """Put the current checksums of ``names`` into the run's manifest, as a tamperer would."""
    path = Path(run_dir) / "manifest.json"
    manifest = json.loads(path.read_text())
    for name in names:
        manifest["files"][name] = hashlib.sha256((Path(run_dir) / name).read_bytes()).hexdigest()
    path.write_text(json.dumps(manifest))


TINY = ("horizon=2026-03-30", "mc.replications=2", "mc.drivers=false", "mc.n_jobs=1")
"""A run that takes a second or two: for tests of folders, not of numbers."""


@pytest.fixture(scope="session")
def finished(tmp_path_factory) -> dict[str, Path]:
    """A finished run (``run``) and a finished sweep of seed=2,3 (``sweep``), made once, to be
    copied by tests that need them."""
    cwd = tmp_path_factory.mktemp("finished")
    run = run_cli(*TINY, "hydra.run.dir=run", cwd=cwd, quick=False)
    assert run.returncode == 0, run.stderr
    sweep = run_cli("-m", "seed=2,3", *TINY, "hydra.sweep.dir=sweep", cwd=cwd, quick=False)
    assert sweep.returncode == 0, sweep.stderr
    return {"run": cwd / "run", "sweep": cwd / "sweep"}


@pytest.fixture(scope="session", autouse=True)
def provenance_known():
    """Ask git for the checkout once, before any test (a run's manifest names it, and
    :mod:`sim.outputs.provenance` asks once per process): writing a run's folder in a ``unit``
    test then starts no process."""
    from sim.outputs import provenance

    provenance.git_describe()
