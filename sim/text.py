"""Text from outside made inert before it reaches a terminal.

Names in seed files, labels in a received run's ``.hydra/overrides.yaml``, values typed on
the command line and echoed in an error line: any of them may hold control characters. A
terminal obeys them: ESC starts sequences that retitle, clear or recolour it, CR and BS
overwrite what was printed, BEL rings, the C1 controls (U+0080-U+009F) act like ESC on some
terminals, and the bidirectional overrides (U+202A-U+202E, U+2066-U+2069) reorder what the
reader sees. :func:`inert` writes each such character as its Python escape (``\\x1b``,
``\\u202e``), so the reader sees what the text holds and the terminal does nothing.

It sits below every other layer (beside :mod:`sim.errors`) because error lines use it: an
:class:`~sim.errors.InputError` escapes its own message. Every line printed for a reader
(:mod:`sim.outputs.terminal`, compare's and the sweep's tables, the error lines) goes
through it; ``inert(inert(s)) == inert(s)``, so text escaped twice reads the same.
"""

from __future__ import annotations

import re
import unicodedata

UNSAFE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
"""Unicode categories a terminal may act on, or that show nothing: controls (C0, DEL, C1),
format characters (bidi overrides, zero-width marks), surrogates, private use, unassigned,
and the line and paragraph separators."""


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def inert(text, newlines: bool = False) -> str:
    """``text`` (anything, as ``str``) with every character of :data:`UNSAFE` escaped;
    with ``newlines``, a newline is kept (text of several lines), else it is escaped too
    (a line stays one line). Printable text, Korean included, is left as it is."""
    text = str(text)
    if text.isprintable() and not newlines:  # the common case, at C speed
        return text
    return "".join(ch if (ch == "\n" and newlines) or
                   unicodedata.category(ch) not in UNSAFE else _escape(ch) for ch in text)


CITED = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:19|20)\d\d_\d\d_\d\d\b")
"""A source id of ``seeds/sources.yaml`` as a comment or a document cites it
(``donga_2025_07_29``: publisher, year, month, day)."""


def count_tag(gpus: int) -> str:
    """A target's count as its names say it: ``50k`` for 50,000 (the exact count if it is no
    whole thousand)."""
    return f"{gpus // 1000}k" if gpus % 1000 == 0 else str(gpus)
