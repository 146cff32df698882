"""Reading a seed file's YAML defensively.

A seed file is a regular file of at most :data:`MAX_BYTES`, nests at most :data:`MAX_DEPTH`
levels, expands (through YAML aliases) to at most :data:`MAX_NODES` values and names each
field of a record once; a folder, a pipe or a symbolic link that loops in place of a file is
named as such. Each problem is an :class:`~sim.errors.InputError` in one line naming the
file (and the line, where YAML has one); the records inside are checked by
:mod:`sim.seeds.fields`.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: its own parser alone
    CParser = None

from sim.errors import InputError
from sim.seeds.fields import Record

MAX_BYTES = 10_000_000
"""The largest seed file read (the project's are under 100 kB)."""
MAX_DEPTH = 20
"""The deepest nesting of lists and mappings in a seed file (the project's nest 7 deep)."""
MAX_NODES = 1_000_000
"""The most values a seed file may expand to, aliases counted at their full size."""


class _Refused(yaml.YAMLError):
    """A seed file the loader will not read further: ``problem`` at ``mark``."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _Limits:
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


class _Loader(_Limits, yaml.SafeLoader):
    """PyYAML's own parser: its messages say what is wrong with a file."""


if CParser is None:
    _FastLoader = _Loader
else:
    class _FastLoader(_Limits, Composer, SafeConstructor, Resolver, CParser):
        """The same loader on libyaml's parser (six times faster; the composing, the limits
        and the values are :class:`_Loader`'s, in Python). A file it refuses is read again
        by :class:`_Loader`, whose messages are the ones users are shown."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)
            self._depth = 0


for _loader in {_Loader, _FastLoader}:
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _loader.construct_yaml_str)


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
        text = raw.decode("utf-8")
        try:
            data = yaml.load(text, Loader=_FastLoader)
        except yaml.YAMLError:  # told as PyYAML's own parser tells it
            data = yaml.load(text, Loader=_Loader)
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
