"""``python -m benchmarks``: every benchmark's figures against their targets, then a summary.

Ratios are measured within one run, so they hold on any machine; run it on an idle one.
"""

import os
import platform

import benchmarks.precision
from benchmarks import ema, launchers, montecarlo, startup

figures = []
print(f"== machine: {platform.machine()}, {os.cpu_count()} CPUs, load "
      f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) ==")
print("== Monte Carlo engine ==")
figures += montecarlo.main()
print("== Against EMA Workbench ==")
figures += ema.main()
print("== Precision per CPU-second ==")
figures += benchmarks.precision.main()
print("== Start-up and whole runs ==")
figures += startup.main()
print("== Launchers (no targets) ==")
launchers.main()
print("== Summary ==")
for figure in figures:
    print(figure.line())
missed = [f.name for f in figures if not f.met]
print(f"{len(figures) - len(missed)} of {len(figures)} figures met their targets")
