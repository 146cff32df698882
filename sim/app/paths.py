"""Where the project's folders are: ``conf/``, ``seeds/`` and ``results/`` at its top.

The paths come from this file's place, so they hold from a checkout and from
``pip install -e .`` in any working directory (``../shared/design/STACK.md``: a relative
``config_path`` would look for a Python package named ``conf``).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CONF_DIR = ROOT / "conf"
SEEDS_DIR = ROOT / "seeds"
RESULTS_DIR = ROOT / "results"
