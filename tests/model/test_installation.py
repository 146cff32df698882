"""Installation on its own: placement in powered room, one crew per site, burn-in."""

from __future__ import annotations

import numpy as np
from parts import recipient, run, site

from sim.model.installation import Installation
from sim.model.sites import Site


def setup(*overrides, mw=(1.0,), lots=10):
    r = run(*overrides)
    gov = recipient("government", lots=lots)
    inst = Installation(r, r.draws.cfg.install, {"government": gov})
    halls = [Site(r, site(f"hall{i}"), i, [(0.0, m * 1000)], inst.offer_room)
             for i, m in enumerate(mw)]
    gov.sites = halls
    for h in halls:
        h.energized_kw = h.steps[0][1]
    return r, gov, inst, halls


def test_lots_take_room_in_arrival_order_at_the_first_site_with_room():
    # a lot of 72 GPUs at 2.5 kW needs 180 kW: 1 MW holds 5 lots, 0.5 MW 2 more
    r, gov, inst, (big, small) = setup(mw=(1.0, 0.5), lots=10)
    gov.waiting.append((0, 10))
    inst.place_waiting(gov)
    assert gov.site_of.tolist() == [0] * 5 + [1] * 2 + [-1] * 3
    assert list(gov.waiting) == [(7, 10)]  # the rest wait for power
    assert big.room_kw < 180 and small.room_kw < 180


def test_one_crew_per_site_racks_its_lots_one_after_another():
    over = ("install.racks_per_week=7", "install.burnin_days=10", "install.burnin_fail_p=0")
    r, gov, inst, (hall,) = setup(*over, mw=(10.0,), lots=6)
    gov.waiting.append((0, 3))
    inst.place_waiting(gov)
    np.testing.assert_allclose(gov.days["installed"][:3], [1, 2, 3])  # a rack a day
    np.testing.assert_allclose(gov.days["operational"][:3], [11, 12, 13])
    gov.waiting.append((3, 6))  # later arrivals queue behind the crew
    inst.place_waiting(gov)
    np.testing.assert_allclose(gov.days["installed"][3:6], [4, 5, 6])


def test_crew_throughput_sets_how_long_a_site_takes_to_fill():
    def last_installed(racks):
        _, gov, inst, _ = setup(f"install.racks_per_week={racks}", mw=(100.0,), lots=50)
        gov.waiting.append((0, 50))
        inst.place_waiting(gov)
        return gov.days["installed"].max()

    assert last_installed(25) == 2 * last_installed(50)


def test_a_failed_burn_in_waits_for_parts_and_burns_in_again():
    over = ("install.racks_per_week=7", "install.burnin_days=10", "install.burnin_fail_p=1",
            "install.replace_days=5")
    _, gov, inst, _ = setup(*over, mw=(10.0,), lots=2)
    gov.waiting.append((0, 2))
    inst.place_waiting(gov)
    np.testing.assert_allclose(gov.days["burnin_failed"][:2], [11, 12])
    np.testing.assert_allclose(gov.days["operational"][:2], [26, 27])  # +5 parts, +10 again
