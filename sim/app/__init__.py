"""The app: the command line, its errors in one line, and the sweep's side of a multirun.

:mod:`sim.app.cli` is ``python -m sim`` (its flags: :mod:`sim.app.command_line`; a multirun:
:mod:`sim.app.multirun`), :mod:`sim.app.compare` is ``python -m sim.compare``.
:mod:`sim.app.compose` composes a config with Hydra's public API and leaves nothing behind;
:mod:`sim.app.runner` takes a composed config to a written run, in a folder
:mod:`sim.app.folders` lets it take. :mod:`sim.api` is built on these.
"""
