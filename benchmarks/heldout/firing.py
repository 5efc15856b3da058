"""Spike times: a rate course turned into a train by time rescaling, and the rate courses.

A train with instantaneous rate r(t) is drawn by time rescaling: the phase Φ(t) = ∫ r dt is
cut at cumulative sums of Gamma(k, 1/k) increments (mean 1, CV = 1/√k), so the local rate
follows r(t) and the interval irregularity is set by k. This covers a voluntary motor unit
(CV 0.1–0.25), a myotonic fibre (CV ~0.05–0.1) and a near-clockwork CRD (CV < 0.01) alike.

Written for the held-out family, independently of ``myoemg.sim``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Grid step of rate courses, s.
RATE_DT_S = 2.5e-4


def rescaled_times(rate_hz, *, t0_s, cv, rng, first_at_start=False):
    """Spike times of a train whose rate follows ``rate_hz`` (sampled every ``RATE_DT_S``).

    Parameters
    ----------
    rate_hz : ndarray, shape (n,)
        Instantaneous rate, Hz (0 where the source is silent).
    t0_s : float
        Time of ``rate_hz[0]``, s.
    cv : float
        Coefficient of variation of the intervals at constant rate.
    first_at_start : bool
        The first spike at ``t0_s`` (a train that starts abruptly) instead of a random phase.

    Returns
    -------
    times_s : ndarray, shape (n_spikes,)
    """
    phase = np.concatenate([[0.0], np.cumsum(rate_hz[:-1]) * RATE_DT_S])
    phase += np.arange(phase.size) * 1e-12  # strictly increasing for np.interp
    total = phase[-1]
    if total <= 0:
        return np.zeros(0)
    k = 1.0 / cv**2
    n = int(total * 1.3 + 10 * np.sqrt(total) + 10)
    steps = rng.gamma(k, 1.0 / k, n)
    cum = np.cumsum(steps) - (steps[0] if first_at_start else rng.uniform(0, 1))
    while cum[-1] < total:  # rare: draw more
        more = np.cumsum(rng.gamma(k, 1.0 / k, n)) + cum[-1]
        cum = np.concatenate([cum, more])
    cum = cum[(cum >= 0) & (cum <= total)]
    return t0_s + np.interp(cum, phase, np.arange(phase.size) * RATE_DT_S)


@dataclass(frozen=True)
class MyotonicCourse:
    """Rate and amplitude course of one myotonic fibre (SPEC.md §5: both wax and wane).

    Attributes: start and end (s), rates (Hz) at start, peak and end, time of the rate peak
    (s after start), power of the waning, amplitude envelope start / end (fraction of max) and
    time of the amplitude peak (s after start), interval CV.
    """

    start_s: float
    end_s: float
    rate_start_hz: float
    rate_max_hz: float
    rate_end_hz: float
    rate_peak_after_s: float
    wane_power: float
    amp_start: float
    amp_end: float
    amp_peak_after_s: float
    cv: float

    def rate(self, t):
        """Instantaneous rate (Hz) at times ``t`` (s): linear waxing, then power-law waning."""
        u = np.asarray(t, float) - self.start_s
        d = self.end_s - self.start_s
        tp = self.rate_peak_after_s
        wax = self.rate_start_hz + (self.rate_max_hz - self.rate_start_hz) * u / max(tp, 1e-9)
        wane_frac = np.clip((d - u) / max(d - tp, 1e-9), 0, 1) ** self.wane_power
        wane = self.rate_end_hz + (self.rate_max_hz - self.rate_end_hz) * wane_frac
        return np.where(u < tp, wax, wane)

    def amplitude(self, t):
        """Amplitude envelope (fraction of the fibre's maximum) at times ``t`` (s)."""
        u = np.asarray(t, float) - self.start_s
        d = self.end_s - self.start_s
        tp = self.amp_peak_after_s
        up = self.amp_start + (1 - self.amp_start) * np.clip(u / max(tp, 1e-9), 0, 1)
        down = 1 - (1 - self.amp_end) * np.clip((u - tp) / max(d - tp, 1e-9), 0, 1) ** 0.8
        return np.where(u < tp, up, down)


def draw_myotonic_course(rng, *, start_s, end_s):
    """Draw one fibre's course: rates 40–140 Hz waning to 15–40 Hz; waxing first half the time.

    The waning is convex (power 1–2.5): fast at first, slowing towards the end rate.

    Rates after SPEC.md §5 (20–80 Hz AANEM, wider ranges elsewhere) and issue 11 ("from
    40–150 Hz down to 15–40 Hz"); the other draws are ours.
    """
    d = end_s - start_s
    r_max = rng.uniform(40, 140)  # measured maxima reach ~150 Hz with interval jitter
    r_end = min(rng.uniform(15, 40), 0.7 * r_max)
    if rng.random() < 0.5:  # waxing for a moment, then waning
        tp = min(rng.uniform(0.03, 0.3), 0.3 * d)
        r0 = r_max * rng.uniform(0.5, 0.9)
    else:  # waning only
        tp, r0 = 0.0, r_max
    if rng.random() < 0.6:
        a0, ta = rng.uniform(0.4, 0.9), rng.uniform(0.05, 0.4) * d
    else:
        a0, ta = 1.0, 0.0
    return MyotonicCourse(start_s, end_s, r0, r_max, r_end, tp, rng.uniform(1.0, 2.5), a0,
                          rng.uniform(0.15, 0.7), ta, rng.uniform(0.04, 0.1))


def myotonic_times(course, rng):
    """Spike times of a myotonic fibre: first spike at its start, none after its end."""
    grid = np.arange(course.start_s, course.end_s, RATE_DT_S)
    return rescaled_times(course.rate(grid), t0_s=course.start_s, cv=course.cv, rng=rng,
                          first_at_start=True)


@dataclass(frozen=True)
class MotorPool:
    """A motor-unit pool driven by a common excitation (after Fuglevand et al. 1993, ours).

    Recruitment thresholds are spread exponentially (many small low-threshold units); a unit
    fires from ``min_rate_hz`` at its threshold and its rate grows linearly with excitation to
    its peak rate (35 Hz for the first unit down to ~22 Hz for the last); larger units have
    larger potentials (size principle). Fuglevand AJ, Winter DA, Patla AE, J Neurophysiol
    1993;70:2470–2488.
    """

    thresholds: np.ndarray
    peak_rate_hz: np.ndarray
    min_rate_hz: float
    cv: np.ndarray
    size: np.ndarray

    @property
    def n_units(self):
        return self.thresholds.size

    def rates(self, drive, i):
        """Rate (Hz) of unit ``i`` for an excitation course ``drive`` (0–1)."""
        thr = self.thresholds[i]
        slope = (self.peak_rate_hz[i] - self.min_rate_hz) / max(1.0 - thr, 0.05)
        r = np.minimum(self.min_rate_hz + slope * (drive - thr), self.peak_rate_hz[i])
        return np.where(drive >= thr, r, 0.0)


def draw_pool(rng, *, n_units):
    """Draw a pool: thresholds 1 %–(50–75 %) of maximal excitation, 8–35 Hz, CV 0.1–0.25."""
    frac = np.arange(n_units) / max(n_units - 1, 1)
    top = rng.uniform(0.5, 0.75)
    thr = 0.01 * np.exp(np.log(top / 0.01) * frac)
    peak = 35.0 - rng.uniform(8, 13) * frac
    size = np.exp(np.log(rng.uniform(10, 30)) * frac) * rng.lognormal(0, 0.3, n_units)
    return MotorPool(thr, peak, rng.uniform(6.5, 9.0), rng.uniform(0.1, 0.25, n_units), size)


def tremor_grouped_times(rng, *, start_s, end_s, tremor_hz, p_fire, jitter_s):
    """A motor unit firing once per tremor cycle (8–12 Hz grouping), skipping some cycles."""
    period = 1.0 / tremor_hz
    phase0 = rng.uniform(0, period)
    cycles = np.arange(start_s + phase0, end_s, period)
    cycles = cycles + np.cumsum(rng.normal(0, 0.03 * period, cycles.size))  # tremor wanders
    keep = rng.random(cycles.size) < p_fire
    t = cycles[keep] + rng.normal(0, jitter_s, keep.sum())
    return np.sort(t[(t >= start_s) & (t <= end_s)])


def burst_times(rng, *, start_s, end_s, intra_hz, n_per_burst, burst_hz):
    """Neuromyotonic multiplets: bursts of ``n_per_burst`` spikes at 150–300 Hz, recurring.

    ``burst_hz`` is the (irregular) recurrence of the bursts; intervals inside a burst vary
    by ~5 % (ours).
    """
    onsets = rescaled_times(np.full(int((end_s - start_s) / RATE_DT_S), burst_hz),
                            t0_s=start_s, cv=0.3, rng=rng, first_at_start=True)
    out = []
    for b in onsets:
        n = int(rng.integers(n_per_burst[0], n_per_burst[1] + 1))
        isi = rng.normal(1.0 / intra_hz, 0.05 / intra_hz, n - 1)
        out.append(b + np.concatenate([[0.0], np.cumsum(isi)]))
    t = np.concatenate(out) if out else np.zeros(0)
    return t[t <= end_s]
