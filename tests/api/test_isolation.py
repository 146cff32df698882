"""Importing ``sim`` or ``sim.api``, and calling the API, leave Hydra and OmegaConf as they
were: a Hydra app of the user's own, composed afterwards in the same process, behaves
exactly as in a process where ``sim`` was never imported."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from conftest import cli_env

USER_APP = textwrap.dedent('''
    import json, os, sys
    from pathlib import Path

    conf = Path(sys.argv[2])
    store_first = sys.argv[1] != "plain"
    from hydra.core.config_store import ConfigStore
    if store_first:
        ConfigStore.instance().store(name="schema", node={"mine": 1})  # the user's own
    if sys.argv[1] == "with-sim":
        from sim import api
        api.study(replications=2, horizon="2026-03-30", drivers=False, n_jobs=1)
    import hydra
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    names = ("sim_uid", "sim_as_of", "now", "hydra", "python_version")
    seen = {"resolvers before": [OmegaConf.has_resolver(n) for n in names],
            "global hydra before": GlobalHydra.instance().is_initialized(),
            "store": ConfigStore.instance().repo.get("schema.yaml") is not None}
    with initialize_config_dir(config_dir=str(conf), version_base="1.3"):
        cfg = compose("config", ["logistics.ship_days={dist:uniform,low:5}"])
        try:
            OmegaConf.create({"a": "${sim_uid:}"}).a
            seen["sim_uid"] = "resolved"
        except Exception as ex:
            seen["sim_uid"] = type(ex).__name__
    seen["cfg"] = OmegaConf.to_container(cfg)
    seen["resolvers after"] = [OmegaConf.has_resolver(n) for n in names]

    @hydra.main(version_base="1.3", config_path=str(conf), config_name="config")
    def app(cfg):
        seen["main"] = OmegaConf.to_container(cfg)

    sys.argv = ["app", "logistics.ship_days={dist:uniform,low:6}", "hydra.run.dir=out"]
    app()
    print(json.dumps(seen, sort_keys=True))
''')


def test_a_users_hydra_app_after_sim_behaves_as_if_sim_was_never_imported(tmp_path):
    conf = tmp_path / "conf"
    conf.mkdir()
    # the same key as one of sim's distributions: sim's composition would replace it whole
    (conf / "config.yaml").write_text(
        "logistics:\n  ship_days: {dist: triangular, low: 1, mode: 2, high: 3}\n")
    (tmp_path / "app.py").write_text(USER_APP)

    def run(mode: str) -> dict:
        cwd = tmp_path / mode
        cwd.mkdir()
        proc = subprocess.run([sys.executable, str(tmp_path / "app.py"), mode, str(conf)],
                              cwd=cwd, env=cli_env(), capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.splitlines()[-1])

    without, with_sim = run("without"), run("with-sim")
    assert with_sim == without
    # and what that means: Hydra merged the mapping, as Hydra does; nothing of sim is left
    assert without["cfg"] == {"logistics": {"ship_days": {"dist": "uniform", "low": 5,
                                                          "mode": 2, "high": 3}}}
    assert without["main"]["logistics"]["ship_days"]["low"] == 6
    assert without["resolvers before"] == [False] * 5 and without["store"]
    assert without["sim_uid"] == "UnsupportedInterpolationType"
    assert not without["global hydra before"]


def test_importing_sim_api_imports_neither_the_command_line_nor_the_multirun_app():
    code = ("import sys, sim, sim.api; "
            "print(sorted(m for m in sys.modules if m in ('sim.app.cli', 'sim.app.multirun', "
            "'sim.app.composition')))")
    proc = subprocess.run([sys.executable, "-c", code], env=cli_env(), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_a_study_inside_the_users_own_hydra_context_leaves_it_as_it_was(tmp_path):
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim import api

    (tmp_path / "config.yaml").write_text("answer: 42\n")
    with initialize_config_dir(config_dir=str(tmp_path), version_base="1.3"):
        mine = GlobalHydra.instance().hydra
        r = api.study(replications=2, horizon="2026-03-30", drivers=False, n_jobs=1)
        assert GlobalHydra.instance().hydra is mine
        assert compose("config").answer == 42
    assert r.summary["monte_carlo"]["replications"] == 2
    assert not GlobalHydra.instance().is_initialized()
