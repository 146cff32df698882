"""Where ``sim``'s own folders are: its configs (``conf/``) and seed files (``seeds/``).

The one rule, for every way ``sim`` is installed:

- installed as a package (``pip install .``): the copies shipped inside it, ``sim/_conf/``
  and ``sim/_seeds/`` (``pyproject.toml`` maps the top-level ``conf/`` and ``seeds/`` of
  the repository there);
- a checkout, or ``pip install -e .``: the top-level ``conf/`` and ``seeds/`` beside the
  package, which the repository keeps at its top.

The paths come from this file's place, never from the working directory
(Hydra resolves a relative ``config_path`` against the calling module: it would look for a
Python package named ``conf``). Results are never written here: a run's folder is relative
to the working directory (``results/`` there, ``conf/config.yaml``'s ``hydra.run.dir``), and
a folder in any of these is refused (:func:`sim.app.folders.check_not_ours_to_keep`).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The ``sim`` package itself."""
_SHIPPED = PACKAGE_DIR / "_conf"
ROOT = PACKAGE_DIR if _SHIPPED.is_dir() else PACKAGE_DIR.parent
"""Where ``conf/`` and ``seeds/`` are found (see the module's docstring)."""
CONF_DIR = _SHIPPED if _SHIPPED.is_dir() else ROOT / "conf"
SEEDS_DIR = PACKAGE_DIR / "_seeds" if _SHIPPED.is_dir() else ROOT / "seeds"
