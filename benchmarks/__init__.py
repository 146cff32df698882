"""Benchmarks: scripts that print figures (``python -m benchmarks``); never timed tests."""
