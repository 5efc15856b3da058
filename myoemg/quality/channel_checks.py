"""Quality checks of one channel: gaps, EMG and force checks, and the force–EMG overlap.

Each check appends flags (dicts of :data:`~myoemg.quality.recording_checks.FLAG_COLUMNS`) to
a list; :mod:`myoemg.quality.recording_checks` runs them over a recording. Rules and
thresholds: :mod:`myoemg.quality.rules`.
"""

from __future__ import annotations

import math

import numpy as np

from ..signal import EMG_BANDS_HZ, FORCE_LOWPASS_HZ, lowpass
from ..signal.envelope import Envelope
from ..signal.filters import clean_emg_rows
from ..utils import SignalQualityError, is_pressure, logger
from . import rules as R
from .checks import (
    beyond,
    constant_runs,
    emg_snr_db,
    fill_gaps,
    find_clipping,
    find_gaps,
    mains_fraction,
    merge_runs,
    noise_sd,
    runs,
)


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
    """The checks of one EMG channel's raw samples; True when its SNR is to be judged."""
    if ch.fs < R.EMG_MIN_FS_RAW_HZ:
        flags.append(_flag(
            ch, "emg_not_raw",
            f"sampled at {ch.fs:g} Hz, below the {R.EMG_MIN_FS_RAW_HZ:g} Hz raw EMG needs: an "
            "envelope or trend, not raw EMG; not analysed as EMG (no after-activity, no "
            "discharges)", value=ch.fs))
        return False
    if ch.fs < R.EMG_MIN_FS_DISCHARGES_HZ:
        flags.append(_flag(
            ch, "emg_fs_low",
            f"sampled at {ch.fs:g} Hz, below the {R.EMG_MIN_FS_DISCHARGES_HZ:g} Hz needed to "
            "resolve discharge potentials (docs: domain reference, signal processing): "
            "discharges not measured",
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
    return True  # its signal-to-noise ratio is judged next (snr_flags)


def snr_flags(ch, snr) -> list:
    """The ``low_snr`` flag of an EMG channel whose activity-to-rest ratio is ``snr`` dB."""
    if np.isfinite(snr) and snr < R.EMG_MIN_SNR_DB:
        return [_flag(ch, "low_snr", f"activity stands only {snr:.1f} dB above rest (< "
                      f"{R.EMG_MIN_SNR_DB:g} dB): no contraction visible in this EMG",
                      value=snr)]
    return []


def emg_snr(ch, electrode) -> float:
    """Activity-to-rest ratio of one EMG channel, dB, on its cleaned envelope.

    The channel is cleaned as :func:`myoemg.analyze` cleans it by default (band of the
    electrode, mains hum fitted and removed; docs: domain reference, signal processing) and its 50
    ms RMS envelope judged by
    :func:`myoemg.quality.emg_snr_db`.
    """
    if ch.n_times < 16:
        return float("nan")
    band = EMG_BANDS_HZ[electrode]
    cleaned, _ = clean_emg_rows([ch.data], fs=ch.fs, band_hz=(band[0], min(band[1],
                                                                             0.45 * ch.fs)))
    return emg_snr_db(None, fs=ch.fs, envelope=Envelope(cleaned[0], fs=ch.fs))


def _check_force(ch, flags, filtered=None):
    """The checks of one force channel; returns the low-passed force they judged (or None).

    None for a force of 16 samples or fewer, judged unfiltered.
    """
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
    if filtered is None:
        filtered = force_filtered(ch)
    xf = filtered if x.size > 16 else x
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
    return filtered if x.size > 16 else None


def force_filtered(ch) -> np.ndarray:
    """The force low-passed at :data:`~myoemg.signal.FORCE_LOWPASS_HZ`, as checked.

    The cut-off is that of the relaxation times (docs: domain reference, relaxation).
    """
    if ch.n_times <= 16:
        return ch.data
    return lowpass(ch.data, fs=ch.fs, cutoff_hz=FORCE_LOWPASS_HZ)


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


def _flag_flat(ch):
    return _flag(ch, "flat", f"flat: every sample within {np.ptp(ch.data):.3g} {ch.unit} of "
                             f"{ch.data[0]:.6g} {ch.unit} (disconnected, empty or the wrong "
                             "channel?)", value=float(np.ptp(ch.data)))

