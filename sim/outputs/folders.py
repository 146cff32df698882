"""Results folders: their unique names, and how a path is shown to the user."""

from __future__ import annotations

import signal
import threading
import time
import uuid
from contextlib import contextmanager
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


class Interrupts:
    """Ctrl-C held off: :meth:`check` raises the interrupt that came since (a safe point)."""

    def __init__(self):
        self.caught = False

    def check(self) -> None:
        if self.caught:
            self.caught = False
            raise KeyboardInterrupt


@contextmanager
def deferred_interrupts():
    """Within the block, Ctrl-C only sets a flag, raised at the next
    :meth:`Interrupts.check`: an interrupt never lands halfway through writing or cleaning up
    a folder (nor in a callback Python cannot raise from). One after the last check is
    dropped: the work is done by then."""
    interrupts = Interrupts()
    if threading.current_thread() is not threading.main_thread():
        yield interrupts
        return
    previous = signal.signal(signal.SIGINT, lambda *args: setattr(interrupts, "caught", True))
    try:
        yield interrupts
    finally:
        signal.signal(signal.SIGINT, previous)
