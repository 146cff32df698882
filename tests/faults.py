"""Faults injected into a run started from the command line: a disk that fills up, a model
that loses GPUs. For tests of what such a run leaves behind, as a user would see it.

``run_with_fault(fault, *args)`` runs ``python -m sim ARGS`` in a child process that first
installs ``fault`` (a function of this module, by name, and its argument). Every patched
write also logs its name to ``$SIM_FAULT_LOG`` if set, so a test can learn the order of a
run's writes and fill the disk at any one of them.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _log(name: str) -> None:
    log = os.environ.get("SIM_FAULT_LOG")
    if log:
        with open(log, "a") as f:  # noqa: PTH123 (not patched: opened before any patching)
            f.write(name + "\n")


def disk_full_at(n: str) -> None:
    """The ``n``-th write of the run (and every one after it) fails as on a full disk, after
    leaving a half-written file where it wrote (``n`` = 0: never)."""
    import matplotlib.figure
    import pandas as pd

    count = [0]
    limit = int(n)

    def full(name: str, path, real, *args, **kwargs):
        count[0] += 1
        _log(name)
        if limit and count[0] >= limit:
            if path is not None and name != "os.replace":
                Path(path).write_bytes(b"half-writ")  # what a full disk leaves
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(*args, **kwargs)

    def patch(owner, attr: str, name: str, path_of) -> None:
        real = getattr(owner, attr)

        def patched(*args, **kwargs):
            return full(name, path_of(*args, **kwargs), real, *args, **kwargs)

        setattr(owner, attr, patched)

    patch(pd.DataFrame, "to_parquet", "to_parquet", lambda self, path, *a, **k: path)
    patch(pd.DataFrame, "to_csv", "to_csv", lambda self, path=None, *a, **k: path)
    patch(matplotlib.figure.Figure, "savefig", "savefig", lambda self, fname, *a, **k: fname)
    patch(Path, "write_text", "write_text", lambda self, *a, **k: self)
    patch(os, "replace", "os.replace", lambda src, dst, *a, **k: dst)


def lose_lots(every: str) -> None:
    """The model's record of lots loses every ``every``-th lot: GPUs that vanish."""
    import numpy as np

    from sim.model import world

    real = world.lot_columns

    def losing(*args, **kwargs):
        columns = real(*args, **kwargs)
        keep = np.arange(len(columns["gpus"])) % int(every) != 0
        return {name: values[keep] for name, values in columns.items()}

    world.lot_columns = losing


def main() -> None:
    """``python faults.py FAULT ARG MODULE -- ARGS``: install the fault, then run ``python -m
    MODULE ARGS`` (``sim``, ``sim.compare``)."""
    import runpy

    fault, arg, module, _, *args = sys.argv[1:]
    globals()[fault](arg)
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def run_with_fault(fault: str, arg, *args: str, cwd: Path, env: dict | None = None,
                   module: str = "sim") -> subprocess.CompletedProcess:
    from conftest import cli_env

    return subprocess.run([sys.executable, str(HERE / "faults.py"), fault, str(arg), module,
                           "--", *map(str, args)], cwd=cwd, env=cli_env(env),
                          capture_output=True, text=True, timeout=300)


if __name__ == "__main__":
    main()
