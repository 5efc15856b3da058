"""Labelled families of grip sessions with concurrent myotonic fibres, for validation.

:func:`make_session` builds one session: grips from :func:`myoemg.sim.simulate_session`
(force, interference, noise, hum), then after each release either several myotonic fibres
(:func:`myoemg.sim.trains.myotonic_fibres`), a look-alike
(:data:`myoemg.sim.trains.LOOKALIKE_KINDS`) or nothing. Two families draw their parameters
differently, from separate seed ranges:

- ``'tuning'`` (seeds 1000+): the family the detector was tuned on.
- ``'heldback'`` (seeds 50000+): other sampling rates, noise levels, hum draws, cross-talk and
  more look-alikes; not looked at while tuning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..recording import Channel, Recording
from .session import simulate_session
from .trains import FIBRE_COLUMNS, LOOKALIKE_KINDS, myotonic_fibres

#: First seed of each family (families never share seeds).
FAMILY_SEEDS = {"tuning": 1000, "heldback": 50000}


@dataclass
class FamilyTruth:
    """Truth of one family session: per trial, per fibre and per spike (DataFrames)."""

    trials: pd.DataFrame
    fibres: pd.DataFrame
    spikes: pd.DataFrame


def _draws(family, rng):
    """Electrode, rates, noise, hum and trial mix of one session (see module docstring)."""
    electrode = str(rng.choice(["surface", "needle"]))
    if family == "tuning":
        fs = float(rng.choice([1000.0, 1234.0, 2000.0, 4000.0] if electrode == "surface"
                              else [20000.0, 25000.0, 44100.0, 48000.0]))
        noise = 4e-6 if electrode == "surface" else 10e-6
        hum = 0.0 if rng.random() < 0.2 else rng.uniform(3e-6, 50e-6)
        crosstalk, p_look = 0.0, 0.2
    else:
        fs = float(rng.uniform(1000.0, 4000.0) if electrode == "surface"
                   else rng.uniform(20000.0, 48000.0))
        noise = rng.uniform(2e-6, 8e-6) if electrode == "surface" else rng.uniform(5e-6, 15e-6)
        hum = 0.0 if rng.random() < 0.25 else float(np.exp(rng.uniform(np.log(3e-6),
                                                                         np.log(50e-6))))
        crosstalk, p_look = rng.uniform(0.2, 0.6), 0.3
    return electrode, fs, noise, hum, crosstalk, p_look


def make_session(seed, *, family="tuning", n_trials=5):
    """One labelled session of a family.

    Parameters
    ----------
    seed : int
        Random seed (use the family's range, :data:`FAMILY_SEEDS`).
    family : {'tuning', 'heldback'}
        Which parameter draws.
    n_trials : int
        Grips in the session.

    Returns
    -------
    recording : Recording
        Force (N) and one or two EMG channels (V); the second holds its own fibres plus
        cross-talk of the first channel's (heldback family).
    truth : FamilyTruth
        ``trials``: ``trial``, ``release_s``, ``myotonic``, ``n_fibres``, ``lookalike``,
        ``electrode``, ``fs_emg``, ``mains_hz``, ``hum_uv``, ``snr_max``, ``rate_max_hz``,
        ``start_rel_s``, ``last_end_s``; ``fibres`` (:data:`FIBRE_COLUMNS`); ``spikes``
        (``trial, channel, fibre, time_s, amplitude_uv``).
    """
    rng = np.random.default_rng(seed)
    electrode, fs, noise, hum, crosstalk, p_look = _draws(family, rng)
    kinds = rng.choice(["myotonic", "none", "lookalike"], n_trials,
                       p=[0.6, 0.4 - p_look, p_look])
    rts = np.where(kinds == "myotonic", rng.uniform(0.8, 2.5, n_trials),
                   rng.uniform(0.2, 0.35, n_trials))
    mains = float(rng.choice([50.0, 60.0]))
    n_emg = 2 if rng.random() < 0.3 else 1
    rec, base = simulate_session(fs_emg=fs, fs_force=100.0, n_trials=n_trials, rt90_5_s=rts,
                                 n_emg=n_emg, electrode=electrode, discharges="none",
                                 mains_hz=mains if hum > 0 else None, hum_v=hum,
                                 noise_v=noise, seed=int(rng.integers(2**31)))
    emg = [c.data.copy() for c in rec.emg]
    names = [c.name for c in rec.emg]
    rows, fibres, spikes = [], [], []
    for k, release in enumerate(base.trials["release_s"]):
        row = {"trial": k + 1, "release_s": float(release), "myotonic": kinds[k] == "myotonic",
               "n_fibres": 0, "lookalike": "none", "electrode": electrode, "fs_emg": fs,
               "mains_hz": mains if hum > 0 else None, "hum_uv": hum * 1e6}
        if kinds[k] == "myotonic":
            n_f = int(rng.integers(1, 11))
            first = None
            for ch, name in enumerate(names):
                y, fib, spk = myotonic_fibres(
                    fs=fs, n_times=emg[ch].size, release_s=release, n_fibres=n_f if ch == 0
                    else int(rng.integers(1, 4)), electrode=electrode, noise_sd_v=noise,
                    channel=name, trial=k + 1, rng=int(rng.integers(2**31)))
                emg[ch] += y + (crosstalk * first if first is not None else 0.0)
                first = y if first is None else first
                fibres += fib
                spikes += spk
            trial_f = pd.DataFrame([f for f in fibres if f["trial"] == k + 1])
            row.update(n_fibres=n_f, snr_max=float(trial_f["peak_snr"].max()),
                       rate_max_hz=float(trial_f["rate_max_hz"].max()),
                       start_rel_s=float(trial_f["start_s"].min() - release),
                       last_end_s=float(trial_f["end_s"].max()))
        elif kinds[k] == "lookalike":
            row["lookalike"] = _add_lookalike(emg[0], fs, release, noise, rng)
        rows.append(row)
    chans = [Channel(n, "emg", x, fs, "V", source_unit="V") for n, x in zip(names, emg,
                                                                            strict=True)]
    out = Recording([*chans, rec.force], metadata={**rec.metadata, "electrode": electrode},
                    source=f"myoemg.sim.families/{family}/{seed}")
    return out, FamilyTruth(pd.DataFrame(rows), pd.DataFrame(fibres, columns=FIBRE_COLUMNS),
                            pd.DataFrame(spikes, columns=["trial", "channel", "fibre", "time_s",
                                                          "amplitude_uv"]))


def _add_lookalike(x, fs, release, noise, rng):
    """Add one look-alike after ``release`` into ``x`` (in place); returns its name."""
    name = str(rng.choice(list(LOOKALIKE_KINDS)))
    gen = LOOKALIKE_KINDS[name]
    kw = {}
    if name == "crd":
        kw = dict(rate_hz=rng.uniform(10, 100))
    elif name == "fibrillation":
        kw = dict(rate_hz=rng.uniform(2, 15), wave=str(rng.choice(["fibrillation", "psw"])))
    elif name == "fasciculation":
        kw = dict(rate_hz=rng.uniform(0.5, 2.5))
    elif name == "slow_letgo":
        kw = dict(n_units=int(rng.integers(10, 25)))
    amp = noise * rng.uniform(10, 40)
    y, _ = gen(fs=fs, n_times=x.size, start_s=release + 0.1, duration_s=rng.uniform(1.5, 3.0),
               amplitude_v=amp, rng=int(rng.integers(2**31)), **kw)
    x += y
    return name


def make_family(n_sessions, *, family="tuning", seed0=None, n_trials=5):
    """Yield ``(recording, truth)`` for ``n_sessions`` sessions of a family."""
    seed0 = FAMILY_SEEDS[family] if seed0 is None else seed0
    for i in range(n_sessions):
        yield make_session(seed0 + i, family=family, n_trials=n_trials)
