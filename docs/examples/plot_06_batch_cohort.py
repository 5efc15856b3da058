"""
.. _ex-batch-cohort:

A cohort from a manifest, through ``myoemg.batch``, with a group plot
=====================================================================

A study rarely sits in one tidy folder. A CSV **manifest** lists the recordings, with optional
``force``, ``subject`` and ``session`` columns, and any other column is a per-file option of
:func:`myoemg.read` or :func:`myoemg.analyze` (:ref:`ug-batch`). Here nine simulated subjects
in three groups, two of them with the force in a separate CSV, and one file that cannot be
read: it is listed in ``failures`` and the rest of the cohort is analysed.
"""

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import myoemg
from myoemg.io import write_edf, write_force_csv
from myoemg.sim import simulate_session

study = Path(tempfile.mkdtemp())
GROUPS = {"control": "healthy", "DM1": "warm-up", "PMC": "paradoxical"}
rows, groups = [], {}
for g, (group, pattern) in enumerate(GROUPS.items()):
    for i in range(3):
        subject = f"{group[:3].upper()}{i + 1:02d}"
        rec, _ = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=4, pattern=pattern,
                                  rest_s=5.0, seed=200 + 10 * g + i)
        path = study / group / f"{subject}.edf"
        path.parent.mkdir(exist_ok=True)
        row = {"recording": path.relative_to(study), "subject": subject, "session": "1"}
        if i == 2:  # this lab's third subjects: force exported separately, in kgf
            write_edf(rec.select([c.name for c in rec.emg]), path)
            f = rec.force
            write_force_csv(f.data, path.with_name(f"{subject}_dyn.csv"), fs=f.fs,
                            unit="kgf", name="grip")
            row["force"] = path.with_name(f"{subject}_dyn.csv").relative_to(study)
        else:
            write_edf(rec, path)
        rows.append(row)
        groups[subject] = group
(study / "broken.edf").write_bytes(b"0       not an EDF file")
rows.append({"recording": "broken.edf", "subject": "X99", "session": "1"})
manifest = pd.DataFrame(rows)
manifest.to_csv(study / "manifest.csv", index=False)
manifest

# %%
# Run the batch
# -------------
# ``jobs=2`` would use two worker processes; ``scheduler="local"`` or the address of a Dask
# scheduler runs the same work on Dask (:ref:`ug-batch`). One process keeps the example light.
result = myoemg.batch(study / "manifest.csv", out=study / "results", jobs=1, report=False,
                      progress=False)
print(result)
result.failures[["file", "stage", "error"]]

# %%
# One row per session, with the subject and session from the manifest:
sessions = result.sessions.assign(group=lambda t: t["subject"].map(groups))
sessions[["subject", "group", "pattern", "grade", "rt90_5_first_s", "rt90_5_last_s",
          "n_myotonic_trials"]].round(2)

# %%
# A group plot
# ------------
# RT90-5 of the first grip and of the last, per subject (dots) and group (bars: median). The
# shaded band is the ULN of the simulated device; with real data, use the ULN of yours.
uln = myoemg.grading.DEVICE_ULN["simulated"]["uln_s"]
fig, axes = plt.subplots(1, 2, figsize=(8, 3.5), sharey=True, layout="constrained")
order = list(GROUPS)
panels = [("rt90_5_first_s", "grip 1"), ("rt90_5_last_s", "last grip")]
for ax, (col, title) in zip(axes, panels, strict=True):
    ax.axhspan(0, uln, color="0.9", label="normal range (≤ ULN)")
    for x, group in enumerate(order):
        values = sessions.loc[sessions["group"] == group, col].to_numpy()
        jitter = np.linspace(-0.12, 0.12, values.size)
        ax.plot(x + jitter, values, "o", color=f"C{x}")
        ax.hlines(np.median(values), x - 0.25, x + 0.25, color=f"C{x}", lw=3)
    ax.set(xticks=range(len(order)), xticklabels=order, title=f"RT90-5, {title}")
axes[0].set_ylabel("RT90-5 (s)")
axes[0].legend(fontsize=8, loc="upper left")

# %%
# The grade distribution per group (research use; not a validated clinical scale):
pd.crosstab(sessions["group"], sessions["grade"]).reindex(order)
