"""Myotonic discharges with known truth: one fibre, or several fibres firing at once.

:func:`myotonic_train` simulates one fibre whose rate **and** amplitude wax and wane (the
"dive-bomber", docs: domain reference, discharges). :func:`myotonic_fibres` simulates what follows a
myotonic release (docs: domain reference, discharges "several fibres at once"): 1–10 fibres near the
electrode firing concurrently, each with its own potential (surface: biphasic, broadened by the
tissue to 1.2–3 ms phases; needle: narrow biphasic spikes or positive waves, of either polarity),
its own start (up to 0.3 s before the release, under the end of the contraction), rate course
(waxing then waning, or waning only, e.g. 40–150 Hz falling to 15–40 Hz) and amplitude course; their
spikes interleave and overlap. Truth is kept per fibre, down to each spike time.

The look-alikes live in :mod:`myoemg.sim.lookalikes` and :mod:`myoemg.sim.artefacts`
(re-exported here); :data:`TRAIN_KINDS` and :data:`LOOKALIKES` name every generator.
"""

from __future__ import annotations

import numpy as np

from .artefacts import mains_hum, movement_artefact, voluntary_release
from .lookalikes import (
    crd_train,
    fasciculation_train,
    fibrillation_train,
    neuromyotonic_multiplets,
    neuromyotonic_train,
    voluntary_train,
    voluntary_tremor,
)
from .potentials import (
    TRUTH_COLUMNS,
    fibre_potential,
    motor_unit_potential,
    positive_sharp_wave,
    render_spikes,
    spike_times_from_rate,
    truth_row,
    wax_wane,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from typing import Any

#: Columns of the per-fibre truth of :func:`myotonic_fibres`.
FIBRE_COLUMNS = ["trial", "channel", "fibre", "kind", "start_s", "end_s", "n_spikes",
                 "peak_snr", "rate_start_hz", "rate_max_hz", "rate_end_hz", "amplitude_max_uv",
                 "polarity", "shape"]


def myotonic_train(*, fs, n_times, start_s, duration_s, rate_start_hz=60.0, rate_peak_hz=90.0,
                   rate_end_hz=30.0, amplitude_v=100e-6, amplitude_end_frac=0.3, peak_at=0.25,
                   width_s=1.0e-3, polarity=1.0, jitter=0.02, channel=None, trial=None, t0=0.0,
                   rng=None, wave="fibrillation") -> tuple[np.ndarray, dict[str, Any]]:
    """Simulate a myotonic discharge: rate and amplitude wax then wane.

    Ranges: docs, domain reference, discharges.

    The rate rises smoothly from ``rate_start_hz`` to ``rate_peak_hz`` at ``peak_at`` of the
    duration, then falls to ``rate_end_hz``; the amplitude follows the same shape from
    ``amplitude_v`` (peak-to-peak, at the peak) down to ``amplitude_end_frac`` of it at both ends.

    Parameters
    ----------
    fs : float
        Sampling rate in Hz.
    n_times : int
        Length of the output grid in samples, starting at ``t0`` seconds.
    start_s, duration_s : float
        Train start and duration, in seconds.
    rate_start_hz, rate_peak_hz, rate_end_hz : float
        Firing rate at the start, at the peak and at the end, Hz.
    amplitude_v : float
        Peak-to-peak amplitude at the peak, V.
    amplitude_end_frac : float
        Amplitude at both ends as a fraction of ``amplitude_v``.
    peak_at : float
        Where the peak falls, as a fraction of the duration.
    width_s : float
        Phase-to-phase width of a biphasic spike (total ≈ 3 ``width_s``), or total duration of
        a positive wave, s.
    polarity : float
        +1 or -1.
    jitter : float
        Interval jitter as a fraction of the interval.
    channel, trial : object
        Copied into the truth row.
    t0 : float
        Time of the first output sample, s.
    rng : int | numpy.random.Generator | None
        Random state.
    wave : {'fibrillation', 'psw'}
        Fibrillation-like biphasic spikes (< 5 ms) or positive-sharp-wave-like potentials
        (5–20 ms), docs: domain reference, discharges.

    Returns
    -------
    x : ndarray, shape (n_times,)
        The train, in volts.
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='myotonic'``.
    """
    rng = np.random.default_rng(rng)
    times, amp = _myotonic_spikes(start_s, duration_s, rate_start_hz, rate_peak_hz, rate_end_hz,
                                  amplitude_v, amplitude_end_frac, peak_at, jitter, rng)
    shape = {"fibrillation": fibre_potential, "psw": positive_sharp_wave}[wave]
    x = render_spikes(times, amp, fs=fs, n_times=n_times, width_s=width_s, polarity=polarity,
                      t0=t0, shape=shape)
    return x, truth_row(times, amp, "myotonic", channel, trial)


def _myotonic_spikes(start_s, duration_s, rate_start_hz, rate_peak_hz, rate_end_hz, amplitude_v,
                     amplitude_end_frac, peak_at, jitter, rng):
    """Spike times (s) and peak-to-peak amplitudes (V) of one myotonic fibre."""

    def rate_fn(t):
        shape = wax_wane(t / duration_s, peak_at)
        before = t / duration_s < peak_at
        low = np.where(before, rate_start_hz, rate_end_hz)
        return low + (rate_peak_hz - low) * shape

    times = spike_times_from_rate(rate_fn, start_s, duration_s, jitter=jitter, rng=rng)
    rel = (times - start_s) / duration_s
    amp = amplitude_v * (amplitude_end_frac + (1 - amplitude_end_frac) * wax_wane(rel, peak_at))
    amp *= 1 + 0.05 * rng.standard_normal(amp.size)
    return times, amp


def _fibre_params(electrode, snr, noise_sd_v, rng, rate_peak_hz, rate_end_hz):
    """Random but physiological parameters of one fibre (see :func:`myotonic_fibres`)."""
    needle = electrode == "needle"
    wave = "psw" if needle and rng.random() < 0.25 else "fibrillation"
    if wave == "psw":
        width, peak_of_shape = rng.uniform(4e-3, 10e-3), 1 / 1.4
    else:
        width = rng.uniform(0.3e-3, 0.8e-3) if needle else rng.uniform(1.2e-3, 3.0e-3)
        peak_of_shape = 0.5
    peak = rng.uniform(*rate_peak_hz)
    waning_only = rng.random() < 0.5
    return dict(rate_start_hz=peak if waning_only else rng.uniform(0.4, 0.8) * peak,
                rate_peak_hz=peak, rate_end_hz=rng.uniform(*rate_end_hz),
                peak_at=0.02 if waning_only else rng.uniform(0.1, 0.4),
                amplitude_v=snr * noise_sd_v / peak_of_shape,
                amplitude_end_frac=rng.uniform(0.2, 0.5), jitter=rng.uniform(0.01, 0.03),
                width_s=width, polarity=float(rng.choice([-1.0, 1.0])), wave=wave,
                course="waning" if waning_only else "waxing-waning")


def myotonic_fibres(*, fs, n_times, release_s, n_fibres, electrode="surface", noise_sd_v,
                    snr_range=(3.0, 30.0), start_range_s=(-0.3, 0.15),
                    duration_range_s=(0.8, 3.0), rate_peak_hz=(40.0, 150.0),
                    rate_end_hz=(15.0, 40.0), channel=None, trial=None, t0=0.0, rng=None):
    """Several myotonic fibres discharging at once after one release.

    Ranges: docs, domain reference, discharges.

    Parameters
    ----------
    fs : float
        Sampling rate in Hz.
    n_times : int
        Length of the output grid in samples, starting at ``t0`` seconds.
    release_s : float
        Release instant, s.
    n_fibres : int
        Number of concurrent fibres (1–10 in the benchmark).
    electrode : {'surface', 'needle'}
        Potential shapes: broadened biphasic (surface) or narrow biphasic / positive waves.
    noise_sd_v : float
        Noise SD the SNR refers to, V.
    snr_range : (float, float)
        Peak of each fibre's largest potential over ``noise_sd_v``, drawn log-uniformly.
    start_range_s : (float, float)
        Fibre start relative to the release, s (negative: under the end of the contraction).
    duration_range_s, rate_peak_hz, rate_end_hz : (float, float)
        Ranges of the duration (s), the peak rate and the final rate (Hz) of each fibre.
    channel, trial : object
        Copied into the truth.
    t0 : float
        Time of the first output sample, s.
    rng : int | numpy.random.Generator | None
        Random state.

    Returns
    -------
    x : ndarray, shape (n_times,)
        The summed discharges, V.
    fibres : list of dict
        One row of :data:`FIBRE_COLUMNS` per fibre.
    spikes : list of dict
        One row per potential: ``trial``, ``channel``, ``fibre``, ``time_s``, ``amplitude_uv``.
    """
    rng = np.random.default_rng(rng)
    x = np.zeros(n_times)
    fibres, spikes = [], []
    lo, hi = np.log(snr_range[0]), np.log(snr_range[1])
    for k in range(int(n_fibres)):
        snr = float(np.exp(rng.uniform(lo, hi)))
        p = _fibre_params(electrode, snr, noise_sd_v, rng, rate_peak_hz, rate_end_hz)
        start = release_s + rng.uniform(*start_range_s)
        times, amp = _myotonic_spikes(start, rng.uniform(*duration_range_s), p["rate_start_hz"],
                                      p["rate_peak_hz"], p["rate_end_hz"], p["amplitude_v"],
                                      p["amplitude_end_frac"], p["peak_at"], p["jitter"], rng)
        shape = {"fibrillation": fibre_potential, "psw": positive_sharp_wave}[p["wave"]]
        x += render_spikes(times, amp, fs=fs, n_times=n_times, width_s=p["width_s"],
                           polarity=p["polarity"], t0=t0, shape=shape)
        row = truth_row(times, amp, "myotonic", channel, trial)
        fibres.append({"trial": trial, "channel": channel, "fibre": k, "kind": "myotonic",
                       "start_s": row["start_s"], "end_s": row["end_s"],
                       "n_spikes": row["n_spikes"],
                       "peak_snr": float(np.max(amp) / p["amplitude_v"] * snr),
                       "rate_start_hz": row["rate_start_hz"], "rate_max_hz": row["rate_max_hz"],
                       "rate_end_hz": row["rate_end_hz"],
                       "amplitude_max_uv": row["amplitude_max_uv"], "polarity": p["polarity"],
                       "shape": f"{p['wave']} {1e3 * p['width_s']:.1f} ms, {p['course']}"})
        spikes += [{"trial": trial, "channel": channel, "fibre": k, "time_s": float(t),
                    "amplitude_uv": float(a * 1e6)} for t, a in zip(times, amp, strict=True)]
    return x, fibres, spikes


#: Discharge-train generators by kind (docs: domain reference, discharges); each takes ``fs,
#: n_times, start_s, duration_s, channel, trial, t0, rng`` as keywords plus its own parameters with
#: defaults.
TRAIN_KINDS = {
    "myotonic": myotonic_train,
    "voluntary": voluntary_train,
    "fibrillation": fibrillation_train,
    "crd": crd_train,
    "neuromyotonic": neuromyotonic_train,
    "fasciculation": fasciculation_train,
}

#: Look-alikes by the kind the detector should name (same keyword signature).
LOOKALIKE_KINDS = {
    "crd": crd_train, "fibrillation": fibrillation_train, "neuromyotonic": neuromyotonic_train,
    "multiplets": neuromyotonic_multiplets, "fasciculation": fasciculation_train,
    "voluntary_tremor": voluntary_tremor, "slow_letgo": voluntary_release,
}

#: Generators of look-alikes that are not discharges (same keyword signature).
LOOKALIKES = {
    "interference": voluntary_release,
    "mains": mains_hum,
    "movement": movement_artefact,
}

__all__ = ["FIBRE_COLUMNS", "LOOKALIKES", "LOOKALIKE_KINDS", "TRAIN_KINDS", "TRUTH_COLUMNS",
           "crd_train", "fasciculation_train", "fibre_potential", "fibrillation_train",
           "mains_hum", "motor_unit_potential", "movement_artefact", "myotonic_fibres",
           "myotonic_train", "neuromyotonic_multiplets", "neuromyotonic_train",
           "positive_sharp_wave", "render_spikes", "spike_times_from_rate", "voluntary_release",
           "voluntary_train", "voluntary_tremor"]
