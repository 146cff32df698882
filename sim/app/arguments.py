"""The command lines of ``python -m sim.validate`` and ``python -m sim.compare``: bad options
refused in one line, as every other bad input is.

argparse's own refusal is a usage block and a line; a user who typed ``-m`` (the sweep flag
of ``python -m sim``) or a word for a number gets instead one line on stderr naming the
option, the value and what is allowed, with exit status 2. ``--help`` still prints the help.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from sim.text import inert


class Parser(argparse.ArgumentParser):
    """An argument parser whose refusals are one line (:meth:`error`); ``hints`` say more
    about an option given that this command does not take (``-m``: what to do instead)."""

    def __init__(self, *args, hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def error(self, message: str) -> NoReturn:
        """``error: <option>: <problem>; <what is allowed>`` on stderr, exit status 2."""
        print(f"error: {inert(self.explain(message))}", file=sys.stderr)
        sys.exit(2)

    def explain(self, message: str) -> str:
        """argparse's ``message`` as one line that names the option and what it takes."""
        options = ", ".join(a.option_strings[-1] for a in self._actions
                            if a.option_strings and a.dest != "help")
        unknown = re.fullmatch(r"unrecognized arguments: (.*)", message)
        if unknown:
            given = unknown.group(1).split()[0]
            hint = f" ({self.hints[given]})" if given in self.hints else ""
            return (f"{given}: not an option of {self.prog}{hint}; allowed: {options}, "
                    "--help, and its arguments")
        value = re.fullmatch(r"argument ([^:]+): (.*)", message)
        if value:
            return f"{value.group(1).split('/')[-1]}: {value.group(2)}"
        return f"{message}; see {self.prog} --help"


def whole(low: int, high: int):
    """An argparse ``type``: a whole number in ``low..high``, refused in words otherwise."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not allowed; need a whole number "
                                             f"{low}..{high}")
        return value
    return parse
