"""``python -m benchmarks``: every benchmark's figures, one after the other."""

from benchmarks import montecarlo

print("== Monte Carlo ==")
montecarlo.main()
