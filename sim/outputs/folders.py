"""Results folders: their unique names, and how a path is shown to the user."""

from __future__ import annotations

import shutil
import signal
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from sim.errors import WriteError

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


SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                if hasattr(signal, name))
"""The signals that stop a run as Ctrl-C does: one line, nothing half-written, resumable."""
_LAST = [signal.SIGINT]


def exit_code() -> int:
    """The exit status of a program stopped by a signal: 128 + its number (130: Ctrl-C)."""
    return 128 + int(_LAST[0])


def _stop(signum, frame) -> None:
    _LAST[0] = signum
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP raise ``KeyboardInterrupt`` as Ctrl-C does, so that every clean-up
    that Ctrl-C gets (staging folders removed, one line, a sweep resumable) they get too;
    :func:`exit_code` then says which signal it was."""
    if threading.current_thread() is threading.main_thread():
        for signum in SIGNALS[1:]:
            signal.signal(signum, _stop)


class Interrupts:
    """Ctrl-C (or SIGTERM, SIGHUP) held off: :meth:`check` raises the interrupt that came
    since (a safe point)."""

    def __init__(self):
        self.caught = False

    def check(self) -> None:
        if self.caught:
            self.caught = False
            raise KeyboardInterrupt

    def hold(self, signum, frame) -> None:
        _LAST[0] = signum
        self.caught = True


@contextmanager
def deferred_interrupts():
    """Within the block, Ctrl-C, SIGTERM and SIGHUP only set a flag, raised at the next
    :meth:`Interrupts.check`: an interrupt never lands halfway through writing or cleaning up
    a folder (nor in a callback Python cannot raise from). One after the last check is
    dropped: the work is done by then."""
    interrupts = Interrupts()
    if threading.current_thread() is not threading.main_thread():
        yield interrupts
        return
    previous = {signum: signal.signal(signum, interrupts.hold) for signum in SIGNALS}
    try:
        yield interrupts
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def staged_folder(out: Path, fill: Callable[[Path], None]) -> Path:
    """The new folder ``out``, whole or not at all: ``fill`` writes its files under a hidden
    name beside it, renamed when done. Whatever stops it (a full disk, Ctrl-C) takes out
    what was written and the folders made for it; a full disk is a
    :class:`~sim.errors.WriteError`."""
    out = Path(out)
    made = [p for p in (out.parent, *out.parent.parents) if not p.exists()]
    staging = out.parent / f".staging-{out.name}"
    try:
        staging.mkdir(parents=True)
        fill(staging)
        staging.rename(out)
    except BaseException as ex:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in made:  # results/<kind>/ and results/, if this made them
            try:
                folder.rmdir()
            except OSError:
                break
        if isinstance(ex, OSError):
            raise WriteError(shown(Path(ex.filename or staging)),
                             ex.strerror or str(ex)) from ex
        raise
    return out
