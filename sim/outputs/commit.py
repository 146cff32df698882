"""Putting a run's files in place once every one of them is written: all of them or none,
the old run kept whole until then, and never through a link.

A run writes its files into a staging folder inside its own folder (:func:`staging`); then
:func:`commit` makes them the run's:

- into a folder that holds nothing else (a new run: only the :data:`~sim.outputs.manifest
  .STARTED` mark), the files are moved in one by one, each folder on the way made here and
  checked not to be a link, and ``manifest.json`` is written last: a folder without it is
  not a finished run;
- into a folder that holds an earlier run (``overwrite=true``, a stopped run, a sweep's job
  run again), the staging folder, manifest included, takes the folder's place in one step
  (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames), and the old run is removed
  after: until that step the old run is a finished run, after it the folder holds exactly
  the new run's files. A full disk stops the run before that step, with the old run intact.

Where the folder's parent cannot be written (the step renames beside the folder), the old
run's files are removed and the new ones moved in, manifest last.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
from pathlib import Path

from sim.outputs.manifest import MANIFEST, STARTED, write_atomically

_EXCHANGE = 2  # RENAME_EXCHANGE, <linux/fs.h>
_AT_FDCWD = -100


def staging(run_dir: Path) -> Path:
    """A new, empty staging folder inside ``run_dir`` (made if absent) for this process."""
    Path(run_dir).mkdir(parents=True, exist_ok=True)
    folder = Path(run_dir) / f".staging-{os.getpid()}"
    if folder.is_symlink() or folder.exists():
        _remove(folder)
    folder.mkdir()
    return folder


def files_of(folder: Path) -> list[Path]:
    """The regular files under ``folder``, relative to it, in path order."""
    return sorted(p.relative_to(folder) for p in Path(folder).rglob("*")
                  if p.is_file() and not p.is_symlink())


def commit(run_dir: Path, staged: Path, manifest_text: str) -> None:
    """Make the files in ``staged`` the run in ``run_dir``, ``manifest_text`` its manifest
    (see the module's docstring). Raises ``OSError`` with nothing marked complete."""
    run_dir = Path(run_dir)
    others = set(os.listdir(run_dir)) - {staged.name, STARTED}
    if not others:
        _move_in(run_dir, staged, manifest_text)
        return
    write_atomically(staged / MANIFEST, manifest_text)
    try:
        aside = _swap(run_dir, staged)
    except OSError as err:
        if err.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.EXDEV,
                             errno.EBUSY):
            raise
        (staged / MANIFEST).unlink()
        _clear(run_dir, keep={staged.name})
        _move_in(run_dir, staged, manifest_text)
        return
    _remove(aside)


def _move_in(run_dir: Path, staged: Path, manifest_text: str) -> None:
    files = files_of(staged)
    moved: list[Path] = []
    try:
        for rel in files:
            _folders(run_dir, rel.parent)
            os.replace(staged / rel, run_dir / rel)
            moved.append(rel)
        write_atomically(run_dir / MANIFEST, manifest_text)
    except BaseException:
        _take_out(run_dir, moved, files)
        raise
    (run_dir / STARTED).unlink(missing_ok=True)


def _folders(run_dir: Path, rel: Path) -> None:
    """Make the folders of ``rel`` inside ``run_dir``; refuse one that is a link."""
    path = run_dir
    for part in rel.parts:
        path = path / part
        try:
            path.mkdir()
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                raise OSError(errno.ENOTDIR, "a symbolic link or a file where a folder of "
                                             "the run goes", str(path)) from None


def _take_out(run_dir: Path, moved: list[Path], files: list[Path]) -> None:
    """Remove the files of a commit that failed halfway (``moved`` of ``files``), and the
    folders (``plots/``, ``.hydra/``) left empty."""
    for rel in moved:
        (run_dir / rel).unlink(missing_ok=True)
    folders = {parent for rel in files for parent in rel.parents if parent != Path(".")}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        try:
            (run_dir / folder).rmdir()
        except OSError:
            pass


def _swap(run_dir: Path, staged: Path) -> Path:
    """Put ``staged`` in ``run_dir``'s place in one step; return where the old run went."""
    os.chmod(staged, stat.S_IMODE(os.stat(run_dir).st_mode))
    aside = run_dir.parent / f".{run_dir.name}.new-{os.getpid()}"
    os.rename(staged, aside)
    try:
        if _exchange(aside, run_dir):
            return aside
        old = run_dir.parent / f".{run_dir.name}.old-{os.getpid()}"
        os.rename(run_dir, old)
        try:
            os.rename(aside, run_dir)
        except BaseException:
            os.rename(old, run_dir)  # cut short between the two renames: the old run back
            raise
        return old
    except BaseException:
        shutil.rmtree(aside, ignore_errors=True)  # the new run, never put in place
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders at ``a`` and ``b`` in one step; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _clear(run_dir: Path, keep: set[str]) -> None:
    """Remove everything in ``run_dir`` but ``keep``: the manifest first, links unfollowed."""
    (run_dir / MANIFEST).unlink(missing_ok=True)
    for entry in os.listdir(run_dir):
        if entry not in keep:
            _remove(run_dir / entry)


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)
