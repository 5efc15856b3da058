"""
.. _ex-separate-force:

A separate force file, aligned by cross-correlation
===================================================

Many labs record the EMG on an EMG system (EDF) and the grip force on the dynamometer's own
computer, exported as CSV. The two files then start at different moments and nothing in them
says by how much. Here a simulated session is split that way: the force logger starts 2.70 s
after the EMG, and its CSV time column starts at 0.

:func:`myoemg.read` pairs the files (``force=``, or the naming rule ``<stem>_force.csv``) and
puts both on the EMG clock (:ref:`ug-formats`). With ``align="start_time"`` (the default) it
uses the files' start times when both have one; this CSV has none, so the force would be taken
to start with the EMG. ``align="xcorr"`` finds the lag that lines up the rises of the EMG power
with the rises of the force, and reports its confidence.
"""

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

import myoemg
from myoemg.io import write_edf, write_force_csv
from myoemg.sim import simulate_session

rec, truth = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=4, pattern="warm-up",
                              rest_s=5.0, seed=3)
folder = Path(tempfile.mkdtemp())
emg_file, force_file = folder / "S07_grip.edf", folder / "S07_grip_dyn.csv"
write_edf(rec.select([c.name for c in rec.emg]), emg_file)

LATE_S = 2.70  # the force logger started this much after the EMG (truth)
force = rec.force
skip = round(LATE_S * force.fs)
write_force_csv(force.data[skip:] / 9.80665, force_file, fs=force.fs, unit="kgf", name="grip")
print(force_file.read_text().splitlines()[:3])

# %%
# Read the pair, aligned by cross-correlation
# -------------------------------------------
# The alignment is logged and kept in ``conversions`` with its confidence (the correlation of
# the two rise traces at the chosen lag, and how much the chosen peak stands above the next).
paired = myoemg.read(emg_file, force=force_file, align="xcorr")
print(f"force starts at {paired.force.start_s:.3f} s on the EMG clock (truth {LATE_S:.3f} s)")
print(paired.conversions[-1])

# %%
# The same estimate as an array function, on the two traces
# (:func:`myoemg.io.estimate_offset`):
emg = paired.emg[0]
unaligned = myoemg.read(force_file, force_unit="kgf").force
alignment = myoemg.io.estimate_offset(emg.data, emg.fs, unaligned.data, unaligned.fs)
alignment

# %%
# What the alignment does to the numbers
# --------------------------------------
# Relaxation times are measured on the force alone, so a wrong offset does not change them;
# it changes which EMG belongs to which release: after-activity and discharges are looked for
# after the release *on the EMG clock*.
aligned = myoemg.analyze(paired)
naive = myoemg.analyze(myoemg.read(emg_file, force=force_file, align="none"))
table = aligned.trials[["trial", "release_s", "rt90_5_s", "after_activity_s",
                        "discharge_count"]].copy()
table["truth_rt90_5_s"] = truth.trials["rt90_5_s"].to_numpy()
table["unaligned_after_activity_s"] = naive.trials["after_activity_s"].to_numpy()
table["unaligned_discharge_count"] = naive.trials["discharge_count"].to_numpy()
table.round(3)

# %%
# By eye
# ------
# The EMG envelope (50 ms RMS) and the force around the first grip, with the force placed as
# the files say (starting with the EMG) and as the cross-correlation placed it.
band = myoemg.signal.bandpass(emg.data, fs=emg.fs, l_freq=20.0, h_freq=450.0)
env = myoemg.signal.moving_rms(band, fs=emg.fs, window_s=0.05)
fig, ax = plt.subplots(figsize=(9, 3.5), layout="constrained")
ax.plot(emg.times, 1e6 * env, color="0.4", lw=0.8, label="EMG envelope (µV)")
ax2 = ax.twinx()
ax2.plot(unaligned.times, unaligned.data, color="tab:red", lw=1, ls="--",
         label="force, as the CSV says")
ax2.plot(paired.force.times, paired.force.data, color="tab:blue", lw=1.2,
         label="force, aligned (xcorr)")
ax.set(xlim=(0, 12), xlabel="time on the EMG clock (s)", ylabel="EMG envelope (µV)")
ax2.set_ylabel("force (N)")
fig.legend(loc="upper right", fontsize=8)
print(f"error of the estimate: {1e3 * (paired.force.start_s - LATE_S):+.1f} ms "
      f"({(paired.force.start_s - LATE_S) * force.fs:+.2f} force samples)")

