"""``python -m sim.docs [--check]``: write the generated pages of ``docs/``.

``docs/reference/config.md`` (every config key: :mod:`sim.app.reference`) and
``docs/findings.md`` (tables from recorded runs: :mod:`sim.app.findings`). With
``--check`` nothing is written: it says in one line which page is stale and exits 1.
Run it from the project's root after a change to the code, ``conf/`` or ``seeds/``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.app.paths import PACKAGE_DIR

PROJECT = PACKAGE_DIR.parent
"""The checkout whose docs/ this writes."""

REFERENCE = Path("docs") / "reference" / "config.md"
FINDINGS = Path("docs") / "findings.md"


def stale(root: Path = PROJECT) -> list[str]:
    """The generated pages under ``root`` that are not what today's checkout gives."""
    from sim.app import findings, reference

    out = []
    ref = root / REFERENCE
    if not ref.is_file() or ref.read_text() != reference.markdown():
        out.append(f"{REFERENCE} (the config reference)")
    page = root / FINDINGS
    if not page.is_file() or findings.recorded(page.read_text()) != findings.fingerprint():
        out.append(f"{FINDINGS} (its runs were made with other code, conf/ or seeds/)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.docs", description=__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    if args.check:
        pages = stale()
        if pages:
            print("stale: " + "; ".join(pages) + ". Run python -m sim.docs", file=sys.stderr)
            return 1
        print("docs/ is current")
        return 0
    from sim.app import findings, reference

    (PROJECT / REFERENCE).parent.mkdir(parents=True, exist_ok=True)
    (PROJECT / REFERENCE).write_text(reference.markdown())
    (PROJECT / FINDINGS).write_text(findings.markdown())
    print(f"wrote {REFERENCE} and {FINDINGS}")
    return 0


if __name__ == "__main__":
    from sim.app.environment import start

    start()
    sys.exit(main())
