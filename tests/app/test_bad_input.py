"""The catalogue of bad input: every case is refused the same way, from the command line.

Each case runs ``python -m sim`` in a fresh folder and must end with exit status 2, exactly
one line on stderr that holds the given fragments (where: the key, file or record; the bad
value; what is allowed), no traceback, and the folder as it was: no ``results/``.

The cases run two at a time in one module fixture (each is a Python start, ~1-2 s).
The folders given to ``python -m sim.compare`` (missing, unfinished, a multirun with an
unfinished or failed job) are refused the same way in ``test_compare.py``, which has the
finished runs they need.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from conftest import edit_seed, record, run_cli

from sim.app.paths import SEEDS_DIR


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    says: tuple[str, ...]
    """Fragments the error line must hold: where, the bad value, what is allowed."""
    seeds: Callable[[Path], None] | None = None
    """Breaks a copy of the seed files, which the run is then given as ``seeds_dir``."""


def _seed(name: str, change: Callable[[dict], object]) -> Callable[[Path], None]:
    return lambda folder: edit_seed(folder, name, change)


def _site(change: Callable[[dict], object], site: str = "sk_ulsan"):
    return _seed("sites", lambda d: change(record(d["sites"], id=site)))


def _write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        path = folder / f"{name}.yaml"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return write


def _typed(name: str, old: str, new: str) -> Callable[[Path], None]:
    """An edit by hand: ``old`` becomes ``new`` in the file's text, as a user would type it."""
    def type_over(folder: Path) -> None:
        path = folder / f"{name}.yaml"
        text = path.read_text()
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new))
    return type_over


PROB = "[0, 1]"
DISTS = "fixed, uniform, triangular, lognormal"

CASES = {
    # --- the override grammar and the command line --------------------------------------
    "no equals sign": Case(("power.grid_delay_months",),
                           ("'power.grid_delay_months'", "key=value")),
    "unclosed list": Case(("power.grid_delay_months=[1,2",),
                          ("'power.grid_delay_months=[1,2'", "key=value")),
    "no key": Case(("=3",), ("'=3'", "no key", "key=value")),
    "unknown option": Case(("--frobnicate",), ("--frobnicate", "--help")),
    "scenario without +": Case(("scenario=slow_power",), ("scenario", "+scenario=slow_power")),
    "unknown scenario": Case(("+scenario=sunny",),
                             ("scenario", "'sunny'", "baseline", "slow_power", "worst_case")),
    "scenario not a name": Case(("+scenario=2",), ("scenario", "2", "baseline, fast_track")),
    "broken interpolation": Case(("seed=${oops}",), ("seed", "'oops'", "${key} naming a key")),
    # --- the config schema ----------------------------------------------------------------
    "unknown key": Case(("power.grid_dealy_months=3",),
                        ("power.grid_dealy_months", "unknown key", "grid_delay_months")),
    "unknown key added with +": Case(("+power.grid_dealy_months=3",),
                                     ("power.grid_dealy_months", "grid_delay_months")),
    "unknown group": Case(("powr.grid_delay_months=3",), ("powr", "power, sites")),
    "text for an integer": Case(("supply.cap_gpus_per_quarter=lots",),
                                ("supply.cap_gpus_per_quarter", "'lots'", "Integer")),
    "not a bool": Case(("deals.stargate_loi.enabled=maybe",),
                       ("deals.stargate_loi.enabled", "'maybe'", "true or false")),
    "number for a group": Case(("power=3",), ("power", "3", "grid_delay_months")),
    "negative seed": Case(("seed=-1",), ("seed", "-1", ">= 0")),
    "unknown policy": Case(("supply.policy=lottery",),
                           ("supply.policy", "'lottery'", "plan_order, pro_rata, government_first")),
    "unknown timing": Case(("demand.timing=never",),
                           ("demand.timing", "'never'", "expected_ready, announced_ready, asap")),
    # --- durations, probabilities, numbers ------------------------------------------------
    "negative duration": Case(("power.grid_delay_months=-3",),
                              ("power.grid_delay_months", "-3", "[0, inf]")),
    "NaN duration": Case(("install.burnin_days=nan",), ("install.burnin_days", "nan", "finite")),
    "NaN lead": Case(("demand.order_ahead_months=nan",),
                     ("demand.order_ahead_months", "nan", "finite number >= 0")),
    "infinite value": Case(("costs.pledge_value_won=inf",),
                           ("costs.pledge_value_won", "inf", "finite number >= 0")),
    "probability above 1": Case(("power.approval_p.capital=1.5",),
                                ("power.approval_p.capital", "1.5", PROB)),
    "NaN probability": Case(("sites.relocation_p=nan",), ("sites.relocation_p", "nan", PROB)),
    "fraction above 1": Case(("power.derate=1.5",), ("power.derate", "1.5", PROB)),
    "zero crew": Case(("install.min_racks_per_week=0",),
                      ("install.min_racks_per_week", "0", "> 0")),
    # --- distributions ----------------------------------------------------------------------
    "uniform low > high": Case(("power.grid_delay_months={dist:uniform,low:9,high:3}",),
                               ("power.grid_delay_months", "low=9 > high=3", "low <= high")),
    "triangular mode outside": Case(
        ("sites.slip_months={dist:triangular,low:1,mode:9,high:3}",),
        ("sites.slip_months", "mode=9", "low <= mode <= high")),
    "lognormal p90 < median": Case(("logistics.ship_days={dist:lognormal,median:5,p90:2}",),
                                   ("logistics.ship_days", "p90=2", "0 < median <= p90")),
    "unknown distribution": Case(("power.grid_delay_months={dist:weibull}",),
                                 ("power.grid_delay_months", "'weibull'", DISTS)),
    "missing parameter": Case(("power.grid_delay_months={dist:uniform,low:1}",),
                              ("power.grid_delay_months", "missing high", "low, high")),
    "unknown parameter": Case(("power.grid_delay_months={dist:uniform,low:1,high:2,shape:3}",),
                              ("power.grid_delay_months", "'shape'", "median, mode")),
    "text parameter": Case(("power.grid_delay_months={dist:uniform,low:a,high:2}",),
                           ("power.grid_delay_months", "low='a'", "not a number")),
    "spread outside range": Case(("power.derate={dist:uniform,low:0.5,high:1.5}",),
                                 ("power.derate", "0.5..1.5", PROB)),
    "slip for no site": Case(("+sites.slip_months_by_site.atlantis=3",),
                             ("sites.slip_months_by_site.atlantis", "'atlantis'", "sk_ulsan")),
    "negative site slip": Case(("+sites.slip_months_by_site.sk_ulsan=-4",),
                               ("sites.slip_months_by_site.sk_ulsan", "-4", "[0, inf]")),
    # --- dates ----------------------------------------------------------------------------
    "horizon before first deal": Case(("horizon=2025-01-01",),
                                      ("horizon", "2025-01-01", "after", "2025-09-22")),
    "impossible date": Case(("horizon=2025-02-30",), ("horizon", "'2025-02-30'", "YYYY-MM-DD")),
    "date without dashes": Case(("horizon=20300101",), ("horizon", "20300101", "YYYY-MM-DD")),
    # --- lot size -------------------------------------------------------------------------
    "lot size 0": Case(("hardware.gpus_per_lot=0",), ("hardware.gpus_per_lot", "0", "> 0")),
    "lot larger than an allocation": Case(
        ("hardware.gpus_per_lot=100000",),
        ("hardware.gpus_per_lot", "100000", "government: 50,000", "1..")),
    # --- seed files -------------------------------------------------------------------------
    "no seeds folder": Case(("seeds_dir=nowhere",), ("seeds/sources.yaml", "missing", "nowhere")),
    "file missing": Case((), ("seeds/sites.yaml", "file is missing"),
                         lambda f: (f / "sites.yaml").unlink()),
    "file empty": Case((), ("seeds/sites.yaml", "is empty", "'sites:'"), _write("sites", "")),
    "file not YAML": Case((), ("seeds/sites.yaml", "not valid YAML at line 2"),
                          _write("sites", "sites: [unclosed\n  - {")),
    "file not UTF-8": Case((), ("seeds/deals.yaml", "UTF-8"),
                           _write("deals", b"deals:\n  - id: \xff\xfe\n")),
    "list is a number": Case((), ("seeds/sites.yaml", "'sites:'", "list", "got 3"),
                             _write("sites", "sites: 3\n")),
    "record not a mapping": Case((), ("seeds/sites.yaml", "sites[0]", "mapping", "'text'"),
                                 _seed("sites", lambda d: d["sites"].insert(0, "text"))),
    "duplicate recipient": Case(
        (), ("seeds/allocations.yaml", "recipient 'samsung'", "appears twice", "unique"),
        _seed("allocations", lambda d: d["allocations"].append(dict(d["allocations"][1])))),
    "allocations off the pledge": Case(
        (), ("seeds/allocations.yaml", "250,000", "260,000", "must be equal"),
        _seed("allocations", lambda d: d["allocations"][0].update(gpus=40_000))),
    "allocation not a number": Case(
        (), ("recipient 'government'", "gpus='lots'", "positive whole number"),
        _seed("allocations", lambda d: d["allocations"][0].update(gpus="lots"))),
    "site with no phases": Case((), ("seeds/sites.yaml", "site 'sk_ulsan'", "phases=[]",
                                     "at least one phase"), _site(lambda s: s.update(phases=[]))),
    "site for an unknown recipient": Case(
        (), ("site 'sk_ulsan'", "recipient='lg'", "government, samsung, sk, hyundai, naver"),
        _site(lambda s: s.update(recipient="lg"))),
    "observation of an unknown recipient": Case(
        (), ("seeds/observed.yaml", "event 'gov_first_arrival'", "recipient='lg'",
             "government, samsung"),
        _seed("observed", lambda d: d["observed"][0].update(recipient="lg"))),
    "impossible date typed in": Case(  # unquoted: YAML itself would read it as a date
        (), ("seeds/sites.yaml", "site 'sk_ulsan' phases[0]", "ready='2027-13-45'",
             "YYYY-MM-DD"), _typed("sites", "ready: 2027-11-30", "ready: 2027-13-45")),
    "deal date not a date": Case(
        (), ("seeds/deals.yaml", "deal 'nvidia_pledge'", "date='next spring'", "YYYY-MM-DD"),
        _seed("deals", lambda d: record(d["deals"], id="nvidia_pledge").update(
            date="next spring"))),
    "unknown site kind": Case(
        (), ("site 'sk_ulsan'", "kind='castle'", "existing, brownfield, greenfield, mou_stage"),
        _site(lambda s: s.update(kind="castle"))),
    "deal missing": Case(
        (), ("seeds/deals.yaml", "'stargate_loi' is missing", "blackrock_mou, stargate_loi"),
        _seed("deals", lambda d: d["deals"].remove(record(d["deals"], id="stargate_loi")))),
    # --- sweeps: a bad swept value stops the sweep before any job starts ---------------------
    "bad value in a sweep": Case(("-m", "seed=0,1", "power.approval_p.capital=0.5,1.5"),
                                 ("power.approval_p.capital", "1.5", PROB)),
    "unknown key in a sweep": Case(("-m", "seed=0,1", "power.grid_dealy_months=0,3"),
                                   ("power.grid_dealy_months", "unknown key")),
    "unknown scenario in a sweep": Case(("-m", "+scenario=baseline,sunny"),
                                        ("scenario", "'sunny'", "slow_power")),
    "end of a range too large": Case(("-m", "hardware.gpus_per_lot=range(49990,50020,20)"),
                                     ("hardware.gpus_per_lot", "50010", "government: 50,000")),
    "search space outside range": Case(
        ("-m", "hydra/sweeper=goal_seek", "objective=all_operational_days_after_2030",
         "power.approval_p.capital=interval(0,1.5)"), ("power.approval_p.capital", "1.5", PROB)),
    # --- the results folder -------------------------------------------------------------
    "results folder under a file": Case(("hydra.run.dir=notes.txt/run",),
                                        ("notes.txt/run", "can be created and written")),
    # a refused run never takes the folder it was told to write into
    "bad value with hydra.run.dir=.": Case(("hydra.run.dir=.", "seed=-1"),
                                           ("seed", "-1", ">= 0")),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict:
    """Every case run once, two at a time: name -> (process, its folder, the folder before)."""
    prepared = {}
    for i, (name, case) in enumerate(CASES.items()):
        cwd = tmp_path_factory.mktemp(f"case{i}")
        (cwd / "notes.txt").write_text("the user's own file\n")
        args = case.args
        if case.seeds:
            shutil.copytree(SEEDS_DIR, cwd / "seeds")
            case.seeds(cwd / "seeds")
            args = (*args, f"seeds_dir={cwd / 'seeds'}")
        prepared[name] = (cwd, args, sorted(p.name for p in cwd.iterdir()))

    def run(name):
        cwd, args, before = prepared[name]
        return name, (run_cli(*args, cwd=cwd), cwd, before)

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(run, CASES))


def test_the_catalogue_is_big_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused_in_one_line(name, outcomes):
    proc, cwd, before = outcomes[name]
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    missing = [f for f in CASES[name].says if f not in lines[0]]
    assert not missing, (missing, lines[0])
    assert "Traceback" not in proc.stdout + proc.stderr
    assert sorted(p.name for p in cwd.iterdir()) == before  # no results/, nothing else left


def test_hydra_full_error_shows_the_traceback(tmp_path):
    proc = run_cli("seed=-1", cwd=tmp_path, env={"HYDRA_FULL_ERROR": "1"})
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr
    assert "InputError: seed: -1 is not allowed" in proc.stderr
    assert not (tmp_path / "results").exists()
