"""The catalogue of bad input, continued: dates that contradict each other, recipient ids that
are words the tables use, targets that cannot be, text that would act on a terminal, and the
command lines of ``python -m sim.validate`` and ``python -m sim.compare`` (issue 19, items 4,
6 and 9).

Each case is refused as in :mod:`test_bad_input`: exit status 2, one line on stderr holding
the given fragments, no traceback, every file where the command ran byte for byte as it
was. The line itself is inert: no control character of the input reaches the terminal.
"""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import TINY, record, run_cli, tree
from test_bad_input import Case, _seed, _site, _typed

from sim.app.paths import SEEDS_DIR

ESC = "\x1b"
CLEAR = f"{ESC}[2J{ESC}]0;owned{chr(7)}"
"""Clears the screen and retitles the terminal, ringing the bell."""


def _alloc(change, recipient: str = "government"):
    return _seed("allocations", lambda d: change(record(d["allocations"], recipient=recipient)))


def _observed(change, event: str):
    return _seed("observed", lambda d: change(record(d["observed"], id=event)))


def _renamed(old: str, new: str):
    """Recipient ``old`` renamed ``new`` in every seed file that names it."""
    def rename(folder: Path) -> None:
        for path in folder.glob("*.yaml"):
            text = path.read_text()
            path.write_text(text.replace(f"recipient: {old}", f"recipient: {new}"))
    return rename


def _target(**fields):
    def change(a: dict) -> None:
        a["target"] = {**a.get("target", {}), **fields}
    return _alloc(change)


VALIDATE = "sim.validate"
COMPARE = "sim.compare"

CASES = {
    # --- dates that contradict each other (item 6) --------------------------------------
    "as_of years after today": Case(("as_of=2030-01-01", *TINY), ("as_of", "2030-01-01",
                                                                  "after today")),
    "as_of far after today": Case(("as_of=2099-12-31",), ("as_of", "2099-12-31", "after today")),
    "as_of after the horizon": Case(("as_of=2026-03-31", "horizon=2026-02-28"),
                                    ("as_of", "2026-03-31", "horizon=2026-02-28")),
    "horizon just before as_of": Case(("horizon=2026-01-30", "as_of=2026-01-31"),
                                      ("as_of", "2026-01-31", "2026-01-30")),
    "site public after today": Case(TINY, ("seeds/sites.yaml", "sk_ulsan", "2062", "after today"),
                                    seeds=_site(lambda s: s.update(public="2062-06-16"))),
    "phase public after today": Case(TINY, ("seeds/sites.yaml", "2099", "after today"),
                                     seeds=_site(lambda s: s["phases"][0].update(
                                         public="2099-01-01"))),
    "revision public after today": Case(
        TINY, ("seeds/sites.yaml", "samsung_sds_gumi", "2062", "after today"),
        seeds=_site(lambda s: s["revisions"][0].update(public="2062-01-02"),
                    site="samsung_sds_gumi")),
    "observed event public after today": Case(
        TINY, ("seeds/observed.yaml", "gov_in_service_march", "2062-03-03", "after today"),
        seeds=_typed("observed", "public: 2026-03-03", "public: 2062-03-03")),
    "tranche public after today": Case(
        TINY, ("seeds/tranches.yaml", "naver_2026", "2052", "after today"),
        seeds=_typed("tranches", "public: 2025-11-06", "public: 2052-11-06")),
    "GPUs outside the pledge in service backwards": Case(
        TINY, ("seeds/allocations.yaml", "outside_pledge[1]", "in_service", "ends before"),
        seeds=_typed("allocations", "in_service: [2026-01-01, 2026-12-31]",
                     "in_service: [2026-12-31, 2026-01-01]")),
    "a target on the own count with no date": Case(
        TINY, ("seeds/allocations.yaml", "counted_targets[0]", "by"),
        seeds=_alloc(lambda a: a["counted_targets"][0].pop("by"))),
    "tranche of an unknown generation": Case(
        TINY, ("seeds/tranches.yaml", "gov_batch_2025", "generation", "'H100'", "B300"),
        seeds=_typed("tranches", "generation: B200", "generation: H100")),
    "tranche with no count and no budget": Case(
        TINY, ("seeds/tranches.yaml", "naver_2026", "gpus", "budget_won"),
        seeds=_seed("tranches", lambda d: record(d["tranches"], id="naver_2026").pop("gpus"))),
    "tranche on a budget of 1e17 won": Case(
        TINY, ("seeds/tranches.yaml", "gov_purchase_2026", "budget_won", "GDP"),
        seeds=_typed("tranches", "budget_won: 2100000000000", "budget_won: 1.0e+17")),
    "deal public after today": Case(
        TINY, ("seeds/deals.yaml", "2099", "after today"),
        seeds=_seed("deals", lambda d: d["deals"][0].update(public="2099-09-23"))),
    "prior public after today": Case(
        TINY, ("seeds/priors.yaml", "2077", "after today"),
        seeds=_seed("priors", lambda d: d["prior"].update(public="2077-10-31"))),
    "allocation public after today": Case(
        TINY, ("seeds/allocations.yaml", "2099", "after today"),
        seeds=_alloc(lambda a: a.update(public="2099-10-31"))),
    # --- recipient ids are data; the words the tables use are not ids (item 9) -------------
    "recipient named total": Case(TINY, ("seeds/allocations.yaml", "'total'", "reserved"),
                                  seeds=_renamed("government", "total")),
    "recipient named any": Case(TINY, ("seeds/allocations.yaml", "'any'", "reserved"),
                                seeds=_renamed("naver", "any")),
    "recipient named all": Case(TINY, ("seeds/allocations.yaml", "'all'", "reserved"),
                                seeds=_renamed("sk", "all")),
    "recipient id with a space": Case(TINY, ("seeds/allocations.yaml", "'naver cloud'"),
                                      seeds=_alloc(lambda a: a.update(recipient="naver cloud"),
                                                   "naver")),
    "recipient id starting with a digit": Case(
        TINY, ("seeds/allocations.yaml", "'5g'"),
        seeds=_alloc(lambda a: a.update(recipient="5g"), "sk")),
    "recipient id with a control character": Case(
        TINY, ("seeds/allocations.yaml", "\\x1b"),
        seeds=_alloc(lambda a: a.update(recipient=f"sk{CLEAR}"), "sk")),
    "target above the allocation": Case(TINY, ("seeds/allocations.yaml", "target", "gpus",
                                               "60,000", "50,000"),
                                        seeds=_target(gpus=60000)),
    "target of no GPUs": Case(TINY, ("seeds/allocations.yaml", "target: gpus=0", "positive"),
                              seeds=_target(gpus=0)),
    "target without a date": Case(TINY, ("seeds/allocations.yaml", "target", "by"),
                                  seeds=_alloc(lambda a: a["target"].pop("by"))),
    "target with a bad date": Case(TINY, ("seeds/allocations.yaml", "target", "by", "2030-02-30"),
                                   seeds=_target(by="2030-02-30")),
    "target with an unknown field": Case(TINY, ("seeds/allocations.yaml", "target: unknown field",
                                                "'gpu'", "gpus, by"),
                                         seeds=_target(gpu=5)),
    "target with an unknown source": Case(TINY, ("seeds/allocations.yaml", "target", "nowhere"),
                                          seeds=_target(sources=["nowhere"])),
    "target that is not a mapping": Case(TINY, ("seeds/allocations.yaml", "target:", "mapping",
                                                "50000"),
                                         seeds=_alloc(lambda a: a.update(target=50000))),
    # --- text from outside is inert (item 4) ------------------------------------------------
    "escape sequence in an override value": Case((f"scenario=x{CLEAR}",), ("\\x1b",)),
    "escape sequence in a scenario name": Case((f"+scenario=a{ESC}[31mred",), ("\\x1b",)),
    "escape sequence in a key": Case((f"power.x{ESC}[2J=3",), ("\\x1b",)),
    "bidi override in a value": Case(("supply.policy=\u202eredro_nalp",),
                                     ("supply.policy", "\\u202e")),
    # --- python -m sim.validate and python -m sim.compare: one line, as everywhere ---------
    "validate with -m": Case(("-m",), ("-m", "not an option", "--dates"), module=VALIDATE),
    "validate with --multirun": Case(("--multirun", "seed=1,2"), ("--multirun", "--dates"),
                                     module=VALIDATE),
    "validate with an unknown option": Case(("--frobnicate",), ("--frobnicate", "--dates"),
                                            module=VALIDATE),
    "validate with no replications": Case(("--replications=0",),
                                          ("--replications", "'0'", "1..65535"),
                                          module=VALIDATE),
    "validate with words for replications": Case(("--replications=many",),
                                                 ("--replications", "'many'", "whole number"),
                                                 module=VALIDATE),
    "validate with no date": Case(("--dates=,",), ("--dates", "no date"), module=VALIDATE),
    "validate as of after today": Case(("--dates=2031-01-31",),
                                       ("--dates", "2031-01-31", "after today"),
                                       module=VALIDATE),
    "validate as of after the horizon": Case(("--dates=2026-01-31", "horizon=2025-12-31"),
                                             ("--dates", "2026-01-31", "2025-12-31"),
                                             module=VALIDATE),
    "validate as of before the pledge": Case(("--dates=2025-10-01",),
                                             ("--dates", "2025-10-01", "before the pledge"),
                                             module=VALIDATE),
    "compare with -m": Case(("-m", "x"), ("-m", "not an option"), module=COMPARE),
    "compare with --multirun": Case(("--multirun", "x"), ("--multirun", "not an option"),
                                    module=COMPARE),
    "validate with -m and dates": Case(("-m", "--dates=2025-12-31"), ("-m", "--dates"),
                                       module=VALIDATE),
    "as_of tomorrow": Case((f"as_of={date.today() + timedelta(days=1)}",),
                           ("as_of", str(date.today() + timedelta(days=1)), "after today")),
    "validate as of tomorrow": Case((f"--dates={date.today() + timedelta(days=1)}",),
                                    ("--dates", "after today"), module=VALIDATE),
    "recipient id of 41 letters": Case(TINY, ("seeds/allocations.yaml", "a" * 41),
                                       seeds=_alloc(lambda a: a.update(recipient="a" * 41),
                                                    "sk")),
    "a plan public after its event": Case(
        TINY, ("seeds/observed.yaml", "gov_first_service", "planned[1]", "2026-03-01",
               "a plan is what was said before"),
        seeds=_observed(lambda e: e["planned"][1].update(public="2026-03-01"),
                        "gov_first_service")),
    "a plan on a count": Case(
        TINY, ("seeds/observed.yaml", "gov_arrived_mid_dec", "planned", "first_arrival"),
        seeds=_observed(lambda e: e.update(planned=[{"public": "2025-09-21",
                                                     "happened": "2025-12-01",
                                                     "sources": ["bizchosun_2025_09_21"]}]),
                        "gov_arrived_mid_dec")),
    "a plan whose window ends before it starts": Case(
        TINY, ("seeds/observed.yaml", "gov_first_arrival", "planned[0]", "ends before"),
        seeds=_observed(lambda e: e["planned"][0].update(happened=["2025-11-30",
                                                                   "2025-10-01"]),
                        "gov_first_arrival")),
    "a plan citing an unknown source": Case(
        TINY, ("seeds/observed.yaml", "planned[0]", "nowhere_2025", "not in seeds/sources"),
        seeds=_observed(lambda e: e["planned"][0].update(sources=["nowhere_2025"]),
                        "gov_first_arrival")),
}


def test_the_catalogue_covers_every_class_of_value():
    assert len(CASES) >= 40
    by_module = [c.module for c in CASES.values()]
    assert by_module.count(VALIDATE) >= 10 and by_module.count(COMPARE) >= 2
    assert sum(1 for c in CASES.values() if c.seeds) >= 20


def _terminal_safe(line: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in line)


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_value_is_refused_in_one_inert_line(name, tmp_path):
    case = CASES[name]
    (tmp_path / "notes.txt").write_text("the user's own file\n")
    args = case.args
    if case.seeds:
        shutil.copytree(SEEDS_DIR, tmp_path / "seeds")
        case.seeds(tmp_path / "seeds")
        args = (*args, f"seeds_dir={tmp_path / 'seeds'}")
    before = tree(tmp_path)
    proc = run_cli(*args, cwd=tmp_path, module=case.module,
                   quick=case.module == "sim")
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    missing = [f for f in case.says if f not in lines[0]]
    assert not missing, (missing, lines[0])
    assert _terminal_safe(proc.stderr.rstrip("\n")), repr(proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert tree(tmp_path) == before
