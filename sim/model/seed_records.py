"""Reading a seed file: YAML in, checked records out, every error in one line.

A seed record is a mapping; :class:`Record` gives checked access to its fields, and every
violation is an :class:`~sim.errors.InputError` whose one line names the file, the record
and the field: ``seeds/sites.yaml: site 'sk_ulsan': recipient='skk' is not one of ...``.
Every record names source ids from ``seeds/sources.yaml`` or says ``assumption: <why>``
(:meth:`Record.provenance`).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from sim.errors import InputError
from sim.model.calendar import parse_date


class Record:
    """One mapping from a seed file, with checked access that names file, record and field."""

    def __init__(self, file: str, label: str, data: Any):
        self.label = label
        self.where = f"{file}: {label}"
        if not isinstance(data, dict):
            raise InputError(self.where, f"expected a mapping of fields, got {data!r}")
        self.data = data

    def fail(self, field: str, problem: str):
        sep = "" if problem.startswith("=") else " "
        raise InputError(self.where, f"{field}{sep}{problem}")

    def get(self, field: str, default: Any = ...):
        if field not in self.data or self.data[field] is None:
            if default is ...:
                self.fail(field, "is missing")
            return default
        return self.data[field]

    def text(self, field: str, default: Any = ...) -> str:
        value = self.get(field, default)
        if value is not default and not isinstance(value, str):
            self.fail(field, f"={value!r} is not text")
        return value

    def choice(self, field: str, allowed: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(field, default)
        if value is not default and value not in allowed:
            self.fail(field, f"={value!r} is not one of {', '.join(allowed)}")
        return value

    def date(self, field: str) -> datetime.date:
        value = self.get(field)
        try:
            return parse_date(field, value)
        except InputError:
            self.fail(field, f"={value!r} is not a date; use YYYY-MM-DD")

    def positive(self, field: str, kind=(int, float)) -> float:
        value = self.get(field)
        if isinstance(value, bool) or not isinstance(value, kind) or not value > 0:
            self.fail(field, f"={value!r} must be a positive "
                             f"{'whole number' if kind is int else 'number'}")
        return value

    def provenance(self, sources: dict | None) -> None:
        """Every record names its sources or says ``assumption: <why>``."""
        ids = self.data.get("sources") or []
        if not ids and not self.data.get("assumption"):
            self.fail("sources", "are missing: name source ids or say 'assumption: <why>'")
        if not isinstance(ids, list):
            self.fail("sources", f"={ids!r} is not a list of source ids")
        for sid in ids:
            if sources is not None and str(sid) not in sources:
                self.fail("sources", f"name {sid!r}, which is not in seeds/sources.yaml")


class _Loader(yaml.SafeLoader):
    """YAML with dates left as text, for :meth:`_Record.date` to check with the record's name.

    PyYAML turns ``2027-13-45`` into a date itself and fails with a bare ValueError
    ("month must be in 1..12") that says neither file nor record.
    """


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)


def load_file(folder: Path, name: str, key: str) -> Any:
    path = folder / name
    label = f"seeds/{name}"
    if not path.is_file():
        raise InputError(label, f"file is missing (looked in {folder})")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except UnicodeDecodeError as err:
        raise InputError(label, f"is not UTF-8 text (byte {err.start}); save it as UTF-8 "
                                "YAML") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None)
        raise InputError(label, f"is not valid YAML{at}" +
                         (f": {problem}" if problem else "")) from None
    if not isinstance(data, dict) or key not in data:
        raise InputError(label, f"is empty or has no top-level '{key}:' list")
    return data


def records(file: str, data: dict, key: str, id_field: str | None = None, noun: str = "",
             ) -> list[Record]:
    """The list under ``key``, each item labelled ``<noun> '<id>'`` for error messages.

    Records with an ``id_field`` must be unique by it, and there must be at least one;
    records without one are labelled ``<key>[<i>]`` and may be none.
    """
    items = data[key]
    if not isinstance(items, list) or (id_field and not items):
        raise InputError(file, f"'{key}:' must be a {'non-empty ' if id_field else ''}list "
                               f"of records, got {items!r:.60}")
    records, seen = [], set()
    for i, item in enumerate(items):
        ident = item.get(id_field) if id_field and isinstance(item, dict) else None
        rec = Record(file, f"{noun} {str(ident)!r}" if ident is not None else f"{key}[{i}]",
                      item)
        if id_field:
            rid = str(rec.get(id_field))
            if rid in seen:
                rec.fail(id_field, f"{rid!r} appears twice; each must be unique")
            seen.add(rid)
        records.append(rec)
    return records
