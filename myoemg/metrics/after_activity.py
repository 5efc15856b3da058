"""EMG after-activity: how long the EMG stays active after each release.

After release, myotonic muscle keeps firing; on surface EMG this shows as an envelope above the
resting level for a time that tracks the force relaxation (docs: domain reference, discharges,
"Surface EMG after-activity"). Healthy muscle falls silent within a fraction of a second.
"""

from __future__ import annotations

import numpy as np

from ..signal import EMG_BAND_HZ, emg_envelope
from ..signal.envelope import Envelope
from ..utils import as_2d, validate_fs

#: The envelope counts as active above this multiple of the channel's resting level (ours:
#: 2.5×, about 8 dB; the 50 ms RMS of resting noise varies by ~7 % around its mean).
THRESHOLD_FACTOR = 2.5
#: Activity has ended once the envelope stays below the threshold this long, in seconds (ours:
#: long enough to bridge the waning gaps of a myotonic train).
QUIET_S = 0.3


def _union(spans):
    """The union of sample ranges ``[a, b)`` as disjoint ranges in increasing order."""
    out = []
    for a, b in sorted((a, b) for a, b in spans if b > a):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _first_quiet_run(active, n_quiet):
    """Index where the first run of ``n_quiet`` inactive samples starts (or reaches the end)."""
    edges = np.diff(np.concatenate([[1], active.astype(np.int8), [1]]))
    starts, stops = np.flatnonzero(edges == -1), np.flatnonzero(edges == 1)
    ok = ((stops - starts) >= n_quiet) | (stops == active.size)
    ok &= starts < active.size
    return int(starts[ok][0]) if ok.any() else None


def after_activity(emg, *, fs, release_s, window_end_s, rest_windows_s, window_s=0.05,
                   threshold_factor=THRESHOLD_FACTOR, quiet_s=QUIET_S, band_hz=EMG_BAND_HZ,
                   mains_hz="auto", envelope=None) -> tuple[np.ndarray, np.ndarray]:
    """Duration of EMG activity after each release.

    Parameters
    ----------
    emg : ndarray, shape (n_channels, n_times) or (n_times,) | None
        EMG in volts (None when ``envelope`` is given).
    fs : float
        EMG sampling rate in Hz.
    release_s, window_end_s : array-like, shape (n_trials,)
        Release time and end of each trial's window, in seconds from the first EMG sample.
    rest_windows_s : list of (float, float)
        Resting stretches (e.g. the pre-trial baseline windows), in seconds; the median envelope
        there is each channel's resting level.
    window_s : float
        RMS window of the envelope in seconds.
    threshold_factor, quiet_s : float
        See :data:`THRESHOLD_FACTOR` and :data:`QUIET_S`.
    band_hz : (float, float)
        EMG band in Hz for the envelope (docs: domain reference, signal processing).
    mains_hz : 'auto' | float | None
        Mains frequency to remove (see :func:`myoemg.signal.remove_mains`).
    envelope : ndarray, shape like ``emg`` | Envelope | None
        A precomputed envelope (volts) to reuse, e.g. the
        :class:`~myoemg.signal.envelope.Envelope` of the cleaned EMG (read in windows, never
        whole).

    Returns
    -------
    after_s : ndarray, shape (n_trials, n_channels)
        Time from release to the end of activity, in seconds; 0 when the EMG is already quiet at
        release; NaN when the release is unknown or activity lasts to the end of the window
        (censored).
    rest_v : ndarray, shape (n_channels,)
        Resting envelope level per channel, in volts.
    """
    fs = validate_fs(fs)
    env: np.ndarray | Envelope
    if envelope is None:
        x, _ = as_2d(emg, "emg")
        env = emg_envelope(x, fs=fs, window_s=window_s, band_hz=band_hz, mains_hz=mains_hz)
    elif isinstance(envelope, Envelope):
        env = envelope.atleast_2d()
    else:
        env = np.atleast_2d(envelope)
    n = env.shape[-1]
    # the resting samples as a few stretches in time order: the envelope is read there only
    stretches = _union([(max(0, int(a * fs)), max(0, min(n, int(b * fs))))
                        for a, b in rest_windows_s]) or [(0, n)]
    rest = np.median(np.concatenate([env[:, a:b] for a, b in stretches], axis=-1), axis=-1)
    threshold = threshold_factor * rest
    n_quiet = max(1, round(quiet_s * fs))
    release = np.asarray(release_s, float)
    ends = np.asarray(window_end_s, float)
    out = np.full((release.size, env.shape[0]), np.nan)
    for k, (r, e) in enumerate(zip(release, ends, strict=True)):
        if not np.isfinite(r):
            continue
        i0, i1 = int(round(r * fs)), min(n, int(round(e * fs)))
        if i1 <= i0:
            continue
        active = env[:, i0:i1] > threshold[:, None]
        for c in range(env.shape[0]):
            j = _first_quiet_run(active[c], n_quiet)
            if j is not None and j + n_quiet <= active.shape[1]:
                out[k, c] = j / fs
    return out, rest
