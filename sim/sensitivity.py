"""``python -m sim.sensitivity``: each uncertain input swung over its range, one at a time;
see :mod:`sim.app.sensitivity`.

The process is set up as ``python -m sim``'s (:mod:`sim.app.environment`)."""

import sys

from sim.app.environment import start
from sim.app.sensitivity import main

__all__ = ["main"]

if __name__ == "__main__":
    start()
    sys.exit(main())
