"""``python -m sim.compare RUN_DIR [RUN_DIR ...]``: see :mod:`sim.app.compare`."""

import sys

from sim.app.compare import main

if __name__ == "__main__":
    sys.exit(main())
