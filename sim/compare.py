"""``python -m sim.compare RUN_DIR [RUN_DIR ...]``: see :mod:`sim.app.compare`."""

import signal
import sys

if __name__ == "__main__":
    try:
        from sim.app.compare import main
    except KeyboardInterrupt:  # Ctrl-C while pandas and Hydra load
        print("interrupted: nothing written", file=sys.stderr)
        sys.exit(130)
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # done: a late Ctrl-C changes nothing now
    sys.exit(code)
