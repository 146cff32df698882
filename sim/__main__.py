"""``python -m sim``: see :mod:`sim.app.cli`."""

import sys

try:
    from sim.app.cli import main
except KeyboardInterrupt:  # Ctrl-C while Hydra loads
    print("interrupted: no run was started", file=sys.stderr)
    sys.exit(130)

main()
