"""The catalogue of bad input: every case is refused the same way, from the command line.

Each case runs ``python -m sim`` (or ``python -m sim.compare``) in a fresh folder and must
end with exit status 2, exactly one line on stderr that holds the given fragments (where:
the key, file or record; the bad value; what is allowed), no traceback, and every file and
folder there byte for byte as it was: no ``results/``, and a finished run or sweep it was
pointed at untouched.

The classes: the Hydra grammar and the command line, the schema, numbers and their stated
bounds, distributions, dates, seed files (fields, YAML, what is not a file, numbers), sweeps
and the folders runs and sweeps write into, and the finished runs ``python -m sim.compare``
reads (their manifests, checksums and files). Each case is one test, so they run in parallel
under ``pytest -n``.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from conftest import edit_seed, record, rehash, run_cli, tree

from sim.app.paths import SEEDS_DIR


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    says: tuple[str, ...]
    """Fragments the error line must hold: where, the bad value, what is allowed."""
    seeds: Callable[[Path], None] | None = None
    """Breaks a copy of the seed files, which the run is then given as ``seeds_dir``."""
    setup: Callable[[Path, dict], None] | None = None
    """Prepares the case's folder, given the finished run and sweep (conftest ``finished``)."""
    module: str = "sim"
    needs: str | None = None
    """A module the case is about, without which it skips (the ``ray`` extra): without
    Ray, ``mc.backend=ray`` is refused for that (its own test below)."""


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
        assert text.count(old) >= 1, old
        path.write_text(text.replace(old, new, 1))
    return type_over


def _replaced(name: str, make: Callable[[Path], object]) -> Callable[[Path], None]:
    """The seed file ``name`` replaced by what ``make(path)`` puts there."""
    def replace(folder: Path) -> None:
        path = folder / f"{name}.yaml"
        path.unlink()
        make(path)
    return replace


def _copy(what: str, to: str, change: Callable[[Path], object] | None = None):
    """The finished ``run`` or ``sweep``, copied into the case's folder as ``to`` and changed."""
    def setup(cwd: Path, finished: dict) -> None:
        shutil.copytree(finished[what], cwd / to, symlinks=True)
        if change:
            change(cwd / to)
    return setup


def _tamper(name: str, content: str | bytes, rehashed: bool = True):
    """A finished run whose ``name`` now holds ``content`` (and, if ``rehashed``, whose
    manifest was made to match, so that only the file's content can refuse it)."""
    def change(run: Path) -> None:
        path = run / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        if rehashed:
            rehash(run, name)
    return _copy("run", "run", change)


def _manifest(change: Callable[[dict], object]):
    def edit(run: Path) -> None:
        data = json.loads((run / "manifest.json").read_text())
        change(data)
        (run / "manifest.json").write_text(json.dumps(data))
    return _copy("run", "run", edit)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
    for i in range(9)) + "sites: [*j]\n"

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
    "scenario not a name": Case(("+scenario=2",),
                                ("scenario", "2", "baseline, blackwell_only, fast_track")),
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
                           ("supply.policy", "'lottery'",
                            "plan_order, pro_rata, government_first")),
    "unknown timing": Case(("demand.timing=never",),
                           ("demand.timing", "'never'", "expected_ready, announced_ready, asap")),
    "unknown backend": Case(("mc.backend=spark",), ("mc.backend", "spark", "local, ray")),
    "unknown sampling": Case(("mc.sampling=sobol",),
                             ("mc.sampling", "sobol", "monte_carlo, latin_hypercube")),
    # --- where replications run: a Ray cluster that cannot take them ------------------------
    "no Ray cluster at the address": Case(
        ("mc.backend=ray", "mc.ray_address=127.0.0.1:1"),
        ("mc.ray_address", "127.0.0.1:1", "Connection refused", "leave it empty"),
        needs="ray"),
    "not a Ray address": Case(("mc.backend=ray", "mc.ray_address=bogus://x"),
                              ("mc.ray_address", "bogus://x", "ray://HEAD:10001"),
                              needs="ray"),
    "no Ray cluster for a sweep's jobs": Case(
        ("-m", "seed=0,1", "mc.backend=ray", "mc.ray_address=127.0.0.1:1"),
        ("mc.ray_address", "127.0.0.1:1", "Connection refused"), needs="ray"),
    # --- durations, probabilities, numbers ------------------------------------------------
    "negative duration": Case(("power.grid_delay_months=-3",),
                              ("power.grid_delay_months", "-3", "[0, inf]")),
    "NaN duration": Case(("install.burnin_days=nan",), ("install.burnin_days", "nan", "finite")),
    "NaN lead": Case(("demand.order_ahead_months=nan",),
                     ("demand.order_ahead_months", "nan", "finite number >= 0")),
    "infinite value": Case(("costs.pledge_value_won=inf",),
                           ("costs.pledge_value_won", "inf", "won in [0, 1e16]")),
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
    "part of a distribution over a dated history": Case(
        ("supply.ship_slip_days={dist:uniform,low:1}",),
        ("supply.ship_slip_days", "dated history", "write it whole")),
    "unknown distribution": Case(("power.grid_delay_months={dist:weibull}",),
                                 ("power.grid_delay_months", "'weibull'", DISTS)),
    "missing parameter": Case(("power.grid_delay_months={dist:uniform,low:1}",),
                              ("power.grid_delay_months", "missing high", "low, high")),
    "unknown parameter": Case(("power.grid_delay_months={dist:uniform,low:1,high:2,shape:3}",),
                              ("power.grid_delay_months", "'shape'", "uniform takes low, high")),
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
    # --- the Hydra grammar -------------------------------------------------------------
    "deleting a key every run needs": Case(("~seed",), ("~seed", "cannot be deleted",
                                                       "seed=VALUE")),
    "deleting a group": Case(("~power",), ("~power", "power.grid_delay_months=VALUE")),
    "a number of 5,000 digits": Case((f"seed={'7' * 5000}",),
                                     ("seed", "5,000 digits", "< 2^64")),
    "a number of 4,000 digits": Case((f"seed={'7' * 4000}",),
                                     ("seed", "(4000 digits)", "< 2^64")),
    "a seed of 2^64": Case(("seed=18446744073709551616",), ("seed", "18446744073709551616",
                                                            "< 2^64")),
    "a fraction for a whole number": Case(("seed=1.5",), ("seed", "1.5")),
    "a sweep of no value": Case(("-m", "seed=range(0,0)"), ("seed", "range(0,0)", "no value")),
    "a glob that matches nothing": Case(("-m", "+scenario=glob(zzz*)"),
                                        ("scenario", "glob(zzz*)", "matches none of",
                                         "fast_track")),
    "Hydra told to write into the run folder": Case(("hydra.output_subdir=.hydra",),
                                                    ("hydra.output_subdir", ".hydra/")),
    # --- values beyond their stated bounds --------------------------------------------
    "horizon in the year 9999": Case(("horizon=9999-12-31",),
                                     ("horizon", "9999-12-31", "2100-12-31", "weekly tables")),
    "pledge value 1e308": Case(("costs.pledge_value_won=1e308",),
                               ("costs.pledge_value_won", "1e+308", "1e16")),
    "depreciation over 1e-12 years": Case(("costs.depreciation_years=1e-12",),
                                          ("costs.depreciation_years", "1e-12", "years in")),
    "1e308 kW per GPU": Case(("hardware.generations.b300.facility_kw_per_gpu=1e308",),
                             ("hardware.generations.b300.facility_kw_per_gpu", "1e+308",
                              "[0.5, 10]")),
    "a generation shipping before 2020": Case(
        ("hardware.generations.b300.first_ship=2019-12-31",),
        ("hardware.generations.b300.first_ship", "2019-12-31", "2020-01-01")),
    "a price of 0 won": Case(("hardware.generations.vera_rubin.price_m_won=0",),
                             ("hardware.generations.vera_rubin.price_m_won", "0",
                              "[1, 10000]")),
    "a deal of 1e308 MW": Case(("+scenario=fast_track", "deals.blackrock_mou.mw=1e308"),
                               ("deals.blackrock_mou.mw", "1e+308", "[1e-06, 100000]")),
    "100,000 workers": Case(("mc.n_jobs=100000",), ("mc.n_jobs", "100000", "1..256")),
    "no workers": Case(("mc.n_jobs=0",), ("mc.n_jobs", "0", "-1 for every core")),
    "a spread below zero": Case(("logistics.ship_days={dist:uniform,low:-5,high:3}",),
                                ("logistics.ship_days", "-5..3", "[0, inf]")),
    # --- a distribution is replaced whole ------------------------------------------------
    "a partial distribution": Case(
        ("logistics.ship_days={dist:uniform,low:5}",),
        ("logistics.ship_days", "missing high", "write it whole",
         "'logistics.ship_days=\"uniform(low=L, high=H)\"'")),
    "a field of another form": Case(
        ("logistics.ship_days={dist:uniform,low:5,high:9,mode:6}",),
        ("logistics.ship_days", "mode=6 is not a field of uniform", "write it whole")),
    "a form changed by its dotted key": Case(
        ("logistics.ship_days.dist=uniform",),
        ("logistics.ship_days.dist", "dist alone is not allowed", "write it whole")),
    "a field changed by its dotted key": Case(
        ("logistics.ship_days.high=45",),
        ("logistics.ship_days.high", "high alone is not allowed",
         "uniform(low=L, high=H) or triangular(low=L, mode=M, high=H)")),
    "a string form unquoted": Case(
        ("power.grid_delay_months=lognormal(median=2,p90=6)",),
        ("power.grid_delay_months", "quote a distribution",
         "'power.grid_delay_months=\"lognormal(median=2,p90=6)\"'")),
    "a string form missing a field": Case(
        ("power.grid_delay_months='lognormal(median=2)'",),
        ("power.grid_delay_months", "missing p90")),
    "a string form of no distribution": Case(
        ("power.grid_delay_months='gamma(k=2)'",),
        ("power.grid_delay_months", "no distribution 'gamma'", "lognormal(median=M, p90=P)")),
    "fixed without its value": Case(("power.grid_delay_months={dist:fixed}",),
                                    ("power.grid_delay_months", "missing value")),
    "one site's partial distribution": Case(
        ("+sites.slip_months_by_site.sk_ulsan={dist:uniform,low:1}",),
        ("sites.slip_months_by_site.sk_ulsan", "missing high")),
    "a lognormal of median 0": Case(("logistics.ship_days={dist:lognormal,median:0,p90:5}",),
                                    ("logistics.ship_days", "0 < median <= p90")),
    "an infinite parameter": Case(("logistics.ship_days={dist:uniform,low:1,high:inf}",),
                                  ("logistics.ship_days", "high=inf", "finite")),
    # --- seed files: fields -------------------------------------------------------------
    "a misspelled site field": Case(
        (), ("seeds/sites.yaml", "site 'sk_ulsan'", "'grid_assesment'",
             "did you mean 'grid_assessment'", "allowed: id, recipient, name"),
        _site(lambda s: s.update(grid_assesment="passed"))),
    "a misspelled phase field": Case(
        (), ("site 'sk_ulsan' phases[0]", "'MW'", "allowed: mw, ready"),
        _site(lambda s: s["phases"][0].update(MW=41))),
    "an unknown deal field": Case(
        (), ("seeds/deals.yaml", "deal 'stargate_loi'", "'value'", "allowed: id, date"),
        _seed("deals", lambda d: record(d["deals"], id="stargate_loi").update(value=3))),
    "an unknown pledge field": Case(
        (), ("seeds/allocations.yaml", "pledge", "'gpu'", "did you mean 'gpus'"),
        _seed("allocations", lambda d: d["pledge"].update(gpu=1))),
    "an unknown allocation field": Case(
        (), ("recipient 'naver'", "'share'", "allowed: recipient, name, gpus"),
        _seed("allocations", lambda d: d["allocations"][4].update(share=0.2))),
    "an unknown top-level key": Case(
        (), ("seeds/sites.yaml", "top level", "'extra_sites'", "allowed: sites"),
        _seed("sites", lambda d: d.update(extra_sites=[]))),
    "an unknown observation field": Case(
        (), ("seeds/observed.yaml", "event '", "'gpu'", "did you mean 'gpus'"),
        _seed("observed", lambda d: d["observed"][0].update(gpu=5))),
    "a field given twice": Case(
        (), ("seeds/sites.yaml", "'mw' appears twice"),
        _typed("sites", "      - mw: 41\n", "      - mw: 41\n        mw: 410\n")),
    # --- seed files: YAML that would hang or recurse, and what is not a file --------------
    "an alias bomb": Case((), ("seeds/sites.yaml", "expands to more than 1,000,000 values"),
                          _write("sites", BOMB)),
    "nesting 5,000 deep": Case((), ("seeds/sites.yaml", "nests deeper than 20 levels"),
                               _write("sites", "sites: " + "[" * 5000 + "]" * 5000)),
    "a folder in place of a file": Case((), ("seeds/sites.yaml", "is a folder, not a file"),
                                        _replaced("sites", Path.mkdir)),
    "a symbolic link that loops": Case(
        (), ("seeds/deals.yaml", "symbolic link that loops"),
        _replaced("deals", lambda p: p.symlink_to(p.name))),
    "a link to nothing": Case((), ("seeds/sources.yaml", "link to a file that does not exist"),
                              _replaced("sources", lambda p: p.symlink_to("gone.yaml"))),
    "a pipe in place of a file": Case((), ("seeds/observed.yaml", "is not a regular file"),
                                      _replaced("observed", os.mkfifo)),
    "a seeds folder that is a file": Case(("seeds_dir=notes.txt",),
                                          ("seeds/sources.yaml", "is not a folder")),
    # --- seed files: numbers ----------------------------------------------------------------
    "an infinite MW": Case((), ("site 'sk_ulsan' phases[0]", "mw=inf", "finite"),
                           _typed("sites", "mw: 41", "mw: .inf")),
    "a NaN MW": Case((), ("site 'sk_ulsan' phases[0]", "mw=nan", "finite"),
                     _typed("sites", "mw: 41", "mw: .nan")),
    "50 GW at one phase": Case((), ("phases[0]", "mw=50000", "10,000", "10 GW"),
                               _typed("sites", "mw: 41", "mw: 50000")),
    "a pledge of 1e30 GPUs": Case(
        (), ("seeds/allocations.yaml", "pledge", "gpus=1000000000000000000000000000000",
             "10,000,000", "38 times"),
        _typed("allocations", "gpus: 260000", "gpus: 1000000000000000000000000000000")),
    # --- sweeps and the folders runs write into -----------------------------------------
    "jobs sharing a folder": Case(("-m", "seed=0,1", "hydra.sweep.subdir=same"),
                                  ("hydra.sweep.subdir", "jobs 0 and 1", "'same'",
                                   "${hydra.job.num}")),
    "jobs above the sweep folder": Case(("-m", "seed=0,1", "hydra.sweep.subdir=.."),
                                        ("hydra.sweep.subdir", "job 0", "'..'",
                                         "inside the sweep folder")),
    "jobs at an absolute path": Case(("-m", "seed=0,1", "hydra.sweep.subdir=/tmp/sim-jobs"),
                                     ("hydra.sweep.subdir", "/tmp/sim-jobs", "inside")),
    "a folder of another sweep": Case(
        ("-m", "seed=5,6", "hydra.sweep.dir=old"),
        ("hydra.sweep.dir", "old holds another sweep (seed=2,3", "to resume it, run python -m "
         "sim -m seed=2,3", "hydra.sweep.dir=old", "give a new or empty hydra.sweep.dir"),
        setup=_copy("sweep", "old")),
    "a sweep whose multirun.yaml is damaged": Case(
        ("-m", "seed=2,3", "hydra.sweep.dir=old"), ("hydra.sweep.dir", "cannot be read"),
        setup=_copy("sweep", "old", lambda p: (p / "multirun.yaml").write_text("{"))),
    "a sweep into a finished run": Case(
        ("-m", "seed=5,6", "hydra.sweep.dir=run"),
        ("hydra.sweep.dir", "run is a finished run, not a sweep folder"),
        setup=_copy("run", "run")),
    "a sweep into a folder of other files": Case(("-m", "seed=0,1", "hydra.sweep.dir=."),
                                                 ("hydra.sweep.dir", "holds other files")),
    "a run into a finished run": Case(
        ("hydra.run.dir=run",), ("hydra.run.dir", "run is a finished run", "overwrite=true"),
        setup=_copy("run", "run")),
    "bad input into a finished run": Case(("hydra.run.dir=run", "seed=-1"), ("seed", "-1"),
                                          setup=_copy("run", "run")),
    "a run into a folder of other files": Case(("hydra.run.dir=.",),
                                               ("hydra.run.dir", "holds other files")),
    # --- python -m sim.compare: finished runs, verified ------------------------------------
    "compare: no such folder": Case(("nowhere",), ("nowhere", "no such folder"),
                                    module="sim.compare"),
    "compare: not a finished run": Case(("notes",), ("notes", "not a finished run"),
                                        setup=lambda cwd, _: (cwd / "notes").mkdir(),
                                        module="sim.compare"),
    "compare: a manifest of garbage": Case(
        ("run",), ("run", "manifest.json cannot be read"),
        setup=_tamper("manifest.json", "garbage{", rehashed=False), module="sim.compare"),
    "compare: a summary changed after the run": Case(
        ("run",), ("run", "summary.json does not match its checksum in manifest.json"),
        setup=_tamper("summary.json", "{}", rehashed=False), module="sim.compare"),
    "compare: a file removed after the run": Case(
        ("run",), ("run", "timeseries.parquet is listed in manifest.json but cannot be read"),
        setup=_copy("run", "run", lambda p: (p / "timeseries.parquet").unlink()),
        module="sim.compare"),
    "compare: a manifest without checksums": Case(
        ("run",), ("run", "lists no files with checksums"),
        setup=_manifest(lambda m: m.update(files=["summary.json"])), module="sim.compare"),
    "compare: a manifest without the summary": Case(
        ("run",), ("run", "does not list summary.json"),
        setup=_manifest(lambda m: m["files"].pop("summary.json")), module="sim.compare"),
    "compare: a summary that is a list": Case(
        ("run",), ("run", "cannot read summary.json", "not a run's summary"),
        setup=_tamper("summary.json", "[1, 2]"), module="sim.compare"),
    "compare: a summary of another shape": Case(
        ("run",), ("run", "cannot read summary.json"),
        setup=_tamper("summary.json", '{"monte_carlo": 3}'), module="sim.compare"),
    "compare: milestones without their columns": Case(
        ("run",), ("run", "cannot read milestones.csv", "no column 'recipient'"),
        setup=_tamper("milestones.csv", "a,b\n1,2\n"), module="sim.compare"),
    "compare: milestones with a date that is not one": Case(
        ("run",), ("run", "cannot read milestones.csv"),
        setup=_tamper("milestones.csv", "recipient,milestone,p50_date\ntotal,25%,soon\n"),
        module="sim.compare"),
    "compare: a timeseries that is not parquet": Case(
        ("run",), ("run", "cannot read timeseries.parquet"),
        setup=_tamper("timeseries.parquet", b"PAR1 garbage"), module="sim.compare"),
    "compare: overrides Hydra cannot parse": Case(
        ("run",), ("run", "cannot read .hydra/overrides.yaml"),
        setup=_tamper(".hydra/overrides.yaml", "- seed=[1,\n"), module="sim.compare"),
    "compare: overrides that are not a list": Case(
        ("run",), ("run", "cannot read .hydra/overrides.yaml", "not a list of overrides"),
        setup=_tamper(".hydra/overrides.yaml", "seed: 3\n"), module="sim.compare"),
    "compare: a sweep with a failed job": Case(
        ("old",), ("old/1", "this job of the multirun failed (boom)"),
        setup=_copy("sweep", "old", lambda p: (
            (p / "1" / "manifest.json").unlink(),
            (p / "1" / "error.json").write_text('{"error": "boom", "bad_input": false}'))),
        module="sim.compare"),
    "compare: a sweep with an unfinished job": Case(
        ("old",), ("old/0", "not a finished run (no manifest.json)"),
        setup=_copy("sweep", "old", lambda p: (p / "0" / "manifest.json").unlink()),
        module="sim.compare"),
    "compare: a job whose file changed": Case(
        ("old",), ("old/1", "summary.json does not match its checksum"),
        setup=_copy("sweep", "old", lambda p: (p / "1" / "summary.json").write_text("{}")),
        module="sim.compare"),
}


def test_the_catalogue_is_big_enough_and_covers_every_class():
    assert len(CASES) >= 100
    compare = [c for c in CASES.values() if c.module == "sim.compare"]
    seeds = [c for c in CASES.values() if c.seeds]
    sweeps = [c for c in CASES.values() if "-m" in c.args]
    assert len(compare) >= 10 and len(seeds) >= 25 and len(sweeps) >= 12


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused_in_one_line(name, tmp_path, finished):
    case = CASES[name]
    if case.needs:
        pytest.importorskip(case.needs)
    (tmp_path / "notes.txt").write_text("the user's own file\n")
    args = case.args
    if case.setup:
        case.setup(tmp_path, finished)
    if case.seeds:
        shutil.copytree(SEEDS_DIR, tmp_path / "seeds")
        case.seeds(tmp_path / "seeds")
        args = (*args, f"seeds_dir={tmp_path / 'seeds'}")
    before = tree(tmp_path)
    proc = run_cli(*args, cwd=tmp_path, module=case.module)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    missing = [f for f in case.says if f not in lines[0]]
    assert not missing, (missing, lines[0])
    assert "Traceback" not in proc.stdout + proc.stderr
    assert tree(tmp_path) == before  # no results/, and everything there byte for byte as it was


def test_the_ray_backend_without_ray_installed_is_refused_in_one_line(tmp_path):
    """As on a machine installed without the ``ray`` extra: ``import ray`` fails."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "ray.py").write_text('raise ImportError("No module named \'ray\'")\n')
    (tmp_path / "run").mkdir()
    proc = run_cli("mc.backend=ray", cwd=tmp_path / "run", env={"PYTHONPATH": str(shim)})
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        'error: mc.backend: ray: Ray is not installed; pip install -c constraints.txt -e '
        '".[ray]", or use local']
    assert not list((tmp_path / "run").iterdir())


def test_hydra_full_error_shows_the_traceback(tmp_path):
    proc = run_cli("seed=-1", cwd=tmp_path, env={"HYDRA_FULL_ERROR": "1"})
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr
    assert "InputError: seed: -1 is not allowed" in proc.stderr
    assert not (tmp_path / "results").exists()
