"""``python -m sim``: see :mod:`sim.app.cli`."""

from sim.app.cli import main

main()
