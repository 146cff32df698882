"""``python -m sim archive=true``: keep today's forecast, so that it is scored once its
targets resolve (:mod:`sim.study.archived`); ``python -m sim.validate`` scores every archived
forecast beside the hindcasts.

An archived forecast is a folder of ``results/archive/`` (from the working directory, as
``results/`` is): ``<made on>_<scenario>_<hash>``, the hash of its config and seed files, so
the same forecast made twice on one day is kept once. It holds ``lots.parquet`` (every lot's
days in every replication), ``forecast.json`` (when it was made, as of what date, the
scenario, seed, replications, horizon and the hashes that decide its numbers),
``config.yaml`` and a ``manifest.json`` with each file's checksum, written last: a folder
whose files do not match it is refused by the validation in one line, never scored.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from omegaconf import OmegaConf

from sim.calendar import to_day
from sim.errors import InputError
from sim.outputs.folders import shown, staged_folder
from sim.outputs.manifest import MANIFEST, sha256, verify

ARCHIVE_DIR = Path("results") / "archive"
ABOUT, LOTS = "forecast.json", "lots.parquet"


def name(run, made_on: date) -> str:
    inputs = run.run_inputs
    return (f"{made_on.isoformat()}_{run.config.scenario}_"
            f"{inputs['config_sha256'][:8]}{inputs['seeds_sha256'][:8]}")


def save(run, made_on: date | None = None, root: Path = ARCHIVE_DIR) -> tuple[Path, bool]:
    """Archive the forecast of the checked run ``run`` (:class:`sim.app.runner.Checked`),
    dated ``made_on`` (today); ``(folder, whether it was written now)``: the same forecast
    archived earlier that day is kept as it was."""
    from sim.study.archived import lots  # SimPy, pandas: once the input is accepted

    made_on = made_on or date.today()
    out = Path(root) / name(run, made_on)
    if out.exists():
        return out, False
    config, seed_data = run.config, run.seed_data
    about = {"made_on": made_on.isoformat(),
             "as_of": (seed_data.as_of or made_on).isoformat(),
             "scenario": config.scenario, "seed": config.seed,
             "replications": config.mc.replications,
             "horizon_day": to_day(config.horizon_date),
             **{k: run.run_inputs[k] for k in ("config_sha256", "seeds_sha256")}}
    table = lots(config, seed_data, config.mc.replications, run.pool)

    def fill(staging: Path) -> None:
        table.to_parquet(staging / LOTS, index=False)
        (staging / ABOUT).write_text(json.dumps(about, indent=2) + "\n")
        (staging / "config.yaml").write_text(OmegaConf.to_yaml(run.cfg))
        files = {n: sha256(staging / n) for n in (LOTS, ABOUT, "config.yaml")}
        (staging / MANIFEST).write_text(json.dumps({"complete": True, "files": files},
                                                   indent=2) + "\n")

    return staged_folder(out, fill), True


def archived(scenario: str, root: Path = ARCHIVE_DIR) -> list[tuple[dict, object]]:
    """Every archived forecast of ``scenario`` under ``root``, verified: ``(about, lots)``
    each, oldest first. A folder that does not verify is refused in one line."""
    import pandas as pd

    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
        verify(folder, (ABOUT, LOTS))
        try:
            about = json.loads((folder / ABOUT).read_text())
            table = pd.read_parquet(folder / LOTS)
        except (OSError, ValueError) as err:
            raise InputError(str(shown(folder)), f"cannot be read ({err}); remove it or "
                                                 "archive the forecast again") from None
        if about.get("scenario") == scenario:
            found.append((about, table))
    return found
