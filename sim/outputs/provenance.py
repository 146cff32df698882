"""Which code made a run: a hash of the package's source, and ``git describe`` in a checkout.

The package's version (``0.1.0``) does not change when its code does, so a sweep resumed
after a change to ``sim/`` would skip jobs that the old code ran. :func:`source_sha256`
hashes every ``.py`` file of the installed package (its path and bytes, in path order): it
goes into each run's manifest and into what a resumed job must match
(:func:`sim.outputs.manifest.inputs`), so changed code reruns the jobs. :func:`git_describe`
adds ``git describe --always --dirty`` where the package is a git checkout (absent
otherwise, e.g. after ``pip install .``): for a reader, not for resuming (a commit that
changes no code, or an edited README, leaves the numbers as they were).

Both are computed once per process: the hash reads about 100 small files (a few ms).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def source_sha256() -> str:
    """The SHA-256 of the package's Python source files (see the module's docstring)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def git_describe() -> str | None:
    """``git describe --always --dirty`` of the checkout the package is in; None if it is
    not in one, or git is missing."""
    top = PACKAGE.parent
    if not (top / ".git").exists():
        return None
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=top,
                              capture_output=True, text=True, timeout=10,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None
