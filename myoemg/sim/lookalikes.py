"""Look-alikes of myotonic discharges with known truth.

Kinds and ranges: docs, domain reference, discharges table and artefacts.

Discharge trains that are not myotonic — :func:`voluntary_train`, :func:`voluntary_tremor`,
:func:`fibrillation_train` (fibrillations and positive sharp waves), :func:`crd_train`,
:func:`neuromyotonic_train`, :func:`neuromyotonic_multiplets`, :func:`fasciculation_train`
(things that are not discharges at all are in :mod:`myoemg.sim.artefacts`). Every generator
takes the grid keywords ``fs, n_times, start_s, duration_s, channel, trial, t0, rng``
(documented once in
:data:`GRID_DOC`) plus its own parameters, and returns ``(x, truth)`` with ``truth`` one row
of :data:`myoemg.sim.potentials.TRUTH_COLUMNS`.
"""

from __future__ import annotations

import numpy as np

from .potentials import (
    complex_shape,
    fibre_potential,
    motor_unit_potential,
    positive_sharp_wave,
    render_spikes,
    spike_times_from_rate,
    truth_row,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from typing import Any

#: The grid keywords shared by every generator, documented once.
GRID_DOC = """fs : float
        Sampling rate in Hz.
    n_times : int
        Length of the output grid in samples, starting at ``t0`` seconds.
    start_s, duration_s : float
        Start and duration of the event, s.
    channel, trial : object
        Copied into the truth row.
    t0 : float
        Time of the first output sample, s.
    rng : int | numpy.random.Generator | None
        Random state."""


def _grid_doc(func):
    """Insert :data:`GRID_DOC` where a docstring says ``%(grid)s``."""
    if func.__doc__:  # None under python -OO
        func.__doc__ = func.__doc__.replace("%(grid)s", GRID_DOC)
    return func


def _linear_rate(r0, r1, duration_s):
    return lambda t: r0 + (r1 - r0) * np.clip(np.asarray(t) / duration_s, 0, 1)


def _render(times, amp, *, fs, n_times, t0, width_s, polarity, shape, kind, channel, trial):
    x = render_spikes(times, amp, fs=fs, n_times=n_times, width_s=width_s,
                      polarity=polarity, t0=t0, shape=shape)
    return x, truth_row(times, amp, kind, channel, trial)




@_grid_doc
def voluntary_train(*, fs, n_times, start_s, duration_s, rate_hz=10.0, rate_end_hz=None,
                    cv=0.15, amplitude_v=400e-6, width_s=8.0e-3, polarity=1.0, channel=None,
                    trial=None, t0=0.0, rng=None) -> tuple[np.ndarray, dict[str, Any]]:
    """One voluntary motor unit: regular 5–20 Hz firing of large, long potentials.

    Ranges: docs, domain reference, discharges.

    Parameters
    ----------
    rate_hz, rate_end_hz : float
        Firing rate at the start and the end, Hz (linear in between; default constant).
    cv : float
        Interval coefficient of variation (ours: 0.1–0.2 for a steadily firing unit).
    amplitude_v : float
        Peak-to-peak amplitude, V (constant, 5 % noise).
    width_s : float
        Total duration of the triphasic potential, s (docs: domain reference, discharges: 5–15 ms).

    %(grid)s
    polarity : float
        +1 or -1.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`myoemg.sim.potentials.TRUTH_COLUMNS` with ``kind='voluntary'``.
    """
    rng = np.random.default_rng(rng)
    rate_end_hz = rate_hz if rate_end_hz is None else rate_end_hz
    times = spike_times_from_rate(_linear_rate(rate_hz, rate_end_hz, duration_s), start_s,
                                  duration_s, jitter=cv, rng=rng)
    amp = amplitude_v * (1 + 0.05 * rng.standard_normal(times.size))
    return _render(times, amp, fs=fs, n_times=n_times, t0=t0, width_s=width_s,
                   polarity=polarity, shape=motor_unit_potential, kind="voluntary",
                   channel=channel, trial=trial)


@_grid_doc
def fibrillation_train(*, fs, n_times, start_s, duration_s, rate_hz=5.0, cv=0.02,
                       amplitude_v=100e-6, width_s=None, wave="fibrillation", polarity=1.0,
                       channel=None, trial=None, t0=0.0,
                       rng=None) -> tuple[np.ndarray, dict[str, Any]]:
    """Fibrillation potentials or positive sharp waves at a very regular 0.5–15 Hz.

    Ranges: docs, domain reference, discharges.

    Parameters
    ----------
    rate_hz : float
        Firing rate, Hz (constant).
    cv : float
        Interval coefficient of variation (ours: 0.02, "very regular").
    amplitude_v : float
        Peak-to-peak amplitude, V (docs: domain reference, discharges: < 1 mV).
    width_s : float | None
        Phase-to-phase width of a fibrillation spike (default 1 ms, total ≈ 3 ms) or total
        duration of a positive sharp wave (default 8 ms).
    wave : {'fibrillation', 'psw'}
        Biphasic spike or positive sharp wave.

    %(grid)s
    polarity : float
        +1 or -1.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`myoemg.sim.potentials.TRUTH_COLUMNS` with ``kind='fibrillation'``.
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


@_grid_doc
def crd_train(*, fs, n_times, start_s, duration_s, rate_hz=30.0, amplitude_v=400e-6,
              n_components=4, spacing_s=1.0e-3, width_s=0.8e-3, jitter=0.002, polarity=1.0,
              channel=None, trial=None, t0=0.0, rng=None) -> tuple[np.ndarray, dict[str, Any]]:
    """Complex repetitive discharge: identical polyphasic complexes at a constant rate.

    Abrupt start and stop at full amplitude, constant rate, near-zero jitter (docs: domain
    reference, discharges: 5–100 Hz, 100 µV–1 mV, "uniform rate and shape; abrupt onset,
    cessation").

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

    %(grid)s
    polarity : float
        +1 or -1.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`myoemg.sim.potentials.TRUTH_COLUMNS` with ``kind='crd'``.
    """
    rng = np.random.default_rng(rng)
    offsets = np.concatenate([[0.0], np.cumsum(spacing_s * rng.uniform(0.7, 1.3,
                                                                       n_components - 1))])
    offsets -= offsets.mean()
    complex_s = np.ptp(offsets) + 3 * width_s
    gains = rng.uniform(0.4, 1.0, n_components)
    gains[rng.integers(n_components)] = 1.0
    pols = rng.choice([-1.0, 1.0], n_components)
    shape = complex_shape(offsets, gains, pols, width_s)
    times = spike_times_from_rate(lambda t: np.full_like(t, rate_hz), start_s, duration_s,
                                  jitter=jitter, rng=rng)
    amp = np.full(times.size, amplitude_v)
    x = render_spikes(times, amp, fs=fs, n_times=n_times, width_s=complex_s / 6 + width_s,
                      polarity=polarity, t0=t0, shape=shape)
    return x, truth_row(times, amp, "crd", channel, trial)


@_grid_doc
def neuromyotonic_train(*, fs, n_times, start_s, duration_s, rate_hz=200.0, rate_end_hz=None,
                        amplitude_v=300e-6, amplitude_end_frac=0.5, width_s=2.5e-3,
                        jitter=0.03, polarity=1.0, channel=None, trial=None, t0=0.0,
                        rng=None) -> tuple[np.ndarray, dict[str, Any]]:
    """Neuromyotonic burst: brief motor-unit potentials at 150–300 Hz, amplitude waning.

    docs: domain reference, discharges (unverified): 150–300 Hz, bursts of seconds, abrupt start and
    stop, waning amplitude.

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

    %(grid)s
    polarity : float
        +1 or -1.

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One row of :data:`myoemg.sim.potentials.TRUTH_COLUMNS` with ``kind='neuromyotonic'``.
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


@_grid_doc
def fasciculation_train(*, fs, n_times, start_s, duration_s, rate_hz=1.0, amplitude_v=400e-6,
                        width_s=8.0e-3, polarity=1.0, channel=None, trial=None, t0=0.0,
                        rng=None):
    """Fasciculations: isolated potentials of one motor unit at irregular, low rates.

    Spike times are a Poisson process of mean ``rate_hz`` (ours: 0.3–3 Hz; the domain reference
    gives no rate) with a dead time of 50 ms; potentials are triphasic motor-unit potentials of
    constant shape and ±10 % amplitude.

    Parameters
    ----------
    rate_hz : float
        Mean rate, Hz.
    amplitude_v : float
        Peak-to-peak amplitude, V.
    width_s : float
        Total duration of the potential, s (docs: domain reference, discharges: motor-unit
        potentials 5–15 ms).
    polarity : float
        +1 or -1.
    %(grid)s

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One truth row with ``kind='fasciculation'``.
    """
    rng = np.random.default_rng(rng)
    n = max(3, int(rng.poisson(rate_hz * duration_s)))
    times = np.sort(start_s + rng.uniform(0, duration_s, n))
    times = times[np.concatenate([[True], np.diff(times) > 0.05])]
    amp = amplitude_v * (1 + 0.1 * rng.standard_normal(times.size))
    return _render(times, amp, fs=fs, n_times=n_times, t0=t0, width_s=width_s,
                   polarity=polarity, shape=motor_unit_potential, kind="fasciculation",
                   channel=channel, trial=trial)


@_grid_doc
def neuromyotonic_multiplets(*, fs, n_times, start_s, duration_s, burst_rate_hz=200.0,
                             group_rate_hz=4.0, n_per_group=(2, 6), amplitude_v=300e-6,
                             width_s=2.5e-3, polarity=1.0, channel=None, trial=None, t0=0.0,
                             rng=None):
    """Neuromyotonic multiplets: doublets to multiplets at 150–300 Hz, recurring irregularly.

    Groups of ``n_per_group`` potentials of one motor unit at ``burst_rate_hz`` within the
    group (docs: domain reference, discharges: 150–300 Hz, unverified), the groups starting at
    irregular intervals of mean 1 / ``group_rate_hz`` (ours), amplitude waning a little within each
    group.

    Parameters
    ----------
    burst_rate_hz : float
        Rate within a group, Hz.
    group_rate_hz : float
        Mean rate of the groups, Hz.
    n_per_group : (int, int)
        Fewest and most potentials per group.
    amplitude_v, width_s, polarity : float
        As in :func:`neuromyotonic_train`.
    %(grid)s

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One truth row with ``kind='neuromyotonic'``.
    """
    rng = np.random.default_rng(rng)
    starts, t = [], start_s
    while t < start_s + duration_s:
        starts.append(t)
        t += max(0.08, rng.exponential(1 / group_rate_hz))
    times, amp = [], []
    for g in starts:
        k = int(rng.integers(n_per_group[0], n_per_group[1] + 1))
        isi = (1 / burst_rate_hz) * (1 + 0.05 * rng.standard_normal(k))
        times.append(g + np.concatenate([[0.0], np.cumsum(isi[1:])]))
        amp.append(amplitude_v * np.linspace(1.0, 0.8, k))
    times, amp = np.concatenate(times), np.concatenate(amp)
    return _render(times, amp, fs=fs, n_times=n_times, t0=t0, width_s=width_s,
                   polarity=polarity, shape=motor_unit_potential, kind="neuromyotonic",
                   channel=channel, trial=trial)


@_grid_doc
def voluntary_tremor(*, fs, n_times, start_s, duration_s, tremor_hz=6.0, n_units=3,
                     amplitude_v=400e-6, width_s=8.0e-3, channel=None, trial=None, t0=0.0,
                     rng=None):
    """Voluntary motor units firing in the bursts of a tremor after the grip.

    Each of ``n_units`` units fires one or two potentials per tremor cycle (``tremor_hz``,
    ours: 4–12 Hz, physiological to essential tremor), locked to the cycle with 8 ms jitter;
    amplitudes and durations are those of voluntary motor units (docs: domain reference,
    discharges).

    Parameters
    ----------
    tremor_hz : float
        Tremor frequency, Hz.
    n_units : int
        Number of motor units.
    amplitude_v : float
        Peak-to-peak amplitude of the largest unit, V.
    width_s : float
        Mean potential duration, s.
    %(grid)s

    Returns
    -------
    x : ndarray, shape (n_times,)
    truth : dict
        One truth row with ``kind='voluntary'``.
    """
    rng = np.random.default_rng(rng)
    cycles = start_s + np.arange(0, duration_s, 1 / tremor_hz)
    x = np.zeros(n_times)
    all_t, all_a = [], []
    for u in range(n_units):
        phase = rng.uniform(0, 0.3 / tremor_hz)
        fire = rng.random(cycles.size) < 0.9
        t = cycles[fire] + phase + 0.008 * rng.standard_normal(fire.sum())
        doublet = rng.random(t.size) < 0.2
        t = np.sort(np.concatenate([t, t[doublet] + rng.uniform(0.008, 0.02, doublet.sum())]))
        a = amplitude_v * (0.4 + 0.6 * (u == 0)) * (1 + 0.05 * rng.standard_normal(t.size))
        x += render_spikes(t, a, fs=fs, n_times=n_times, width_s=width_s * rng.uniform(0.8, 1.2),
                           polarity=rng.choice([-1.0, 1.0]), t0=t0, shape=motor_unit_potential)
        all_t.append(t)
        all_a.append(a)
    times, amp = np.concatenate(all_t), np.concatenate(all_a)
    order = np.argsort(times)
    return x, truth_row(times[order], amp[order], "voluntary", channel, trial)
