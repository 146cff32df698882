# %% [markdown]
# # sim from Python: a study, its tables, its folder, and a comparison
#
# A notebook-style script (cells marked `# %%`, as Jupyter, VS Code and Jupytext read them).
# Run it whole with `python docs/examples/notebook.py [FOLDER]`: it writes into FOLDER (a new
# temporary folder if none is given), nowhere else. The suite runs it
# (tests/api/test_notebook.py).

# %%
import sys
import tempfile
from pathlib import Path

from sim import api

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="sim-notebook-"))

# %% [markdown]
# ## A study of the slow_power scenario, 20 replications
# Overrides are Hydra's, exactly as on the command line; settings are friendly names of
# common keys (`api.SETTINGS`). Nothing is written yet.

# %%
slow = api.study("+scenario=slow_power", replications=20)
p50 = slow.summary["monte_carlo"]["all_operational"]["p50"]
print(f"slow_power: all 260,000 GPUs operational P50 {p50 or 'after the horizon'}")

# %% [markdown]
# ## Its tables are pandas DataFrames

# %%
total = slow.timeseries[slow.timeseries["recipient"] == "total"]
print(total[["date", "operational_p10", "operational_p50", "operational_p90"]].tail(3))
print(slow.milestones[slow.milestones["recipient"] == "total"][["milestone", "p50_date"]])
print(slow.drivers[["risk", "effect_days"]].head(3))
print(f"{len(slow.replications)} replications, {slow.replications.shape[1]} columns each")

# %% [markdown]
# ## Write its folder (what `python -m sim` writes), and load it back, verified

# %%
folder = slow.write(out / "slow_power")
again = api.load(folder)
assert again.summary == slow.summary
assert len(again.timeseries) == len(slow.timeseries)  # the files add dates and the run's id
assert list(again.timeseries.columns[:slow.timeseries.shape[1]]) == \
    list(slow.timeseries.columns)
print(f"written and read back: {folder}")

# %% [markdown]
# ## Compare it with the baseline

# %%
baseline = api.study(replications=20)
comparison = api.compare(baseline.write(out / "baseline"), folder)
print(comparison.text)
print(f"comparison: {comparison.write(out / 'comparison')}")
