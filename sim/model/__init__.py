"""The model: the world of one run.

:func:`sim.model.world.simulate` runs one realization of a resolved config over the seed
data (:mod:`sim.model.seeds`) and returns a :class:`sim.model.output.RunOutput`. One module
per real-world thing (deals, demand, supply, logistics, sites, power, installation,
hardware), each with its config group beside the code that reads it; the plumbing of a run
(calendar, random streams and draws, distributions, field rules) beside them.
"""
