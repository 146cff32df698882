"""The seed files: reading and checking ``seeds/*.yaml``, and what was known as of a date.

Below the model: :mod:`sim.model` reads the records this package gives
(:class:`~sim.seeds.data.SeedData`), and nothing here imports the model.

- :mod:`sim.seeds.data`: the record types, and :func:`~sim.seeds.data.view`, the records as
  known on a date;
- :mod:`sim.seeds.files`: :func:`~sim.seeds.files.load` and
  :func:`~sim.seeds.files.read_all`, every file read and checked;
- :mod:`sim.seeds.site_files`: ``sites.yaml`` and ``tranches.yaml``, with their phases and
  revisions;
- :mod:`sim.seeds.events`: the priors and the observed events;
- :mod:`sim.seeds.fields`: the checks of one record's fields;
- :mod:`sim.seeds.reading`: the defensive reading of one YAML file.
"""
