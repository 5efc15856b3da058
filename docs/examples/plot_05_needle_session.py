"""
.. _ex-needle:

A needle-EMG session: discharges, their features, and how to check them
=======================================================================

With a concentric needle in the forearm flexors the potentials of single muscle fibres are
large and brief, and the myotonic discharges after each release are the classic "dive-bomber"
trains: rate **and** amplitude wax and wane (:ref:`domain-discharges`). Needle EMG needs a
much faster sampling rate than surface EMG (here 20 kHz) and a wider band (10 Hz–10 kHz,
:ref:`domain-signal`); ``electrode="needle"`` selects it.
"""

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

import myoemg
from myoemg.sim import simulate_session

rec, truth = simulate_session(fs_emg=20000.0, fs_force=100.0, n_trials=3, pattern="warm-up",
                              electrode="needle", rest_s=4.0, seed=5)
rec

# %%
# Analyse with the needle band
# ----------------------------
# The electrode is taken from the recording's metadata when it says so, or given here.
res = myoemg.analyze(rec, electrode="needle")
print("EMG band:", res.summary.parameters["emg_band_hz"], "Hz")
res.trials[["trial", "rt90_5_s", "after_activity_s", "myotonic", "discharge_count"]].round(3)

# %%
# What the detector measured on each train
# ----------------------------------------
# Every train is reported with the features behind its call: firing rate at start and end and
# its range, the waxing-waning of rate and amplitude (``1 - min/max`` of a smooth trend), the
# regularity of successive intervals (``isi_cv2``), how alike the potentials are
# (``waveform_similarity``) and how long they last. :ref:`ug-discharges` explains each.
cols = ["trial", "kind", "score", "duration_s", "n_spikes", "rate_start_hz", "rate_end_hz",
        "rate_modulation", "amplitude_modulation", "isi_cv2", "waveform_similarity",
        "spike_duration_ms"]
res.discharges[cols].round(2)

# %%
# Compared with the simulation's truth (start, end and rates of each train):
truth.discharges.round(2)

# %%
# Check a call by eye
# -------------------
# The force of trial 1 with its levels and crossings, and the needle EMG below it; the
# myotonic train after the release is shaded. The report draws the same trial and, for each
# train, its potentials, rate and amplitude against time.
fig = res.plot_trial(1)

# %%
# ... and by ear
# --------------
# :meth:`Analysis.to_audio <myoemg.Analysis.to_audio>` writes the EMG after each release and
# each train as a WAV file (band-passed as the report shows it, resampled to an audio rate);
# the HTML report embeds the same clips beside each discharge view. A myotonic discharge
# sounds like a dive-bomber; a CRD like a steady engine; fibrillations like rain on a roof.
clips = res.to_audio(Path(tempfile.mkdtemp()) / "audio")
for stem, path in list(clips.items())[:4]:
    print(f"{stem:40s} {path.stat().st_size / 1024:.0f} KiB")

# %%
# The firing-rate course of each train: start and end rate against its time after the release.
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
release = res.trials.set_index("trial")["release_s"]
for d in res.discharges.itertuples():
    t0 = d.start_s - release[d.trial]
    ax.plot([t0, t0 + d.duration_s], [d.rate_start_hz, d.rate_end_hz], "o-",
            label=f"trial {d.trial} ({d.kind})")
ax.set(xlabel="time after release (s)", ylabel="firing rate (Hz)",
       title="Myotonic trains slow down as they fade")
ax.legend(fontsize=8)
