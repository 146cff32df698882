"""``python -m sim.compare RUN_DIR [RUN_DIR ...]``: see :mod:`sim.app.compare`.

The process is set up as ``python -m sim``'s (:mod:`sim.app.environment`): SIGTERM and
SIGHUP stop it as Ctrl-C does (nothing left behind, exit status 128 + the signal's number),
a closed standard output does not stop it, a deleted working directory is refused.
"""

import signal
import sys

if __name__ == "__main__":
    try:
        from sim.app.compare import main
        from sim.app.environment import start
        from sim.outputs.folders import exit_code
    except KeyboardInterrupt:  # Ctrl-C while pandas and Hydra load
        print("interrupted: nothing written", file=sys.stderr)
        sys.exit(130)
    start()
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # done: a late Ctrl-C changes nothing now
    sys.exit(exit_code() if code == 130 else code)
