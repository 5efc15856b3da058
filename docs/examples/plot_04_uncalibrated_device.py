"""
.. _ex-uncalibrated:

An uncalibrated dynamometer and an unknown device
=================================================

Two things a lab's own set-up often lacks:

1. **A force in newtons.** Many dynamometers give a voltage (or ADC counts) proportional to
   force. myoemg never labels such a value "N": it keeps it in arbitrary units (``a.u.``), the
   force columns end in ``_au`` and the peak force is not compared with newtons. Pass the
   calibration (newtons per volt, from loading the sensor with known weights) with
   ``force_calibration=`` to get newtons.
2. **A normal range for the device.** Relaxation times depend on the device, so the grade
   compares RT90-5 with an upper limit of normal (ULN) *of the device* (:ref:`domain-grading`).
   For a device myoemg does not recognise, the grade is **provisional** until you pass a ULN
   derived from your own control recordings.
"""

# %%
# A session recorded in volts
# ---------------------------
# EMG in an EDF file; force in a CSV export from a strain-gauge amplifier, in volts, with an
# offset of 0.12 V; the sensor's calibration is 250 N/V (truth, known to the lab).
import tempfile
from pathlib import Path

import pandas as pd

import myoemg
from myoemg.io import write_edf
from myoemg.sim import simulate_session

rec, truth = simulate_session(fs_emg=2000.0, fs_force=200.0, n_trials=4, pattern="warm-up",
                              rest_s=5.0, seed=8)
rec.metadata["device"] = "GripLab-G3"  # a device myoemg has no ULN for
N_PER_V = 250.0
folder = Path(tempfile.mkdtemp())
write_edf(rec.select([c.name for c in rec.emg]), folder / "S11.edf")
force = rec.force
pd.DataFrame({"time_s": force.times, "grip_V": force.data / N_PER_V + 0.12}).to_csv(
    folder / "S11_force.csv", index=False, float_format="%.6f")

# %%
# Read it as it is
# ----------------
# The force file is found by the naming rule ``<stem>_force.csv``; its unit, V, is not a
# force unit, so the channel stays in arbitrary units and says so.
raw_rec = myoemg.read(folder / "S11.edf")
print(raw_rec.force.name, raw_rec.force.unit)
for line in raw_rec.conversions:
    print("  ", line)

# %%
# The analysis keeps the unit in every name: ``peak_force_au``, ``baseline_au``,
# ``ref_force_au``; relaxation times are in seconds either way (they are ratios of levels of
# the same trace, so a calibration does not change them).
res_au = myoemg.analyze(raw_rec)
res_au.trials[["trial", "peak_force_au", "baseline_au", "rt90_5_s", "rt50_5_s"]].round(3)

# %%
# The grade says what it could not do: peak forces in a.u. cannot be compared with newtons,
# and the device's ULN is unknown, so the grade is provisional and names what to pass.
g = res_au.summary.grade
print(g.text)
for caveat in g.caveats:
    print("  caveat:", caveat)
print("quality flags:", [f["code"] for flags in res_au.summary.quality.to_dict()["channels"]
                         .values() for f in flags])

# %%
# With the calibration and a ULN for the device
# ---------------------------------------------
# ``force_calibration`` is newtons per unit of the file (a negative value also flips a
# negative-going trace); the conversion is listed in ``conversions``. The ULN below stands for
# one derived from the lab's own controls on this device (mean + 2 SD, or the 97.5th
# centile); the value is only for the example.
cal_rec = myoemg.read(folder / "S11.edf", force_calibration=N_PER_V)
print([c for c in cal_rec.conversions if "N/V" in c])
res_n = myoemg.analyze(cal_rec, grading={"uln_rt90_5_s": 0.45})
table = res_n.trials[["trial", "peak_force_n", "baseline_n", "rt90_5_s"]].copy()
table["truth_peak_force_n"] = truth.trials["peak_force_n"].to_numpy()
table.round(2)

# %%
print(res_n.summary.grade.text)
print("ULN:", res_n.summary.grade.uln)
for reason in res_n.summary.grade.reasons:
    print("  -", reason)
