"""Reading a seed file: YAML in, checked records out, every error in one line.

A seed record is a mapping; :class:`Record` gives checked access to its fields, and every
violation is an :class:`~sim.errors.InputError` whose one line names the file, the record
and the field: ``seeds/sites.yaml: site 'sk_ulsan': recipient='skk' is not one of ...``.
Every record names source ids from ``seeds/sources.yaml`` or says ``assumption: <why>``
(:meth:`Record.provenance`).

Each kind of record declares the fields it takes (``fields=``, a tuple of names): a field
it does not take is refused, naming it and the allowed ones, so a misspelled
``grid_assesment`` cannot be silently ignored. Numbers must be finite and within the bounds
of :data:`LIMITS`, each with its reason.

The YAML itself is read defensively (:func:`load_file`): a seed file is a regular file of at
most :data:`MAX_BYTES`, nests at most :data:`MAX_DEPTH` levels, expands (through YAML
aliases) to at most :data:`MAX_NODES` values and names each field of a record once; a
folder, a pipe or a symbolic link that loops in place of a file is named as such.
"""

from __future__ import annotations

import datetime
import difflib
import errno
import math
import reprlib
import stat
from pathlib import Path
from typing import Any, Iterable

import yaml

from sim.errors import InputError
from sim.model.calendar import parse_date

PROVENANCE = ("sources", "assumption")
"""The fields with which every sourced record says where it comes from."""

LIMITS = {
    "gpus": (10_000_000, "over 38 times the 260,000 pledged; the model tracks every lot"),
    "mw": (10_000.0, "10 GW, larger than any data-centre campus announced; Korea's whole "
                     "grid peaks near 100 GW"),
}
"""The largest value a numeric field takes, and why (a field not listed: any finite number)."""

MAX_BYTES = 10_000_000
"""The largest seed file read (the project's are under 100 kB)."""
MAX_DEPTH = 20
"""The deepest nesting of lists and mappings in a seed file (the project's nest 7 deep)."""
MAX_NODES = 1_000_000
"""The most values a seed file may expand to, aliases counted at their full size."""

_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60
_short.maxlist = _short.maxdict = 6
_short.maxlong = 40


def shown(value: Any) -> str:
    """``repr(value)``, cut short: an error line stays one readable line."""
    return _short.repr(value)


class Record:
    """One mapping from a seed file, with checked access that names file, record and field.

    ``fields``, if given, are the fields this kind of record takes; any other is refused.
    """

    def __init__(self, file: str, label: str, data: Any, fields: Iterable[str] | None = None):
        self.label = label
        self.where = f"{file}: {label}"
        if not isinstance(data, dict):
            raise InputError(self.where, f"expected a mapping of fields, got {shown(data)}")
        self.data = data
        if fields is not None:
            self.allow(tuple(fields))

    def allow(self, fields: tuple[str, ...]) -> None:
        """Refuse a field this kind of record does not take, naming the ones it does."""
        for name in self.data:
            if name not in fields:
                lower = {f.lower(): f for f in fields}
                close = difflib.get_close_matches(str(name).lower(), list(lower), n=1)
                hint = f" (did you mean {lower[close[0]]!r}?)" if close else ""
                raise InputError(self.where, f"unknown field {shown(name)}{hint}; allowed: "
                                             f"{', '.join(fields)}")

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
            self.fail(field, f"={shown(value)} is not text")
        return value

    def choice(self, field: str, allowed: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(field, default)
        if value is not default and value not in allowed:
            self.fail(field, f"={shown(value)} is not one of {', '.join(allowed)}")
        return value

    def date(self, field: str) -> datetime.date:
        value = self.get(field)
        try:
            return parse_date(field, value)
        except InputError:
            self.fail(field, f"={shown(value)} is not a date; use YYYY-MM-DD")

    def positive(self, field: str, kind=(int, float), *,
                 at_most: tuple[float, str] | None = None) -> float:
        """A finite number > 0 of ``kind``, at most ``at_most`` (the bound and its reason;
        by default the field's :data:`LIMITS`)."""
        value = self.get(field)
        what = "whole number" if kind is int else "number"
        if isinstance(value, bool) or not isinstance(value, kind):
            self.fail(field, f"={shown(value)} must be a positive {what}")
        if not math.isfinite(value):
            self.fail(field, f"={value!r} is not a finite number; need a positive {what}")
        if not value > 0:
            self.fail(field, f"={shown(value)} must be a positive {what}")
        bound, why = at_most or LIMITS.get(field, (math.inf, ""))
        if value > bound:
            most = f"{int(bound):,}" if float(bound).is_integer() else f"{bound:,}"
            self.fail(field, f"={shown(value)} is more than {most}, the most allowed ({why})")
        return value

    def provenance(self, sources: dict | None) -> None:
        """Every record names its sources or says ``assumption: <why>``."""
        ids = self.data.get("sources") or []
        if not ids and not self.data.get("assumption"):
            self.fail("sources", "are missing: name source ids or say 'assumption: <why>'")
        if not isinstance(ids, list):
            self.fail("sources", f"={shown(ids)} is not a list of source ids")
        for sid in ids:
            if sources is not None and str(sid) not in sources:
                self.fail("sources", f"name {shown(sid)}, which is not in seeds/sources.yaml")


# --- reading the YAML ------------------------------------------------------------------------

class _Refused(yaml.YAMLError):
    """A seed file the loader will not read further: ``problem`` at ``mark``."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _Loader(yaml.SafeLoader):
    """Safe YAML with the limits of this module, and dates left as text for
    :meth:`Record.date` to check with the record's name.

    PyYAML turns ``2027-13-45`` into a date itself and fails with a bare ValueError
    ("month must be in 1..12") that says neither file nor record.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nests deeper than {MAX_DEPTH} levels (seed records nest "
                               "about 7)", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self):
        node = super().compose_document()
        if node is not None and _expanded_size(node) > MAX_NODES:
            raise _Refused(f"expands to more than {MAX_NODES:,} values through its aliases "
                           "(*name); write the values out", node.start_mark)
        return node

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key != "<<" and key in seen:
                    raise _Refused(f"field {key!r} appears twice in one mapping; keep one",
                                   key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)


def _expanded_size(root) -> int:
    """How many values ``root`` stands for with every alias written out; more than
    :data:`MAX_NODES` for an alias of a node that holds it (endless). Iterative: aliases may
    chain deeper than Python recurses."""
    sizes: dict[int, int] = {}
    entered: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = (node.value if isinstance(node, yaml.SequenceNode)
                    else [n for pair in node.value for n in pair])
        if children_done:
            sizes[id(node)] = min(MAX_NODES + 1, 1 + sum(sizes[id(c)] for c in children))
        elif id(node) in entered:  # reached again from inside itself
            return MAX_NODES + 1
        else:
            entered.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def read_seed(path: Path, label: str) -> bytes:
    """The bytes of the seed file at ``path``; anything that is not a readable regular file
    is refused in one line naming ``label`` (``seeds/<name>``)."""
    path = Path(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(label, f"is a folder, not a file ({path})")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(label, f"is not a regular file ({path}); give a YAML file")
        if info.st_size > MAX_BYTES:
            raise InputError(label, f"is {info.st_size:,} bytes; a seed file may be at most "
                                    f"{MAX_BYTES:,}")
        return path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(label, f"is a symbolic link to a file that does not exist "
                                    f"({path})") from None
        raise InputError(label, f"file is missing (looked in {path.parent})") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(label, f"is a symbolic link that loops ({path}); point it at a "
                                    "file") from None
        if err.errno == errno.ENOTDIR:
            raise InputError(label, f"cannot be read: {path.parent} is not a folder") from None
        raise InputError(label, f"cannot be read ({err.strerror}: {path})") from None


def load_file(folder: Path, name: str, key: str, top: tuple[str, ...] | None = None) -> Any:
    """The mapping in ``folder/name``, which must hold the list ``key`` and no top-level key
    but those of ``top`` (default: ``key`` alone)."""
    label = f"seeds/{name}"
    raw = read_seed(Path(folder) / name, label)
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_Loader)
    except UnicodeDecodeError as err:
        raise InputError(label, f"is not UTF-8 text (byte {err.start}); save it as UTF-8 "
                                "YAML") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None)
        if isinstance(err, _Refused):
            raise InputError(label, f"line {mark.line + 1}: {problem}" if mark else problem
                             ) from None
        raise InputError(label, f"is not valid YAML{at}" +
                         (f": {problem}" if problem else "")) from None
    if not isinstance(data, dict) or key not in data:
        raise InputError(label, f"is empty or has no top-level '{key}:' list")
    Record(label, "top level", data, top or (key,))
    return data


def records(file: str, data: dict, key: str, id_field: str | None = None, noun: str = "",
            fields: Iterable[str] | None = None) -> list[Record]:
    """The list under ``key``, each item labelled ``<noun> '<id>'`` for error messages and
    holding only ``fields`` (if given).

    Records with an ``id_field`` must be unique by it, and there must be at least one;
    records without one are labelled ``<key>[<i>]`` and may be none.
    """
    items = data[key]
    if not isinstance(items, list) or (id_field and not items):
        raise InputError(file, f"'{key}:' must be a {'non-empty ' if id_field else ''}list "
                               f"of records, got {shown(items)}")
    fields = tuple(fields) if fields is not None else None
    out, seen = [], set()
    for i, item in enumerate(items):
        ident = item.get(id_field) if id_field and isinstance(item, dict) else None
        label = f"{noun} {shown(str(ident))}" if ident is not None else f"{key}[{i}]"
        rec = Record(file, label, item, fields)
        if id_field:
            rid = str(rec.get(id_field))
            if rid in seen:
                rec.fail(id_field, f"{shown(rid)} appears twice; each must be unique")
            seen.add(rid)
        out.append(rec)
    return out
