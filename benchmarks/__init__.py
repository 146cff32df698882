"""Benchmarks: scripts that print figures, never timed tests.

``python -m benchmarks`` runs them all; ``python -m benchmarks.<name>`` runs one.
"""
