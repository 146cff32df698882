"""``sim``'s Python API: the one public entry point.

Run a study, read its tables as pandas DataFrames, write its folder, load it back, compare
runs and score hindcasts, as ``python -m sim``, ``python -m sim.compare`` and ``python -m
sim.validate`` do, with the same checks and the same files::

    from sim import api

    r = api.study("+scenario=slow_power", replications=200)   # Hydra overrides, settings
    r.summary["monte_carlo"]["all_operational"]["p50"]         # summary.json as a dict
    r.timeseries, r.milestones, r.replications, r.drivers      # DataFrames
    folder = r.write("results/slow_power-200")                 # what the CLI writes
    again = api.load(folder)                                   # verified first
    c = api.compare(folder, "results/baseline/...")            # c.table, c.write()
    v = api.validate("+scenario=slow_power", replications=50)  # v.hindcasts, v.write()

Overrides are Hydra override strings exactly as on the command line; settings are friendly
names of common keys (:data:`sim.api.runs.SETTINGS`). Bad input raises
:class:`sim.errors.InputError`, whose message is one line naming the key, the value and
what is allowed; nothing is written unless asked. Importing ``sim`` or ``sim.api`` changes
nothing in Hydra or OmegaConf, and a call leaves nothing registered behind
(:mod:`sim.app.compose`): a Hydra app of your own in the same process behaves as without
``sim``. ``docs/examples/notebook.py`` walks through all of it.
"""

from sim.api.others import Comparison, Validation, compare, validate
from sim.api.runs import SETTINGS, Results, load, study
from sim.errors import InputError, WriteError

__all__ = ["study", "load", "compare", "validate", "Results", "Comparison", "Validation",
           "SETTINGS", "InputError", "WriteError"]
