"""Repetitive discharge trains with known truth: spike times, rates and amplitudes.

Each generator returns the samples of the train on a time grid and one truth row (a dict with
the columns of :data:`TRUTH_COLUMNS`). Waveforms are evaluated in continuous time at the sample
instants, so any sampling rate works (1 kHz surface EMG to 44.1 kHz needle audio).

Models (SPEC.md §5 table; parameters marked "ours" are our choices where sources give none):

- **myotonic** (:func:`myotonic_train`): single muscle-fibre potentials (biphasic spikes < 5 ms)
  firing at 20–150 Hz whose rate **and** amplitude wax and wane: both follow a smooth
  rise-then-fall over the train (the "dive-bomber"), with small random jitter of the intervals.
  Needle-EMG rates: use ``width_s`` 0.3–0.8 ms and 50 µV–1 mV; surface: 1–2 ms.
- **voluntary** (:func:`voluntary_train`): one motor unit firing at 5–20 Hz, fairly regular
  (interval CV 0.1–0.2, ours), triphasic motor-unit potentials of 5–15 ms, larger, of constant
  amplitude; the rate may drift slowly (derecruitment after a grip).
- **fibrillation** (:func:`fibrillation_train`): fibrillation potentials (biphasic, < 5 ms,
  < 1 mV) or positive sharp waves (sharp positive phase then a slow negative one, 5–20 ms) at a
  very regular 0.5–15 Hz (interval CV ≈ 0.02, ours).
- **crd** (:func:`crd_train`): identical polyphasic complexes (3–6 fibre potentials at fixed
  offsets, 100 µV–1 mV) at a constant 5–100 Hz rate with abrupt start and stop.
- **neuromyotonic** (:func:`neuromyotonic_train`): brief motor-unit potentials at 150–300 Hz in
  bursts, with waning amplitude (SPEC.md §5: unverified).
- look-alikes that are not discharges: :func:`voluntary_release` (an interference pattern that
  fades over 1–2 s after a slow let-go), :func:`mains_hum` and :func:`movement_artefact`.

Every generator takes ``fs, n_times, start_s, duration_s, channel, trial, t0, rng`` as keywords
plus kind-specific parameters with defaults, and returns ``(x, truth)``; :data:`TRAIN_KINDS`
maps each discharge kind to its generator.
"""

from __future__ import annotations

import numpy as np

from ..utils import validate_fs

TRUTH_COLUMNS = ["channel", "trial", "start_s", "end_s", "kind", "n_spikes", "rate_start_hz",
                 "rate_end_hz", "rate_min_hz", "rate_max_hz", "amplitude_min_uv",
                 "amplitude_max_uv"]


def fibre_potential(t, *, width_s=1.0e-3, polarity=1.0):
    """Biphasic single-fibre potential, peak-to-peak amplitude 1, centred at ``t = 0``.

    The first derivative of a Gaussian of standard deviation ``width_s / 2``: total duration about
    ``3 * width_s`` (1 ms gives a 3 ms spike, SPEC.md §5: "biphasic spikes < 5 ms").

    Parameters
    ----------
    t : ndarray
        Time from the spike centre, in seconds.
    width_s : float
        Phase-to-phase interval, in seconds.
    polarity : float
        +1 for an initially positive spike, -1 for negative-first.
    """
    sigma = width_s / 2
    u = np.asarray(t) / sigma
    return -polarity * u * np.exp(0.5 - 0.5 * u**2) / 2  # peaks at ±0.5


def _wax_wane(x, peak_at):
    """Smooth rise from 0 to 1 at ``peak_at`` and back to 0 at x = 1, for x in [0, 1]."""
    x = np.clip(x, 0, 1)
    return np.where(x < peak_at, np.sin(0.5 * np.pi * x / peak_at) ** 2,
                    np.cos(0.5 * np.pi * (x - peak_at) / (1 - peak_at)) ** 2)


def spike_times_from_rate(rate_fn, start_s, duration_s, *, jitter=0.0, rng=None):
    """Spike times of a pulse train whose instantaneous rate is ``rate_fn(t - start_s)``.

    The phase ∫rate dt is integrated on a fine grid and a spike fires at each whole cycle;
    ``jitter`` adds Gaussian noise to each interval as a fraction of it.
    """
    rng = np.random.default_rng(rng)
    grid = np.linspace(0, duration_s, max(int(duration_s * 20_000), 2))
    phase = np.concatenate([[0.0], np.cumsum(0.5 * (rate_fn(grid[1:]) + rate_fn(grid[:-1]))
                                             * np.diff(grid))])
    cycles = np.arange(0.0, phase[-1])
    times = np.interp(cycles, phase, grid)
    if jitter and times.size > 1:
        isi = np.diff(times) * (1 + jitter * rng.standard_normal(times.size - 1))
        times = np.concatenate([[times[0]], times[0] + np.cumsum(np.maximum(isi, 1e-4))])
        times = times[times <= duration_s]
    return start_s + times


def render_spikes(times, amplitudes, *, fs, n_times, width_s, polarity=1.0, t0=0.0,
                  shape=fibre_potential):
    """Sum of spike waveforms at ``times`` (s) with peak-to-peak ``amplitudes`` (V).

    Only samples within ±6 widths of each spike are touched (vectorised over spikes).

    Returns
    -------
    x : ndarray, shape (n_times,), in volts
    """
    fs = validate_fs(fs)
    x = np.zeros(n_times)
    if len(times) == 0:
        return x
    half = int(np.ceil(6 * width_s * fs)) + 1
    offsets = np.arange(-half, half + 1)
    centre = np.round((np.asarray(times) - t0) * fs).astype(int)
    idx = centre[:, None] + offsets[None, :]
    tt = (idx / fs + t0) - np.asarray(times)[:, None]
    wave = np.asarray(amplitudes)[:, None] * shape(tt, width_s=width_s, polarity=polarity)
    ok = (idx >= 0) & (idx < n_times)
    np.add.at(x, idx[ok], wave[ok])
    return x


def myotonic_train(*, fs, n_times, start_s, duration_s, rate_start_hz=60.0, rate_peak_hz=90.0,
                   rate_end_hz=30.0, amplitude_v=100e-6, amplitude_end_frac=0.3, peak_at=0.25,
                   width_s=1.0e-3, polarity=1.0, jitter=0.02, channel=None, trial=None, t0=0.0,
                   rng=None, wave="fibrillation"):
    """Simulate a myotonic discharge: rate and amplitude wax then wane, SPEC.md §5.

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
        (5–20 ms), SPEC.md §5.

    Returns
    -------
    x : ndarray, shape (n_times,)
        The train, in volts.
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='myotonic'``.
    """
    rng = np.random.default_rng(rng)

    def rate_fn(t):
        shape = _wax_wane(t / duration_s, peak_at)
        before = t / duration_s < peak_at
        low = np.where(before, rate_start_hz, rate_end_hz)
        return low + (rate_peak_hz - low) * shape

    times = spike_times_from_rate(rate_fn, start_s, duration_s, jitter=jitter, rng=rng)
    rel = (times - start_s) / duration_s
    amp = amplitude_v * (amplitude_end_frac + (1 - amplitude_end_frac) * _wax_wane(rel, peak_at))
    amp *= 1 + 0.05 * rng.standard_normal(amp.size)
    shape = {"fibrillation": fibre_potential, "psw": positive_sharp_wave}[wave]
    x = render_spikes(times, amp, fs=fs, n_times=n_times, width_s=width_s, polarity=polarity,
                      t0=t0, shape=shape)
    return x, _truth_row(times, amp, "myotonic", channel, trial)


def _truth_row(times, amplitudes, kind, channel, trial):
    rates = 1 / np.diff(times) if len(times) > 1 else np.array([np.nan])
    head = rates[: min(3, rates.size)]
    tail = rates[-min(3, rates.size):]
    return {
        "channel": channel, "trial": trial,
        "start_s": float(times[0]) if len(times) else np.nan,
        "end_s": float(times[-1]) if len(times) else np.nan,
        "kind": kind, "n_spikes": int(len(times)),
        "rate_start_hz": float(np.mean(head)), "rate_end_hz": float(np.mean(tail)),
        "rate_min_hz": float(np.min(rates)), "rate_max_hz": float(np.max(rates)),
        "amplitude_min_uv": float(np.min(amplitudes) * 1e6) if len(times) else np.nan,
        "amplitude_max_uv": float(np.max(amplitudes) * 1e6) if len(times) else np.nan,
    }


# --------------------------------------------------------------------------------------------
# Potential shapes (peak-to-peak 1, centred at t = 0; signature shape(t, *, width_s, polarity))


def motor_unit_potential(t, *, width_s=8.0e-3, polarity=1.0):
    """Triphasic motor-unit potential of total duration about ``width_s``, peak-to-peak 1.

    The negative second derivative of a Gaussian (standard deviation ``width_s / 6``): a large
    main phase flanked by two smaller opposite phases (SPEC.md §5: 5–15 ms).
    """
    sigma = width_s / 6
    u = np.asarray(t) / sigma
    return polarity * (1 - u**2) * np.exp(-0.5 * u**2) / (1 + 2 * np.exp(-1.5))


def positive_sharp_wave(t, *, width_s=8.0e-3, polarity=1.0):
    """Positive sharp wave: a sharp positive phase, then a slow negative one; peak-to-peak 1.

    The sharp phase is a Gaussian of SD ``width_s / 16`` at ``t = 0``; the slow phase a gamma-like
    lobe with time constant ``width_s / 5`` that starts at the sharp peak (total ≈ ``width_s``).
    """
    t = np.asarray(t)
    sharp = np.exp(-0.5 * (t / (width_s / 16)) ** 2)
    tau = width_s / 5
    v = np.clip(t, 0, None) / tau
    slow = -0.4 * v * np.exp(1 - v)
    return polarity * (sharp + slow) / 1.4


def _complex_shape(offsets_s, gains, polarities, width_s):
    """Return a fixed polyphasic complex: fibre potentials at ``offsets_s`` (a closure)."""

    def shape(t, *, width_s=width_s, polarity=1.0):
        out = 0.0
        for off, g, p in zip(offsets_s, gains, polarities, strict=True):
            out = out + g * fibre_potential(np.asarray(t) - off, width_s=width_s,
                                            polarity=p * polarity)
        return out

    grid = np.linspace(-0.05, 0.05, 20001)
    norm = np.ptp(shape(grid))
    return lambda t, *, width_s=width_s, polarity=1.0: shape(t, polarity=polarity) / norm


def _linear_rate(r0, r1, duration_s):
    return lambda t: r0 + (r1 - r0) * np.clip(np.asarray(t) / duration_s, 0, 1)


def _render(times, amp, *, fs, n_times, t0, width_s, polarity, shape, kind, channel, trial):
    x = render_spikes(times, amp, fs=fs, n_times=n_times, width_s=width_s,
                      polarity=polarity, t0=t0, shape=shape)
    return x, _truth_row(times, amp, kind, channel, trial)


# --------------------------------------------------------------------------------------------
# Look-alike discharge trains


def voluntary_train(*, fs, n_times, start_s, duration_s, rate_hz=10.0, rate_end_hz=None,
                    cv=0.15, amplitude_v=400e-6, width_s=8.0e-3, polarity=1.0, channel=None,
                    trial=None, t0=0.0, rng=None):
    """One voluntary motor unit: regular 5–20 Hz firing of large, long potentials (SPEC.md §5).

    Parameters
    ----------
    rate_hz, rate_end_hz : float
        Firing rate at the start and the end, Hz (linear in between; default constant).
    cv : float
        Interval coefficient of variation (ours: 0.1–0.2 for a steadily firing unit).
    amplitude_v : float
        Peak-to-peak amplitude, V (constant, 5 % noise).
    width_s : float
        Total duration of the triphasic potential, s (SPEC.md §5: 5–15 ms).

    fs, n_times, start_s, duration_s, channel, trial, t0, rng
        As in :func:`myotonic_train`.
    polarity : float
        +1 or -1.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='voluntary'``.
    """
    rng = np.random.default_rng(rng)
    rate_end_hz = rate_hz if rate_end_hz is None else rate_end_hz
    times = spike_times_from_rate(_linear_rate(rate_hz, rate_end_hz, duration_s), start_s,
                                  duration_s, jitter=cv, rng=rng)
    amp = amplitude_v * (1 + 0.05 * rng.standard_normal(times.size))
    return _render(times, amp, fs=fs, n_times=n_times, t0=t0, width_s=width_s,
                   polarity=polarity, shape=motor_unit_potential, kind="voluntary",
                   channel=channel, trial=trial)


def fibrillation_train(*, fs, n_times, start_s, duration_s, rate_hz=5.0, cv=0.02,
                       amplitude_v=100e-6, width_s=None, wave="fibrillation", polarity=1.0,
                       channel=None, trial=None, t0=0.0, rng=None):
    """Fibrillation potentials or positive sharp waves at a very regular 0.5–15 Hz (SPEC.md §5).

    Parameters
    ----------
    rate_hz : float
        Firing rate, Hz (constant).
    cv : float
        Interval coefficient of variation (ours: 0.02, "very regular").
    amplitude_v : float
        Peak-to-peak amplitude, V (SPEC.md §5: < 1 mV).
    width_s : float | None
        Phase-to-phase width of a fibrillation spike (default 1 ms, total ≈ 3 ms) or total
        duration of a positive sharp wave (default 8 ms).
    wave : {'fibrillation', 'psw'}
        Biphasic spike or positive sharp wave.

    fs, n_times, start_s, duration_s, channel, trial, t0, rng
        As in :func:`myotonic_train`.
    polarity : float
        +1 or -1.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='fibrillation'``.
    """
    rng = np.random.default_rng(rng)
    shape = {"fibrillation": fibre_potential, "psw": positive_sharp_wave}[wave]
    if width_s is None:
        width_s = 1.0e-3 if wave == "fibrillation" else 8.0e-3
    times = spike_times_from_rate(lambda t: np.full_like(t, rate_hz), start_s, duration_s,
                                  jitter=cv, rng=rng)
    amp = amplitude_v * (1 + 0.03 * rng.standard_normal(times.size))
    return _render(times, amp, fs=fs, n_times=n_times, t0=t0, width_s=width_s,
                   polarity=polarity, shape=shape, kind="fibrillation", channel=channel,
                   trial=trial)


def crd_train(*, fs, n_times, start_s, duration_s, rate_hz=30.0, amplitude_v=400e-6,
              n_components=4, spacing_s=1.0e-3, width_s=0.8e-3, jitter=0.002, polarity=1.0,
              channel=None, trial=None, t0=0.0, rng=None):
    """Complex repetitive discharge: identical polyphasic complexes at a constant rate.

    Abrupt start and stop at full amplitude, constant rate, near-zero jitter (SPEC.md §5: 5–100
    Hz, 100 µV–1 mV, "uniform rate and shape; abrupt onset, cessation").

    Parameters
    ----------
    rate_hz : float
        Constant firing rate, Hz.
    amplitude_v : float
        Peak-to-peak amplitude of the complex, V.
    n_components : int
        Fibre potentials in a complex, drawn once per train: successive offsets
        ``spacing_s`` × U(0.7, 1.3) apart, so the complex is one serrated potential (ours),
        gains 0.4–1, random polarity.
    spacing_s : float
        Mean interval between the components, s.
    width_s : float
        Phase-to-phase width of each component, s.
    jitter : float
        Interval jitter as a fraction of the interval (ours: 0.2 %).

    fs, n_times, start_s, duration_s, channel, trial, t0, rng
        As in :func:`myotonic_train`.
    polarity : float
        +1 or -1.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='crd'``.
    """
    rng = np.random.default_rng(rng)
    offsets = np.concatenate([[0.0], np.cumsum(spacing_s * rng.uniform(0.7, 1.3,
                                                                       n_components - 1))])
    offsets -= offsets.mean()
    complex_s = np.ptp(offsets) + 3 * width_s
    gains = rng.uniform(0.4, 1.0, n_components)
    gains[rng.integers(n_components)] = 1.0
    pols = rng.choice([-1.0, 1.0], n_components)
    shape = _complex_shape(offsets, gains, pols, width_s)
    times = spike_times_from_rate(lambda t: np.full_like(t, rate_hz), start_s, duration_s,
                                  jitter=jitter, rng=rng)
    amp = np.full(times.size, amplitude_v)
    x = render_spikes(times, amp, fs=fs, n_times=n_times, width_s=complex_s / 6 + width_s,
                      polarity=polarity, t0=t0, shape=shape)
    return x, _truth_row(times, amp, "crd", channel, trial)


def neuromyotonic_train(*, fs, n_times, start_s, duration_s, rate_hz=200.0, rate_end_hz=None,
                        amplitude_v=300e-6, amplitude_end_frac=0.5, width_s=2.5e-3,
                        jitter=0.03, polarity=1.0, channel=None, trial=None, t0=0.0, rng=None):
    """Neuromyotonic burst: brief motor-unit potentials at 150–300 Hz, amplitude waning.

    SPEC.md §5 (unverified): 150–300 Hz, bursts of seconds, abrupt start and stop, waning
    amplitude.

    Parameters
    ----------
    rate_hz, rate_end_hz : float
        Rate at the start and end of the burst, Hz (default end: 0.85 × start).
    amplitude_v : float
        Peak-to-peak amplitude at the start, V.
    amplitude_end_frac : float
        Amplitude at the end as a fraction of ``amplitude_v`` (linear fall).
    jitter : float
        Interval jitter as a fraction of the interval.
    width_s : float
        Total duration of the triphasic potential, s (brief, so that potentials at 300 Hz do
        not overlap; ours).

    fs, n_times, start_s, duration_s, channel, trial, t0, rng
        As in :func:`myotonic_train`.
    polarity : float
        +1 or -1.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='neuromyotonic'``.
    """
    rng = np.random.default_rng(rng)
    rate_end_hz = 0.85 * rate_hz if rate_end_hz is None else rate_end_hz
    times = spike_times_from_rate(_linear_rate(rate_hz, rate_end_hz, duration_s), start_s,
                                  duration_s, jitter=jitter, rng=rng)
    rel = (times - start_s) / duration_s
    amp = amplitude_v * (1 - (1 - amplitude_end_frac) * rel)
    amp *= 1 + 0.05 * rng.standard_normal(times.size)
    return _render(times, amp, fs=fs, n_times=n_times, t0=t0, width_s=width_s,
                   polarity=polarity, shape=motor_unit_potential, kind="neuromyotonic",
                   channel=channel, trial=trial)


# --------------------------------------------------------------------------------------------
# Look-alikes that are not discharges (truth kinds 'interference' and 'artefact')


def voluntary_release(*, fs, n_times, start_s, duration_s, n_units=20, amplitude_v=300e-6,
                      rate_range_hz=(8.0, 25.0), width_s=10.0e-3, cv=0.2, channel=None,
                      trial=None, t0=0.0, rng=None):
    """Simulate a slow voluntary let-go: an interference pattern fading over ``duration_s`` seconds.

    ``n_units`` motor units (amplitudes log-uniform from 5 % to 100 % of ``amplitude_v``,
    rates drawn in ``rate_range_hz``) fire from ``start_s - 0.5`` s; each stops at its own time
    in ``[start_s, start_s + duration_s]``, larger units first (derecruitment), while its rate
    falls linearly to 60 % of its initial value. No discharge: truth ``kind='interference'``.

    Parameters
    ----------
    n_units : int
        Number of motor units.
    amplitude_v : float
        Peak-to-peak amplitude of the largest unit, V.
    rate_range_hz : (float, float)
        Range of the initial firing rates, Hz.
    width_s : float
        Mean duration of the motor-unit potentials, s (each unit ×0.7–1.3).
    cv : float
        Interval coefficient of variation of each unit.
    fs, n_times, start_s, duration_s, channel, trial, t0, rng
        As in :func:`myotonic_train`.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='interference'``.
    """
    rng = np.random.default_rng(rng)
    amps = amplitude_v * np.exp(rng.uniform(np.log(0.05), 0, n_units))
    order = np.argsort(-amps)
    stops = np.sort(rng.uniform(0.05, 1.0, n_units))[np.argsort(order)] * duration_s
    x = np.zeros(n_times)
    all_t, all_a = [], []
    begin = start_s - 0.5
    for k in range(n_units):
        r0 = rng.uniform(*rate_range_hz)
        dur = stops[k] + 0.5
        onset = begin + rng.uniform(0, 0.1)
        times = spike_times_from_rate(_linear_rate(r0, 0.6 * r0, dur), onset, dur, jitter=cv,
                                      rng=rng)
        a = amps[k] * (1 + 0.05 * rng.standard_normal(times.size))
        w = width_s * rng.uniform(0.7, 1.3)
        x += render_spikes(times, a, fs=fs, n_times=n_times, width_s=w,
                           polarity=rng.choice([-1.0, 1.0]), t0=t0, shape=motor_unit_potential)
        all_t.append(times)
        all_a.append(a)
    times = np.concatenate(all_t)
    amp = np.concatenate(all_a)
    keep = times >= start_s
    order = np.argsort(times[keep])
    return x, _truth_row(times[keep][order], amp[keep][order], "interference", channel, trial)


def mains_hum(*, fs, n_times, start_s, duration_s, mains_hz=50.0, amplitude_v=50e-6,
              n_harmonics=3, modulation=0.5, channel=None, trial=None, t0=0.0, rng=None):
    """Mains interference (50 or 60 Hz + harmonics) switched on for ``duration_s`` seconds.

    The amplitude waxes and wanes (a slow sine, depth ``modulation``) as it does when a cable
    moves — the hardest case, since its peaks form a perfectly regular 50/60 Hz "train".

    Parameters
    ----------
    mains_hz : float
        50 or 60 Hz.
    amplitude_v : float
        Peak-to-peak amplitude of the fundamental, V.
    n_harmonics : int
        Number of harmonics (the fundamental included; gains 0.1–0.4 above it).
    modulation : float
        Depth of the slow amplitude modulation, 0–1.
    fs, n_times, start_s, duration_s, channel, trial, t0, rng
        As in :func:`myotonic_train`.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='artefact'``.
    """
    rng = np.random.default_rng(rng)
    t = t0 + np.arange(n_times) / fs
    on = (t >= start_s) & (t < start_s + duration_s)
    phase = rng.uniform(0, 2 * np.pi, n_harmonics)
    gains = np.concatenate([[1.0], rng.uniform(0.1, 0.4, n_harmonics - 1)])
    x = np.zeros(n_times)
    for k in range(n_harmonics):
        f = (k + 1) * mains_hz
        if f < 0.45 * fs:
            x += gains[k] * np.sin(2 * np.pi * f * t + phase[k])
    env = 1 - modulation * 0.5 * (1 - np.cos(2 * np.pi * (t - start_s) / max(duration_s, 1e-9)))
    x = np.where(on, amplitude_v / 2 * x * env, 0.0)
    times = start_s + np.arange(int(duration_s * mains_hz)) / mains_hz
    return x, _truth_row(times, np.full(times.size, amplitude_v), "artefact", channel, trial)


def movement_artefact(*, fs, n_times, start_s, duration_s, amplitude_v=2e-3, n_steps=3,
                      channel=None, trial=None, t0=0.0, rng=None):
    """Movement artefact: electrode shifts (smoothed steps and pops) within ``duration_s``.

    ``n_steps`` baseline jumps of ±``amplitude_v`` at random times, each with a rise of
    2–20 ms and an exponential recovery of 50–300 ms; a band-pass turns them into large, slow,
    ringing deflections.

    Parameters
    ----------
    amplitude_v : float
        Largest baseline jump, V.
    n_steps : int
        Number of jumps.
    fs, n_times, start_s, duration_s, channel, trial, t0, rng
        As in :func:`myotonic_train`.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`TRUTH_COLUMNS` with ``kind='artefact'``.
    """
    rng = np.random.default_rng(rng)
    t = t0 + np.arange(n_times) / fs
    x = np.zeros(n_times)
    times = np.sort(start_s + rng.uniform(0, duration_s, n_steps))
    amps = amplitude_v * rng.uniform(0.3, 1.0, n_steps) * rng.choice([-1, 1], n_steps)
    for tk, ak in zip(times, amps, strict=True):
        rise = rng.uniform(2e-3, 20e-3)
        tau = rng.uniform(0.05, 0.3)
        d = t - tk
        step = 0.5 * (1 + np.tanh(d / rise))
        x += ak * step * np.exp(-np.clip(d, 0, None) / tau)
    return x, _truth_row(times, np.abs(amps), "artefact", channel, trial)


#: Discharge-train generators by kind (SPEC.md §5); each takes ``fs, n_times, start_s,
#: duration_s, channel, trial, t0, rng`` as keywords plus its own parameters with defaults.
TRAIN_KINDS = {
    "myotonic": myotonic_train,
    "voluntary": voluntary_train,
    "fibrillation": fibrillation_train,
    "crd": crd_train,
    "neuromyotonic": neuromyotonic_train,
}

#: Generators of look-alikes that are not discharges (same keyword signature).
LOOKALIKES = {
    "interference": voluntary_release,
    "mains": mains_hum,
    "movement": movement_artefact,
}
