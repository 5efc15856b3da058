"""Session plans: what a held-out session holds, drawn from one seed (no signals yet).

A session is either **myotonic** (relaxation prolonged, myotonic fibres discharging after most
releases; relaxation course warm-up, paradoxical or steady, SPEC.md §3) or a **control**
(normal relaxation; after most releases a look-alike of one or two kinds from the session's
pool, else silence). Look-alike kinds: 'crd', 'fibrillation', 'psw', 'neuromyotonic',
'fasciculation', 'voluntary_tremor', 'slow_letgo' (SPEC.md §5 table).

Every draw lives here so that the README can list them in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .force import Grip, solve_fall

LOOKALIKES = ("crd", "fibrillation", "psw", "neuromyotonic", "fasciculation",
              "voluntary_tremor", "slow_letgo")
#: Spontaneous activity that may coexist with myotonia in a myotonic session (ours).
COEXISTING = ("fibrillation", "psw", "fasciculation")
SURFACE_FS = (1000.0, 1024.0, 1111.0, 1999.0, 2000.0, 2048.0, 2500.0, 3000.0, 3333.0, 4000.0)
NEEDLE_FS = (20000.0, 24000.0, 25000.0, 31250.0, 32000.0, 40000.0, 44100.0, 48000.0)
FORCE_FS = (100.0, 123.0, 200.0, 250.0, 487.3, 500.0, 1000.0)


@dataclass
class TrialPlan:
    """One grip and what follows its release."""

    trial: int
    grip: Grip
    rt_target_s: float
    myotonic: bool
    n_fibres: int
    lookalike: str
    start_rel_base_s: float = 0.0   # myotonic fibres start near release + this (s)
    after_s: float = 0.0            # duration of the myotonic after-activity (s)
    next_onset_s: float = np.nan    # onset of the next grip or end of the recording (s)


@dataclass
class SessionPlan:
    """Everything drawn for a session before rendering."""

    seed: int
    electrode: str
    fs_emg: float
    fs_force: float
    n_channels: int
    mains_hz: float | None
    hum_uv: float
    harmonics: dict
    session_class: str
    pattern: str
    lookalike_pool: tuple
    trials: list = field(default_factory=list)
    duration_s: float = 0.0


def _pick(rng, values, uniform_range):
    """Half the time a common value, half the time an odd one drawn uniformly."""
    if rng.random() < 0.5:
        return float(rng.choice(values))
    return float(np.round(rng.uniform(*uniform_range), 1))


def draw_rt_course(rng, n_trials, pattern):
    """Target RT90-5 (s) per trial: warm-up, paradoxical, steady (myotonic) or normal."""
    k = np.arange(n_trials)
    if pattern == "warm-up":  # RT_k = RT_inf + A e^(-(k-1)/n) (SPEC.md §3; DM1: 2.5 -> 0.8 s)
        rt1, rt_inf = rng.uniform(1.5, 4.0), rng.uniform(0.45, 1.0)
        rt = rt_inf + (rt1 - rt_inf) * np.exp(-k / rng.uniform(0.5, 2.0))
    elif pattern == "paradoxical":
        rt1, rt_max = rng.uniform(0.6, 1.2), rng.uniform(2.0, 4.0)
        rt = rt1 + (rt_max - rt1) * (1 - np.exp(-k / rng.uniform(0.7, 2.5)))
    elif pattern == "steady":
        rt = np.full(n_trials, rng.uniform(0.8, 3.0))
    else:  # normal: RT90-5 0.15-0.45 s (controls ~0.4 s, Logigian 2005; 0.17 s, 2019 device)
        rt = np.full(n_trials, rng.uniform(0.17, 0.4))
    jitter = rng.uniform(0.92, 1.08, n_trials)
    lo, hi = (0.6, 4.0) if pattern in ("paradoxical", "steady") else (0.15, 4.0)
    if pattern == "normal":
        lo, hi = 0.15, 0.45
    return np.clip(rt * jitter, lo, hi)


def draw_grip(rng, *, onset_s, rt_s, lookalike, peak_n):
    """A 3-s maximal grip whose relaxation has RT90-5 ≈ ``rt_s`` (SPEC.md §1, §2).

    Peak force varies by -15..+10 % around the session's ``peak_n`` (no warm-up of peak force
    in DM1, Logigian 2005).
    """
    rise = rng.uniform(0.2, 0.5)
    hold = rng.uniform(2.7, 3.3) - rise
    sag = rng.uniform(0.05, 0.30) if rng.random() < 0.4 else 0.0
    common = dict(onset_s=onset_s, rise_s=rise, hold_s=hold,
                  peak_n=peak_n * rng.uniform(0.85, 1.1), fatigue=rng.uniform(0.0, 0.06),
                  sag=sag, sag_start_frac=rng.uniform(0.3, 0.8), sag_power=rng.uniform(1.0, 2.0),
                  tremor_frac=rng.uniform(0.003, 0.015), tremor_hz=rng.uniform(8, 12),
                  drive_off_s=rng.uniform(0.05, 0.15))
    if lookalike == "slow_letgo":
        rt_s = rng.uniform(0.6, 2.5)
        kind, params = "slow", {"p": rng.uniform(1.0, 1.6)}
    elif rt_s < 0.55:
        kind, params = "fast", {"p": rng.uniform(1.6, 2.6)}
    elif rng.random() < 0.5:
        kind, params = "slow", {"p": rng.uniform(1.0, 1.6)}
    else:
        kind, params = "two_phase", {"w": rng.uniform(0.3, 0.75), "Tf": rng.uniform(0.08, 0.2),
                                     "q": rng.uniform(0.8, 2.5)}
    params = solve_fall(kind, params, rt_s)
    return Grip(**common, fall=kind, fall_params=params,
                drive_follows_force=lookalike == "slow_letgo"), rt_s


def settle_time_s(grip, frac=0.005):
    """Time after release at which the fall shape is below ``frac`` of the release force."""
    tau = np.arange(0, 40, 1e-3)
    below = np.flatnonzero(grip.fall_shape(tau) < frac)
    return float(tau[below[0]]) if below.size else 40.0


def draw_session(seed, *, electrode=None, fs_emg=None, n_channels=None, n_trials=None,
                 session_class=None, mains_hz="draw", hum_uv=None, lookalike=None):
    """Draw a :class:`SessionPlan` from ``seed``; keyword arguments pin single draws."""
    rng = np.random.default_rng(seed)
    electrode = electrode or ("surface" if rng.random() < 0.65 else "needle")
    if fs_emg is None:
        fs_emg = (_pick(rng, SURFACE_FS, (1000, 4000)) if electrode == "surface"
                  else _pick(rng, NEEDLE_FS, (20000, 48000)))
    if n_channels is None:
        n_channels = int(rng.choice([1, 2, 3, 4], p=[0.3, 0.3, 0.2, 0.2]) if electrode ==
                         "surface" else rng.choice([1, 2], p=[0.7, 0.3]))
    if mains_hz == "draw":
        mains_hz = None if rng.random() < 0.2 else float(rng.choice([50.0, 60.0]))
    if hum_uv is None:
        hum_uv = 0.0 if mains_hz is None else float(np.exp(rng.uniform(np.log(1), np.log(50))))
    harmonics = {}
    if mains_hz is not None and rng.random() < 0.6:  # odd harmonics dominate (ours)
        harmonics = {2: rng.uniform(0, 0.2), 3: rng.uniform(0.2, 0.8), 5: rng.uniform(0, 0.4)}
    session_class = session_class or ("myotonic" if rng.random() < 0.55 else "control")
    if session_class == "myotonic":
        pattern = str(rng.choice(["warm-up", "paradoxical", "steady"], p=[0.5, 0.2, 0.3]))
        pool = ()
    else:
        pattern = "normal"
        pool = (lookalike,) if lookalike else tuple(
            rng.choice(LOOKALIKES, size=int(rng.integers(1, 3)), replace=False))
    n_trials = n_trials or int(rng.choice([4, 5, 6, 7, 8], p=[0.1, 0.15, 0.45, 0.15, 0.15]))
    plan = SessionPlan(seed, electrode, float(fs_emg),
                       _pick(rng, FORCE_FS, (100, 1000)), int(n_channels), mains_hz,
                       float(hum_uv), harmonics, session_class, pattern, pool)
    _draw_trials(rng, plan, n_trials, lookalike)
    return plan


def _draw_trials(rng, plan, n_trials, lookalike):
    rts = draw_rt_course(rng, n_trials, plan.pattern)
    peak_n = rng.uniform(80, 450)  # session's maximal grip, N (ours; DM2 can be weak)
    t = rng.uniform(2.0, 4.0)
    for k in range(n_trials):
        if plan.session_class == "control":
            kind = (lookalike or str(rng.choice(plan.lookalike_pool))) \
                if rng.random() < 0.75 or lookalike else "none"
        else:
            kind = str(rng.choice(COEXISTING)) if rng.random() < 0.08 else "none"
        grip, rt = draw_grip(rng, onset_s=t, rt_s=rts[k], lookalike=kind, peak_n=peak_n)
        tp = TrialPlan(k + 1, grip, rt, False, 0, kind)
        if plan.session_class == "myotonic" and (rt >= 0.6 or rng.random() < 0.5):
            top = 10 if rt > 1.0 else 7 if rt >= 0.6 else 3
            tp.myotonic, tp.n_fibres = True, int(rng.integers(1, top + 1))
            before = rng.random() < 0.35  # some begin under the end of the contraction
            tp.start_rel_base_s = rng.uniform(-0.3, -0.03) if before else rng.uniform(0, 0.12)
            # after-activity tracks the relaxation (SPEC.md §5): ~0.5-4 s
            tp.after_s = float(np.clip(rt * rng.uniform(0.8, 1.25), 0.45, 4.2))
        busy = max(settle_time_s(grip), tp.after_s + 0.5)
        rest = max(rng.uniform(5.0, 12.0), busy + 1.5)
        plan.trials.append(tp)
        t = grip.release_s + rest
    for a, b in zip(plan.trials[:-1], plan.trials[1:], strict=True):
        a.next_onset_s = b.grip.onset_s
    last = plan.trials[-1]
    plan.duration_s = last.grip.release_s + max(settle_time_s(last.grip), last.after_s) \
        + rng.uniform(3.0, 6.0)
    last.next_onset_s = plan.duration_s


__all__ = ["LOOKALIKES", "SessionPlan", "TrialPlan", "draw_session"]
