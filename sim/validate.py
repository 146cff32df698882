"""``python -m sim.validate``: hindcasts scored against history; see :mod:`sim.app.validate`."""

import sys

from sim.app.validate import main

if __name__ == "__main__":
    sys.exit(main())
