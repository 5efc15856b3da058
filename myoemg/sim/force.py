"""Simulated grip force as real dynamometers record it, with the truth of every trial.

The grips of :func:`myoemg.sim.simulate_session` rise, hold and fall cleanly. Real maximal grips
often **overshoot and sag** by 10–35 % before the let-go, end with a **brief re-grip** or a
**tremor burst**, and the device adds its own faults: a **compliant sensor** (a squeeze bulb or
foam that recovers slowly after the hand lets go), **clipping** at the top of its range and
**low resolution** (8–10 bit ADCs at 100–200 Hz). :func:`simulate_grips` makes a force channel
with any mix of these, described per trial by a :class:`GripShape`.

Model of one grip (force above the baseline, in N):

- ramp (raised cosine, ``ramp_s``) from the onset to the peak ``P``;
- hold: ``P · (1 − sag · (1 − e^(−u/τ)) / (1 − e^(−H/τ)))`` for ``u`` in ``[0, H]`` after the
  peak, so the force at the let-go is ``P · (1 − sag)``; a short ``sag_tau_s`` is an overshoot
  that settles, a long one a fatigue sag;
- optional re-grip: a partial let-go of ``regrip_depth`` (raised-cosine dip of ``regrip_s``)
  that ends ``regrip_gap_s`` before the final let-go;
- the let-go at ``release_s``: ``F_r · g(t − r)`` with ``g = (1 − w)·e^(−(t/τ_f)²) + w·e^(−t/τ_s)``
  (a fast fall plus, for ``w > 0``, a slow myotonic-like tail);
- compliant sensor: the device reports ``(1 − a)·f + a·(f ∗ h)``, ``h`` a first-order lag of
  ``sensor_tau_s``; the slow part is the device's own recovery tail.

Added afterwards, and **not** part of the truth: physiological tremor (8–12 Hz) in proportion
to the drive, an optional tremor burst in the last ``burst_s`` of the hold, white sensor noise,
the baseline offset and drift, then the ADC (clipping at ``adc_top_n``, quantisation to
``adc_bits`` over ``[adc_bottom_n, adc_top_n]``).

**Truth** is computed on the noise-free device output at 10 kHz with the definitions of
:mod:`myoemg.metrics.relaxation` (docs: domain reference, relaxation and its "Sagging grips"
paragraph): release =
the generative let-go instant (the onset of the final fall); reference force = median of the
force over the :data:`REFERENCE_WINDOW_S` before the release (not before the peak); reference =
'release' when the force there is more than :data:`SAG_LIMIT_PCT` % below the peak, or when the
device clips the grip (its peak is then unknown), else 'peak'; t5 = first fall through 5 % of
the reference after the release, t90 and t50 = last falls through 90 % and 50 % from the
release to t5 (the release itself when the force there is already below the level). The
classic peak-based numbers (``*_peak_s``: levels of the peak, crossings from the peak) and the
release-referenced ones (``*_release_s``) are given too. What the device does is part of the
truth, what it adds is not: the compliant sensor's tail is in it (software cannot tell it from
a slow relaxation, one reason a ULN is per device, docs: domain reference, relaxation and grading),
and so is clipping (the force above the sensor's top is lost: the let-go seen is where the force
leaves the top); tremor, noise and quantisation are not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import signal as sps

from ..recording import Channel, Recording
from ..signal import level_crossings
from ..utils import validate_fs

#: The documented definitions (myoemg.metrics.relaxation); a test checks they agree.
SAG_LIMIT_PCT = 10.0
REFERENCE_WINDOW_S = 0.3
_FINE_FS = 10_000.0  # truth rate, Hz: crossings are interpolated, so errors are µs
_GAUSS = np.sqrt(np.log(20)) - np.sqrt(np.log(1 / 0.9))  # RT90-5 / τ of a Gaussian fall

TRUTH_COLUMNS = ["trial", "onset_s", "peak_s", "release_s", "baseline_n", "peak_force_n",
                 "ref_force_n", "sag_pct", "reference", "clipped", "t90_s", "t50_s", "t5_s",
                 "rt90_5_s", "rt90_50_s", "rt50_5_s", "rt100_5_s", "rt100_50_s",
                 "rt90_5_peak_s", "rt90_50_peak_s", "rt50_5_peak_s", "rt90_5_release_s",
                 "rt90_50_release_s", "rt50_5_release_s"]
_RT_NAMES = ("rt90_5", "rt90_50", "rt50_5")


@dataclass(frozen=True)
class GripShape:
    """How one simulated grip, and the sensor that records it, behave.

    Attributes
    ----------
    peak_n : float
        Peak force above baseline, N.
    hold_s, ramp_s : float
        Time from the peak to the let-go, and the rise time, s.
    sag : float
        Fraction of the peak lost by the let-go (0.10–0.35 for a sagging grip).
    sag_tau_s : float
        Time constant of the sag, s (≈ 0.3: overshoot that settles; ≥ 2: steady fatigue).
    fall_tau_s : float
        Time constant of the fast (Gaussian) fall, s; RT90-5 ≈ 1.41 τ without a tail.
    tail_weight, tail_tau_s : float
        Weight and time constant of a slow exponential tail of the relaxation (myotonic-like).
    regrip_depth, regrip_s, regrip_gap_s : float
        A partial let-go (fraction of the force) lasting ``regrip_s`` and ending
        ``regrip_gap_s`` before the final let-go; depth 0: none.
    tremor : float
        Tremor amplitude as a fraction of the force, 8–12 Hz, during the grip.
    burst, burst_s : float
        Extra tremor (fraction of the force) in the last ``burst_s`` of the hold.
    sensor_lag, sensor_tau_s : float
        Compliant sensor: share ``a`` of the force seen through a lag of ``sensor_tau_s``.
    """

    peak_n: float = 300.0
    hold_s: float = 3.0
    ramp_s: float = 0.3
    sag: float = 0.0
    sag_tau_s: float = 1.0
    fall_tau_s: float = 0.18
    tail_weight: float = 0.0
    tail_tau_s: float = 0.5
    regrip_depth: float = 0.0
    regrip_s: float = 0.25
    regrip_gap_s: float = 0.3
    tremor: float = 0.005
    burst: float = 0.0
    burst_s: float = 0.4
    sensor_lag: float = 0.0
    sensor_tau_s: float = 0.6

    @property
    def nominal_rt90_5_s(self):
        """RT90-5 of the fast fall alone (no tail, no sensor lag), s."""
        return _GAUSS * self.fall_tau_s


def _raised(u):
    """0 → 1 raised cosine on u in [0, 1] (clipped outside)."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(u, 0.0, 1.0))


def _hold(u, shape):
    """Force of the hold, fraction of the peak, ``u`` s after the peak."""
    if shape.sag == 0:
        return np.ones_like(u)
    tau = shape.sag_tau_s
    return 1 - shape.sag * (1 - np.exp(-u / tau)) / (1 - np.exp(-shape.hold_s / tau))


def _fall(u, shape):
    """Relaxation g(u) from 1 at the let-go (u = 0) towards 0."""
    u = np.maximum(u, 0.0)
    w = shape.tail_weight
    return (1 - w) * np.exp(-((u / shape.fall_tau_s) ** 2)) + w * np.exp(-u / shape.tail_tau_s)


def _muscle_force(t, onset, shape):
    """Clean force above baseline of one grip (without the sensor), N; shape of ``t``."""
    t_peak = onset + shape.ramp_s
    release = t_peak + shape.hold_s
    u = t - t_peak
    level = shape.peak_n * _hold(np.clip(u, 0, shape.hold_s), shape)
    if shape.regrip_depth > 0:
        end = release - shape.regrip_gap_s
        dip = np.sin(np.pi * np.clip((t - end + shape.regrip_s) / shape.regrip_s, 0, 1)) ** 2
        level = level * (1 - shape.regrip_depth * dip)
    f_release = shape.peak_n * _hold(np.array(shape.hold_s), shape)
    rise = shape.peak_n * _raised((t - onset) / shape.ramp_s)
    force = np.where(t < t_peak, rise, level)
    return np.where(t >= release, f_release * _fall(t - release, shape), force)


def _first_order_lag(x, fs, tau_s):
    """Output of a first-order low-pass (time constant ``tau_s``) driven by ``x``."""
    alpha = 1.0 - np.exp(-1.0 / (fs * tau_s))
    return sps.lfilter([alpha], [1.0, alpha - 1.0], x)


def simulate_grips(shapes, *, fs, rest_s=6.0, lead_in_s=3.0, offset_n=5.0, drift_n=2.0,
                   noise_n=0.3, adc_bits=None, adc_top_n=None, adc_bottom_n=None, seed=None):
    """A force channel of grips of the given shapes, and the truth of each trial.

    Parameters
    ----------
    shapes : sequence of GripShape
        One per grip, in order.
    fs : float
        Sampling rate of the force, Hz (required; e.g. 100–200 Hz for a cheap device).
    rest_s, lead_in_s : float
        Rest after each relaxation (at least 4 s past the let-go plus the tails) and before the
        first grip, s.
    offset_n, drift_n, noise_n : float
        Baseline offset, linear drift over the recording and white noise RMS, N.
    adc_bits : int | None
        Resolution of the ADC over ``[adc_bottom_n, adc_top_n]`` (None: not quantised).
    adc_top_n, adc_bottom_n : float | None
        Range of the sensor in N (reported force): values above the top are clipped to it.
        Defaults: 1.25 × the largest peak plus the offset, and 0.
    seed : int | None
        Random seed.

    Returns
    -------
    recording : Recording
        One force channel 'Grip' in N at ``fs``; metadata ``device`` 'myoemg.sim'.
    truth : DataFrame
        :data:`TRUTH_COLUMNS`, one row per grip; times in s, forces in N (above baseline).
    """
    fs = validate_fs(fs)
    shapes = list(shapes)
    if not shapes:
        raise ValueError("simulate_grips needs at least one GripShape.")
    rng = np.random.default_rng(seed)
    onsets, t = [], lead_in_s
    for s in shapes:
        onsets.append(t)
        tail = 6 * max(s.tail_tau_s * (s.tail_weight > 0), s.sensor_tau_s * (s.sensor_lag > 0))
        t += s.ramp_s + s.hold_s + 4 * s.fall_tau_s + tail + rest_s
    duration = float(np.ceil(t))
    fine_t = np.arange(int(duration * _FINE_FS)) / _FINE_FS
    device = np.zeros_like(fine_t)  # noise-free device output above baseline, N
    bounds = np.searchsorted(fine_t, [*onsets, duration])
    for k, (on, s) in enumerate(zip(onsets, shapes, strict=True)):
        w = slice(bounds[k], bounds[k + 1])  # each grip (and its tails) until the next onset
        f = _muscle_force(fine_t[w], on, s)
        if s.sensor_lag > 0:
            f = (1 - s.sensor_lag) * f + s.sensor_lag * _first_order_lag(f, _FINE_FS,
                                                                          s.sensor_tau_s)
        device[w] = f
    top = adc_top_n if adc_top_n is not None else 1.25 * max(s.peak_n for s in shapes) + \
        offset_n
    ts = np.arange(int(duration * fs)) / fs
    x = np.interp(ts, fine_t, device)
    x += _tremor(ts, onsets, shapes, rng) + offset_n + drift_n * ts / duration
    x += noise_n * rng.standard_normal(ts.size)
    clipped = [bool((x[_window(ts, on, s)] >= top).any())
               for on, s in zip(onsets, shapes, strict=True)]
    x = _adc(x, bits=adc_bits, top=top, bottom=0.0 if adc_bottom_n is None else adc_bottom_n)
    # The device cannot report more than its top: the truth is that of the clipped output.
    rail = top - (offset_n + drift_n * fine_t / duration)
    truth = truth_table(fine_t, np.minimum(device, rail), onsets, shapes, clipped, _FINE_FS,
                        baseline=lambda tt: offset_n + drift_n * tt / duration, rail=rail)
    meta = {"device": "myoemg.sim", "subject": "SIM"}
    rec = Recording([Channel("Grip", "force", x, fs, "N", source_unit="N")], metadata=meta,
                    source="simulated")
    return rec, truth


def _window(t, onset, shape):
    """Samples of one grip, from its onset to 1 s after the let-go."""
    return (t >= onset) & (t < onset + shape.ramp_s + shape.hold_s + 1.0)


def _tremor(ts, onsets, shapes, rng):
    """Physiological tremor (8–12 Hz) during each grip, plus the end-of-hold bursts, N."""
    out = np.zeros_like(ts)
    for on, s in zip(onsets, shapes, strict=True):
        f_hz = 8 + 4 * rng.random()
        release = on + s.ramp_s + s.hold_s
        drive = _raised((ts - on) / s.ramp_s) * (ts < release)
        amp = s.tremor + s.burst * ((ts >= release - s.burst_s) & (ts < release))
        out += s.peak_n * amp * drive * np.sin(2 * np.pi * f_hz * ts + rng.uniform(0, 2 * np.pi))
    return out


def _adc(x, *, bits, top, bottom):
    """Clip at the sensor's range and quantise to ``bits`` over it."""
    x = np.clip(x, bottom, top)
    if bits is None:
        return x
    step = (top - bottom) / (2 ** int(bits) - 1)
    return bottom + np.round((x - bottom) / step) * step


def truth_table(t, device, onsets, shapes, clipped, fs, *, baseline, rail=None):
    """Truth of each grip on the noise-free device output (module docstring definitions).

    Parameters
    ----------
    t : ndarray, shape (n_times,)
        Times of ``device``, s (uniform at ``fs``).
    device : ndarray, shape (n_times,)
        Noise-free force above baseline as the device reports it (clipped at ``rail``), N.
    onsets : sequence of float
        Onset of each grip's ramp, s.
    shapes : sequence of GripShape
        One per grip.
    clipped : sequence of bool
        Whether the device clips each grip.
    fs : float
        Rate of ``t``, Hz.
    baseline : callable
        Baseline (offset + drift) at a time, N.
    rail : ndarray, shape (n_times,) | None
        The sensor's top above baseline, N; a clipped grip's release is where the force leaves
        it, when that is after the let-go.

    Returns
    -------
    truth : DataFrame
        :data:`TRUTH_COLUMNS`.
    """
    rows = []
    for k, (on, s, clip) in enumerate(zip(onsets, shapes, clipped, strict=True)):
        release = on + s.ramp_s + s.hold_s
        if clip and rail is not None:
            at_top = np.flatnonzero(_window(t, on, s) & (device >= rail - 1e-9))
            if at_top.size:
                release = max(release, float(t[at_top[-1]]))
        sel = (t >= on - 0.5) & (t < release + 60 * max(s.fall_tau_s, 0.1)
                                 + 10 * (s.tail_tau_s + s.sensor_tau_s))
        tt, f = t[sel], device[sel]
        i_rel = int(round((release - tt[0]) * fs))
        i_peak = int(np.argmax(f[: i_rel + 1]))
        peak = float(f[i_peak])
        lo = max(i_peak, i_rel - int(round(REFERENCE_WINDOW_S * fs)))
        f_release = float(np.median(f[lo:i_rel + 1]))
        sag = 100 * (1 - f_release / peak)
        reference = "release" if sag > SAG_LIMIT_PCT or clip else "peak"
        ref = f_release if reference == "release" else peak
        auto = _crossings(f, tt, i_rel, ref, i_rel)
        classic = _crossings(f, tt, i_peak, peak, i_rel)
        from_release = _crossings(f, tt, i_rel, f_release, i_rel)
        up = level_crossings(f[: i_peak + 1], 0.05 * peak, direction="up")
        rows.append({
            "trial": k + 1, "onset_s": tt[0] + up[0] / fs, "peak_s": tt[i_peak],
            "release_s": release, "baseline_n": float(baseline(on)), "peak_force_n": peak,
            "ref_force_n": ref, "sag_pct": sag, "reference": reference, "clipped": bool(clip),
            **auto, "rt100_5_s": auto["t5_s"] - release, "rt100_50_s": auto["t50_s"] - release,
            **{f"{m}_peak_s": classic[f"{m}_s"] for m in _RT_NAMES},
            **{f"{m}_release_s": from_release[f"{m}_s"] for m in _RT_NAMES}})
    return pd.DataFrame(rows, columns=TRUTH_COLUMNS)


def _crossings(f, tt, start, amp, i_rel):
    """t90, t50, t5 and the RTs for levels of ``amp``.

    t5: first fall through 5 % after the release sample ``i_rel``; t90, t50: last falls through
    90 % and 50 % from sample ``start`` (the release, or the peak for the classic QMA numbers)
    to t5, or ``start`` itself when the force is already below the level there.
    """
    fs = 1 / (tt[1] - tt[0])
    t5 = level_crossings(f[i_rel:], 0.05 * amp, direction="down")
    stop = i_rel + t5[0] if t5.size else np.nan
    out = {"t5_s": tt[0] + stop / fs}
    for p in (90, 50):
        level = p / 100 * amp
        down = start + level_crossings(f[start:], level, direction="down")
        down = down[down <= stop]
        if not down.size and f[start] <= level and np.isfinite(stop):
            down = np.array([start])  # already below the level when the search starts
        out[f"t{p}_s"] = tt[0] + down[-1] / fs if down.size else np.nan
    return {"t90_s": out["t90_s"], "t50_s": out["t50_s"], "t5_s": out["t5_s"],
            "rt90_5_s": out["t5_s"] - out["t90_s"], "rt90_50_s": out["t50_s"] - out["t90_s"],
            "rt50_5_s": out["t5_s"] - out["t50_s"]}


def random_shapes(kind, n, *, seed=None):
    """``n`` random grip shapes of one kind, with physiological spreads (ours).

    Parameters
    ----------
    kind : {'clean', 'sag', 'overshoot', 'regrip', 'burst', 'compliant', 'myotonic_sag'}
        'clean': no sag; 'sag': fatigue sag 10–35 %; 'overshoot': an early overshoot that
        settles 10–35 % lower; 'regrip': sag plus a partial let-go and re-grip before the
        let-go; 'burst': sag plus a tremor burst at the end of the hold; 'compliant': sag
        seen through a compliant sensor (slow device tail); 'myotonic_sag': sag and a slow
        relaxation tail.
    n : int
        How many.
    seed : int | None
        Random seed.

    Returns
    -------
    shapes : list of GripShape
    """
    rng = np.random.default_rng(seed)
    session_peak = rng.uniform(150, 450)  # one subject: grips within 20 % of each other
    out = []
    for _ in range(n):
        base = dict(peak_n=session_peak * rng.uniform(0.8, 1.0), hold_s=rng.uniform(2.5, 3.5),
                    fall_tau_s=rng.uniform(0.12, 0.25), tremor=rng.uniform(0.002, 0.01))
        sag = dict(sag=rng.uniform(0.10, 0.35), sag_tau_s=rng.uniform(1.5, 4.0))
        extra = {
            "clean": {},
            "sag": sag,
            "overshoot": dict(sag=rng.uniform(0.10, 0.35), sag_tau_s=rng.uniform(0.2, 0.5)),
            "regrip": {**sag, "regrip_depth": rng.uniform(0.15, 0.4),
                       "regrip_gap_s": rng.uniform(0.25, 0.5)},
            "burst": {**sag, "burst": rng.uniform(0.03, 0.08), "burst_s": rng.uniform(0.3, 0.6)},
            "compliant": {**sag, "sensor_lag": rng.uniform(0.05, 0.2),
                          "sensor_tau_s": rng.uniform(0.3, 1.0)},
            "myotonic_sag": {**sag, "tail_weight": rng.uniform(0.3, 0.6),
                             "tail_tau_s": rng.uniform(0.3, 1.0)},
        }
        if kind not in extra:
            raise ValueError(f"unknown grip kind {kind!r}; use one of {sorted(extra)}.")
        out.append(GripShape(**{**base, **extra[kind]}))
    return out


def shapes_table(shapes):
    """The shapes as a table, one row per grip (for notes and debugging)."""
    return pd.DataFrame([asdict(s) for s in shapes])


__all__ = ["REFERENCE_WINDOW_S", "SAG_LIMIT_PCT", "TRUTH_COLUMNS", "GripShape",
           "random_shapes", "shapes_table", "simulate_grips", "truth_table"]
