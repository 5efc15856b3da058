"""Grip force and voluntary drive of a QMA session, and the RT90-5 truth (SPEC.md §1, §2).

Each grip (:class:`Grip`) is a continuous-time function: a smooth rise (0.2–0.5 s), a hold
with fatigue, an optional sag before the let-go, physiological tremor (8–12 Hz) while the drive
lasts, and a fall after the release (``release_s`` = onset of the final fall). Fall shapes g(τ)
(g(0) = 1, τ = time after release):

- ``'fast'``   exp(−(τ/T)^p), p 1.6–2.6: healthy relaxation;
- ``'slow'``   exp(−(τ/T)^p), p 1.0–1.6: slow myotonic relaxation or a slow voluntary let-go;
- ``'two_phase'`` w·exp(−(τ/Tf)²) + (1−w)·exp(−(τ/Ts)^q): a fast partial fall, then a slow
  myotonic tail (q < 1.3) or a plateau that then gives way (q ≥ 1.3).

The free time constant is solved so that RT90-5 hits a drawn target; the truth, though, is
measured afterwards on the clean force (tremor included, no sensor noise or offset) by the
rule of SPEC.md §2, so it never relies on the solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq

#: Grid step for the truth measurement on the clean force, s.
TRUTH_DT_S = 2.5e-4


@dataclass(frozen=True)
class Grip:
    """One maximal grip (times in s, force in N)."""

    onset_s: float
    rise_s: float
    hold_s: float
    peak_n: float
    fatigue: float          # linear decline over the hold, fraction of peak
    sag: float              # extra smooth decline before the let-go, fraction of peak
    sag_start_frac: float   # where in the hold the sag begins (0–1)
    sag_power: float        # shape of the sag, u**p (1 linear, 2 accelerating)
    tremor_frac: float      # tremor amplitude, fraction of peak
    tremor_hz: float
    fall: str               # 'fast' | 'slow' | 'two_phase'
    fall_params: dict = field(default_factory=dict)
    drive_off_s: float = 0.1    # voluntary drive stops over this time after release
    drive_follows_force: bool = False  # slow voluntary let-go: drive fades with the force

    @property
    def release_s(self):
        return self.onset_s + self.rise_s + self.hold_s

    def fall_shape(self, tau):
        """g(τ) for τ ≥ 0 s (dimensionless, g(0) = 1)."""
        return fall_shape(self.fall, self.fall_params, tau)

    def hold_level(self, t):
        """Fraction of the peak held at ``t`` (during the hold): fatigue and sag.

        The sag accelerates towards the let-go (u^p, p 1–2, ours), so the force is still
        sloping down when the final fall begins.
        """
        u_hold = np.clip((np.asarray(t, float) - self.onset_s - self.rise_s) / self.hold_s, 0, 1)
        s0 = self.sag_start_frac
        u_sag = np.clip((u_hold - s0) / max(1 - s0, 1e-6), 0, 1)
        return 1 - self.fatigue * u_hold - self.sag * u_sag**self.sag_power

    def level(self, t):
        """Force without tremor (N) at times ``t``.

        After the release the held level keeps its slope for a moment (it fades over 0.1 s,
        ours), so the force slope is continuous when the final fall g(τ) takes over.
        """
        t = np.asarray(t, float)
        rise = np.sin(0.5 * np.pi * np.clip((t - self.onset_s) / self.rise_s, 0, 1)) ** 2
        slope = -(self.fatigue + self.sag * self.sag_power / max(1 - self.sag_start_frac, 1e-6)
                  * (self.sag > 0)) / self.hold_s
        tau = np.clip(t - self.release_s, 0, None)
        h_after = self.hold_level(self.release_s) + slope * 0.1 * (1 - np.exp(-tau / 0.1))
        g = np.where(t < self.release_s, rise * self.hold_level(t),
                     h_after * self.fall_shape(tau))
        return np.where(t < self.onset_s, 0.0, self.peak_n * g)

    def drive(self, t):
        """Voluntary excitation (0–1) at times ``t``: leads the force, stops after release.

        During the hold the drive stays maximal except for half of the sag (the other half is
        fatigue of the muscle, ours); after the release it falls to 0 over ``drive_off_s``
        (50–150 ms), or with the force for a slow voluntary let-go.
        """
        t = np.asarray(t, float)
        lead = 0.05  # EMG onset precedes force (electromechanical delay), ours
        on = np.sin(0.5 * np.pi * np.clip((t - self.onset_s + lead) / self.rise_s, 0, 1)) ** 2
        t_pk = self.onset_s + self.rise_s
        u_hold = np.clip((t - t_pk) / self.hold_s, 0, 1)
        s0 = self.sag_start_frac
        u_sag = np.clip((u_hold - s0) / max(1 - s0, 1e-6), 0, 1)
        hold = 1 - 0.5 * self.sag * (3 * u_sag**2 - 2 * u_sag**3)
        tau = np.clip(t - self.release_s, 0, None)
        if self.drive_follows_force:
            after = self.fall_shape(tau)
            after = np.where(after < 0.03, 0.0, after)
        else:
            after = np.cos(0.5 * np.pi * np.clip(tau / self.drive_off_s, 0, 1)) ** 2
        return np.where(t < self.onset_s - lead, 0.0, on * hold * after)


def fall_shape(kind, p, tau):
    """Fall shape g(τ) of one family with parameters ``p`` (see module docstring)."""
    tau = np.asarray(tau, float)
    if kind in ("fast", "slow"):
        return np.exp(-((tau / p["T"]) ** p["p"]))
    if kind == "two_phase":
        w = p["w"]
        return w * np.exp(-((tau / p["Tf"]) ** 2)) + (1 - w) * np.exp(-((tau / p["Ts"]) ** p["q"]))
    raise ValueError(f"unknown fall shape {kind!r}")


def _rt_of_shape(kind, params):
    """RT90-5 (s) of a bare fall shape g (levels of g(0) = 1)."""
    tau = np.arange(0, 30, TRUTH_DT_S)
    g = fall_shape(kind, params, tau)
    return crossing_rt(tau, g, ref=1.0, t_from=0.0)["rt90_5_s"]


def solve_fall(kind, params, target_rt_s):
    """Return ``params`` with the free time constant set so that RT90-5 = ``target_rt_s``."""
    free = {"fast": "T", "slow": "T", "two_phase": "Ts"}[kind]

    def err(x):
        return _rt_of_shape(kind, {**params, free: x}) - target_rt_s

    lo, hi = 1e-3, 10.0
    if err(lo) > 0:  # target below what this shape allows: take the fastest
        return {**params, free: lo}
    return {**params, free: brentq(err, lo, hi, xtol=1e-5)}


def crossing_rt(t, f, *, ref, t_from):
    """RT90-5, RT90-50, RT50-5 of a clean force above baseline (SPEC.md §2).

    t90: last downward crossing of 0.9·ref before t5; t5: first time at or below 0.05·ref
    after ``t_from``; t50: first time at or below 0.5·ref after t90. Linear interpolation.

    Returns
    -------
    dict with ``t90_s``, ``t50_s``, ``t5_s``, ``rt90_5_s``, ``rt90_50_s``, ``rt50_5_s`` (NaN
    when the force never falls to 5 %).
    """
    nan = {k: np.nan for k in ("t90_s", "t50_s", "t5_s", "rt90_5_s", "rt90_50_s", "rt50_5_s")}
    start = int(np.searchsorted(t, t_from))
    below5 = np.flatnonzero(f[start:] <= 0.05 * ref)
    if below5.size == 0:
        return nan
    i5 = start + below5[0]
    t5 = _interp_cross(t, f, i5, 0.05 * ref)
    seg = f[: i5 + 1] - 0.9 * ref
    down = np.flatnonzero((seg[:-1] > 0) & (seg[1:] <= 0))
    i90 = down[-1] + 1
    t90 = _interp_cross(t, f, i90, 0.9 * ref)
    i50 = i90 + np.flatnonzero(f[i90:] <= 0.5 * ref)[0]
    t50 = _interp_cross(t, f, i50, 0.5 * ref)
    return {"t90_s": t90, "t50_s": t50, "t5_s": t5, "rt90_5_s": t5 - t90,
            "rt90_50_s": t50 - t90, "rt50_5_s": t5 - t50}


def _interp_cross(t, f, i, level):
    """Time where f falls through ``level`` between samples i−1 and i."""
    if i == 0:
        return t[0]
    f0, f1 = f[i - 1], f[i]
    frac = (f0 - level) / (f0 - f1) if f0 != f1 else 0.0
    return t[i - 1] + frac * (t[i] - t[i - 1])


def tremor(t, grips, rng_phase):
    """Physiological tremor (N): 8–12 Hz, amplitude riding on each grip's drive."""
    out = np.zeros_like(t)
    for g, ph in zip(grips, rng_phase, strict=True):
        sl = (t > g.onset_s - 0.1) & (t < g.release_s + 3.0)
        tt = t[sl]
        f = g.tremor_hz * (1 + 0.05 * np.sin(2 * np.pi * 0.37 * tt + ph))  # drifting frequency
        phase = 2 * np.pi * np.cumsum(f) * (tt[1] - tt[0] if tt.size > 1 else 0) + ph
        amp = g.tremor_frac * g.peak_n * (1 + 0.4 * np.sin(2 * np.pi * 0.6 * tt + 2 * ph))
        out[sl] = amp * g.drive(tt) * np.sin(phase)
    return out


def clean_force(t, grips, tremor_phase):
    """Clean grip force (N) at times ``t``: the grips plus their tremor, baseline 0."""
    f = np.zeros_like(t, dtype=float)
    for g in grips:
        f += g.level(t)
    return f + tremor(t, grips, tremor_phase)


def truth_rt(grip, grips, tremor_phase, next_onset_s):
    """RT truth of one grip, measured on the clean force on a fine grid (SPEC.md §2).

    Levels are fractions of the peak above baseline (baseline 0 on the clean force); when the
    force at the release has sagged below 90 % of the peak, of the force at the release
    (``sagged`` True).
    """
    t = np.arange(grip.onset_s, next_onset_s, TRUTH_DT_S)
    f = clean_force(t, grips, tremor_phase)
    hold = t <= grip.release_s
    peak = float(f[hold].max())
    f_rel = float(np.interp(grip.release_s, t, f))
    sagged = f_rel < 0.9 * peak
    ref = f_rel if sagged else peak
    t_from = grip.release_s if sagged else float(t[hold][np.argmax(f[hold])])
    i_from = int(np.searchsorted(t, t_from))
    rt = crossing_rt(t[i_from:], f[i_from:], ref=ref, t_from=t_from)
    return {**rt, "peak_force_n": peak, "ref_force_n": ref, "sagged": bool(sagged)}
