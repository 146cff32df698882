"""The study: many replications of one config, and what they say together.

:func:`sim.study.study.run_study` runs the Monte Carlo replications
(:mod:`sim.study.montecarlo`), folds their weekly series into bands (:mod:`sim.study.bands`),
re-runs the representative replication, and ranks the drivers (:mod:`sim.study.drivers`).
Per-run figures come from :mod:`sim.study.metrics` and :mod:`sim.study.summary`; the
targets they are measured against from :mod:`sim.study.targets`.
"""
