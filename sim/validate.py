"""``python -m sim.validate``: hindcasts scored against history; see :mod:`sim.app.validate`.

The process is set up as ``python -m sim``'s (:mod:`sim.app.environment`)."""

import sys

from sim.app.environment import start
from sim.app.validate import main

if __name__ == "__main__":
    start()
    sys.exit(main())
