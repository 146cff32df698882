"""``python -m sim.history``: the forecast's history and what moved it; see
:mod:`sim.app.history`.

The process is set up as ``python -m sim``'s (:mod:`sim.app.environment`)."""

import sys

from sim.app.environment import start
from sim.app.history import main

if __name__ == "__main__":
    start()
    sys.exit(main())
