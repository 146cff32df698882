"""The repository cites only what it holds: no citation points to a file outside it, and every
source id that conf/, the seeds, the code or the docs cite is a record of seeds/sources.yaml
(publisher, date, address)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from sim.text import CITED

ROOT = Path(__file__).resolve().parent.parent
TEXT = ("*.py", "*.yaml", "*.yml", "*.md", "*.toml", "*.cfg", "*.txt")
SKIP = {".git", "results", ".venv", "build", "__pycache__", ".pytest_cache", ".hypothesis"}
OUTSIDE = re.compile(r"FACTS(?:\.md)?\s*§|FACTS\.md|\.\./shared/|/work/shared/")
"""A citation of a document the repository does not hold."""


def _files() -> list[Path]:
    out = []
    for pattern in TEXT:
        for path in ROOT.rglob(pattern):
            parts = set(path.relative_to(ROOT).parts)
            if not parts & SKIP and not any(p.endswith(".egg-info") for p in parts):
                out.append(path)
    return sorted(out)


def _dated(sid: str) -> bool:
    """Whether an id-like word is dated on or before today, as a source must be (a summary
    key such as ``government_operational_2030_12_31`` names a deadline instead)."""
    y, m, d = (int(x) for x in sid.rsplit("_", 3)[1:])
    try:
        return date(y, m, d) <= date.today()
    except ValueError:
        return False


def _known() -> set[str]:
    data = yaml.safe_load((ROOT / "seeds" / "sources.yaml").read_text())
    return {record["id"] for record in data["sources"]}


def test_no_citation_points_outside_the_repository():
    this = Path(__file__).resolve()
    found = [f"{p.relative_to(ROOT)}:{n}" for p in _files() if p != this
             for n, line in enumerate(p.read_text(errors="replace").splitlines(), 1)
             if OUTSIDE.search(line)]
    assert found == []


@pytest.mark.parametrize("folder", ["conf", "seeds", "sim", "docs"])
def test_every_source_id_cited_is_a_record_of_the_sources(folder):
    known = _known()
    cited = {(str(p.relative_to(ROOT)), sid) for p in _files()
             if p.is_relative_to(ROOT / folder) and p.name != "sources.yaml"
             for sid in CITED.findall(p.read_text(errors="replace")) if _dated(sid)}
    assert sorted(c for c in cited if c[1] not in known) == []
    if folder == "conf":
        assert len(cited) >= 30  # conf/ names its sources by id


def test_the_id_pattern_finds_ids_and_nothing_else():
    text = "see [donga_2019_10_28, sbsbiz_2025_10_24]; 2025-10-24; power.grid_delay_months"
    assert CITED.findall(text) == ["donga_2019_10_28", "sbsbiz_2025_10_24"]
