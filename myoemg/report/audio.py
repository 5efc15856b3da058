"""EMG as sound: each trial's after-release window and each discharge train as a WAV clip.

Clinicians listen to EMG: a myotonic discharge is recognised by its sound as much as by its
trace, a rate and loudness that wax and wane (the "dive-bomber", docs: domain reference, discharges
after the AANEM glossary 2015). A clip is cut from the displayed EMG (band-passed, mains notched:
:mod:`myoemg.report.display`), resampled to an audio rate with
:func:`scipy.signal.resample_poly`, loudness-normalised and written as 16-bit PCM WAV with
:func:`scipy.io.wavfile.write`. The report embeds the clips as ``data:`` URIs;
:func:`write_audio` writes them as files beside it.
"""

from __future__ import annotations

import base64
import functools
import io
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy import signal as sps
from scipy.io import wavfile

from ..utils import atomic_path, logger

#: Audio rates a WAV player is sure to take, Hz.
AUDIO_RATES = (8000, 11025, 16000, 22050, 32000, 44100, 48000)
#: Loudness target: the 95th percentile of 50-ms RMS blocks at −20 dBFS (ours: the active part
#: of a clip sounds equally loud however long its silences), and peaks at most −1 dBFS.
TARGET_DBFS, PEAK_DBFS, BLOCK_S = -20.0, -1.0, 0.05
#: Longest trial clip, s (ours: after-activity of a severe first grip lasts a few seconds).
MAX_TRIAL_CLIP_S = 10.0
#: Context kept around a discharge train in its clip, s (ours).
TRAIN_PAD_S = 0.1


def audio_rate(band_high_hz):
    """The lowest standard audio rate whose Nyquist band holds the EMG band (with 10 % room)."""
    need = 2.2 * float(band_high_hz)
    return next((r for r in AUDIO_RATES if r >= need), AUDIO_RATES[-1])


@dataclass(frozen=True)
class Clip:
    """One clip to play.

    Attributes
    ----------
    name : str
        File stem (de-identified, safe in a path).
    channel : str
        EMG channel shown (de-identified).
    start_s, end_s : float
        Span, s (recording time).
    trial : int | None
    unit : str | None
        Unit label of a train clip ('u3'); None for a trial's window.
    kind : str | None
        Kind of the train.
    """

    name: str
    channel: str
    start_s: float
    end_s: float
    trial: int | None = None
    unit: str | None = None
    kind: str | None = None


@functools.lru_cache(maxsize=8)
def _antialias(up, down):
    """The anti-alias FIR filter that :func:`scipy.signal.resample_poly` designs by default.

    Kaiser β = 5, cut-off at the lower Nyquist; designed once per rate pair, not per clip.
    """
    max_rate = max(up, down)
    half_len = 10 * max_rate
    return sps.firwin(2 * half_len + 1, 1.0 / max_rate, window=("kaiser", 5.0))


def to_pcm(x, fs, rate):
    """Resample ``x`` (V, at ``fs`` Hz) to ``rate`` Hz and normalise its loudness.

    Returns
    -------
    pcm : ndarray of int16, shape (n,)
        ``n = round(len(x) * rate / fs)`` samples.
    """
    x = np.asarray(x, float)
    ratio = Fraction(rate / fs).limit_denominator(1000)
    up, down = ratio.numerator, ratio.denominator
    y = sps.resample_poly(x - x.mean(), up, down, window=_antialias(up, down)) if x.size else x
    n = int(round(x.size * rate / fs))
    y = np.resize(y, n) if y.size != n else y
    block = max(1, int(BLOCK_S * rate))
    usable = (y.size // block) * block
    if usable:
        level = np.percentile(np.sqrt(np.mean(y[:usable].reshape(-1, block) ** 2, axis=1)), 95)
    else:
        level = float(np.sqrt(np.mean(y**2))) if y.size else 0.0
    peak = float(np.max(np.abs(y))) if y.size else 0.0
    if level <= 0 or peak <= 0:
        return np.zeros(n, np.int16)
    gain = min(10 ** (TARGET_DBFS / 20) / level, 10 ** (PEAK_DBFS / 20) / peak)
    return np.round(np.clip(gain * y, -1, 1) * 32767).astype(np.int16)


def wav_bytes(pcm, rate):
    """A mono 16-bit WAV file in memory (:func:`scipy.io.wavfile.write`)."""
    buf = io.BytesIO()
    wavfile.write(buf, int(rate), np.asarray(pcm, np.int16))
    return buf.getvalue()


def data_uri(wav):
    """``data:audio/wav;base64,...`` of a WAV file's bytes."""
    return "data:audio/wav;base64," + base64.b64encode(wav).decode("ascii")


def _slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "-", str(text)).strip("-") or "emg"


def plan_clips(trials, trains, rows, channels, *, end_s):
    """The clips of a session: each trial's after-release window per channel, each train.

    Parameters
    ----------
    trials : DataFrame
        ``Analysis.trials`` (``trial``, ``release_s``, ``window_end_s``).
    trains : list of Train
        The unit trains (:func:`myoemg.report.units.unit_trains`).
    rows : list of dict
        The discharges table's rows, aligned with ``trains`` (for ``trial``).
    channels : list of str
        EMG channel names shown.
    end_s : float
        End of the EMG, s.

    Returns
    -------
    clips : list of Clip
    """
    clips = []
    for tr in trials.itertuples(index=False):
        if not (math.isfinite(tr.release_s) and math.isfinite(tr.window_end_s)):
            continue
        stop = min(tr.window_end_s, tr.release_s + MAX_TRIAL_CLIP_S, end_s)
        for ch in channels:
            clips.append(Clip(f"trial{int(tr.trial):02d}_{_slug(ch)}", ch, float(tr.release_s),
                              float(stop), int(tr.trial)))
    for tn, row in zip(trains, rows, strict=True):
        trial = row.get("trial")
        trial = int(trial) if trial is not None and not _isna(trial) else None
        head = f"trial{trial:02d}_" if trial is not None else ""
        clips.append(Clip(f"{head}{_slug(tn.unit)}_{_slug(tn.kind)}_{_slug(tn.channel)}",
                          tn.channel,
                          max(tn.start_s - TRAIN_PAD_S, 0.0), min(tn.end_s + TRAIN_PAD_S, end_s),
                          trial, tn.unit, tn.kind))
    return clips


def _isna(v):
    try:
        return bool(np.isnan(float(v)))
    except (TypeError, ValueError):
        return v is None or str(v) in ("<NA>", "nan")


def render_clip(emg, clip):
    """(WAV bytes, audio rate) of one clip from the displayed EMG (None for an empty clip)."""
    i = emg.index(clip.channel)
    if i is None:
        return None
    _, x = emg.window(i, clip.start_s, clip.end_s)
    if x.size < 2:
        return None
    rate = audio_rate(emg.band_hz[1])
    return wav_bytes(to_pcm(x, emg.fs, rate), rate), rate


def write_audio(clips, emg, directory, *, overwrite=True):
    """Write each clip as ``<name>.wav`` in ``directory`` (atomically).

    Returns
    -------
    paths : dict of str -> Path
    """
    directory = Path(directory)
    paths = {}
    for clip in clips:
        out = render_clip(emg, clip)
        if out is None:
            continue
        path = directory / f"{clip.name}.wav"
        with atomic_path(path, overwrite=overwrite) as tmp:
            tmp.write_bytes(out[0])
        paths[clip.name] = path
    logger.info("Wrote %d audio clips in %s", len(paths), directory)
    return paths


__all__ = ["AUDIO_RATES", "Clip", "audio_rate", "data_uri", "plan_clips", "render_clip",
           "to_pcm", "wav_bytes", "write_audio"]
