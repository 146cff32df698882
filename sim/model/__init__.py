"""The model: the world of one run.

:func:`sim.model.world.simulate` runs one realization of a resolved config over the seed
data (:mod:`sim.seeds.data`) and returns a :class:`sim.model.output.RunOutput`. One module
per real-world thing (deals, demand, supply, logistics, sites, power, installation,
hardware, ...), each with its config group beside the code that reads it (its ``GROUP``) and
built from that group and a :class:`sim.model.run.Run`, so each can be built and tested on its
own; the plumbing of a run (:mod:`sim.model.run`, random streams and draws, field rules) beside
them imports no component; the calendar and the distributions
(:mod:`sim.calendar`, :mod:`sim.distributions`) sit below, shared with the seed files.
"""
