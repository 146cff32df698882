"""``python -m benchmarks [--quick]``: every benchmark's figures against their targets, then a
summary.

Each part is a module whose ``main(quick)`` prints what it measured and returns its figures
(:class:`benchmarks.common.Figure`); ``--quick`` runs fewer rounds. Ratios are measured within
one run, so they hold on any machine; run it on an idle one.
"""

import argparse
import os
import platform

from benchmarks import ema, launchers, montecarlo, precision, sensitivity, startup

PARTS = [
    ("Whole runs", startup),
    ("Monte Carlo engine", montecarlo),
    ("Against EMA Workbench", ema),
    ("Sensitivity", sensitivity),
    ("Precision per CPU-second", precision),
    ("Launchers (no targets)", launchers),
]

parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier medians)")
quick = parser.parse_args().quick
print(f"== machine: {platform.machine()}, {os.cpu_count()} CPUs, load "
      f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) ==", flush=True)
figures = []
for title, part in PARTS:
    print(f"== {title} ==", flush=True)
    figures += part.main(quick)
print(f"== Summary (load {', '.join(f'{x:.2f}' for x in os.getloadavg())}) ==")
for figure in figures:
    print(figure.line())
missed = [f.name for f in figures if not f.met]
print(f"{len(figures) - len(missed)} of {len(figures)} figures met their targets"
      + (f"; missed: {'; '.join(missed)}" if missed else ""))
