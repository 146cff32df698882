"""Reading a folder this process did not write (a finished run, a sweep's job, a folder
given to ``sim.compare`` or ``sim.api.load``): regular files only, bounded, never through a
link.

A received folder can hold anything: a ``plots/`` or ``.hydra/`` that is a symbolic link to
another folder, a ``summary.json`` that links to ``/dev/zero`` (read forever) or is a pipe
(wait forever), a sparse file of a terabyte. Every read here starts at the folder given
(itself it may be reached through links: it is the user's own path) and opens each name
below it with ``O_NOFOLLOW``, so no link inside is followed; the file must be a regular
file (``fstat``, after opening without blocking), and no larger than a bound. Anything else
raises :class:`NotReadable` (an ``OSError`` whose ``strerror`` says why in a few words),
which callers turn into one line.

Used by the manifest's checks (:mod:`sim.outputs.manifest`), the comparison's file reads
(:mod:`sim.outputs.run_files`), :func:`sim.api.load` and a sweep's resume.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
from pathlib import Path

TEXT_LIMIT = 256 * 2**20
"""The largest file read whole into memory (a summary, a table): 256 MiB."""
HASH_LIMIT = 4 * 2**30
"""The largest file checksummed (streamed): 4 GiB."""
_CHUNK = 2**20
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class NotReadable(OSError):
    """A name in a received folder that is not a regular file of a bounded size."""


def _parts(rel: str | Path) -> list[str]:
    parts = [p for p in Path(rel).parts if p not in ("", ".")]
    if not parts or Path(rel).is_absolute() or ".." in parts:
        raise NotReadable(errno.EINVAL, "a path outside the folder", str(rel))
    return parts


def _open(root: Path, rel: str | Path) -> int:
    """A descriptor of the regular file ``root/rel``, reached without following a link."""
    parts = _parts(rel)
    where = str(Path(root) / rel)
    fd = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        for part in parts[:-1]:
            try:
                inner = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            except OSError as err:
                raise _why(err, where, folder=True) from None
            os.close(fd)
            fd = inner
        try:
            file = os.open(parts[-1], os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=fd)
        except OSError as err:
            raise _why(err, where) from None
    finally:
        os.close(fd)
    if not stat.S_ISREG(os.fstat(file).st_mode):
        os.close(file)
        raise NotReadable(errno.EINVAL, "not a regular file", where)
    return file


def _why(err: OSError, where: str, folder: bool = False) -> OSError:
    if err.errno in (errno.ELOOP, errno.EMLINK) or (folder and err.errno == errno.ENOTDIR):
        return NotReadable(err.errno, "a symbolic link or not a folder" if folder
                           else "a symbolic link, not a file", where)
    return type(err)(err.errno, err.strerror, where)


def _size(fd: int, limit: int, where: str) -> int:
    size = os.fstat(fd).st_size
    if size > limit:
        raise NotReadable(errno.EFBIG, f"larger than {limit // 2**20:,} MiB", where)
    return size


def read_bytes(root: Path, rel: str | Path, limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of ``root/rel`` (see the module's docstring)."""
    fd = _open(root, rel)
    where = str(Path(root) / rel)
    try:
        size = _size(fd, limit, where)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(size + 1)
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise NotReadable(errno.EFBIG, f"larger than {limit // 2**20:,} MiB", where)
    return data


def read_text(root: Path, rel: str | Path, limit: int = TEXT_LIMIT) -> str:
    """The UTF-8 text of ``root/rel``."""
    return read_bytes(root, rel, limit).decode("utf-8")


def sha256(root: Path, rel: str | Path, limit: int = HASH_LIMIT) -> str:
    """The SHA-256 of ``root/rel``, read in chunks, at most ``limit`` bytes."""
    fd = _open(root, rel)
    where = str(Path(root) / rel)
    digest, seen = hashlib.sha256(), 0
    try:
        _size(fd, limit, where)
        while chunk := os.read(fd, _CHUNK):
            seen += len(chunk)
            if seen > limit:
                raise NotReadable(errno.EFBIG, f"larger than {limit // 2**20:,} MiB", where)
            digest.update(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest()


def is_file(root: Path, rel: str | Path) -> bool:
    """Whether ``root/rel`` is a regular file reached without a link."""
    try:
        os.close(_open(root, rel))
    except (OSError, ValueError):
        return False
    return True


def is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder and not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


class Bytes(io.BytesIO):
    """A file's bytes, read once: pandas reads it as a file; ``read_text`` and
    ``read_bytes`` as for a path, so a reader of a path takes it unchanged."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.getvalue().decode(encoding)

    def read_bytes(self) -> bytes:
        return self.getvalue()


def file(root: Path, rel: str | Path, limit: int = TEXT_LIMIT) -> Bytes:
    """``root/rel`` read whole, as :class:`Bytes`."""
    return Bytes(read_bytes(root, rel, limit), str(Path(root) / rel))
