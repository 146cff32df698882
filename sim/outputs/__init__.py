"""The outputs: a run's folder written all or nothing, its marks, its plots, and the
comparison of finished runs and sweeps."""
