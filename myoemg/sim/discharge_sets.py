"""A labelled evaluation set of discharge trains and look-alikes, surface and needle EMG.

:func:`make_discharge_set` builds many short segments, each holding one simulated event of a
known kind over band-limited Gaussian noise, at several sampling rates (including odd ones)
and signal-to-noise ratios. Detectors are scored on it with
:func:`myoemg.evaluation.score_detections` (docs: domain reference, discharges: "validated on
simulated ground truth").

Which events appear on which electrode (ours): surface EMG gets myotonic discharges (fibre
spikes broadened, 1–2 ms phases), single voluntary motor units, interference patterns fading
after a slow let-go, mains hum and movement artefacts; needle EMG gets all of the docs: domain
reference, discharges table (myotonic with spike- or positive-wave-type potentials, voluntary,
fibrillations and positive sharp waves, CRDs, neuromyotonic bursts) plus fading interference and
mains hum. Fibrillations, CRDs and neuromyotonic bursts are needle findings, so they are not
simulated on surface EMG.

SNR is defined in the detector's band (20–450 Hz surface, 10 Hz–10 kHz needle):
``20·log10(largest peak-to-peak of the band-passed train / noise SD)``; the train is scaled to
it (the truth amplitudes too). Look-alikes that are not discharges keep the amplitude given
for the SNR as their nominal peak-to-peak.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..signal.filters import bandpass
from ..utils import check_option
from . import trains as _trains

#: Event kinds simulated per electrode.
SURFACE_KINDS = ("myotonic", "voluntary", "interference", "mains", "movement")
NEEDLE_KINDS = ("myotonic", "voluntary", "fibrillation", "crd", "neuromyotonic",
                "interference", "mains")

_BANDS = {"surface": (20.0, 450.0), "needle": (10.0, 10_000.0)}
_NOISE_V = {"surface": 5e-6, "needle": 10e-6}


def _noise(n_times, fs, electrode, rng):
    lo, hi = _BANDS[electrode]
    w = bandpass(rng.standard_normal(n_times), fs=fs, l_freq=lo, h_freq=min(hi, 0.45 * fs))
    return w / np.std(w)


def _event(kind, electrode, amp, rng):
    """Generator, duration and parameters of one event.

    Physiological ranges: docs, domain reference, discharges.
    """
    needle = electrode == "needle"
    pol = float(rng.choice([-1.0, 1.0]))
    if kind == "myotonic":
        r0 = rng.uniform(30, 80)
        peak = min(150.0, r0 * rng.uniform(1.25, 1.9))
        wave = "psw" if needle and rng.random() < 0.25 else "fibrillation"
        if wave == "psw":
            width = rng.uniform(5e-3, 10e-3)
        else:
            width = rng.uniform(0.3e-3, 0.8e-3) if needle else rng.uniform(1.0e-3, 2.0e-3)
        params = dict(rate_start_hz=r0, rate_peak_hz=peak, rate_end_hz=rng.uniform(20, 0.8 * r0),
                      amplitude_v=amp, amplitude_end_frac=rng.uniform(0.2, 0.5),
                      peak_at=rng.uniform(0.15, 0.5), width_s=width, polarity=pol,
                      jitter=rng.uniform(0.01, 0.04), wave=wave)
        return _trains.myotonic_train, rng.uniform(0.8, 3.0), params, wave
    if kind == "voluntary":
        r0 = rng.uniform(6, 18)
        params = dict(rate_hz=r0, rate_end_hz=r0 * rng.uniform(0.7, 1.1),
                      cv=rng.uniform(0.08, 0.2), amplitude_v=amp,
                      width_s=rng.uniform(5e-3, 15e-3), polarity=pol)
        return _trains.voluntary_train, rng.uniform(2.0, 4.0), params, "tonic unit"
    if kind == "fibrillation":
        rate = float(np.exp(rng.uniform(np.log(1.0), np.log(15.0))))
        wave = "psw" if rng.random() < 0.4 else "fibrillation"
        params = dict(rate_hz=rate, cv=rng.uniform(0.01, 0.04), amplitude_v=amp, wave=wave,
                      polarity=pol)
        return _trains.fibrillation_train, max(2.5, 7.0 / rate), params, wave
    if kind == "crd":
        params = dict(rate_hz=rng.uniform(10, 100), amplitude_v=amp,
                      n_components=int(rng.integers(3, 7)), polarity=pol)
        return _trains.crd_train, rng.uniform(1.0, 3.0), params, ""
    if kind == "neuromyotonic":
        params = dict(rate_hz=rng.uniform(160, 280), amplitude_v=amp,
                      amplitude_end_frac=rng.uniform(0.3, 0.7), polarity=pol)
        return _trains.neuromyotonic_train, rng.uniform(0.3, 1.5), params, ""
    if kind == "interference":
        params = dict(n_units=int(rng.integers(10, 30)), amplitude_v=amp,
                      width_s=rng.uniform(6e-3, 12e-3) if needle else rng.uniform(8e-3, 15e-3))
        return _trains.voluntary_release, rng.uniform(1.0, 2.0), params, "slow let-go"
    if kind == "mains":
        params = dict(mains_hz=float(rng.choice([50.0, 60.0])), amplitude_v=amp,
                      modulation=rng.uniform(0.3, 0.8))
        return _trains.mains_hum, rng.uniform(1.5, 3.0), params, f"{params['mains_hz']:g} Hz"
    params = dict(amplitude_v=amp * rng.uniform(2, 20), n_steps=int(rng.integers(1, 4)))
    return _trains.movement_artefact, rng.uniform(0.5, 2.0), params, "movement"


def make_discharge_set(*, n_per_cell=2, myotonic_weight=2, snr_db=(24.0, 30.0, 36.0),
                       surface_fs=(1000.0, 1234.0, 2000.0),
                       needle_fs=(20000.0, 31250.0, 44100.0),
                       electrodes=("surface", "needle"), seed=0, surface_kinds=SURFACE_KINDS,
                       needle_kinds=NEEDLE_KINDS,
                       ) -> tuple[list[np.ndarray], list[float], pd.DataFrame]:
    """Build a labelled set of simulated discharge trains and look-alikes.

    Each segment holds one event over noise: ``n_per_cell`` events per (electrode, rate,
    SNR, kind) cell, ``myotonic_weight`` × as many myotonic ones.

    Parameters
    ----------
    n_per_cell : int
        Events per cell.
    myotonic_weight : int
        Multiplier for myotonic events (so their precision and recall are well estimated).
    snr_db : sequence of float
        Signal-to-noise ratios, dB (peak-to-peak amplitude / in-band noise SD).
    surface_fs, needle_fs : sequence of float
        Sampling rates, Hz (surface ≥ 1 kHz, needle ≥ 20 kHz, docs: domain reference, signal
        processing).
    electrodes : sequence of {'surface', 'needle'}
        Which electrodes to simulate.
    seed : int
        Seed of the random generator.
    surface_kinds, needle_kinds : sequence of str
        Event kinds simulated per electrode (default all of :data:`SURFACE_KINDS` /
        :data:`NEEDLE_KINDS`), e.g. to leave out a look-alike that a test covers on its own.

    Returns
    -------
    emg : list of ndarray, shape (n_times,)
        One segment per event, EMG in volts.
    fs : list of float
        Sampling rate of each segment, Hz.
    truth : DataFrame
        One row per event: :data:`myoemg.sim.trains.TRUTH_COLUMNS` (``kind`` is a discharge
        kind, ``'interference'`` or ``'artefact'``) plus ``segment`` (index into ``emg``),
        ``electrode``, ``fs_hz``, ``snr_db``, ``event`` (generator name), ``variant`` and
        ``search_start_s`` (where a detector should start searching: 0.25 s before the event,
        as after a release).
    """
    rng = np.random.default_rng(seed)
    emg: list[np.ndarray] = []
    rates: list[float] = []
    rows: list[dict] = []
    for electrode in electrodes:
        check_option("electrode", electrode, tuple(_BANDS))
        kinds = surface_kinds if electrode == "surface" else needle_kinds
        allowed = SURFACE_KINDS if electrode == "surface" else NEEDLE_KINDS
        for kind in kinds:
            check_option(f"{electrode} kind", kind, allowed)
        for fs in surface_fs if electrode == "surface" else needle_fs:
            for snr in snr_db:
                for kind in kinds:
                    n = n_per_cell * (myotonic_weight if kind == "myotonic" else 1)
                    for _ in range(n):
                        amp = _NOISE_V[electrode] * 10 ** (snr / 20)
                        gen, dur, params, variant = _event(kind, electrode, amp, rng)
                        start = rng.uniform(0.6, 1.0)
                        n_times = int(round((start + dur + rng.uniform(0.8, 1.5)) * fs))
                        x, row = gen(fs=fs, n_times=n_times, start_s=start, duration_s=dur,
                                     rng=int(rng.integers(2**31)), **params)
                        if kind in _trains.TRAIN_KINDS:  # SNR in the detector's band
                            lo, hi = _BANDS[electrode]
                            xf = bandpass(x, fs=fs, l_freq=lo, h_freq=min(hi, 0.45 * fs))
                            gain = amp / np.ptp(xf)
                            x = x * gain
                            for col in ("amplitude_min_uv", "amplitude_max_uv"):
                                row[col] *= gain
                        x = x + _NOISE_V[electrode] * _noise(n_times, fs, electrode, rng)
                        row.update(segment=len(emg), electrode=electrode, fs_hz=fs,
                                   snr_db=snr, event=gen.__name__, variant=variant,
                                   search_start_s=max(0.0, start - 0.25))
                        emg.append(x)
                        rates.append(fs)
                        rows.append(row)
    truth = pd.DataFrame(rows)
    truth["channel"] = "ch0"
    return emg, rates, truth
