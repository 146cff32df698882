"""Results folders: their unique names, and how a path is shown to the user."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

RUN_ID = f"{time.strftime('%H%M%S')}{uuid.uuid4().hex[:4]}"  # stays fixed for this process


def run_uid() -> str:
    """A short id unique to this process, so runs started in the same second never collide."""
    return RUN_ID[6:]


def new_name() -> str:
    """A new folder's name: the time now and :func:`run_uid`."""
    return f"{time.strftime('%Y-%m-%d_%H-%M-%S')}-{run_uid()}"


def shown(path: Path) -> Path:
    """``path`` as a user reads it: from the current folder if it lies below it."""
    path = Path(path)
    cwd = Path.cwd()
    return path.relative_to(cwd) if path.is_absolute() and path.is_relative_to(cwd) else path
