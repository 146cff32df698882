"""The app: the command line, its errors in one line, and the sweep's side of a multirun.

:mod:`sim.app.cli` is ``python -m sim`` (Hydra), :mod:`sim.app.compare` is
``python -m sim.compare``; :mod:`sim.app.runner` takes a composed config to a written run.
"""
