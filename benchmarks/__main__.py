"""``python -m benchmarks``: every benchmark's figures, one after the other."""

from benchmarks import launchers, montecarlo

print("== Monte Carlo ==")
montecarlo.main()
print("== Launchers ==")
launchers.main()
