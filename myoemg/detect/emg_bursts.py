"""Find the grips of a session in the EMG alone, when there is no force trace.

A voluntary contraction shows in the EMG as a burst of interference pattern: the moving-RMS
envelope far above its resting level for as long as the grip is held (a maximal grip lasts ~3
s, docs: domain reference, recording). :func:`find_emg_grips` finds these bursts in
the envelope of the cleaned EMG, in the same way :func:`myoemg.detect.trials.find_trials` finds
grips in the force (the same run finder, :func:`~myoemg.detect.trials.merged_runs`, the same
``threshold_frac``, ``min_hold_s`` and ``merge_gap_s``), and says where each burst's
interference ends: the EMG **release**, from which after-discharges are searched as they are
from the force release otherwise.

The steps, every level in multiples of each channel's resting level (all ours, no source
gives them; the domain reference, discharges, only says that after-activity is an envelope
above the resting level):

1. **Envelope**: the channels' moving-RMS envelopes (:class:`~myoemg.signal.envelope.Envelope`),
   read every :data:`STEP_S` seconds, each divided by its **resting level** (its median,
   :data:`REST_PERCENTILE`) and averaged over channels: one trace ``e`` that is about 1 at
   rest. A recording that is contracted more than half of the time has no such rest: its
   grips are not found (and a note says so).
2. **Bursts**: ``e`` above :data:`ACTIVE_FACTOR` (runs closer than ``merge_gap_s`` merged) for
   at least ``min_hold_s``. A burst may hold a grip and the discharges that follow it.
3. **Grip level** of a burst: the :data:`LEVEL_PERCENTILE`-th percentile of ``e`` over it (the
   hold fills most of a grip's burst, so a weaker trailing discharge does not pull it down). A
   burst is a grip when its level is at least :data:`MIN_GRIP_RATIO` and, as for the force,
   at least ``threshold_frac`` of the strongest burst's above rest.
4. **Hold**: inside the burst, the first run (gaps up to ``merge_gap_s`` bridged) of ``e``
   above :data:`END_FRACTION` of the grip level that lasts ``min_hold_s``.
5. **Release** (end of the interference): where ``e`` falls through that level at the end of
   the hold (interpolated): the midpoint of the envelope's fall. For an interference that
   stops abruptly, a centred RMS window of ``w`` s still holds half its length of it at the
   stop (0.71 of the level) and a quarter ``w / 4`` s later (0.5): the release lies a quarter
   window (12.5 ms for 50 ms) after the last interference, so the discharge search starts
   just past its end. A discharge train weaker than half the grip level does not move it.
6. **Onset**: the last upward crossing of :data:`ACTIVE_FACTOR` before the hold (the EMG
   rises from rest there); **window end**: the next grip's onset or the end of the EMG.

No relaxation time can be measured without a force: the grips found here carry none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..signal import level_crossings
from ..signal.envelope import Envelope
from ..utils import validate_positive
from .trials import merged_runs

#: Step at which the envelope is read, s (ours: a 50 ms moving RMS passes little above 20 Hz,
#: its first spectral null, so reading it every 10 ms keeps its shape; crossings are
#: interpolated between the points).
STEP_S = 0.01
#: The resting level of a channel: this percentile of its envelope (ours: the median, as a
#: grip session rests more than it grips (3 s grips with rests between, docs: domain
#: reference, recording); a low percentile would fall into the gaps between the potentials of
#: a muscle that never rests quite silently, and make its resting activity look like a burst).
REST_PERCENTILE = 50.0
#: A burst of activity: envelope above this multiple of rest (ours: 4x, 12 dB; the 50 ms RMS
#: of resting noise varies by ~7 %, so rest never reaches it).
ACTIVE_FACTOR = 4.0
#: The level of a burst: this percentile of its envelope (ours, see the module docstring).
LEVEL_PERCENTILE = 90.0
#: A grip's interference is at least this multiple of rest (ours: 10x, 20 dB; maximal grips sit
#: 30-40 dB above rest in the surface and needle sessions of myoemg.sim; a weaker sustained
#: burst is as likely a train of discharges or a slight movement as a grip).
MIN_GRIP_RATIO = 10.0
#: The hold and its end: the envelope above this fraction of the grip level (ours: half, -6 dB,
#: the midpoint of the envelope's fall at the release; see the module docstring).
END_FRACTION = 0.5

#: Columns of the ``trials`` table of :class:`EmgGrips`.
EMG_GRIP_COLUMNS = ["trial", "onset_s", "peak_s", "release_s", "window_end_s", "level_db"]


def _empty_grips() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=int if c == "trial" else float)
                         for c in EMG_GRIP_COLUMNS})


@dataclass
class EmgGrips:
    """What :func:`find_emg_grips` returns.

    Attributes
    ----------
    trials : DataFrame
        One row per grip (:data:`EMG_GRIP_COLUMNS`): ``trial`` (1-based), ``onset_s``,
        ``peak_s`` (largest envelope of the hold), ``release_s`` (end of the interference;
        NaN for a grip still held when the EMG ends), ``window_end_s`` (next onset or end of
        the EMG), in s from the first sample, and
        ``level_db`` (grip level over rest, dB).
    rest_v : ndarray, shape (n_channels,)
        Resting envelope level of each channel, V (in the unit of the EMG).
    reason : str
        Why no grip was found ('' when some were).
    """

    trials: pd.DataFrame = field(default_factory=_empty_grips)
    rest_v: np.ndarray = field(default_factory=lambda: np.zeros(0))
    reason: str = ""


def _read_every(envelope, step) -> np.ndarray:
    """The envelope at samples 0, step, 2 step ...: shape (n_channels, ceil(n_times / step))."""
    rows = []
    for c in range(envelope.shape[0]):
        parts, pos = [], 0
        for block in envelope.blocks(c):  # a grid block at a time: never the whole envelope
            parts.append(block[(-pos) % step::step])
            pos += block.size
        rows.append(np.concatenate(parts) if parts else np.zeros(0))
    return np.stack(rows)


def _relative_envelope(envelope, step):
    """(e, rest): the envelope over rest averaged over channels, and each channel's rest."""
    env = _read_every(envelope, step)
    rest = np.percentile(env, REST_PERCENTILE, axis=-1) if env.shape[-1] else \
        np.zeros(env.shape[0])
    usable = rest > 0  # a digitally silent channel has no resting level to refer to
    if not usable.any():
        return None, rest
    return (env[usable] / rest[usable, None]).mean(axis=0), rest


def find_emg_grips(envelope, *, threshold_frac=0.3, min_hold_s=1.0, merge_gap_s=0.3,
                   step_s=STEP_S) -> EmgGrips:
    """Grips found as bursts of interference in the EMG envelope, and where each one ends.

    Parameters
    ----------
    envelope : Envelope, shape (n_channels, n_times) or (n_times,)
        Moving-RMS envelope of the cleaned EMG of channels sampled together
        (``Envelope(cleaned, fs=fs, window_s=0.05)``), V.
    threshold_frac : float
        A grip's level above rest is at least this fraction of the strongest burst's (as
        ``threshold_frac`` of :func:`~myoemg.detect.trials.find_trials`, ours: 0.3).
    min_hold_s : float
        Shortest hold, s (ours, as for the force; QMA grips last ~3 s, docs: domain
        reference, recording).
    merge_gap_s : float
        Dips shorter than this do not split a burst or a hold, s (as for the force).
    step_s : float
        Step at which the envelope is read, s (:data:`STEP_S`).

    Returns
    -------
    grips : EmgGrips
        The grips, the resting levels and, when none is found, why (see the module docstring
        for every step).
    """
    env = envelope.atleast_2d() if isinstance(envelope, Envelope) else None
    if env is None:
        raise TypeError("find_emg_grips needs an Envelope, e.g. "
                        "Envelope(cleaned_emg, fs=fs, window_s=0.05).")
    min_hold_s = validate_positive(min_hold_s, "min_hold_s", "s")
    step = max(1, round(validate_positive(step_s, "step_s", "s") * env.fs))
    dt = step / env.fs  # s between the points read
    e, rest = _relative_envelope(env, step)
    if e is None:
        return EmgGrips(rest_v=rest, reason="the EMG is digitally silent (a resting level of "
                        "0): no contraction can be told from rest")
    starts, stops = merged_runs(e > ACTIVE_FACTOR, max_gap=merge_gap_s / dt)
    long_enough = (stops - starts) * dt >= min_hold_s
    starts, stops = starts[long_enough], stops[long_enough]
    levels = np.array([np.percentile(e[a:b], LEVEL_PERCENTILE) for a, b in
                       zip(starts, stops, strict=True)])
    strongest = levels.max() if levels.size else 0.0
    grip = (levels >= MIN_GRIP_RATIO) & (levels - 1 >= threshold_frac * (strongest - 1))
    rows = [r for a, b, lv in zip(starts[grip], stops[grip], levels[grip], strict=True)
            if (r := _grip(e, a, b, lv, dt, min_hold_s, merge_gap_s)) is not None]
    if not rows:
        return EmgGrips(rest_v=rest, reason=_no_grip_reason(levels, min_hold_s))
    trials = pd.DataFrame(rows)
    trials.insert(0, "trial", np.arange(1, len(trials) + 1))
    end = (env.shape[-1] - 1) / env.fs
    trials["window_end_s"] = np.append(trials["onset_s"].to_numpy()[1:], end)
    return EmgGrips(trials[EMG_GRIP_COLUMNS], rest_v=rest)


def _grip(e, a, b, level, dt, min_hold_s, merge_gap_s):
    """Onset, peak and release of the grip in burst ``e[a:b]`` (points), or None (no hold)."""
    half = END_FRACTION * level
    h_starts, h_stops = merged_runs(e[a:b] > half, max_gap=merge_gap_s / dt)
    held = np.flatnonzero((h_stops - h_starts) * dt >= min_hold_s)
    if not held.size:
        return None
    h0, h1 = a + h_starts[held[0]], a + h_stops[held[0]]
    # the fall through the half level at the end of the hold (interpolated); a hold that
    # lasts to the end of the EMG has no release in it
    down = level_crossings(e[h1 - 1:h1 + 1], half, direction="down")
    release = h1 - 1 + down[0] if down.size else np.nan
    lo = max(a - 1, 0)  # the burst's first point is above the level: its rise is before it
    ups = level_crossings(e[lo:h0 + 1], ACTIVE_FACTOR, direction="up")
    onset = lo + (ups[-1] if ups.size else 0.0)
    peak = h0 + int(np.argmax(e[h0:h1]))
    return {"onset_s": onset * dt, "peak_s": peak * dt, "release_s": release * dt,
            "level_db": float(20 * np.log10(level))}


def _no_grip_reason(levels, min_hold_s):
    """Why no burst counts as a grip, in words."""
    if not levels.size:
        return (f"no burst of EMG activity above {ACTIVE_FACTOR:g} x its resting level for "
                f"{min_hold_s:g} s: no contraction found")
    return (f"{levels.size} burst(s) of EMG activity, the strongest "
            f"{20 * np.log10(levels.max()):.0f} dB above rest, but none holds an interference "
            f"pattern ({20 * np.log10(MIN_GRIP_RATIO):.0f} dB or more above rest, staying above "
            f"half its level) for {min_hold_s:g} s: no contraction found")


__all__ = ["ACTIVE_FACTOR", "EMG_GRIP_COLUMNS", "END_FRACTION", "LEVEL_PERCENTILE",
           "MIN_GRIP_RATIO", "REST_PERCENTILE", "STEP_S", "EmgGrips", "find_emg_grips"]
