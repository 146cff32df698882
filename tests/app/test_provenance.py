"""The code is in the provenance: a run's manifest holds a hash of the package's source (and
``git describe`` in a checkout), and a sweep resumed after the code changed runs its jobs
again instead of skipping them."""

from __future__ import annotations

import json
import shutil

from conftest import ROOT, TINY, run_cli

from sim.outputs import provenance


def skipped(stdout: str) -> set[str]:
    return {line.split(":")[0].split()[1] for line in stdout.splitlines()
            if line.startswith("job ") and line.endswith("skipped")}


def test_a_sweep_resumed_after_a_code_change_reruns_its_jobs(tmp_path):
    copy = tmp_path / "checkout"
    for name in ("sim", "conf", "seeds"):
        shutil.copytree(ROOT / name, copy / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONPATH": str(copy)}
    sweep = ["-m", "seed=0,1", *TINY, f"hydra.sweep.dir={tmp_path / 's'}"]
    first = run_cli(*sweep, cwd=tmp_path, env=env, quick=False)
    assert first.returncode == 0, first.stderr
    code = json.loads((tmp_path / "s" / "0" / "manifest.json").read_text())["versions"]
    again = run_cli(*sweep, cwd=tmp_path, env=env, quick=False)
    assert skipped(again.stdout) == {"0", "1"}  # the same code: resumed, nothing rerun
    world = copy / "sim" / "model" / "world.py"
    world.write_text(world.read_text() + "\n# a change to the code, however small\n")
    changed = run_cli(*sweep, cwd=tmp_path, env=env, quick=False)
    assert changed.returncode == 0, changed.stderr
    assert skipped(changed.stdout) == set()  # every job ran again with the new code
    now = json.loads((tmp_path / "s" / "0" / "manifest.json").read_text())["versions"]
    assert now["sim_source"] != code["sim_source"] and now["sim"] == code["sim"]
    assert "git" not in json.loads((tmp_path / "s" / "0" / "manifest.json").read_text())


def test_the_manifest_names_the_checkout_and_the_source(tmp_path):
    proc = run_cli(*TINY, "hydra.run.dir=run", cwd=tmp_path, quick=False)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["versions"]["sim_source"] == provenance.source_sha256()
    if (ROOT / ".git").exists() and shutil.which("git"):
        assert manifest["git"] == provenance.git_describe() and manifest["git"]
