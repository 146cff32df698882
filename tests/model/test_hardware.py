"""Hardware on its own: lots of a rack's GPUs."""

from __future__ import annotations

import numpy as np

from sim.model.hardware import lot_sizes


def test_lots_are_full_but_the_last():
    assert lot_sizes(200, 72).tolist() == [72, 72, 56]
    assert lot_sizes(144, 72).tolist() == [72, 72]
    assert np.sum(lot_sizes(10_080, 72)) == 10_080
