"""Print a new constraints.txt: the versions `pip install -e ".[test,ray,optuna,bench]"`
installs today into a fresh virtual environment of each Python given, one pin per package, with a
``python_version`` marker where the Pythons differ.

    python tools/refresh_constraints.py python3.11 > constraints.txt

Then run the whole suite with each Python on the new file before committing it.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def freeze(python: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """(``major.minor``, {package: (name, version)}) installed fresh by ``python``."""
    venv = Path(tempfile.mkdtemp()) / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "--quiet", "-e", ".[test,ray,optuna,bench]"], check=True,
                   cwd=ROOT)
    out = subprocess.run([*pip, "freeze", "--exclude-editable"], check=True,
                         capture_output=True, text=True).stdout
    version = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    pins = {}
    for line in out.splitlines():
        if "==" in line:
            name, pinned = line.split("==", 1)
            pins[name.lower()] = (name, pinned)
    return version, pins


def merged(frozen: list[tuple[str, dict]]) -> list[str]:
    """One pin per package, or one per Python with a marker where they differ (Pythons in
    ascending order: each marker covers from its Python up to the next one given)."""
    frozen = sorted(frozen, key=lambda f: tuple(map(int, f[0].split("."))))
    lines = []
    for key in sorted({k for _, pins in frozen for k in pins}):
        found = [(v, pins.get(key)) for v, pins in frozen]
        if all(p is not None for _, p in found) and len({p[1] for _, p in found}) == 1:
            name, version = found[0][1]
            lines.append(f"{name}=={version}")
            continue
        for i, (python, pin) in enumerate(found):
            if pin is None:
                continue
            upper = found[i + 1][0] if i + 1 < len(found) else None
            marker = f'python_version >= "{python}"' if i else ""
            if upper:
                marker = " and ".join(filter(None, [marker, f'python_version < "{upper}"']))
            lines.append(f"{pin[0]}=={pin[1]}; {marker}")
    return lines


def main() -> None:
    frozen = [freeze(python) for python in sys.argv[1:] or [sys.executable]]
    pythons = " and ".join(v for v, _ in frozen)
    print("# The exact versions `pip install -e \".[test,ray,optuna,bench]\"` installed from "
          f"PyPI into fresh\n# virtual environments on Python {pythons} ({datetime.date.today()}), with "
          "which the whole suite\n# passed. The README's install commands and .ci/run use it: "
          "pip install -c constraints.txt ...\n# Refresh: python tools/refresh_constraints.py "
          f"{' '.join(sys.argv[1:]) or 'python3.11'} > constraints.txt")
    print("\n".join(merged(frozen)))


if __name__ == "__main__":
    main()
