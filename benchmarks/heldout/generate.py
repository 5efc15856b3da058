"""Held-out grip sessions with truth, written independently of ``myoemg.sim`` (issue 11).

``make_session(seed)`` returns ``(recording, truth)``: a :class:`myoemg.Recording` (EMG in V
on 1–4 channels, force in N, built only from the public container) and a :class:`Truth` with
one row per grip (``trials``), per simulated train (``fibres``) and per potential (``spikes``).
``make_family(n_sessions, seed0)`` yields sessions for seeds ``seed0, seed0 + 1, ...``
(default family: seeds 90000+). See ``benchmarks/heldout/README.md`` for the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import signal as sps

import myoemg

from . import force as forcemod
from .plan import draw_session
from .sources import Context, lookalike_trains, myotonic_trains
from .voluntary import voluntary_emg

#: Analysis band per electrode, Hz (SPEC.md §6: surface 20–450 Hz, needle 10 Hz–10 kHz); the
#: upper edge is kept below 0.45·fs. SNRs in the truth are measured in this band.
BAND_HZ = {"surface": (20.0, 450.0), "needle": (10.0, 10_000.0)}
#: In-band background noise SD per electrode, V (ours: surface 2.5–8 µV, needle 12–30 µV).
NOISE_SD_V = {"surface": (2.5e-6, 8e-6), "needle": (12e-6, 30e-6)}
DEVICE = "heldout QMA-type handgrip dynamometer"
TRIAL_COLUMNS = ["trial", "onset_s", "release_s", "rt90_5_s", "myotonic", "n_fibres",
                 "lookalike", "electrode", "fs_emg", "mains_hz", "hum_uv", "snr_min", "snr_max",
                 "rate_max_hz", "start_rel_s", "last_end_s", "rt90_50_s", "rt50_5_s",
                 "peak_force_n", "sagged", "fall_shape", "session_class", "pattern", "seed"]
FIBRE_COLUMNS = ["trial", "channel", "fibre", "kind", "start_s", "end_s", "n_spikes",
                 "peak_snr", "rate_start_hz", "rate_max_hz", "rate_end_hz", "amplitude_max_uv",
                 "polarity", "shape", "duration_ms", "crosstalk_channels"]
SPIKE_COLUMNS = ["trial", "channel", "fibre", "time_s", "amplitude_uv"]


@dataclass
class Truth:
    """Ground truth of one session (times in s from the start of the recording)."""

    trials: pd.DataFrame
    fibres: pd.DataFrame
    spikes: pd.DataFrame
    session: dict = field(default_factory=dict)


def band_sos(electrode, fs):
    """The analysis band-pass (4th-order Butterworth, second-order sections)."""
    lo, hi = BAND_HZ[electrode]
    return sps.butter(4, [lo, min(hi, 0.45 * fs)], btype="bandpass", fs=fs, output="sos")


def background_noise(rng, n_ch, n_times, fs, electrode, sos):
    """White + low-passed amplifier/tissue noise and a slow baseline wander, V.

    Returns the noise (n_ch, n_times) and its measured SD in the analysis band per channel.
    """
    target = rng.uniform(*NOISE_SD_V[electrode], n_ch)
    lp = sps.butter(1, rng.uniform(60, 200), fs=fs, output="sos")
    white = rng.standard_normal((n_ch, n_times))
    colored = sps.sosfilt(lp, rng.standard_normal((n_ch, n_times)), axis=-1)
    colored /= colored[:, : int(10 * fs)].std(axis=1, keepdims=True)
    noise = white + rng.uniform(0.3, 1.0) * colored
    probe = slice(0, min(n_times, int(20 * fs)))
    sd = sps.sosfiltfilt(sos, noise[:, probe], axis=-1).std(axis=1)
    noise *= (target / sd)[:, None]
    t = np.arange(n_times) / fs
    knots = np.arange(0, t[-1] + 2.0, 1.0)
    wander = np.array([np.interp(t, knots, np.cumsum(rng.normal(0, 5e-6, knots.size)))
                       for _ in range(n_ch)])
    return noise + wander, target


def mains_hum(rng, n_ch, n_times, fs, mains_hz, hum_uv, harmonics):
    """Mains hum: fundamental of ``hum_uv`` µV (peak) with harmonics, amplitude and phase drift."""
    out = np.zeros((n_ch, n_times))
    if mains_hz is None or hum_uv <= 0:
        return out
    t = np.arange(n_times) / fs
    knots = np.arange(0, t[-1] + 4.0, 2.0)
    for ch in range(n_ch):
        amp = hum_uv * 1e-6 * rng.uniform(0.6, 1.4) * (
            1 + np.interp(t, knots, 0.08 * np.tanh(np.cumsum(rng.normal(0, 0.3, knots.size)))))
        drift = np.interp(t, knots, np.cumsum(rng.normal(0, 0.05, knots.size)))  # phase, rad
        ph = rng.uniform(0, 2 * np.pi)
        wave = np.sin(2 * np.pi * mains_hz * t + drift + ph)
        for k, a in harmonics.items():
            if k * mains_hz < 0.5 * fs:
                wave += a * np.sin(2 * np.pi * k * mains_hz * t + k * drift + rng.uniform(0, 6.3))
        out[ch] = amp * wave
    return out


def _force_channel(rng, plan, grips, tremor_phase):
    n = int(plan.duration_s * plan.fs_force)
    t = np.arange(n) / plan.fs_force
    clean = forcemod.clean_force(t, grips, tremor_phase)
    peak = max(g.peak_n for g in grips)
    offset = rng.uniform(-3, 25)
    drift = np.linspace(0, rng.uniform(-1, 1), n)
    noise = rng.normal(0, rng.uniform(0.001, 0.005) * peak, n)
    data = offset + clean + drift + noise
    if rng.random() < 0.3:  # a device that reports 0.1-N steps
        data = np.round(data, 1)
    return myoemg.Channel("Grip force", "force", data, plan.fs_force, "N", source_unit="N")


def make_session(seed, *, electrode=None, fs_emg=None, n_channels=None, n_trials=None,
                 session_class=None, mains_hz="draw", hum_uv=None, lookalike=None):
    """One held-out grip session and its truth.

    Parameters
    ----------
    seed : int
        Seed of every draw (default family: 90000+).
    electrode : {'surface', 'needle'} | None
    fs_emg : float | None
        EMG sampling rate, Hz (default: drawn, surface 1–4 kHz, needle 20–48 kHz).
    n_channels, n_trials : int | None
    session_class : {'myotonic', 'control'} | None
    mains_hz : 50.0 | 60.0 | None | 'draw'
    hum_uv : float | None
        Hum fundamental, µV peak.
    lookalike : str | None
        Force one look-alike kind on every trial of a control session.

    Returns
    -------
    recording : myoemg.Recording
    truth : Truth
    """
    plan = draw_session(seed, electrode=electrode, fs_emg=fs_emg, n_channels=n_channels,
                        n_trials=n_trials, session_class=session_class, mains_hz=mains_hz,
                        hum_uv=hum_uv, lookalike=lookalike)
    rng = np.random.default_rng([seed, 1])
    fs = plan.fs_emg
    n_times = int(plan.duration_s * fs)
    sos = band_sos(plan.electrode, fs)
    noise, sd_band = background_noise(rng, plan.n_channels, n_times, fs, plan.electrode, sos)
    ctx = Context(plan.electrode, fs, plan.n_channels, n_times, sd_band, sos, rng)
    grips = [tp.grip for tp in plan.trials]
    tremor_phase = rng.uniform(0, 2 * np.pi, len(grips))
    emg = voluntary_emg(ctx, grips)
    trains = []
    for tp in plan.trials:
        if tp.myotonic:
            trains += myotonic_trains(ctx, tp)
        trains += lookalike_trains(ctx, tp)
    for tr in trains:
        tr.render_into(emg, fs)
    emg += noise + mains_hum(rng, plan.n_channels, n_times, fs, plan.mains_hz, plan.hum_uv,
                             plan.harmonics)
    names = [f"EMG {k + 1}" for k in range(plan.n_channels)]
    channels = [myoemg.Channel(nm, "emg", emg[k], fs, "V", source_unit="V")
                for k, nm in enumerate(names)]
    channels.append(_force_channel(rng, plan, grips, tremor_phase))
    rec = myoemg.Recording(channels, metadata={"electrode": plan.electrode, "device": DEVICE},
                           source=f"heldout-{seed}")
    return rec, _truth(plan, grips, tremor_phase, trains, names, sd_band)


def train_rates(times_s):
    """Start, max and end rate (Hz) of a train, from its own intervals.

    Start and end: 1 / median of the first and last three intervals; max: the largest rate
    over three consecutive intervals (so one short interval of a jittered train does not set
    it). NaN for fewer than two spikes.
    """
    isi = np.diff(np.sort(times_s))
    if isi.size == 0:
        return np.nan, np.nan, np.nan
    k = min(3, isi.size)
    run = np.convolve(isi, np.ones(k) / k, mode="valid")
    return 1 / np.median(isi[:k]), 1 / run.min(), 1 / np.median(isi[-k:])


def _truth(plan, grips, tremor_phase, trains, names, sd_band):
    fib, spk = [], []
    for fid, tr in enumerate(trains):
        tr.rates_hz = train_rates(tr.times_s)
        fib.append({"trial": tr.trial, "channel": names[tr.channel], "fibre": fid,
                    "kind": tr.kind, "start_s": tr.times_s[0], "end_s": tr.times_s[-1],
                    "n_spikes": tr.times_s.size, "peak_snr": tr.peak_snr,
                    "rate_start_hz": tr.rates_hz[0], "rate_max_hz": tr.rates_hz[1],
                    "rate_end_hz": tr.rates_hz[2], "amplitude_max_uv": tr.amps_v.max() * 1e6,
                    "polarity": "positive" if tr.template.polarity > 0 else "negative",
                    "shape": tr.template.shape, "duration_ms": tr.template.duration_ms,
                    "crosstalk_channels": ",".join(names[c] for c, _, _ in tr.crosstalk)})
        spk.append(pd.DataFrame({"trial": tr.trial, "channel": names[tr.channel],
                                 "fibre": fid, "time_s": tr.times_s,
                                 "amplitude_uv": tr.amps_v * 1e6}))
    fibres = pd.DataFrame(fib, columns=FIBRE_COLUMNS)
    spikes = (pd.concat(spk, ignore_index=True) if spk
              else pd.DataFrame(columns=SPIKE_COLUMNS)).sort_values("time_s", kind="stable")
    rows = []
    for tp in plan.trials:
        g = tp.grip
        rt = forcemod.truth_rt(g, grips, tremor_phase, tp.next_onset_s)
        myo = fibres[(fibres["trial"] == tp.trial) & (fibres["kind"] == "myotonic")]
        has = len(myo) > 0
        rows.append({
            "trial": tp.trial, "onset_s": g.onset_s, "release_s": g.release_s,
            "rt90_5_s": rt["rt90_5_s"], "myotonic": has, "n_fibres": len(myo),
            "lookalike": tp.lookalike, "electrode": plan.electrode, "fs_emg": plan.fs_emg,
            "mains_hz": plan.mains_hz, "hum_uv": plan.hum_uv,
            "snr_min": myo["peak_snr"].min() if has else np.nan,
            "snr_max": myo["peak_snr"].max() if has else np.nan,
            "rate_max_hz": myo["rate_max_hz"].max() if has else np.nan,
            "start_rel_s": myo["start_s"].min() - g.release_s if has else np.nan,
            "last_end_s": myo["end_s"].max() if has else np.nan,
            "rt90_50_s": rt["rt90_50_s"], "rt50_5_s": rt["rt50_5_s"],
            "peak_force_n": rt["peak_force_n"], "sagged": rt["sagged"],
            "fall_shape": g.fall, "session_class": plan.session_class,
            "pattern": plan.pattern, "seed": plan.seed})
    trials = pd.DataFrame(rows, columns=TRIAL_COLUMNS)
    session = {"seed": plan.seed, "electrode": plan.electrode, "fs_emg": plan.fs_emg,
               "fs_force": plan.fs_force, "n_channels": plan.n_channels,
               "mains_hz": plan.mains_hz, "hum_uv": plan.hum_uv,
               "harmonics": {int(k): float(v) for k, v in plan.harmonics.items()},
               "session_class": plan.session_class, "pattern": plan.pattern,
               "lookalike_pool": list(plan.lookalike_pool), "duration_s": plan.duration_s,
               "noise_sd_band_uv": [float(s * 1e6) for s in sd_band]}
    return Truth(trials, fibres, spikes.reset_index(drop=True), session)


def make_family(n_sessions=50, seed0=90000, **kwargs):
    """Yield ``(recording, truth)`` for seeds ``seed0 .. seed0 + n_sessions - 1``."""
    for seed in range(seed0, seed0 + n_sessions):
        yield make_session(seed, **kwargs)
