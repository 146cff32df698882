"""The code meets the lint rules of pyproject.toml ([tool.ruff]): ``ruff check sim tests
benchmarks`` finds nothing (ruff is pinned in constraints.txt, in the ``test`` extra)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: pip install -c constraints.txt -e '.[test]'")
    found = subprocess.run([ruff, "check", "--no-cache", "sim", "tests", "benchmarks"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stdout + found.stderr
