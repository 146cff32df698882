"""Finished runs compared, and hindcasts scored, from Python: :func:`compare` and
:func:`validate`, each an object with its tables as DataFrames and a ``write``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sim.app.folders import check_not_ours_to_keep
from sim.errors import InputError
from sim.outputs.folders import deferred_interrupts, new_name


def _new_folder(folder: str | Path | None, default: Path) -> Path:
    """Where a comparison or a validation goes: ``folder`` (new, or an empty folder that is
    then replaced), else a new one under ``default``."""
    out = Path(folder) if folder is not None else default / new_name()
    check_not_ours_to_keep(out, "folder")
    if out.is_symlink() or (out.exists() and (not out.is_dir() or any(out.iterdir()))):
        raise InputError(str(out), "exists and is not an empty folder; give a new folder")
    if out.is_dir():
        out.rmdir()  # written whole under a hidden name beside it, then renamed to it
    return out


@dataclass
class Comparison:
    """Finished runs side by side (``python -m sim.compare``): ``table`` is ``compare.csv``
    (a row per figure and run, with its difference from the first run), ``text`` the table
    as the terminal shows it, ``runs`` the runs' labels and folders."""

    table: object
    text: str
    runs: list = field(repr=False, default_factory=list)
    formats: tuple = ("png",)

    def write(self, folder: str | Path | None = None) -> Path:
        """Write ``compare.csv``, the figures and ``report.html`` into ``folder`` (new;
        default: a new one under ``results/compare/``), whole or not at all."""
        from sim.outputs import compare

        out = _new_folder(folder, compare.COMPARE_DIR)
        command = " ".join(["python -m sim.compare", *(str(r.path) for r in self.runs)])
        with deferred_interrupts() as interrupts:
            return compare.write(self.runs, self.table, out, self.formats, command, interrupts)


def compare(*folders: str | Path, formats: tuple = ("png",)) -> Comparison:
    """Compare finished runs: each folder a run, or a multirun folder (all its jobs). Every
    run is verified against its manifest first; one that is not a finished run, or whose
    files changed, is refused in one line (:class:`~sim.errors.InputError`). Nothing is
    written until :meth:`Comparison.write`.

    >>> from sim import api
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> a = api.study(replications=2, horizon="2026-06-30", drivers=False, n_jobs=1)
    >>> b = api.study(replications=2, horizon="2026-06-30", drivers=False, n_jobs=1, seed=1)
    >>> c = api.compare(a.write(tmp / "a"), b.write(tmp / "b"))
    >>> sorted(c.table["run"].unique())
    ['baseline', 'baseline seed=1']
    """
    from sim.outputs import compare as comparing

    if not folders:
        raise InputError("compare", "no folder given; give one or more run folders")
    runs, t, text = comparing.gather(list(folders))
    return Comparison(t, text, runs, tuple(formats))


@dataclass
class Validation:
    """Hindcasts scored against what happened (``python -m sim.validate``): ``hindcasts``
    is ``hindcasts.csv`` (a row per as-of date and observed quantity), ``calibration`` the
    dict of ``calibration.json``, ``text`` what the terminal shows."""

    hindcasts: object
    calibration: dict
    text: str

    def write(self, folder: str | Path | None = None) -> Path:
        """Write the validation's files into ``folder`` (new; default: a new one under
        ``results/validation/``), whole or not at all."""
        from sim.app import validate as validating

        out = _new_folder(folder, validating.VALIDATION_DIR)
        return validating.write(self.hindcasts, self.calibration, out)


def validate(*overrides: str, dates: list[str] | None = None,
             replications: int = 100) -> Validation:
    """Hindcasts as of ``dates`` (YYYY-MM-DD; default: 2025-10-31 and each month's end up to
    the latest seed date), ``replications`` each, of the config ``overrides`` compose to,
    scored against what became public later. Nothing is written until
    :meth:`Validation.write`.

    >>> from sim import api
    >>> v = api.validate(dates=["2025-12-31"], replications=4)
    >>> v.calibration["dates"], v.calibration["scored"] == len(v.hindcasts)
    (['2025-12-31'], True)
    """
    from argparse import Namespace

    from sim.app import validate as validating

    args = Namespace(dates=",".join(dates) if dates is not None else None,
                     replications=replications,
                     overrides=list(overrides))
    table, summary = validating.score(args)
    return Validation(table, summary, validating.render(table, summary))
