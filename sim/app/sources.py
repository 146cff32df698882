"""Where each config value of a run came from, and the source its comment gives.

``conf/config.yaml`` and the scenario files keep a value's source beside it, as a comment on
its line or in the comment lines just above it (``# ... [donga_2019_10_28, sbsbiz_2025_10_24]``,
``# assumption: ...``). This module reads those comments, so that the report can show each
input with its source, without a second copy of the sources to keep in step.

The YAML is parsed by PyYAML (``yaml.compose``, on libyaml), which gives each key's line;
the comments are read from the raw lines around it: the text after ``#`` on the key's line
(and lines below that continue it at the same column), else the block of comment lines
directly above the key. A key without a comment of its own takes its group's (``approval_p``'s for
``approval_p.capital``). A value set in a scenario file with no comment of its own points to
the scenario's header, which states the ranges' sources for the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from sim.app.paths import CONF_DIR
from sim.text import CITED

COMMAND_LINE = "command line"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML has it (the same nodes, lines and values, several times
faster); Hydra has read these files already, so their errors are told before this."""


def cited(texts) -> list[str]:
    """The source ids ``texts`` cite, each once, in the order first cited."""
    return list(dict.fromkeys(m for text in texts for m in CITED.findall(text or "")))


def catalogue(found: dict[str, tuple[str, str]], known: dict) -> dict[str, tuple]:
    """``{id: (publisher, date, title, address)}`` of the sources that ``found`` (as
    :func:`sources` gives it) cites, from ``known`` (the seed files' sources)."""
    return {i: (known[i].publisher, str(known[i].date), known[i].title, known[i].address)
            for i in cited(text for _, text in found.values()) if i in known}


def _comment_after(line: str, column: int) -> tuple[str, int]:
    """The comment on ``line`` after ``column`` (where the value ends) and its column."""
    at = line.find("#", column)
    return (line[at + 1:].strip(), at) if at >= 0 else ("", -1)


def comments(path: Path) -> dict[str, str]:
    """``{dotted key: comment}`` for every key of the YAML file at ``path``."""
    text = Path(path).read_text()
    lines = text.splitlines()
    found: dict[str, str] = {}
    from_block: dict[int, str] = {}  # line of a key -> the key whose comment block it shares

    def walk(node, prefix: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            row = key_node.start_mark.line
            end_col = value_node.end_mark.column if value_node.end_mark.line == row else \
                len(lines[row])
            if isinstance(value_node, yaml.MappingNode) and not value_node.flow_style:
                end_col = key_node.end_mark.column
            own, col = _comment_after(lines[row], end_col)
            parts = [own] if own else []
            below = row + 1
            while own and below < len(lines) and lines[below].strip().startswith("#") and \
                    lines[below].find("#") == col:
                parts.append(lines[below].strip()[1:].strip())
                below += 1
            if not parts:
                above = row - 1
                block = []
                while above >= 0 and lines[above].strip().startswith("#"):
                    block.insert(0, lines[above].strip()[1:].strip())
                    above -= 1
                parts = block
                if block:
                    from_block[row] = key
                elif row - 1 in from_block and _indent(lines[row - 1]) == _indent(lines[row]):
                    # a comment block above several keys, with no blank line between them,
                    # speaks for each of them (``colo_mw`` and ``colo_growth_mw_per_quarter``)
                    parts = [found[from_block[row - 1]]]
                    from_block[row] = from_block[row - 1]
            found[key] = " ".join(p for p in parts if p)
            walk(value_node, f"{key}.")

    root = yaml.compose(text, Loader=LOADER)
    walk(root, "")
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def header(path: Path) -> str:
    """The comment lines at the top of a scenario file (less its ``@package`` line and the
    command that runs it): what the scenario stands for and where its ranges come from."""
    out = []
    for line in Path(path).read_text().splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if body.startswith(("@package", "python -m sim")):
            continue
        out.append(body)
    return " ".join(out)


def _own(found: dict[str, str], key: str) -> str:
    """A key's comment and its entries' (a per-recipient table's), then its groups'
    (``approval_p``'s source for ``approval_p.capital``), less those that only point to the
    code (``sim/model/power.py``)."""
    parts = key.split(".")
    said = [found.get(".".join(parts[:n]), "") for n in range(len(parts), 0, -1)]
    entries = [text for k, text in found.items() if k.startswith(f"{key}.") and text]
    said = said[:1] + entries + said[1:]
    said = [text for text in said if text and not re.fullmatch(r"[\w/]+\.py\b.*", text)]
    return " — ".join(dict.fromkeys(said))


def revision_text(revision) -> str:
    """What a dated value's revision rests on, in one line (:class:`sim.model.dated.Revision`
    or its mapping in the YAML)."""
    get = revision.get if isinstance(revision, dict) else \
        (lambda name, default=None: getattr(revision, name, default))
    ids = ", ".join(get("sources") or ())
    text = f"{get('basis')} of {get('since')}: {get('note') or ''}".rstrip(": ")
    if get("range"):
        text += f" (range {get('range')})"
    return text + (f" [{ids}]" if ids else "")


def _histories(tree, prefix: str = "") -> dict[str, str]:
    """``{key: its revisions, one line each joined}`` of every dated value of a YAML tree."""
    out = {}
    for name, value in (tree or {}).items():
        key = f"{prefix}{name}"
        if isinstance(value, list) and value and all(isinstance(v, dict) and "since" in v
                                                      for v in value):
            out[key] = "; then ".join(revision_text(r) for r in value)
        elif isinstance(value, dict):
            out.update(_histories(value, f"{key}."))
    return out


def sources(keys, scenario: str, overrides: list[str], conf_dir: Path = CONF_DIR
            ) -> dict[str, tuple[str, str]]:
    """``{key: (where the value was set, its source)}`` for each dotted key of a run:
    the command line, the scenario file or ``conf/config.yaml``. A dated value's source is
    its history, each revision with its basis, date, range and sources."""
    base = comments(conf_dir / "config.yaml")
    base.update(_histories(yaml.load((conf_dir / "config.yaml").read_text(), Loader=LOADER)))
    scenario_file = conf_dir / "scenario" / f"{scenario}.yaml"
    in_scenario = comments(scenario_file) if scenario_file.is_file() else {}
    notes = header(scenario_file) if scenario_file.is_file() else ""
    given = {o.lstrip("+~").split("=", 1)[0] for o in overrides if "=" in o}
    out = {}
    for key in keys:
        if any(key == g or key.startswith(f"{g}.") for g in given):
            out[key] = (COMMAND_LINE, "given on the command line")
        elif key in in_scenario and key != "scenario":
            where = f"conf/scenario/{scenario}.yaml"
            out[key] = (where, _own(in_scenario, key) or f"scenario notes: {notes}")
        else:
            out[key] = ("conf/config.yaml", _own(base, key))
    return out


@dataclass(frozen=True)
class StatedRange:
    """The range a plain value's own comment states (``# assumption (range 4-9): ...``), as
    a dated revision states one: for the swings (:mod:`sim.study.swings`)."""

    range: str
    basis: str


_RANGE = re.compile(r"\brange\s+(\d{4}-\d{2}-\d{2}\s+to\s+\d{4}-\d{2}-\d{2}|"
                    r"\d+(?:\.\d+)?\s*-\s*\d+(?:\.\d+)?)")


def stated_ranges(path: Path = CONF_DIR / "config.yaml") -> dict[str, StatedRange]:
    """``{dotted key: StatedRange}`` for each key of ``path`` whose own comment (on its line,
    or the block just above it) states ``range A-B`` (or ``range D1 to D2``)."""
    found = {}
    for key, text in comments(path).items():
        match = _RANGE.search(text)
        if match:
            basis = "assumption" if "assum" in text else "estimate"
            found[key] = StatedRange(" ".join(match.group(1).split()), basis)
    return found


def bases(used: dict, path: Path = CONF_DIR / "config.yaml") -> dict[str, str]:
    """``{dotted key: basis}``: a dated value's revision in force (``used``: fact, estimate
    or assumption), else what its own comment in ``path`` calls it (``assumption`` where
    it says so, ``estimate`` where it cites a source, else nothing)."""
    found = {}
    for key, text in comments(path).items():
        if "assum" in text:
            found[key] = "assumption"
        elif CITED.search(text or ""):
            found[key] = "estimate"
    return {**found, **{key: revision.basis for key, revision in used.items()}}
