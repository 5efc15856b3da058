"""Simulated grip sessions with ground truth (force + EMG), at any sampling rates.

Model, per trial: rest → ramp (raised cosine) → hold (with fatigue and tremor) → release →
relaxation. The relaxation after the release instant ``r`` is ``peak · g(t − r)`` with

- fast (healthy) relaxation: ``g(t) = exp(−(t/τ_f)²)``, for which RT90-5 = 1.406·τ_f;
- myotonic relaxation: ``g(t) = ½·exp(−(t/τ_f)²) + ½·exp(−t/τ_s)`` — a normal fast fall of half
  the force, then a slow tail (in DM1 the warm-up lies in the terminal 50→5 % phase, Logigian
  2005); τ_s is solved so that RT90-5 equals the requested value.

The truth (onset, release, peak, RT90-5 / RT90-50 / RT50-5) is computed on the clean curve at
20 kHz with levels above the baseline, exactly as docs: domain reference, relaxation defines them.
EMG: a band-limited interference pattern whose amplitude follows the voluntary drive (it stops ~50
ms after the release, or fades with the force for a slow voluntary let-go), discharge trains after
release (myotonic by default, any kind of :data:`~myoemg.sim.trains.TRAIN_KINDS` on request), white
noise and mains hum at 50 or 60 Hz with harmonics. Force: offset, linear drift, physiological tremor
(8–12 Hz) during the hold, fatigue and sensor noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import signal as sps
from scipy.optimize import brentq

from ..recording import Channel, Recording
from ..signal import level_crossings
from ..utils import check_option, validate_fs
from . import trains as _trains

PATTERN_NAMES = ("healthy", "warm-up", "paradoxical", "steady")
_FINE_FS = 20_000.0
_GAUSS_RT = np.sqrt(np.log(20)) - np.sqrt(np.log(1 / 0.9))  # RT90-5 / τ_f for a Gaussian fall
_FAST_RT_S = 0.3  # RT90-5 of the fast phase of a myotonic relaxation (ours)


@dataclass
class Truth:
    """What a simulated session contains.

    Attributes
    ----------
    trials : DataFrame
        One row per trial: ``trial``, ``onset_s``, ``release_s``, ``peak_s``, ``baseline_n``,
        ``peak_force_n`` (above baseline), ``rt90_5_s``, ``rt90_50_s``, ``rt50_5_s``,
        ``relaxed``, ``myotonic``, ``discharge_count``, ``slow_release``.
    discharges : DataFrame
        One row per simulated discharge train and channel
        (:data:`myoemg.sim.trains.TRUTH_COLUMNS`).
    params : dict
        The simulation parameters.
    """

    trials: pd.DataFrame
    discharges: pd.DataFrame
    params: dict = field(default_factory=dict)

    def save(self, directory, stem="truth") -> None:
        """Write ``<stem>_trials.csv`` and ``<stem>_discharges.csv`` into ``directory``."""
        from pathlib import Path

        from ..utils import atomic_path

        directory = Path(directory)
        for name, table in (("trials", self.trials), ("discharges", self.discharges)):
            with atomic_path(directory / f"{stem}_{name}.csv") as tmp:
                table.to_csv(tmp, index=False, float_format="%.6g")


def pattern_rts(pattern, n_trials, *, rng=None) -> np.ndarray:
    """RT90-5 per trial (s) for a named pattern.

    healthy: 0.25 s ± 15 % (controls ~0.2–0.4 s, docs: domain reference, relaxation); warm-up: 2.5 s
    → 0.8 s with 70 % of the change between grips 1 and 2 (DM1, Logigian 2005); paradoxical: 0.6 s
    rising by 0.3 s per grip; steady: 1.5 s ± 5 %.
    """
    check_option("pattern", pattern, PATTERN_NAMES)
    rng = np.random.default_rng(rng)
    k = np.arange(n_trials)
    if pattern == "healthy":
        return 0.25 * (1 + 0.15 * rng.uniform(-1, 1, n_trials))
    if pattern == "warm-up":
        n = 1 / np.log(1 / 0.3)  # 70 % of the fall between trials 1 and 2
        return (0.8 + 1.7 * np.exp(-k / n)) * (1 + 0.05 * rng.uniform(-1, 1, n_trials))
    if pattern == "paradoxical":
        return (0.6 + 0.3 * k) * (1 + 0.05 * rng.uniform(-1, 1, n_trials))
    return 1.5 * (1 + 0.05 * rng.uniform(-1, 1, n_trials))


def _relaxation(t, tau_fast, tau_slow):
    """g(t) for t ≥ 0 (see the module docstring); tau_slow None gives the fast form."""
    t = np.maximum(t, 0.0)
    fast = np.exp(-((t / tau_fast) ** 2))
    if tau_slow is None:
        return fast
    return 0.5 * fast + 0.5 * np.exp(-t / tau_slow)


def _relaxation_params(rt90_5_s, release_frac=1.0):
    """(τ_f, τ_s) giving the requested RT90-5.

    The fall starts from ``release_frac`` of the peak (fatigue during the hold), so the 90 % and
    5 % levels of the peak are reached where g = 0.9 / release_frac and 0.05 / release_frac.
    """
    hi, lo = 0.9 / release_frac, 0.05 / release_frac
    if rt90_5_s <= _FAST_RT_S * 1.2:
        return rt90_5_s / (np.sqrt(-np.log(lo)) - np.sqrt(-np.log(hi))), None
    tau_fast = _FAST_RT_S / _GAUSS_RT
    t = np.linspace(0, 40 * rt90_5_s, 100_000)

    def err(tau_slow):
        g = _relaxation(t, tau_fast, tau_slow)
        return np.interp(lo, g[::-1], t[::-1]) - np.interp(hi, g[::-1], t[::-1]) - rt90_5_s

    return tau_fast, brentq(err, 1e-3, 10 * rt90_5_s, xtol=1e-7)


def _drive(t, onset, ramp_s, release):
    """Voluntary drive 0..1: raised-cosine ramp from ``onset``, held until ``release``."""
    rise = np.clip((t - onset) / ramp_s, 0, 1)
    return np.where(t < release, 0.5 - 0.5 * np.cos(np.pi * rise), 0.0)


def simulate_session(*, fs_emg, fs_force, n_trials=6, pattern="warm-up", rt90_5_s=None,
                     peak_force_n=300.0, hold_s=3.0, ramp_s=0.3, rest_s=8.0, lead_in_s=3.0,
                     n_emg=1, electrode="surface", discharges=None, discharge_amplitude_v=None,
                     discharges_per_trial=1, slow_release=False, emg_rms_v=None,
                     noise_v=None, mains_hz=50.0, hum_v=20e-6, force_offset_n=5.0,
                     drift_n=2.0, tremor_n=1.0, force_noise_n=0.3, fatigue=0.05,
                     seed=None) -> tuple[Recording, Truth]:
    """Simulate a grip session.

    Parameters
    ----------
    fs_emg, fs_force : float
        EMG and force sampling rates in Hz (required; any values, e.g. 1234 and 123).
    n_trials : int
        Number of grips (QMA uses six, docs: domain reference, recording).
    pattern : {'healthy', 'warm-up', 'paradoxical', 'steady'}
        RT90-5 course over trials (:func:`pattern_rts`), unless ``rt90_5_s`` is given.
    rt90_5_s : array-like, shape (n_trials,) | None
        Explicit RT90-5 per trial in seconds.
    peak_force_n : float
        Peak grip force of trial 1 above baseline, in N; later grips lose 2 % each (fatigue).
    hold_s, ramp_s, rest_s, lead_in_s : float
        Grip hold (3 s, Logigian 2010), ramp, rest after the relaxation ends and initial rest,
        in seconds.
    n_emg : int
        Number of EMG channels ('EMG FDS', 'EMG FDP', ...).
    electrode : {'surface', 'needle'}
        Sets default amplitudes and the interference band.
    discharges : str | None
        Kind of train after each release (a key of :data:`myoemg.sim.trains.TRAIN_KINDS`, e.g.
        'myotonic'); None gives myotonic trains for myotonic patterns and none for 'healthy'
        or a slow release; 'none' gives none.
    discharge_amplitude_v : float | None
        Peak-to-peak amplitude of discharge spikes in volts (default 100 µV surface, 400 µV
        needle; surface fibre potentials are broadened to ~7 ms by the tissue, ours).
    discharges_per_trial : int
        Trains per trial and channel, placed one after the other.
    slow_release : bool
        A slow voluntary let-go: the force falls with the requested RT and the interference
        pattern fades with it, without discharges.
    emg_rms_v, noise_v : float | None
        Interference RMS at full drive and background noise RMS, volts.
    mains_hz : float | None
        Mains frequency (50 or 60 Hz) with 2nd and 3rd harmonics; None: no hum.
    hum_v : float
        Amplitude of the mains fundamental in volts.
    force_offset_n, drift_n, tremor_n, force_noise_n : float
        Force offset, linear drift over the session, tremor amplitude at full force and white
        noise RMS, in newtons.
    fatigue : float
        Fractional loss of force over each hold.
    seed : int | None
        Random seed; the same seed gives the same session.

    Returns
    -------
    recording : Recording
    truth : Truth
    """
    fs_emg, fs_force = validate_fs(fs_emg, "fs_emg"), validate_fs(fs_force, "fs_force")
    check_option("electrode", electrode, ("surface", "needle"))
    rng = np.random.default_rng(seed)
    rts = np.asarray(pattern_rts(pattern, n_trials, rng=rng) if rt90_5_s is None
                     else rt90_5_s, dtype=float)
    if rts.shape != (n_trials,):
        raise ValueError(f"rt90_5_s must have {n_trials} values, got {rts.size}.")
    if discharges is None:
        discharges = "none" if (pattern == "healthy" and rt90_5_s is None) or slow_release \
            else "myotonic"
    if discharges != "none":
        check_option("discharges", discharges, tuple(_trains.TRAIN_KINDS))
    needle = electrode == "needle"
    amp_d = discharge_amplitude_v or (400e-6 if needle else 100e-6)
    emg_rms_v = emg_rms_v or (300e-6 if needle else 200e-6)
    noise_v = noise_v or (10e-6 if needle else 4e-6)

    # Timeline: onset, release and relaxation parameters of every trial.
    if not 0 <= fatigue < 0.1:
        raise ValueError(f"fatigue must be in [0, 0.1) so the fall starts above 90 %, got "
                         f"{fatigue}.")
    params = [_relaxation_params(rt, 1 - fatigue) for rt in rts]
    onsets, releases, t = [], [], lead_in_s
    for rt in rts:
        onsets.append(t)
        releases.append(t + ramp_s + hold_s)
        t = releases[-1] + max(rest_s, 4 * rt + 2.0)
    duration = float(np.ceil(t))  # whole seconds: EDF data records hold whole seconds
    peaks = peak_force_n * (1 - 0.02 * np.arange(n_trials))

    def clean_force(tt):
        f = np.zeros_like(tt)
        for on, rel, pk, (tf, ts) in zip(onsets, releases, peaks, params, strict=True):
            hold = pk * (1 - fatigue * np.clip((tt - on - ramp_s) / hold_s, 0, 1))
            f += np.where(tt < rel, _drive(tt, on, ramp_s, rel) * hold, 0.0)
            f += np.where(tt >= rel, pk * (1 - fatigue) * _relaxation(tt - rel, tf, ts), 0.0)
        return f

    def baseline(tt):
        return force_offset_n + drift_n * tt / duration

    truth_trials = _truth_trials(clean_force, baseline, onsets, releases, rts, ramp_s)
    # Force channel.
    tf_ = np.arange(int(duration * fs_force)) / fs_force
    drive_f = sum(_drive(tf_, on, ramp_s, rel) for on, rel in zip(onsets, releases, strict=True))
    tremor_hz = 8 + 4 * rng.random()
    force = (clean_force(tf_) + baseline(tf_)
             + tremor_n * drive_f * np.sin(2 * np.pi * tremor_hz * tf_ + rng.uniform(0, 6.3))
             + force_noise_n * rng.standard_normal(tf_.size))

    # EMG channels.
    n_times = int(duration * fs_emg)
    te = np.arange(n_times) / fs_emg
    drive_e = np.zeros(n_times)
    for on, rel, (tf, ts) in zip(onsets, releases, params, strict=True):
        drive_e += _drive(te, on, ramp_s, rel)
        # Voluntary activity ends ~50 ms after release, or fades with a slow let-go.
        tail = _relaxation(te - rel, tf, ts) if slow_release else np.exp(-(((te - rel) / 0.05)
                                                                             ** 2))
        drive_e += np.where(te >= rel, tail, 0.0)
    band = (20.0, min(450.0, 0.45 * fs_emg)) if not needle else (10.0, min(5000.0, 0.45 * fs_emg))
    sos = sps.butter(4, band, btype="bandpass", fs=fs_emg, output="sos")
    names = [f"EMG {m}" for m in ("FDS", "FDP", "FCR", "FCU", "ECR", "EDC")][:n_emg]
    names += [f"EMG {i + 1}" for i in range(len(names), n_emg)]
    channels, truth_rows = [], []
    for name in names:
        white = rng.standard_normal(n_times)
        interference = sps.sosfilt(sos, white)
        interference *= emg_rms_v / max(interference.std(), 1e-30)
        x = interference * drive_e + noise_v * rng.standard_normal(n_times)
        if mains_hz:
            phase = rng.uniform(0, 2 * np.pi)
            for h, rel_amp in ((1, 1.0), (2, 0.1), (3, 0.3)):
                if h * mains_hz < 0.45 * fs_emg:
                    x += hum_v * rel_amp * np.sin(2 * np.pi * h * mains_hz * te + h * phase)
        if discharges != "none":
            for k, (rel, rt) in enumerate(zip(releases, rts, strict=True)):
                start = rel + 0.05 + 0.05 * rng.random()
                total = max(0.6, float(rt)) * (0.8 + 0.3 * rng.random())
                for j in range(discharges_per_trial):
                    seg = total / discharges_per_trial
                    y, row = _trains.TRAIN_KINDS[discharges](
                        fs=fs_emg, n_times=n_times, start_s=start + j * seg,
                        duration_s=0.85 * seg, channel=name, trial=k + 1,
                        **_train_params(discharges, amp_d, needle, rng))
                    x += y
                    truth_rows.append(row)
        channels.append(Channel(name, "emg", x, fs_emg, "V", source_unit="V"))
    channels.append(Channel("Grip", "force", force, fs_force, "N", source_unit="N"))

    truth_d = pd.DataFrame(truth_rows, columns=_trains.TRUTH_COLUMNS)
    counts = truth_d[truth_d["kind"] == "myotonic"].groupby("trial").size() \
        if len(truth_d) else pd.Series(dtype=int)
    truth_trials["myotonic"] = truth_trials["trial"].map(counts).fillna(0).gt(0)
    truth_trials["discharge_count"] = truth_trials["trial"].map(
        truth_d.groupby("trial").size() if len(truth_d) else {}).fillna(0).astype(int)
    truth_trials["slow_release"] = bool(slow_release)
    meta = {"subject": "SIM", "muscle": "forearm flexors", "electrode": electrode,
            "device": "myoemg.sim", "side": "right"}
    settings = dict(fs_emg=fs_emg, fs_force=fs_force, n_trials=n_trials, pattern=pattern,
                    rt90_5_s=[float(r) for r in rts], electrode=electrode, discharges=discharges,
                    slow_release=slow_release, mains_hz=mains_hz, seed=seed)
    rec = Recording(channels, metadata=meta, source="simulated")
    return rec, Truth(truth_trials, truth_d, settings)


def _train_params(kind, amplitude_v, needle, rng):
    """Random but physiological parameters for one simulated train."""
    rng_seed = int(rng.integers(2**31))
    if kind != "myotonic":
        return {"rng": rng_seed}
    return {"rng": rng_seed, "amplitude_v": amplitude_v * (0.8 + 0.4 * rng.random()),
            "rate_start_hz": 40 + 30 * rng.random(), "rate_peak_hz": 80 + 40 * rng.random(),
            "rate_end_hz": 22 + 13 * rng.random(), "polarity": rng.choice([-1.0, 1.0]),
            "width_s": (0.6e-3 if needle else 2.5e-3) * (0.8 + 0.4 * rng.random())}


def _truth_trials(clean_force, baseline, onsets, releases, rts, ramp_s):
    """Truth per trial, measured on the clean curve at 20 kHz.

    Levels as in the docs, domain reference, relaxation.
    """
    rows = []
    for k, (on, rel) in enumerate(zip(onsets, releases, strict=True)):
        end = rel + 12 * rts[k] + 1.0
        tt = np.arange(on - 0.5, end, 1 / _FINE_FS)
        f = clean_force(tt)
        base = float(baseline(on))
        peak_i = int(np.argmax(f))
        peak = float(f[peak_i])

        def cross(level, direction, after=0, f=f, peak=peak, t_first=tt[0]):
            idx = level_crossings(f[after:], level * peak, direction=direction)
            return t_first + (after + idx) / _FINE_FS

        t5 = cross(0.05, "down", peak_i)[0]
        t90 = cross(0.9, "down", peak_i)
        t50 = cross(0.5, "down", peak_i)
        t90, t50 = t90[t90 <= t5][-1], t50[t50 <= t5][-1]
        onset = cross(0.05, "up")[0]
        rows.append({"trial": k + 1, "onset_s": onset, "release_s": rel,
                     "peak_s": tt[peak_i], "baseline_n": base, "peak_force_n": peak,
                     "rt90_5_s": t5 - t90, "rt90_50_s": t50 - t90, "rt50_5_s": t5 - t50,
                     "relaxed": True})
    return pd.DataFrame(rows)
