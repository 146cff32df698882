"""Observed facts on their own: counts pin a recipient's first lots to the day they were
reported by, a first arrival or first service its first lot."""

from __future__ import annotations

from datetime import date

import numpy as np

from sim.calendar import to_day
from sim.model.facts import pinned_days
from sim.seeds.data import Observed

LOTS = np.full(5, 72)


def fact(kind, happened, gpus=None, recipient="government"):
    day = date.fromisoformat(happened)
    return Observed(kind, kind, recipient, (day, day), day, gpus)


def test_a_count_pins_the_lots_that_make_it_up_and_a_later_count_the_next_ones():
    pins = pinned_days((fact("arrived", "2026-01-10", (200, 200)),
                        fact("arrived", "2025-12-01", (144, 144))), "government", LOTS)
    first, second = to_day(date(2025, 12, 1)), to_day(date(2026, 1, 10))
    # the earlier fact first: lots 0-1 (144 GPUs) by Dec 1, lot 2 (up to 216 > 200: not) ...
    np.testing.assert_array_equal(pins["arrived"], [first, first, np.nan, np.nan, np.nan])
    assert second not in pins["arrived"]  # 200 GPUs cover no more whole lots than 144 do
    assert np.isnan(pins["operational"]).all()


def test_a_first_service_pins_the_first_lot_and_other_recipients_facts_pin_nothing():
    pins = pinned_days((fact("first_service", "2026-02-25"),
                        fact("in_service", "2026-03-01", (500, 500), recipient="naver")),
                       "government", LOTS)
    np.testing.assert_array_equal(pins["operational"][:2], [to_day(date(2026, 2, 25)), np.nan])
    assert np.isnan(pins["arrived"]).all() and np.isnan(pins["installed"]).all()
