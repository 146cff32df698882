"""What a command of ``sim`` makes sure of in its process before it starts, so that faults
of the environment end in one line or a complete run, never in a traceback:

- SIGTERM and SIGHUP stop it as Ctrl-C does (:func:`sim.outputs.folders.stop_on_signals`);
- a closed standard output (``python -m sim | head -0``) does not stop a run that is
  writing its results: what it would print is dropped (:class:`_Dropping`);
- a working directory that was deleted is refused in one line (results go below it);
- a home folder that is missing or read-only: matplotlib's config and font cache go to a
  temporary folder of this process, and say nothing (it would warn over several lines).
"""

from __future__ import annotations

import atexit
import errno
import io
import os
import shutil
import sys
import tempfile

from sim.errors import InputError
from sim.outputs.folders import stop_on_signals


class _Dropping(io.TextIOBase):
    """Standard output that, once its reader has gone (EPIPE), drops what it is given."""

    def __init__(self, stream):
        self.stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.stream.write(text)
                if "\n" in text:
                    self.stream.flush()
            except (BrokenPipeError, ValueError, OSError) as err:
                if isinstance(err, OSError) and err.errno not in (errno.EPIPE, errno.EINVAL):
                    raise
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except (BrokenPipeError, ValueError, OSError):
                self._drop()

    def _drop(self) -> None:
        self.gone = True
        try:  # the interpreter flushes fd 1 at exit: point it at nothing
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, self.stream.fileno())
            os.close(fd)
        except (OSError, ValueError):
            pass

    def isatty(self) -> bool:
        return not self.gone and self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self):
        return self.stream.encoding


def start() -> None:
    """:func:`prepare`, for a command's entry point: a deleted working directory ends the
    program in one line, exit status 2."""
    try:
        prepare()
    except InputError as ex:
        print(f"error: {ex}", file=sys.stderr)
        sys.exit(2)


def prepare() -> None:
    """Set up the process of a command (see the module's docstring); refuse a deleted
    working directory with :class:`~sim.errors.InputError`."""
    stop_on_signals()
    if not isinstance(sys.stdout, _Dropping) and sys.stdout is not None:
        sys.stdout = _Dropping(sys.stdout)
    try:
        os.getcwd()
    except FileNotFoundError:
        raise InputError("working directory", "it no longer exists (deleted or moved); cd "
                                              "to a folder that exists and run again") from None
    _matplotlib_home()


def _matplotlib_home() -> None:
    """As matplotlib looks for its folders: where it could not make or write one, point it
    at a temporary folder of this process instead of letting it warn."""
    if os.environ.get("MPLCONFIGDIR"):
        return
    home = os.path.expanduser("~")
    wanted = [os.path.join(os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"),
                           "matplotlib"),
              os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"),
                           "matplotlib")]
    try:
        for folder in wanted:
            os.makedirs(folder, exist_ok=True)
        if all(os.path.isdir(f) and os.access(f, os.W_OK) for f in wanted):
            return
    except OSError:
        pass
    folder = tempfile.mkdtemp(prefix="sim-matplotlib-")
    os.environ["MPLCONFIGDIR"] = folder  # workers of this run inherit it
    atexit.register(shutil.rmtree, folder, True)
