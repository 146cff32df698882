"""Reading seed files defensively: unknown fields, YAML that would hang or recurse, things
that are not files, numbers that are not finite or beyond their bound. Each is refused in one
line naming the file, the record and the field (on copies of the fixture's seed folder)."""

from __future__ import annotations

import os
import time

import pytest
from conftest import edit_seed, record

from sim.app.paths import SEEDS_DIR
from sim.errors import InputError
from sim.seeds import fields as seed_records
from sim.seeds import files as seed_files


def refused(folder) -> str:
    with pytest.raises(InputError) as err:
        seed_files.load(folder)
    message = str(err.value)
    assert "\n" not in message and len(message) < 600, message
    return message


@pytest.mark.parametrize("name, change, where", [
    ("sites", lambda d: record(d["sites"], id="naver_campus").update(grid_assesment="passed"),
     "seeds/sites.yaml: site 'naver_campus': unknown field 'grid_assesment' (did you mean "
     "'grid_assessment'?); allowed: id, recipient, name, region, kind, grid_assessment"),
    ("sites", lambda d: record(d["sites"], id="naver_campus")["phases"][0].update(MW=40),
     "seeds/sites.yaml: site 'naver_campus' phases[0]: unknown field 'MW' (did you mean "
     "'mw'?)"),
    ("deals", lambda d: record(d["deals"], id="stargate_loi").update(dat="2025-10-01"),
     "seeds/deals.yaml: deal 'stargate_loi': unknown field 'dat' (did you mean 'date'?)"),
    ("allocations", lambda d: d["pledge"].update(gpu=260000),
     "seeds/allocations.yaml: pledge: unknown field 'gpu' (did you mean 'gpus'?)"),
    ("allocations", lambda d: d["allocations"][1].update(share=0.2),
     "seeds/allocations.yaml: recipient 'naver': unknown field 'share'; allowed: recipient"),
    ("observed", lambda d: d["observed"][0].update(source=["x"]),
     "seeds/observed.yaml: event 'gov_first_arrival': unknown field 'source' (did you mean "
     "'sources'?)"),
    ("sources", lambda d: d["sources"][0].update(url="x"),
     "seeds/sources.yaml: source 'fixture': unknown field 'url'; allowed: id, publisher"),
    ("allocations", lambda d: d.update(notes="x"),
     "seeds/allocations.yaml: top level: unknown field 'notes'; allowed: pledge, allocations"),
])
def test_an_unknown_field_is_refused_naming_it_and_the_allowed_ones(fixture_copy, name, change,
                                                                    where):
    edit_seed(fixture_copy, name, change)
    assert refused(fixture_copy).startswith(where)


@pytest.mark.data
def test_every_kind_of_record_declares_its_fields_and_the_project_seeds_use_only_them():
    data = seed_files.load(SEEDS_DIR)
    assert len(data.sites) > 5  # loaded, with every field declared


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
    for i in range(9)) + "sites: [*j]\n"


@pytest.mark.parametrize("text, fragment", [
    (BOMB, "line 1: expands to more than 1,000,000 values through its aliases"),
    ("sites: " + "[" * 5000 + "]" * 5000 + "\n", "line 1: nests deeper than 20 levels"),
    ("x: &x [1]\n" + "".join(f"x{i}: &x{i} [*{'x' if i == 0 else f'x{i - 1}'}]\n"
                              for i in range(3000)) + "sites: [*x2999]\n",
     "expands to more than"),  # aliases chained deeper than Python recurses
    ("sites: &s [*s]\n", "seeds/sites.yaml:"),  # an alias of itself
    ("sites:\n  - id: a\n    id: b\n", "line 3: field 'id' appears twice in one mapping"),
])
def test_yaml_that_would_hang_or_recurse_is_refused_fast(fixture_copy, text, fragment):
    (fixture_copy / "sites.yaml").write_text(text)
    started = time.perf_counter()
    message = refused(fixture_copy)
    assert time.perf_counter() - started < 2
    assert message.startswith("seeds/sites.yaml: ") and fragment in message, message


@pytest.mark.parametrize("make, fragment", [
    (lambda p: (p.unlink(), p.mkdir()), "seeds/sites.yaml: is a folder, not a file"),
    (lambda p: (p.unlink(), p.symlink_to(p.name)), "seeds/sites.yaml: is a symbolic link "
                                                   "that loops"),
    (lambda p: (p.unlink(), p.symlink_to("gone.yaml")), "seeds/sites.yaml: is a symbolic link "
                                                        "to a file that does not exist"),
    (lambda p: (p.unlink(), os.mkfifo(p)), "seeds/sites.yaml: is not a regular file"),
])
def test_what_is_not_a_file_is_named_as_a_seed_file_problem(fixture_copy, make, fragment):
    make(fixture_copy / "sites.yaml")
    assert refused(fixture_copy).startswith(fragment)


def test_a_looping_observed_file_is_not_taken_for_an_absent_one(fixture_copy):
    path = fixture_copy / "observed.yaml"
    path.unlink()
    path.symlink_to("observed.yaml")
    assert refused(fixture_copy).startswith("seeds/observed.yaml: is a symbolic link that loops")


def test_a_seeds_folder_that_is_a_file_is_named(tmp_path):
    (tmp_path / "seeds").write_text("not a folder\n")
    assert "is not a folder" in refused(tmp_path / "seeds")


@pytest.mark.parametrize("name, old, new, fragment", [
    ("sites", "mw: 2\n", "mw: .inf\n", "phases[0]: mw=inf is not a finite number"),
    ("sites", "mw: 2\n", "mw: .nan\n", "phases[0]: mw=nan is not a finite number"),
    ("sites", "mw: 2\n", "mw: 50000\n", "phases[0]: mw=50000 is more than 10,000, the most "
                                          "allowed (10 GW"),
    ("allocations", "gpus: 6480", "gpus: 1000000000000000000000000000000",
     "pledge: gpus=1000000000000000000000000000000 is more than 10,000,000, the most allowed (over "
     "38 times"),
    ("allocations", "gpus: 6480", "gpus: 1.0e+30", "pledge: gpus=1e+30 must be a positive "
                                                   "whole number"),
])
def test_numbers_must_be_finite_and_within_their_stated_bound(fixture_copy, name, old, new,
                                                              fragment):
    path = fixture_copy / f"{name}.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    assert fragment in refused(fixture_copy)


def test_every_bound_says_why():
    for field, (bound, why) in seed_records.LIMITS.items():
        assert bound > 0 and len(why) > 10, field


def test_seeds_read_again_are_parsed_again_only_when_their_bytes_changed(fixture_copy):
    first = seed_files.read_all(fixture_copy)
    assert seed_files.read_all(fixture_copy) is first
    path = fixture_copy / "sources.yaml"
    before = path.stat()
    text = path.read_text()
    at = text.index("title: \"") + len("title: \"")
    path.write_text(text[:at] + "X" + text[at + 1:])  # one letter: the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same time
    changed = seed_files.read_all(fixture_copy)
    assert changed is not first
    assert sorted(s.title for s in changed.sources.values()) != sorted(
        s.title for s in first.sources.values())
