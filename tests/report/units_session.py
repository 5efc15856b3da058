"""A simulated session with concurrent units, and tables in the decomposition's contract shape.

The detector on main reports trains only; the decomposition (issue 11) adds a unit id, rule
and reason per train, ``Analysis.spikes`` (one row per sorted spike) and ``Analysis.templates``
(mean potential ± SD per unit). The report renders them when present. This module builds a
session whose units are known exactly (spike times from a rate function, rendered with the
simulator's potential shapes) and the three tables from that truth, so the report can be
tested on concurrent units before the decomposition lands.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from myoemg.grading import grade_severity
from myoemg.metrics import warmup_summary
from myoemg.pipeline import analyze
from myoemg.results import Analysis
from myoemg.sim import simulate_session
from myoemg.sim.trains import (
    fibre_potential,
    motor_unit_potential,
    render_spikes,
    spike_times_from_rate,
)

FS_EMG = 4000.0


@dataclass(frozen=True)
class UnitsAnalysis(Analysis):
    """An Analysis with the decomposition's tables (the contract of issue 11)."""

    spikes: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    templates: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)


def _dive_bomber(r0, r_peak, r_end, duration):
    """Rate that rises to ``r_peak`` at 20 % of the train, then falls to ``r_end`` (Hz)."""
    def rate(t):
        x = np.clip(t / duration, 0, 1)
        up = r0 + (r_peak - r0) * np.sin(0.5 * np.pi * x / 0.2) ** 2
        down = r_end + (r_peak - r_end) * np.cos(0.5 * np.pi * (x - 0.2) / 0.8) ** 2
        return np.where(x < 0.2, up, down)
    return rate


#: Units after each release: (kind, shape, width s, polarity, rates, amplitude V, delay,
#: duration factor).
UNITS = [("myotonic", fibre_potential, 1.2e-3, 1.0, (60, 95, 28), 140e-6, 0.08, 1.0),
         ("myotonic", fibre_potential, 0.9e-3, -1.0, (45, 70, 22), 90e-6, 0.20, 0.8),
         ("voluntary", motor_unit_potential, 6e-3, 1.0, (9, 9, 8), 60e-6, 0.10, 0.7)]


def _features(times, amps, kind):
    rates = 1 / np.diff(times)
    smooth = pd.Series(rates).rolling(3, center=True, min_periods=1).median().to_numpy()
    return {"start_s": times[0], "end_s": times[-1], "duration_s": times[-1] - times[0],
            "n_spikes": times.size, "rate_start_hz": float(np.median(rates[:3])),
            "rate_end_hz": float(np.median(rates[-3:])), "rate_min_hz": float(smooth.min()),
            "rate_max_hz": float(smooth.max()), "rate_median_hz": float(np.median(rates)),
            "amplitude_min_uv": 1e6 * amps.min(), "amplitude_max_uv": 1e6 * amps.max(),
            "amplitude_median_uv": 1e6 * np.median(amps),
            "rate_modulation": 1 - smooth.min() / smooth.max(),
            "amplitude_modulation": 1 - amps.min() / amps.max(),
            "isi_cv": float(np.std(np.diff(times)) / np.mean(np.diff(times))),
            "kind": kind, "score": 0.9 if kind == "myotonic" else 0.2,
            "rule": "myotonic" if kind == "myotonic" else "voluntary",
            "reason": ("rate 20-150 Hz and both rate and amplitude wax and wane"
                       if kind == "myotonic" else "regular firing at 5-20 Hz of a long "
                       "motor-unit potential")}


def units_session(n_trials=3, seed=5, **kwargs):
    """(UnitsAnalysis, truth) of a warm-up session with three units after each release.

    Two myotonic units with their own shape, polarity and rate course fire together after
    each release, with a voluntary motor unit (a look-alike); RT90-5 follows the warm-up.
    """
    rec, truth = simulate_session(fs_emg=FS_EMG, fs_force=200.0, n_trials=n_trials,
                                  pattern="warm-up", discharges="none", seed=seed, **kwargs)
    rng = np.random.default_rng(seed)
    ch = rec.emg[0]
    rows, spikes, templates, uid = [], [], [], 0
    for tr in truth.trials.itertuples(index=False):
        for kind, shape, width, pol, (r0, rp, r1), amp, delay, dur_f in UNITS:
            duration = max(0.8, tr.rt90_5_s) * dur_f
            start = tr.release_s + delay
            times = spike_times_from_rate(_dive_bomber(r0, rp, r1, duration), start, duration,
                                          jitter=0.02, rng=rng)
            env = np.sin(np.pi * np.clip((times - start) / duration, 0, 1)) ** 0.7
            amps = amp * ((0.35 + 0.65 * env) if kind == "myotonic" else np.ones(times.size))
            ch.data += render_spikes(times, amps, fs=ch.fs, n_times=ch.n_times, width_s=width,
                                     polarity=pol, t0=ch.start_s, shape=shape)
            rows.append({"channel": ch.name, **_features(times, amps, kind), "unit": uid,
                         "trial": int(tr.trial)})
            spikes.append(pd.DataFrame({
                "channel": ch.name, "unit": uid, "time_s": times,
                "sample": np.round((times - ch.start_s) * ch.fs).astype(int),
                "amplitude_uv": 1e6 * amps, "snr": amps / 4e-6, "window": int(tr.trial) - 1,
                "trial": int(tr.trial)}))
            t_ms = np.arange(-8.0, 8.0 + 1e-9, 1e3 / ch.fs)
            mean = 1e6 * np.median(amps) * shape(t_ms / 1e3, width_s=width, polarity=pol)
            templates.append(pd.DataFrame({"channel": ch.name, "unit": uid, "time_ms": t_ms,
                                           "mean_uv": mean, "sd_uv": np.full(t_ms.size, 4.0)}))
            uid += 1
    base = analyze(rec)
    dis = pd.DataFrame(rows)
    trials = base.trials.copy()
    myo = dis[dis["kind"] == "myotonic"].groupby("trial")
    trials["n_myotonic_units"] = trials["trial"].map(myo["unit"].nunique()).fillna(0)
    trials["myotonic_start_s"] = trials["trial"].map(myo["start_s"].min())
    trials["myotonic_end_s"] = trials["trial"].map(myo["end_s"].max())
    trials["discharge_count"] = trials["trial"].map(myo.size()).fillna(0).astype(int)
    trials["myotonic"] = trials["discharge_count"] > 0
    summary = replace(base.summary, grade=_grade(trials, rec), warmup=_warmup(trials),
                      myotonic_evidence=True,
                      n_discharges=len(dis), n_myotonic_discharges=int(myo.size().sum()),
                      n_myotonic_trials=int(trials["myotonic"].sum()))
    out = UnitsAnalysis(trials, dis, summary, rec, pd.concat(spikes, ignore_index=True),
                        pd.concat(templates, ignore_index=True))
    return out, truth


def _warmup(trials):
    """The warm-up numbers with the simulated units as the EMG evidence."""
    return warmup_summary(trials["rt90_5_s"].to_numpy(float),
                          rt90_50_s=trials["rt90_50_s"].to_numpy(float),
                          rt50_5_s=trials["rt50_5_s"].to_numpy(float),
                          peak_force=trials["peak_force_n"].to_numpy(float),
                          censored=~trials["relaxed"].to_numpy(bool),
                          lower_bound_s=(trials["window_end_s"] - trials["t90_s"]).to_numpy(),
                          myotonic_evidence=True)


def _grade(trials, rec):
    """The grade of the session with the simulated units as its EMG evidence."""
    relaxed = trials["relaxed"].to_numpy(bool)
    return grade_severity(trials["rt90_5_s"].to_numpy(float), censored=~relaxed,
                          lower_bound_s=(trials["window_end_s"] - trials["t90_s"]).to_numpy(),
                          myotonic_trials=trials["myotonic"].to_numpy(bool),
                          after_activity_s=trials["after_activity_s"].to_numpy(float),
                          peak_force=trials["peak_force_n"].to_numpy(float),
                          device=rec.metadata.get("device"))
