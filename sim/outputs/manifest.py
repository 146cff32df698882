"""The marks on a run's folder: ``manifest.json`` says it is complete, ``error.json`` says
it failed, ``.sim-started.json`` says a run of this tool claimed it.

``manifest.json`` is written last (:mod:`sim.outputs.commit`), with the seed, the inputs that
decide the numbers (:func:`inputs`: the hashes of the config and of the seed files, package
versions, the hash of this package's source), ``git describe`` where there is a checkout,
wall time (``wall_seconds``, and ``seconds`` per stage: checks, study, tables, figures,
report) and a checksum of every file. A folder without it is not a finished run. Every
mark is read as a received file (:mod:`sim.outputs.received`: regular, bounded, never
through a link) and told by its content, so that a file of another tool of the same name
is never taken for one of these.

A job of a sweep that is run again finds its folder already complete when the manifest's
inputs are the ones it would run with and every file still has its checksum
(:func:`finished_with`): it is then skipped. A job that fails leaves ``error.json`` instead
(:func:`record_failure`), so that the sweep goes on and its report lists the failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from importlib import metadata
from pathlib import Path

from sim.errors import InputError
from sim.outputs import provenance, received
from sim.seeds.reading import read_seed

MANIFEST = "manifest.json"
FAILURE = "error.json"
STARTED = ".sim-started.json"
"""Written into a run's folder when the run claims it, so that a run stopped before its
manifest is still known for this tool's by its content (:func:`is_started`)."""
TOOL = "sim"
LEGACY_MARK = "sim.app.callbacks.SweepReport"
MANIFEST_LIMIT = 64 * 2**20
NO_EFFECT_ON_NUMBERS = ("mc.n_jobs", "mc.progress", "mc.backend", "mc.ray_address",
                        "overwrite", "archive")
"""Keys that change how a run goes but not its numbers (one worker and two write
byte-identical tables): left out of the config's hash, so that a sweep resumed with another
``mc.n_jobs`` (e.g. under the joblib launcher) still skips its finished jobs."""


PACKAGES = ("sim", "simpy", "hydra-core", "omegaconf", "numpy", "pandas", "pyarrow",
            "matplotlib", "joblib")


def sha256(path: Path) -> str:
    """The SHA-256 of a file this run wrote (a received one: :func:`received.sha256`)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["sim_source"] = provenance.source_sha256()  # the code itself: 0.1.0 says nothing
    return found


def inputs(config_yaml: str, seeds_dir: Path) -> dict:
    """What decides a run's numbers, as the manifest records it: the hash of the composed
    config (less the keys that do not change the numbers: :func:`sim.app.runner.inputs`), the
    hash of the seed files it reads, and the versions of the packages and the hash of this
    package's source (:mod:`sim.outputs.provenance`). A resumed sweep reruns a job whose
    manifest differs in any of them."""
    seeds = hashlib.sha256()
    for path in sorted(Path(seeds_dir).glob("*.yaml")):
        # read as the loader reads them: a folder or a looping link is a seed-file problem
        seeds.update(path.name.encode() + b"\0" + read_seed(path, f"seeds/{path.name}") + b"\0")
    return {"config_sha256": hashlib.sha256(config_yaml.encode()).hexdigest(),
            "seeds_sha256": seeds.hexdigest(), "versions": _versions()}


def provenance_fields() -> dict:
    """What the manifest says of the code beyond :func:`inputs`: ``git describe`` where the
    package is a checkout (for a reader; not part of what a resumed job must match)."""
    described = provenance.git_describe()
    return {"tool": TOOL, **({"git": described} if described else {})}


def _json(run_dir: Path, name: str, limit: int = MANIFEST_LIMIT):
    """The JSON in ``run_dir/name`` read as a received file (:mod:`sim.outputs.received`);
    None if it is not there, not a regular file, or not JSON."""
    if not received.is_folder(run_dir):
        return None
    try:
        return json.loads(received.read_bytes(run_dir, name, limit))
    except (OSError, ValueError):
        return None


def read(run_dir: Path) -> dict | None:
    """The manifest of this tool in ``run_dir`` (a regular file, not a link, of a bounded
    size, whose content is a manifest's); None if there is none."""
    found = _json(run_dir, MANIFEST)
    return found if _is_manifest(found) else None


def _is_manifest(found) -> bool:
    return (isinstance(found, dict) and found.get("complete") is True
            and isinstance(found.get("files"), dict)
            and all(isinstance(v, str) for v in found["files"].values())
            and {"config_sha256", "seeds_sha256", "versions"} <= set(found))


def is_complete(run_dir: Path) -> bool:
    """Whether ``run_dir`` says it holds a finished run: a ``manifest.json`` that is a
    regular file, not a link (:func:`verify` checks it; :func:`read` proves it this tool's)."""
    return received.is_folder(run_dir) and received.is_file(run_dir, MANIFEST)


def verify(run_dir: Path, needs: tuple[str, ...] = ()) -> dict:
    """The manifest of the finished run in ``run_dir``, once every file it lists (``needs``
    among them) is there with its checksum; else :class:`~sim.errors.InputError` in one line:
    a damaged manifest, or a file changed, removed, never written, or that is a link or not
    a regular file (:mod:`sim.outputs.received`)."""
    run_dir = Path(run_dir)
    where = str(run_dir)
    if not received.is_folder(run_dir):
        raise InputError(where, "is a symbolic link or not a folder; give the run's own "
                                "folder")
    try:
        manifest = json.loads(received.read_bytes(run_dir, MANIFEST, MANIFEST_LIMIT))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise InputError(where, f"{MANIFEST} cannot be read ({_first_line(err)}); the run "
                                "cannot be verified: run it again") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise InputError(where, f"{MANIFEST} lists no files with checksums; not a finished "
                                "run's manifest: run it again")
    for name in needs:
        if name not in files:
            raise InputError(where, f"{MANIFEST} does not list {name}; not a finished run of "
                                    "this version: run it again")
    for rel, digest in files.items():
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise InputError(where, f"{MANIFEST} lists {rel!r}, outside the run's folder")
        try:
            matches = received.sha256(run_dir, rel) == digest
        except OSError as err:
            raise InputError(where, f"{rel} is listed in {MANIFEST} but cannot be read "
                                    f"({err.strerror})") from None
        if not matches:
            raise InputError(where, f"{rel} does not match its checksum in {MANIFEST}: it "
                                    "changed after the run finished; run it again")
    return manifest


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:120] if text else type(err).__name__


def finished_with(run_dir: Path, run_inputs: dict) -> dict | None:
    """The summary of the run in ``run_dir`` if it is complete with ``run_inputs`` and every
    file it lists is intact (regular files, not links: :func:`verify`); None if it must run
    (again)."""
    manifest = read(run_dir)
    if manifest is None or any(manifest.get(k) != v for k, v in run_inputs.items()):
        return None
    try:
        verify(run_dir, ("summary.json",))
        return json.loads(received.read_bytes(run_dir, "summary.json"))
    except (InputError, OSError, ValueError):
        return None  # a damaged manifest or file, a link: run it again


def mark_started(run_dir: Path) -> None:
    """Say in ``run_dir`` that a run of this tool has claimed it (:data:`STARTED`)."""
    record = {"tool": TOOL, "pid": os.getpid(), "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    write_atomically(Path(run_dir) / STARTED, json.dumps(record) + "\n")


def is_started(run_dir: Path) -> bool:
    """Whether a run of this tool claimed ``run_dir`` (a run stopped before its manifest):
    :data:`STARTED`, or, from before it existed, a sweep job's ``.hydra/hydra.yaml`` naming
    this tool's sweep callback. Told by their content, never by a name alone."""
    mark = _json(run_dir, STARTED, 2**16)
    if isinstance(mark, dict) and mark.get("tool") == TOOL:
        return True
    try:
        return LEGACY_MARK in received.read_text(run_dir, ".hydra/hydra.yaml", 2**22)
    except (OSError, ValueError):
        return False


def start_afresh(run_dir: Path) -> None:
    """Unmark a sweep's job folder that is about to be run again: its manifest, a recorded
    failure, the staging folders of attempts that were killed and any link in it go, so
    that nothing an earlier attempt left can pass for this one's, and nothing is written
    through a link. (A single run keeps the old run finished
    until the new one is: :func:`sim.outputs.commit.commit`.)"""
    run_dir = Path(run_dir)
    for name in (MANIFEST, FAILURE):
        (run_dir / name).unlink(missing_ok=True)
    remove_stale_staging(run_dir)
    for root, dirs, files in os.walk(run_dir):  # links: unlinked, never written through
        for name in [*dirs, *files]:
            if os.path.islink(os.path.join(root, name)):
                os.unlink(os.path.join(root, name))


def remove_stale_staging(run_dir: Path) -> None:
    """Remove the staging folders that attempts killed in ``run_dir`` left (links are
    unlinked, never followed)."""
    for staging in Path(run_dir).glob(".staging-*"):
        if staging.is_symlink() or not staging.is_dir():
            staging.unlink(missing_ok=True)
        else:
            shutil.rmtree(staging, ignore_errors=True)


def record_failure(run_dir: Path, error: str, *, bad_input: bool, details: str = "") -> None:
    """Write ``error.json`` into ``run_dir``: the error in one line, whether it was bad input,
    and ``details`` (the traceback)."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    record = {"error": error, "bad_input": bad_input, "details": details}
    write_atomically(run_dir / FAILURE, json.dumps(record, indent=2) + "\n")


def failure(run_dir: Path) -> dict | None:
    """The failure recorded in ``run_dir`` (see :func:`record_failure`), or None."""
    found = _json(run_dir, FAILURE)
    ok = isinstance(found, dict) and isinstance(found.get("error"), str)
    return found if ok else None


def write_atomically(path: Path, text: str) -> None:
    """``path`` holds ``text`` whole or is left as it was (a half-written copy is removed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def job_dirs(sweep_dir: Path) -> list[Path]:
    """The job folders of a multirun folder, in job order (finished or not). A link there is
    listed too, so that a reader refuses it (it is never followed) instead of leaving a job
    out unsaid."""
    jobs = [p for p in Path(sweep_dir).iterdir() if p.is_symlink() or (
            received.is_folder(p) and (is_complete(p) or is_started(p) or failure(p)))]
    return sorted(jobs, key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit()
                                       else 0, p.name))


class Laps:
    """The seconds each stage of a run took, in order: each :meth:`lap` ends one stage and
    starts the next (a manifest's ``seconds``: where a run's time went)."""

    def __init__(self):
        self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def lap(self, stage: str) -> dict[str, float]:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self.last, 3)
        self.last = now
        return dict(self.seconds)
