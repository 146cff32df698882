"""``sim`` is a real package: ``pip install .`` (not editable) into a new environment, then
``python -m sim`` from any folder, gives a complete run, with ``conf/`` and ``seeds/`` as the
package's own data (:mod:`sim.app.paths`) and results under the working directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, TINY


def test_the_package_list_names_every_package_and_config_folder():
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setup["packages"])
    code = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "sim").rglob(
        "__init__.py")}
    conf = {".".join(("sim._conf", *p.relative_to(ROOT / "conf").parts))
            for p in (ROOT / "conf").rglob("*") if p.is_dir()}
    assert code | conf | {"sim._conf", "sim._seeds"} == listed
    assert setup["package-dir"] == {"sim._conf": "conf", "sim._seeds": "seeds"}


@pytest.mark.slow
def test_pip_install_then_a_run_from_another_folder_is_complete(tmp_path):
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("sim", "conf", "seeds"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig."
                                "get_paths()['purelib'])"], capture_output=True, text=True,
                               check=True).stdout.strip())
    # the test environment's packages (pip, setuptools, the dependencies), without its .pth
    # files: so no editable sim of a checkout, and nothing fetched
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HYDRA_FULL_ERROR")}
    env["MPLBACKEND"] = "Agg"
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps",
                              "--no-build-isolation", "--no-index", "-q", str(src)],
                             capture_output=True, text=True, env=env, timeout=600)
    if "invalid command 'bdist_wheel'" in install.stdout + install.stderr:
        pytest.skip("needs setuptools >= 70.1: pip install -c constraints.txt -e '.[test]'")
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(python), "-c", "import sim.app.paths as p; print(p.CONF_DIR)"],
                           cwd=elsewhere, capture_output=True, text=True, env=env, check=True)
    assert Path(where.stdout.strip()) == site / "sim" / "_conf"
    run = subprocess.run([str(python), "-m", "sim", *TINY], cwd=elsewhere, capture_output=True,
                         text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    (run_dir,) = (elsewhere / "results" / "baseline").iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["complete"] and "plots/fan.png" in manifest["files"]
    assert "git" not in manifest and len(manifest["versions"]["sim_source"]) == 64
    assert sorted(p.name for p in elsewhere.iterdir()) == ["results"]
