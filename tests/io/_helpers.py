"""Small recordings built in the tests, and the location of the shared real files."""

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from myoemg.recording import Channel, Recording
from tests.settings import FS_EMG, FS_FORCE

# <repo>/../shared/data
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def grip_force(fs, duration_s, onsets=(1.0, 4.0), hold_s=1.5, peak_n=250.0, tau_s=0.15):
    """Force in N: ramps up at each onset, holds, relaxes exponentially."""
    t = np.arange(round(duration_s * fs)) / fs
    f = np.full(t.size, 5.0)
    for on in onsets:
        rise = np.clip((t - on) / 0.2, 0, 1)
        release = on + 0.2 + hold_s
        decay = np.where(t > release, np.exp(-(t - release) / tau_s), 1.0)
        f += peak_n * rise * decay
    return f


def grip_emg(fs, duration_s, onsets=(1.0, 4.0), hold_s=1.5, seed=0):
    """EMG in V whose amplitude follows the force shape (no electromechanical delay)."""
    rng = np.random.default_rng(seed)
    env = grip_force(fs, duration_s, onsets, hold_s, peak_n=1.0, tau_s=0.05) - 5.0
    return rng.normal(0, 1, env.size) * (2e-6 + 3e-4 * env)


def simple_recording(duration_s=6 + 1 / 7, fs_emg=FS_EMG, fs_force=FS_FORCE, events=True):
    emg = Channel("EMG FDS", "emg", grip_emg(fs_emg, duration_s), fs_emg, "V")
    force = Channel("Grip", "force", grip_force(fs_force, duration_s), fs_force, "N")
    ev = None
    if events:
        ev = pd.DataFrame({"onset_s": [1.0, 4.0], "duration_s": [1.7, 0.0],
                           "description": ["grip 1", "grip 2"]})
    return Recording([emg, force], events=ev,
                     start_time=dt.datetime(2024, 3, 5, 9, 30, 0, tzinfo=dt.timezone.utc),
                     metadata={"subject": "S03", "muscle": "FDS", "side": "right",
                               "electrode": "surface", "device": "sim", "temperature_c": 31.5})
