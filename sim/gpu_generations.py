"""The GPU generations by name, shared by the seed files (a tranche names its generation) and
the model (:mod:`sim.model.generations`, where each generation's dates, power and price live).
"""

from __future__ import annotations

GENERATIONS = ("b200", "b300", "vera_rubin")
"""Every generation the model knows, oldest first (the index is a lot's generation code)."""
NAMES = {"b200": "B200", "b300": "B300", "vera_rubin": "Vera Rubin"}
"""Each generation as a reader (and a source) names it."""
BLACKWELL = ("b200", "b300")
"""The generations the pledge's word "Blackwell" covers."""


def code(name: str) -> int:
    """The code of a generation named as a source names it (``B300``) or by its key."""
    for i, key in enumerate(GENERATIONS):
        if name.strip().lower() in (key, NAMES[key].lower()):
            return i
    raise ValueError(f"unknown GPU generation {name.strip()!r}; known: "
                     + ", ".join(NAMES[g] for g in GENERATIONS))


def named(text: str) -> list[int]:
    """The generations a tranche's ``generation`` names (``B300 / Vera Rubin``), in order."""
    return [code(part) for part in text.split("/") if part.strip()]
