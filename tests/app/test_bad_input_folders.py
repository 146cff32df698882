"""The catalogue of bad input, continued: folders that are not a run's to write, links,
received folders that attack the reader, and Hydra settings that would write before the
input is checked (issue 19, items 1, 2, 3 and 8).

Each case is refused as in :mod:`test_bad_input` (exit status 2, one line, no traceback,
every file where the command ran byte for byte as it was), and the project's own ``conf/``
and ``seeds/`` and the package are left as they were too. A property test then plants
random links and foreign files around and inside run and sweep folders, and checks that a
run or sweep never changes anything outside its own folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import TINY, run_cli, tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bad_input import Case, _copy

from sim.app.paths import CONF_DIR, PACKAGE_DIR, SEEDS_DIR


def _mine(name: str = "mine") -> dict[str, str]:
    """A folder of the user's own files."""
    return {f"{name}/notes.md": "the user's notes\n", f"{name}/data.csv": "a,b\n1,2\n"}


def _files(files: dict[str, str], links: dict[str, str] | None = None):
    """A setup that writes ``files`` ({path: text}) and makes ``links`` ({path: target})."""
    def setup(cwd: Path, finished: dict) -> None:
        for rel, text in files.items():
            (cwd / rel).parent.mkdir(parents=True, exist_ok=True)
            (cwd / rel).write_text(text)
        for rel, target in (links or {}).items():
            (cwd / rel).parent.mkdir(parents=True, exist_ok=True)
            (cwd / rel).symlink_to(target)
    return setup


def _then(*setups):
    def setup(cwd: Path, finished: dict) -> None:
        for s in setups:
            s(cwd, finished)
    return setup


def _link_in(what: str, to: str, rel: str, target: str, remove: tuple[str, ...] = ()):
    """The finished ``what`` copied as ``to``, its ``rel`` replaced by a link to ``target``
    (relative to the case's folder), and ``remove`` taken out of it."""
    def change(folder: Path) -> None:
        for name in remove:
            (folder / name).unlink()
        path = folder / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        path.symlink_to(Path(os.path.relpath(folder.parent / target, path.parent)))
    return _copy(what, to, change)


FOREIGN_MULTIRUN = ("hydra:\n  overrides:\n    task:\n    - seed=5,6\n  callbacks: {}\n"
                    "  mode: MULTIRUN\n")
"""Another Hydra app's multirun.yaml, of a sweep with the very overrides of this one."""
EXTRA = {"extra/sweeps.yaml": "defaults:\n  - config\n  - _self_\nhydra:\n  mode: MULTIRUN\n"
                              "  sweeper:\n    params:\n      seed: 0,1\n",
         "extra/writes.yaml": "defaults:\n  - config\n  - _self_\nhydra:\n"
                              "  output_subdir: .hydra\n"}
TAKEN = "holds other files and is not a run's folder"
LINK = "a symbolic link"
SIM_ITSELF = "belongs to sim itself"
AFTER = ("mc.replications=2", "mc.drivers=false")

CASES = {
    # --- a folder is a run's only by its own manifest or mark, never by a file's name --------
    "a folder holding the user's config.yaml": Case(
        ("hydra.run.dir=mine",), ("hydra.run.dir", "mine", TAKEN),
        setup=_files({"mine/config.yaml": "my: own config\n"})),
    "a folder holding the user's summary.json": Case(
        ("hydra.run.dir=mine",), ("mine", TAKEN),
        setup=_files({"mine/summary.json": '{"mine": true}\n'})),
    "a folder holding the user's .hydra": Case(
        ("hydra.run.dir=mine",), ("mine", TAKEN),
        setup=_files({"mine/.hydra/config.yaml": "db: postgres\n"})),
    "a folder holding the user's error.json": Case(
        ("hydra.run.dir=mine",), ("mine", TAKEN),
        setup=_files({"mine/error.json": '{"error": "my own log"}\n'})),
    "a folder holding only a stale staging folder": Case(
        ("hydra.run.dir=mine",), ("mine", TAKEN),
        setup=_files({"mine/.staging-1234/notes.md": "the user's\n"})),
    "another tool's manifest.json, with overwrite=true": Case(
        ("hydra.run.dir=mine", "overwrite=true"), ("mine", TAKEN),
        setup=_files({"mine/manifest.json": '{"files": {}, "tool": "other"}\n',
                      "mine/data.csv": "a\n1\n"})),
    "a manifest.json that is a link to a finished run's": Case(
        ("hydra.run.dir=mine",), ("mine", TAKEN),
        setup=_then(_copy("run", "run"), _files(_mine(), {"mine/manifest.json":
                                                          "../run/manifest.json"}))),
    # --- never into sim's own folders ----------------------------------------------------------
    "a run into the project's conf/": Case((f"hydra.run.dir={CONF_DIR}",),
                                           ("hydra.run.dir", SIM_ITSELF)),
    "a run into a new folder in conf/": Case((f"hydra.run.dir={CONF_DIR / 'runs'}",),
                                             ("hydra.run.dir", SIM_ITSELF)),
    "a run into a new folder in seeds/": Case((f"hydra.run.dir={SEEDS_DIR / 'runs'}",),
                                              ("hydra.run.dir", SIM_ITSELF)),
    "a run into a new folder in the package": Case((f"hydra.run.dir={PACKAGE_DIR / 'runs'}",),
                                                   ("hydra.run.dir", SIM_ITSELF)),
    "a sweep into a new folder in conf/": Case(
        ("-m", "seed=0,1", f"hydra.sweep.dir={CONF_DIR / 'sweeps'}"),
        ("hydra.sweep.dir", SIM_ITSELF)),
    "a sweep into a new folder in the package": Case(
        ("-m", "seed=0,1", f"hydra.sweep.dir={PACKAGE_DIR / 'sweeps'}"),
        ("hydra.sweep.dir", SIM_ITSELF)),
    # --- never through a link --------------------------------------------------------------
    "a run folder that is a link": Case(
        ("hydra.run.dir=alias",), ("hydra.run.dir", "alias", LINK),
        setup=_files({"empty/.keep": ""}, {"alias": "empty"})),
    "a plots/ link in a finished run, overwritten": Case(
        ("hydra.run.dir=run", "overwrite=true"), ("hydra.run.dir", "plots", LINK),
        setup=_then(_files(_mine()), _link_in("run", "run", "plots", "mine"))),
    "a .hydra/ link in a finished run, overwritten": Case(
        ("hydra.run.dir=run", "overwrite=true"), ("hydra.run.dir", ".hydra", LINK),
        setup=_then(_files(_mine()), _link_in("run", "run", ".hydra", "mine"))),
    "a link deep in a finished run, overwritten": Case(
        ("hydra.run.dir=run", "overwrite=true"), ("hydra.run.dir", "plots/fan.png", LINK),
        setup=_then(_files(_mine()), _link_in("run", "run", "plots/fan.png",
                                              "mine/notes.md"))),
    "a .hydra/ link in a stopped run": Case(
        ("hydra.run.dir=run",), ("hydra.run.dir", "run", TAKEN),
        setup=_then(_files(_mine()), _link_in("run", "run", ".hydra", "mine",
                                              remove=("manifest.json",)))),
    "a sweep folder that is a link": Case(
        ("-m", "seed=2,3", "hydra.sweep.dir=alias"), ("hydra.sweep.dir", "alias", LINK),
        setup=_then(_copy("sweep", "old"), _files({}, {"alias": "old"}))),
    "a job folder of a sweep that is a link": Case(
        ("-m", "seed=2,3", *TINY, "hydra.sweep.dir=old"),
        ("hydra.sweep.dir", "old holds 1", LINK),
        setup=_then(_copy("run", "run"), _link_in("sweep", "old", "1", "run"))),
    "a multirun.yaml that is a link": Case(
        ("-m", "seed=2,3", *TINY, "hydra.sweep.dir=old"), ("hydra.sweep.dir", "not this tool's"),
        setup=_then(_copy("sweep", "real"), _link_in("sweep", "old", "multirun.yaml",
                                                     "real/multirun.yaml"))),
    "another Hydra app's sweep of the same overrides": Case(
        ("-m", "seed=5,6", "hydra.sweep.dir=theirs"), ("hydra.sweep.dir", "not this tool's"),
        setup=_files({"theirs/multirun.yaml": FOREIGN_MULTIRUN,
                      "theirs/0/result.txt": "their job\n"})),
    # --- nothing written before the input is accepted, whoever sets Hydra's output --------
    "Hydra's file logging, into a finished run": Case(
        ("hydra.run.dir=run", "hydra/job_logging=default", "seed=-1"), ("seed", "-1"),
        setup=_copy("run", "run")),
    "hydra.output_subdir from --config-dir, into a finished run": Case(
        ("-cd", "extra", "-cn", "writes", "hydra.run.dir=run", "seed=-1"),
        ("hydra.output_subdir", "'.hydra' is not allowed"),
        setup=_then(_copy("run", "run"), _files(EXTRA))),
    "a log file in every job of a sweep": Case(
        ("-m", "seed=0,1", "hydra/job_logging=default", *TINY),
        ("hydra.job_logging.handlers.file", "log file", "hydra/job_logging=stdout")),
    "hydra.output_subdir from --config-dir for a sweep": Case(
        ("-m", "-cd", "extra", "-cn", "writes", "seed=0,1", *TINY),
        ("hydra.output_subdir", "not allowed"), setup=_files(EXTRA)),
    "joblib with no workers": Case(
        ("-m", "seed=0,1", "hydra/launcher=joblib", "hydra.launcher.n_jobs=0", *TINY),
        ("hydra.launcher.n_jobs", "0 is not allowed", "-1 for every core")),
    # --- every sweep gets its preflight, however it is started --------------------------------
    "hydra.mode=MULTIRUN with a bad swept value": Case(
        ("hydra.mode=MULTIRUN", "seed=0,1", "power.approval_p.capital=0.5,1.5", *AFTER),
        ("power.approval_p.capital", "1.5", "[0, 1]")),
    "-m with --config-dir and a bad swept value": Case(
        ("-m", "-cd", "extra", "seed=0,1", "power.approval_p.capital=0.5,1.5", *AFTER),
        ("power.approval_p.capital", "1.5", "[0, 1]"), setup=_files(EXTRA)),
    "a config that sweeps, with a bad value": Case(
        ("-cd", "extra", "-cn", "sweeps", "power.approval_p.capital=3", *AFTER),
        ("power.approval_p.capital", "3.0", "[0, 1]"), setup=_files(EXTRA)),
    # --- received folders that attack the reader ---------------------------------------
    "compare: a file of the run that links to /dev/zero": Case(
        ("run",), ("run", "summary.json", "cannot be read", LINK),
        setup=_link_in("run", "run", "summary.json", "/dev/zero"), module="sim.compare"),
    "compare: a file of the run that is a pipe": Case(
        ("run",), ("run", "milestones.csv", "not a regular file"),
        setup=_copy("run", "run", lambda p: ((p / "milestones.csv").unlink(),
                                             os.mkfifo(p / "milestones.csv"))),
        module="sim.compare"),
    "compare: a run's .hydra/ that links elsewhere": Case(
        ("run",), ("run", ".hydra/", "symbolic link"),
        setup=_then(_copy("run", "real"), _link_in("run", "run", ".hydra", "real/.hydra")),
        module="sim.compare"),
    "compare: a run folder that is a link": Case(
        ("alias",), ("alias", LINK), setup=_then(_copy("run", "run"),
                                                 _files({}, {"alias": "run"})),
        module="sim.compare"),
    "compare: a job folder that is a link": Case(
        ("old",), ("old/1", "not a finished run"), setup=_then(_copy("run", "run"),
                                               _link_in("sweep", "old", "1", "run")),
        module="sim.compare"),
    "compare: a manifest that is a link": Case(
        ("run",), ("run", "not a finished run"),
        setup=_then(_copy("run", "real"), _link_in("run", "run", "manifest.json",
                                                   "real/manifest.json")),
        module="sim.compare"),
    "compare: a file of 5 GiB": Case(
        ("run",), ("run", "replications.parquet", "larger than 4,096 MiB"),
        setup=_copy("run", "run", lambda p: os.truncate(p / "replications.parquet", 5 << 30)),
        module="sim.compare"),
}


def _ours() -> dict[str, str]:
    """sim's own folders, byte for byte (compiled bytecode aside)."""
    return {f"{name}/{rel}": digest for name, folder in
            (("conf", CONF_DIR), ("seeds", SEEDS_DIR), ("sim", PACKAGE_DIR))
            for rel, digest in tree(folder).items() if "__pycache__" not in rel}


def test_the_catalogue_covers_every_class_of_folder():
    assert len(CASES) >= 35
    compare = [c for c in CASES.values() if c.module == "sim.compare"]
    sweeps = [c for c in CASES.values() if "-m" in c.args or "hydra.mode=MULTIRUN" in c.args]
    assert len(compare) >= 7 and len(sweeps) >= 10


@pytest.mark.parametrize("name", list(CASES))
def test_a_folder_that_is_not_the_runs_is_refused_in_one_line(name, tmp_path, finished):
    case = CASES[name]
    (tmp_path / "notes.txt").write_text("the user's own file\n")
    case.setup and case.setup(tmp_path, finished)
    before, kept = tree(tmp_path), _ours()
    proc = run_cli(*case.args, cwd=tmp_path, module=case.module, quick=False)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    missing = [f for f in case.says if f not in lines[0]]
    assert not missing, (missing, lines[0])
    assert "Traceback" not in proc.stdout + proc.stderr
    assert tree(tmp_path) == before
    assert _ours() == kept


def test_a_resumed_sweep_reruns_a_finished_job_whose_file_links_to_dev_zero(tmp_path,
                                                                              finished):
    shutil.copytree(finished["sweep"], tmp_path / "old", symlinks=True)
    (tmp_path / "old" / "1" / "summary.json").unlink()
    (tmp_path / "old" / "1" / "summary.json").symlink_to("/dev/zero")
    proc = run_cli("-m", "seed=2,3", *TINY, "hydra.sweep.dir=old", cwd=tmp_path, quick=False)
    assert proc.returncode == 0, proc.stderr
    ran = [line for line in proc.stdout.splitlines() if line.endswith("skipped")]
    assert ran == ["job 0: old/0 is complete with this config, these seed files and this "
                   "code; skipped"]
    summary = tmp_path / "old" / "1" / "summary.json"
    assert not summary.is_symlink() and json.loads(summary.read_text())["seed"] == 3


def test_a_resumed_sweep_reruns_a_job_with_a_link_inside_and_never_follows_it(tmp_path,
                                                                           finished):
    shutil.copytree(finished["sweep"], tmp_path / "old", symlinks=True)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.md").write_text("the user's notes\n")
    hydra = tmp_path / "old" / "1" / ".hydra"
    shutil.rmtree(hydra)
    hydra.symlink_to(tmp_path / "mine")
    (tmp_path / "old" / "1" / "manifest.json").unlink()  # stopped before it finished
    before = tree(tmp_path / "mine")
    proc = run_cli("-m", "seed=2,3", *TINY, "hydra.sweep.dir=old", cwd=tmp_path, quick=False)
    assert proc.returncode == 0, proc.stderr
    assert tree(tmp_path / "mine") == before
    assert not hydra.is_symlink() and (hydra / "overrides.yaml").is_file()
    assert json.loads((tmp_path / "old" / "1" / "summary.json").read_text())["seed"] == 3


def test_overwrite_keeps_the_old_run_finished_until_the_new_one_is_and_leaves_none_of_it(
        tmp_path, finished):
    shutil.copytree(finished["run"], tmp_path / "run")
    (tmp_path / "run" / "plots" / "old.svg").write_text("<svg/>")  # the old run's figure
    proc = run_cli("hydra.run.dir=run", *TINY, "seed=4", "overwrite=true", cwd=tmp_path,
                   quick=False)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    on_disk = {str(p.relative_to(tmp_path / "run")) for p in (tmp_path / "run").rglob("*")
               if p.is_file()}
    assert on_disk == set(manifest["files"]) | {"manifest.json"}  # exactly the new run's
    assert manifest["seed"] == 4 and not list(tmp_path.glob(".run.*"))


# --- the property: random links and foreign files never make a run write outside ---------

NAMES = ["run", "sweep", "run/plots", "run/.hydra", "sweep/0", "sweep/0/.hydra", "sweep/1",
         "run/plots/fan.png", "run/summary.json", "sweep/multirun.yaml", "mine"]


@st.composite
def plantings(draw):
    """What is planted before a run into ``run`` and a sweep into ``sweep``: each name a
    link (to the user's folder, a file of theirs, /dev/zero, nowhere), a foreign file, or
    left alone; some start as a finished run or sweep."""
    start = draw(st.sampled_from(["nothing", "finished run", "finished sweep", "both"]))
    plants = draw(st.dictionaries(st.sampled_from(NAMES[:-1]), st.sampled_from(
        ["link to mine", "link to my file", "link to /dev/zero", "dangling link",
         "foreign file", "foreign folder"]), max_size=3))
    overwrite = draw(st.booleans())
    return start, plants, overwrite


def _plant(cwd: Path, finished: dict, start: str, plants: dict) -> None:
    for name, text in _mine().items():
        (cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (cwd / name).write_text(text)
    if start in ("finished run", "both"):
        shutil.copytree(finished["run"], cwd / "run")
    if start in ("finished sweep", "both"):
        shutil.copytree(finished["sweep"], cwd / "sweep")
    for name, what in sorted(plants.items(), key=lambda kv: len(kv[0])):
        path = cwd / name
        if not path.parent.is_dir() or path.parent.is_symlink():
            continue
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        target = {"link to mine": cwd / "mine", "link to my file": cwd / "mine" / "notes.md",
                  "link to /dev/zero": Path("/dev/zero"), "dangling link": cwd / "gone"}
        if what in target:
            path.symlink_to(target[what])
        elif what == "foreign file":
            path.write_text("someone else's\n")
        else:
            (path / "theirs").mkdir(parents=True)


def _outside(snapshot: dict[str, str], own: str) -> dict[str, str]:
    return {k: v for k, v in snapshot.items() if k != own and not k.startswith(f"{own}/")}


@settings(max_examples={"long": 60}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 6),
          deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(planted=plantings())
def test_planted_links_and_foreign_files_never_change_anything_outside_the_run(finished,
                                                                             planted):
    start, plants, overwrite = planted
    cwd = Path(tempfile.mkdtemp(prefix="planted-"))
    try:
        _plant(cwd, finished, start, plants)
        for own, args in (("run", ("hydra.run.dir=run", f"overwrite={str(overwrite).lower()}")),
                          ("sweep", ("-m", "seed=2,3", "hydra.sweep.dir=sweep"))):
            before = tree(cwd)
            proc = run_cli(*args, *TINY, cwd=cwd, quick=False)
            assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
            assert proc.returncode in (0, 2), proc.stderr
            assert _outside(tree(cwd), own) == _outside(before, own), (own, plants)
            if proc.returncode == 2:  # refused: its own folder is as it was too
                assert tree(cwd) == before, (own, proc.stderr)
            else:  # complete, and nothing in it is a link
                assert not [p for p in (cwd / own).rglob("*") if p.is_symlink()]
    finally:
        shutil.rmtree(cwd, ignore_errors=True)
