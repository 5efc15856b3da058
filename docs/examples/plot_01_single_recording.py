"""
.. _ex-single-recording:

One recording: load, look, analyse, report
==========================================

A bundled **simulated** session (``grip_warmup.edf``: EMG at 2 kHz and grip force at 500 Hz in
one EDF+ file, six maximal grips with a DM1-like warm-up). This is the first notebook of the
repository (``notebooks/01_single_recording.ipynb``) as a gallery example.
"""

# %%
# Load
# ----
# :func:`myoemg.read` picks the reader from the extension, finds the EMG and force channels
# and converts to SI units (V, N); each channel keeps its own rate.
# :func:`myoemg.datasets.sample` gives the path of a sample that ships with the package.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

import myoemg

path = myoemg.datasets.sample("warmup")
rec = myoemg.read(path)
rec.describe()

# %%
# Look at the force
# -----------------
force = rec.force
fig, ax = plt.subplots(figsize=(10, 3), layout="constrained")
ax.plot(force.times, force.data, lw=0.8)
ax.set(xlabel="time (s)", ylabel="force (N)", title=force.name)

# %%
# Analyse
# -------
# One call finds the grips, measures RT90-5 / RT90-50 / RT50-5 (levels above each trial's
# baseline, :ref:`domain-relaxation`), the EMG after-activity and the myotonic discharges after
# each release, and summarises the session.
res = myoemg.analyze(rec)
columns = ["trial", "peak_force_n", "rt90_5_s", "rt90_50_s", "rt50_5_s", "relaxed",
           "after_activity_s", "myotonic"]
res.trials[columns].round(3)

# %%
# The session: the warm-up numbers (:ref:`domain-warmup`) and the grade with the reasons behind
# it (:ref:`domain-grading`).
s = res.summary
w = s.warmup.rt90_5
print("pattern:", s.pattern, "-", s.pattern_reason)
print(f"RT90-5 trial 1 {w.first_s:.2f} s, last {w.last_s:.2f} s, "
      f"warm-up {w.warmup_pct:.0f} %, {100 * w.share_trial_1_2:.0f} % of it "
      f"between trials 1 and 2, plateau from trial {w.plateau_trial}")
fit = w.fit
print(f"fit: RT_inf {fit.rt_inf_s:.2f} ± {fit.rt_inf_se_s:.2f} s, "
      f"n {fit.n_trials:.2f} ± {fit.n_trials_se:.2f} trials")
print(s.grade.text)
for reason in s.grade.reasons:
    print("  -", reason)

# %%
# Figures
# -------
# The warm-up curve (normal range shaded up to the device's upper limit of normal) and one
# trial with its 90/50/5 % levels and crossings; the EMG below, myotonic discharges in red.
fig = res.plot_warmup()

# %%
fig = res.plot_trial(1)

# %%
# Discharges
# ----------
# One row per discharge train, whatever its kind, with the features behind the call
# (:ref:`ug-discharges`).
columns = ["trial", "channel", "kind", "start_s", "duration_s", "rate_start_hz",
           "rate_end_hz", "rate_modulation", "amplitude_modulation"]
res.discharges[columns].round(2)

# %%
# Report and exports
# ------------------
# :meth:`Analysis.save <myoemg.Analysis.save>` writes the tables, ``summary.json``, a BIDS
# ``*_events.tsv``, Parquet copies (with pyarrow) and ``report.html`` (self-contained,
# de-identified). Open the report in a browser.
out = Path(tempfile.mkdtemp()) / "grip_warmup"
paths = res.save(out)
for name, p in paths.items():
    print(f"{name:20s} {p.name}")

# %%
# Trials and discharges as MNE annotations, so ``raw.plot()`` shows them
# (:ref:`ug-interop`):
raw = rec.to_mne()
raw.set_annotations(res.to_annotations(orig_time=raw.info["meas_date"]))
raw.annotations.to_data_frame().head(8)
