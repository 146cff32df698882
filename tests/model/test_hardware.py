"""Hardware on its own, from a plain ``hardware`` group: lots of a rack's GPUs, and the kW a
recipient's GPUs draw, one shared uniform for every recipient."""

from __future__ import annotations

import numpy as np
import pytest
from groups import config
from parts import run

from sim.model.hardware import kw_per_gpu, lot_sizes


def test_lots_are_full_but_the_last():
    assert lot_sizes(200, 72).tolist() == [72, 72, 56]
    assert lot_sizes(144, 72).tolist() == [72, 72]
    assert np.sum(lot_sizes(10_080, 72)) == 10_080


def test_a_recipients_own_kw_stands_in_for_the_shared_one_at_the_same_uniform():
    cfg = config("hardware", facility_kw_per_gpu="uniform(low=2, high=3)",
                 facility_kw_per_gpu_by_recipient={"hyundai": "uniform(low=3, high=5)"})
    for replication in range(30):
        draws = run(replication=replication).draws
        kw = {r: kw_per_gpu(cfg, draws, r) for r in ("government", "naver", "hyundai")}
        assert kw["government"] == kw["naver"]  # what decides it is common to them
        assert 2 <= kw["government"] <= 3 and 3 <= kw["hyundai"] <= 5
        # one uniform: a high draw is high for everyone
        assert kw["hyundai"] - 3 == pytest.approx(2 * (kw["government"] - 2))


def test_a_fixed_kw_is_that_kw_for_every_recipient():
    cfg = config("hardware", facility_kw_per_gpu=2.5, facility_kw_per_gpu_by_recipient={})
    draws = run().draws
    assert {kw_per_gpu(cfg, draws, r) for r in ("government", "hyundai")} == {2.5}
