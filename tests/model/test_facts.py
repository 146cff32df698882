"""Observed facts on their own: counts pin a recipient's first lots to the day they were
reported by, a first arrival or first service its first lot; a range or a window is drawn
within it, and a stream's counts never fall."""

from __future__ import annotations

from datetime import date

import numpy as np

from sim.calendar import to_day
from sim.model.facts import Report, drawn, floor_days, pinned_days
from sim.seeds.data import Observed

LOTS = np.full(5, 72)


def fact(kind, happened, gpus=None, recipient="government", until=None, id=None):
    day = date.fromisoformat(happened)
    end = date.fromisoformat(until) if until else day
    return Observed(id or kind, kind, recipient, (day, end), end, gpus)


def at(u):
    """Every fact drawn at the uniform ``u``."""
    return lambda name, entity: u


def test_a_count_pins_the_lots_that_make_it_up_and_a_later_count_the_next_ones():
    pins = pinned_days(drawn((fact("arrived", "2026-01-10", (200, 200), id="a"),
                              fact("arrived", "2025-12-01", (144, 144), id="b")), at(0.5)),
                       "government", LOTS)
    first, second = to_day(date(2025, 12, 1)), to_day(date(2026, 1, 10))
    # the earlier fact first: lots 0-1 (144 GPUs) by Dec 1, lot 2 (up to 216 > 200: not) ...
    np.testing.assert_array_equal(pins["arrived"], [first, first, np.nan, np.nan, np.nan])
    assert second not in pins["arrived"]  # 200 GPUs cover no more whole lots than 144 do
    assert np.isnan(pins["operational"]).all()


def test_a_first_service_pins_the_first_lot_and_other_recipients_facts_pin_nothing():
    pins = pinned_days(drawn((fact("first_service", "2026-02-25"),
                              fact("in_service", "2026-03-01", (500, 500), recipient="naver")),
                             at(0.5)), "government", LOTS)
    np.testing.assert_array_equal(pins["operational"][:2], [to_day(date(2026, 2, 25)), np.nan])
    assert np.isnan(pins["arrived"]).all() and np.isnan(pins["installed"]).all()


def test_a_range_is_drawn_within_it_so_its_uncertainty_reaches_the_forecast():
    events = (fact("in_service", "2026-03-01", (100, 300), until="2026-03-31"),)
    low, high = drawn(events, at(0.0))[0], drawn(events, at(0.999))[0]
    assert (low.gpus, low.day) == (100, to_day(date(2026, 3, 1)))
    assert 299 < high.gpus <= 300 and to_day(date(2026, 3, 30)) < high.day <= to_day(
        date(2026, 3, 31))
    # the draw decides which lots are pinned and which are held back (floored) on its day
    assert np.count_nonzero(~np.isnan(pinned_days([low], "government", LOTS)["operational"])) == 1
    assert np.count_nonzero(~np.isnan(pinned_days([high], "government", LOTS)["operational"])) == 4
    assert np.count_nonzero(floor_days([high], "government", LOTS)["operational"]) == 1


def test_a_streams_drawn_counts_never_fall_and_stay_below_every_later_high():
    events = (fact("arrived", "2025-12-01", (100, 360), id="early"),
              fact("arrived", "2025-12-18", (200, 250), id="later"))
    for u in (0.0, 0.3, 0.999):
        early, later = drawn(events, at(u))
        assert 100 <= early.gpus <= 250 and 200 <= later.gpus <= 250
        assert early.gpus <= later.gpus and early.day <= later.day
    # uniforms that pull the two apart: the later count is never below the earlier one
    early, later = drawn(events, lambda name, entity: 0.999 if entity == "early" else 0.0)
    assert later.gpus == early.gpus > 249


def test_a_first_arrival_drawn_in_its_window_floors_every_lot_at_its_day():
    (report,) = drawn((fact("first_arrival", "2025-11-01", until="2026-01-09"),), at(0.5))
    middle = (to_day(date(2025, 11, 1)) + to_day(date(2026, 1, 9))) / 2
    assert report == Report("first_arrival", "government", middle)
    np.testing.assert_array_equal(floor_days([report], "government", LOTS)["arrived"],
                                  np.full(5, middle))
