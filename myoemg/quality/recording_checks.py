"""Quality checks of a whole recording: flags, not crashes.

:func:`check_recording` runs the checks of :mod:`myoemg.quality.checks` on every EMG and force
channel, fills short gaps of missing samples (and refuses long ones), and returns the repaired
copy with a table of flags (:data:`FLAG_COLUMNS`); :func:`usable_emg` sets aside the EMG
channels that cannot be analysed (the rule lives in :mod:`myoemg.roles`) and says whether
discharges can be measured. Rules and thresholds: :mod:`myoemg.quality.rules`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..roles import unusable_emg_reasons
from ..signal import EMG_BAND_HZ, FORCE_LOWPASS_HZ, clean_emg, lowpass, moving_rms
from ..utils import SignalQualityError, check_option, is_pressure, logger, verbose
from . import rules as R
from .checks import (
    beyond,
    constant_runs,
    emg_snr_db,
    fill_gaps,
    find_clipping,
    find_gaps,
    is_flat,
    mains_fraction,
    merge_runs,
    noise_sd,
    runs,
)
from .report import flag_notes

#: Columns of the flags table, in order. Times in seconds from the start of the recording
#: (NaN for a flag about the whole channel).
FLAG_COLUMNS = ["channel", "kind", "code", "severity", "start_s", "end_s", "value", "message"]


def empty_flags():
    """The zero-row flags table (:data:`FLAG_COLUMNS`)."""
    out = pd.DataFrame({c: pd.Series(dtype=float) for c in FLAG_COLUMNS})
    for c in ("channel", "kind", "code", "severity", "message"):
        out[c] = out[c].astype(object)
    return out


def _flag(ch, code, message, *, start_s=math.nan, end_s=math.nan, value=math.nan):
    return {"channel": ch.name, "kind": ch.kind, "code": code, "severity": R.RULES[code][0],
            "start_s": float(start_s), "end_s": float(end_s), "value": float(value),
            "message": message}


def _stretches(ch, code, starts, stops, what, value_fn=None):
    """One flag per merged stretch of samples [start, stop)."""
    starts, stops = merge_runs(starts, stops, max(1, round(R.MERGE_GAP_S * ch.fs)))
    out = []
    for a, b in zip(starts, stops, strict=True):
        t0, t1 = ch.start_s + a / ch.fs, ch.start_s + b / ch.fs
        out.append(_flag(ch, code, f"{what} from {t0:.3f} s to {t1:.3f} s",
                         start_s=t0, end_s=t1,
                         value=(b - a) / ch.fs if value_fn is None else value_fn(a, b)))
    return out


def _repair_gaps(ch, source, max_fill_s, max_missing_frac):
    """Fill the short gaps of one channel in place (on a copy); refuse long ones."""
    starts, stops = find_gaps(ch.data)
    if starts.size == 0:
        return []
    where = f"{ch.kind} channel {ch.name!r} of {source}"
    n_missing = int((stops - starts).sum())
    if n_missing == ch.n_times:
        raise SignalQualityError(f"{where} holds no valid sample (all {ch.n_times} are NaN); "
                                 "pick another channel or re-export the recording.")
    lengths_s = (stops - starts) / ch.fs
    k = int(np.argmax(lengths_s))
    limit = max_fill_s[ch.kind]
    if lengths_s[k] > limit:
        t0 = ch.start_s + starts[k] / ch.fs
        raise SignalQualityError(
            f"{where}: {stops[k] - starts[k]} samples missing from {t0:.3f} s to "
            f"{t0 + lengths_s[k]:.3f} s ({lengths_s[k]:.3f} s), longer than the {limit:g} s "
            f"myoemg fills by interpolation; {starts.size} gap(s) in all. Re-export the "
            "recording without the gap, or cut it out and analyse the parts separately.")
    if n_missing > max_missing_frac * ch.n_times:
        raise SignalQualityError(
            f"{where}: {n_missing} of {ch.n_times} samples ({n_missing / ch.n_times:.1%}) are "
            f"missing in {starts.size} short gaps, more than the {max_missing_frac:.0%} myoemg "
            "fills; the signal cannot be trusted. Re-export the recording.")
    ch.data = fill_gaps(ch.data)
    logger.warning("%s: filled %d missing samples in %d gap(s) by linear interpolation "
                   "(longest %.3f s); results across them are flagged.", where, n_missing,
                   starts.size, lengths_s[k])
    return _stretches(ch, "gap_filled", starts, stops,
                      "missing samples linearly interpolated")


def _check_emg(ch, electrode, flags):
    if ch.fs < R.EMG_MIN_FS_RAW_HZ:
        flags.append(_flag(
            ch, "emg_not_raw",
            f"sampled at {ch.fs:g} Hz, below the {R.EMG_MIN_FS_RAW_HZ:g} Hz raw EMG needs: an "
            "envelope or trend, not raw EMG; not analysed as EMG (no after-activity, no "
            "discharges)", value=ch.fs))
        return
    if ch.fs < R.EMG_MIN_FS_DISCHARGES_HZ:
        flags.append(_flag(
            ch, "emg_fs_low",
            f"sampled at {ch.fs:g} Hz, below the {R.EMG_MIN_FS_DISCHARGES_HZ:g} Hz needed to "
            "resolve discharge potentials (SPEC.md §6): discharges not measured",
            value=ch.fs))
    elif electrode == "needle" and ch.fs < R.NEEDLE_MIN_FS_HZ:
        flags.append(_flag(
            ch, "needle_fs_low",
            f"needle EMG sampled at {ch.fs:g} Hz, below the usual {R.NEEDLE_MIN_FS_HZ:g} Hz; "
            f"the band is capped at {0.45 * ch.fs:g} Hz", value=ch.fs))
    x = ch.data
    starts, stops = find_clipping(x, min_count=R.CLIP_MIN_COUNT)
    if starts.size:
        share = float((stops - starts).sum()) / x.size
        flags.extend(_stretches(ch, "clipped", starts, stops,
                                f"EMG saturated ({share:.0%} of its samples stuck at its "
                                "extreme values)"))
    if ch.unit == "V":
        starts, stops = beyond(x, R.EMG_MAX_ABS_V)
        if starts.size:
            peak = float(np.nanmax(np.abs(x - np.nanmedian(x))))
            flags.extend(_stretches(ch, "emg_implausible", starts, stops,
                                    f"EMG up to {peak:.3g} V from its median (> "
                                    f"{R.EMG_MAX_ABS_V:g} V, not physiological)",
                                    value_fn=lambda a, b: peak))
    starts, stops = constant_runs(x, min_len=max(2, round(R.EMG_FROZEN_S * ch.fs)))
    if starts.size:
        flags.extend(_stretches(ch, "frozen", starts, stops,
                                "EMG repeats one value (disconnected or frozen)"))
    f0, frac = mains_fraction(x, fs=ch.fs)
    if np.isfinite(frac) and frac > R.MAINS_MAX_FRAC:
        flags.append(_flag(ch, "mains_high",
                           f"{f0:g} Hz mains lines carry {frac:.0%} of the EMG-band power "
                           "(removed by fitting; check the electrodes and ground)", value=frac))
    envelope = None
    if np.isfinite(frac) and frac > R.MAINS_MAX_FRAC:  # judge the SNR without the hum
        envelope = moving_rms(clean_emg(x, fs=ch.fs, band_hz=EMG_BAND_HZ, mains_hz=f0),
                              fs=ch.fs, window_s=0.05)
    snr = emg_snr_db(x, fs=ch.fs, envelope=envelope)
    if np.isfinite(snr) and snr < R.EMG_MIN_SNR_DB:
        flags.append(_flag(ch, "low_snr",
                           f"activity stands only {snr:.1f} dB above rest (< "
                           f"{R.EMG_MIN_SNR_DB:g} dB): no contraction visible in this EMG",
                           value=snr))


def _check_force(ch, flags):
    if ch.unit != "N":
        what = (f"a pressure ({ch.source_unit}), not a force" if is_pressure(ch.source_unit)
                else f"in {ch.unit!r}, not newtons")
        flags.append(_flag(ch, "force_uncalibrated",
                           f"force {what}: forces are in arbitrary units "
                           "(pass force_calibration= or force_unit=)"))
    if ch.fs < R.FORCE_MIN_FS_HZ:
        flags.append(_flag(ch, "force_fs_low",
                           f"force sampled at {ch.fs:g} Hz, below the {R.FORCE_MIN_FS_HZ:g} Hz "
                           "relaxation times need: they are coarse (marked rt_flagged)",
                           value=ch.fs))
    x = ch.data
    starts, stops = find_clipping(x, min_count=R.CLIP_MIN_COUNT)
    if starts.size:
        flags.extend(_stretches(ch, "clipped", starts, stops,
                                "force saturated (samples stuck at its extreme values)"))
    xf = lowpass(x, fs=ch.fs, cutoff_hz=FORCE_LOWPASS_HZ) if x.size > 16 else x
    rest = float(np.median(xf))
    up, down = float(xf.max()) - rest, rest - float(xf.min())
    if down > 2 * up:
        flags.append(_flag(ch, "force_inverted",
                           f"the force falls {down:.3g} {ch.unit} below its resting level but "
                           f"rises only {up:.3g} {ch.unit} above it: a negative-going trace? "
                           "Pass a negative force_calibration to flip it", value=down / max(
                               up, np.finfo(float).tiny)))
    else:
        neg = xf < rest - R.FORCE_NEGATIVE_FRAC * (up + down)
        starts, stops = runs(neg)
        keep = (stops - starts) >= max(1, round(R.FORCE_NEGATIVE_MIN_S * ch.fs))
        if keep.any():
            flags.extend(_stretches(ch, "force_negative", starts[keep], stops[keep],
                                    "force well below its resting level (pulling, sensor "
                                    "offset or wrong sign?)"))
    if ch.unit == "N" and (up > R.FORCE_MAX_N or up < R.FORCE_MIN_PEAK_N):
        flags.append(_flag(ch, "force_implausible",
                           f"strongest force {up:.4g} N above rest is implausible for a grip "
                           f"(expected {R.FORCE_MIN_PEAK_N:g}–{R.FORCE_MAX_N:g} N): check the "
                           "unit and calibration", value=up))
    sd = noise_sd(x)
    if np.isfinite(sd) and sd > 0 and up / sd < R.FORCE_MIN_SNR:
        flags.append(_flag(ch, "low_snr",
                           f"strongest force is only {up / sd:.1f} noise SDs above rest (< "
                           f"{R.FORCE_MIN_SNR:g}): relaxation levels are lost in the noise",
                           value=up / sd))


def _check_overlap(rec, flags):
    force = [c for c in rec.channels if c.kind == "force"]
    emg = [c for c in rec.channels if c.kind == "emg"]
    if len(force) != 1 or not emg:
        return
    f, e = force[0], emg[0]
    f0, f1 = f.start_s, f.start_s + f.duration_s
    e0, e1 = e.start_s, e.start_s + e.duration_s
    overlap = max(0.0, min(f1, e1) - max(f0, e0))
    longer = max(f.duration_s, e.duration_s)
    if overlap < R.MIN_OVERLAP_FRAC * longer:
        src = rec.source if isinstance(rec.source, (list, tuple)) else [rec.source_name]
        where = (f"force {f.name!r} ({src[-1]}) and EMG {e.name!r} ({src[0]})" if len(src) > 1
                 else f"force {f.name!r} and EMG {e.name!r} of {src[0]}")
        flags.append(_flag(
            f, "duration_mismatch",
            f"{where} do not match: force {f0:.2f}–{f1:.2f} s ({f.duration_s:.2f} s), EMG "
            f"{e0:.2f}–{e1:.2f} s ({e.duration_s:.2f} s), overlapping {overlap:.2f} s; EMG "
            "measures are given only where both exist. Check that the files belong together "
            "and their alignment (offset_s=)", value=overlap / longer if longer else math.nan))


@verbose
def check_recording(recording, *, electrode="surface", max_fill_s=None,
                    max_missing_frac=R.MAX_MISSING_FRAC, verbose=None):
    """Check every EMG and force channel; fill short gaps, refuse long ones, flag the rest.

    Parameters
    ----------
    recording : Recording
        The session (not modified).
    electrode : {'surface', 'needle'}
        EMG electrode type (sets the rate rules, SPEC.md §6).
    max_fill_s : dict | None
        Longest gap filled by interpolation per kind, in seconds; default
        :data:`myoemg.quality.rules.MAX_FILL_S` (force 0.05 s, EMG 0.01 s; ours).
    max_missing_frac : float
        Most of a channel that may be filled (ours: 0.05).
    verbose : bool | str | int | None
        Log level for this call.

    Returns
    -------
    recording : Recording
        A copy with short gaps filled (the input when nothing was filled).
    flags : DataFrame
        One row per flag (:data:`FLAG_COLUMNS`): ``channel``, ``kind``, ``code`` (see
        :data:`myoemg.quality.rules.RULES`), ``severity`` ('info', 'warning', 'error'),
        ``start_s`` / ``end_s`` (recording time in seconds; NaN for the whole channel),
        ``value`` (the number behind the flag, unit by code) and ``message``.

    Raises
    ------
    SignalQualityError
        When a gap of missing samples is longer than ``max_fill_s``, or more than
        ``max_missing_frac`` of a channel is missing; the message names the file, the channel
        and the time of the gap.
    """
    check_option("electrode", electrode, ("surface", "needle"))
    limits = {**R.MAX_FILL_S, **(max_fill_s or {})}
    rec = recording
    if any(c.kind in limits and not np.isfinite(c.data).all() for c in rec.channels):
        rec = recording.copy()
    flags = []
    for ch in rec.channels:
        if ch.kind not in ("emg", "force"):
            continue
        flags.extend(_repair_gaps(ch, rec.source_name, limits, max_missing_frac))
        abs_tol = R.FLAT_ABS[ch.kind] if ch.calibrated and ch.unit != "a.u." else 0.0
        if is_flat(ch.data, abs_tol=abs_tol):
            flags.append(_flag(ch, "flat",
                               f"flat: every sample within {np.ptp(ch.data):.3g} {ch.unit} of "
                               f"{ch.data[0]:.6g} {ch.unit} (disconnected, empty or the wrong "
                               "channel?)", value=float(np.ptp(ch.data))))
            continue
        if ch.kind == "emg":
            _check_emg(ch, electrode, flags)
        else:
            _check_force(ch, flags)
    for name, reason in rec.set_aside.items():  # looked like EMG, set aside on reading
        flags.append(_flag(rec[name], "emg_not_raw", reason, value=rec[name].fs))
    _check_overlap(rec, flags)
    table = pd.DataFrame(flags, columns=FLAG_COLUMNS) if flags else empty_flags()
    for row in table.itertuples(index=False):
        log = logger.warning if row.severity != "info" else logger.info
        log("%s, %s channel %r: %s", rec.source_name, row.kind, row.channel, row.message)
    return rec, table


def usable_emg(recording, flags):
    """Which EMG channels can be analysed, and whether discharges can be measured.

    EMG channels flagged ``emg_not_raw`` or ``flat`` become 'other' in a copy (they are not
    EMG that can be analysed); discharges are measurable only when no remaining EMG channel is
    flagged ``emg_fs_low``.

    Parameters
    ----------
    recording : Recording
        The (gap-filled) session.
    flags : DataFrame
        From :func:`check_recording`.

    Returns
    -------
    recording : Recording
        The input, or a copy with the unusable EMG channels set to 'other'.
    discharges_ok : bool
        False when the EMG left is sampled too slowly for discharge detection (or none is left).
    notes : list of str
        For ``summary['notes']``: one sentence per warning or error flag (per channel and code,
        see :func:`flag_notes`) and per channel set aside or measure skipped.
    """
    emg_flags = flags[flags["kind"] == "emg"] if len(flags) else flags
    codes = emg_flags.groupby("channel")["code"].agg(set).to_dict() if len(emg_flags) else {}
    slow = {name for name, c in codes.items() if "emg_fs_low" in c}
    notes = flag_notes(flags)
    reasons = unusable_emg_reasons(recording.emg, codes)
    rec = recording.with_set_aside(reasons) if reasons else recording
    for name, why in reasons.items():
        notes.append(f"EMG channel {name!r} of {rec.source_name} {why}: not analysed "
                     "(after-activity and discharges not measured on it)")
    left = [c for c in rec.channels if c.kind == "emg"]
    slow_left = [c for c in left if c.name in slow]
    if slow_left:
        rates = ", ".join(f"{c.name!r} at {c.fs:g} Hz" for c in slow_left)
        notes.append(f"EMG {rates} is sampled below the {R.EMG_MIN_FS_DISCHARGES_HZ:g} Hz "
                     "needed to resolve discharge potentials (SPEC.md §6): myotonic "
                     "discharges were NOT MEASURED (myotonic and discharge_count are left "
                     "empty, not 0)")
    return rec, bool(left) and not slow_left, notes


__all__ = ["FLAG_COLUMNS", "check_recording", "empty_flags", "usable_emg"]
