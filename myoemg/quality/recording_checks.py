"""Quality checks of a whole recording: flags, not crashes.

:func:`check_recording` runs the checks of :mod:`myoemg.quality.checks` on every EMG and force
channel, fills short gaps of missing samples (and refuses long ones), and returns the repaired
copy with a table of flags (:data:`FLAG_COLUMNS`); :func:`usable_emg` sets aside the EMG
channels that cannot be analysed (the rule lives in :mod:`myoemg.roles`) and says whether
discharges can be measured. Rules and thresholds: :mod:`myoemg.quality.rules`.

:class:`RecordingChecks` does the same in two steps, for :func:`myoemg.analyze`: the checks of
the raw samples first, then the EMG signal-to-noise ratio, judged on the envelope of the EMG
as the analysis cleans it (so that the EMG is filtered once), and the force checks on the
force as the analysis low-passes it.
"""

from __future__ import annotations

import pandas as pd

from ..recording import Recording
from ..roles import unusable_emg_reasons
from ..utils import check_option, logger, verbose
from ..utils._check import all_finite
from . import rules as R
from .channel_checks import (
    _check_emg,
    _check_force,
    _check_overlap,
    _flag,
    _flag_flat,
    _repair_gaps,
    emg_snr,
    force_filtered,
    snr_flags,
)
from .checks import is_flat
from .report import flag_notes

#: Columns of the flags table, in order. Times in seconds from the start of the recording
#: (NaN for a flag about the whole channel).
FLAG_COLUMNS = ["channel", "kind", "code", "severity", "start_s", "end_s", "value", "message"]


def empty_flags() -> pd.DataFrame:
    """The zero-row flags table (:data:`FLAG_COLUMNS`)."""
    out = pd.DataFrame({c: pd.Series(dtype=float) for c in FLAG_COLUMNS})
    for c in ("channel", "kind", "code", "severity", "message"):
        out[c] = out[c].astype(object)
    return out



@verbose
def check_recording(recording, *, electrode="surface", max_fill_s=None,
                    max_missing_frac=R.MAX_MISSING_FRAC,
                    verbose=None) -> tuple[Recording, pd.DataFrame]:
    """Check every EMG and force channel; fill short gaps, refuse long ones, flag the rest.

    Parameters
    ----------
    recording : Recording
        The session (not modified).
    electrode : {'surface', 'needle'}
        EMG electrode type (sets the rate rules, docs: domain reference, signal processing).
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
    checks = RecordingChecks(recording, electrode=electrode, max_fill_s=max_fill_s,
                             max_missing_frac=max_missing_frac)
    return checks.recording, checks.flags()


class RecordingChecks:
    """The quality checks of a recording in two steps: raw samples, then EMG signal-to-noise.

    Parameters
    ----------
    recording : Recording
        The session (not modified).
    electrode, max_fill_s, max_missing_frac
        See :func:`check_recording`.
    force_filtered : dict of str -> ndarray | None
        Force channels already low-passed at :data:`~myoemg.signal.FORCE_LOWPASS_HZ` (after
        gap filling), by name; others are low-passed here.

    Attributes
    ----------
    recording : Recording
        A copy with short gaps filled (channels not filled share their samples with the
        input), or the input when nothing was filled.
    needs_snr : list of str
        The EMG channels whose signal-to-noise ratio :meth:`flags` judges.
    force_filtered : dict of str -> ndarray
        The force channels (not flat) as low-passed for their checks (see
        :func:`~myoemg.quality.channel_checks.force_filtered`), by name: the analysis reuses
        them rather than filtering the force again.

    Raises
    ------
    SignalQualityError
        As :func:`check_recording`.
    """

    def __init__(self, recording, *, electrode="surface", max_fill_s=None,
                 max_missing_frac=R.MAX_MISSING_FRAC, force_filtered=None):
        check_option("electrode", electrode, ("surface", "needle"))
        self.electrode = electrode
        limits = {**R.MAX_FILL_S, **(max_fill_s or {})}
        rec = recording
        if any(c.kind in limits and not all_finite(c.data) for c in rec.channels):
            rec = recording.copy(share_data=True)  # _repair_gaps gives filled channels new data
        self.recording = rec
        self._blocks, self.needs_snr, self._end = {}, [], []
        self.force_filtered = {}
        for ch in rec.channels:
            if ch.kind not in ("emg", "force"):
                continue
            flags = self._blocks[ch.name] = _repair_gaps(ch, rec.source_name, limits,
                                                         max_missing_frac)
            abs_tol = R.FLAT_ABS[ch.kind] if ch.calibrated and ch.unit != "a.u." else 0.0
            if is_flat(ch.data, abs_tol=abs_tol):
                flags.append(_flag_flat(ch))
            elif ch.kind == "emg":
                if _check_emg(ch, electrode, flags):
                    self.needs_snr.append(ch.name)
            else:
                self.force_filtered[ch.name] = _check_force(
                    ch, flags, (force_filtered or {}).get(ch.name))
        self._tail = []
        for name, reason in rec.set_aside.items():  # looked like EMG, set aside on reading
            self._tail.append(_flag(rec[name], "emg_not_raw", reason, value=rec[name].fs))
        _check_overlap(rec, self._tail)

    def recheck_force(self, channel, filtered=None) -> None:
        """Replace the flags of a force channel by those of ``channel`` (e.g. flipped).

        As a fresh check of that channel alone, its flags move to the end of the table and
        its flags about other channels (gap filling, durations) are dropped.
        """
        name = channel.name
        self._blocks.pop(name, None)
        self._tail = [f for f in self._tail if f["channel"] != name]
        self._end = []
        self.force_filtered.pop(name, None)
        abs_tol = R.FLAT_ABS["force"] if channel.calibrated and channel.unit != "a.u." \
            else 0.0
        if is_flat(channel.data, abs_tol=abs_tol):
            self._end.append(_flag_flat(channel))
        else:
            self.force_filtered[name] = _check_force(channel, self._end, filtered)

    def flags(self, snr_db=None, *, final=True) -> pd.DataFrame:
        """The flags table (:data:`FLAG_COLUMNS`), in the order :func:`check_recording` gives.

        Parameters
        ----------
        snr_db : dict of str -> float | None
            Activity-to-rest ratio, dB, of EMG channels of ``needs_snr``, e.g. from the
            analysis's cleaned EMG (:func:`myoemg.quality.emg_snr_db`); the others are
            computed here (:func:`emg_snr`).
        final : bool
            False: leave the signal-to-noise flags out (nothing computed, nothing logged).

        Returns
        -------
        flags : DataFrame
        """
        snr_db = dict(snr_db or {})
        rows = []
        for name, block in self._blocks.items():
            rows.extend(block)
            if final and name in self.needs_snr:
                ch = self.recording[name]
                snr = snr_db[name] if name in snr_db else emg_snr(ch, self.electrode)
                rows.extend(snr_flags(ch, snr))
        rows += self._tail + self._end
        table = pd.DataFrame(rows, columns=FLAG_COLUMNS) if rows else empty_flags()
        if final:
            for row in table.itertuples(index=False):
                log = logger.warning if row.severity != "info" else logger.info
                log("%s, %s channel %r: %s", self.recording.source_name, row.kind,
                    row.channel, row.message)
        return table


def usable_emg(recording, flags, *, flag_sentences=True) -> tuple[Recording, bool, list]:
    """Which EMG channels can be analysed, and whether discharges can be measured.

    EMG channels flagged ``emg_not_raw`` or ``flat`` become 'other' in a copy (they are not
    EMG that can be analysed); discharges are measurable only when no remaining EMG channel is
    flagged ``emg_fs_low``.

    Parameters
    ----------
    recording : Recording
        The (gap-filled) session.
    flags : DataFrame
        From :func:`check_recording` (the signal-to-noise flags may be left out: they set
        nothing aside).
    flag_sentences : bool
        Start the notes with the sentences of the flags (:func:`flag_notes`); False leaves
        them to the caller, e.g. when the final flags come later.

    Returns
    -------
    recording : Recording
        The input, or a copy with the unusable EMG channels set to 'other' (sharing the
        samples of the input).
    discharges_ok : bool
        False when the EMG left is sampled too slowly for discharge detection (or none is left).
    notes : list of str
        For ``summary['notes']``: one sentence per warning or error flag (per channel and code,
        see :func:`flag_notes`) and per channel set aside or measure skipped.
    """
    emg_flags = flags[flags["kind"] == "emg"] if len(flags) else flags
    codes = emg_flags.groupby("channel")["code"].agg(set).to_dict() if len(emg_flags) else {}
    slow = {name for name, c in codes.items() if "emg_fs_low" in c}
    notes = flag_notes(flags) if flag_sentences else []
    reasons = unusable_emg_reasons(recording.emg, codes)
    rec = recording.with_set_aside(reasons, share_data=True) if reasons else recording
    for name, why in reasons.items():
        notes.append(f"EMG channel {name!r} of {rec.source_name} {why}: not analysed "
                     "(after-activity and discharges not measured on it)")
    left = [c for c in rec.channels if c.kind == "emg"]
    slow_left = [c for c in left if c.name in slow]
    if slow_left:
        rates = ", ".join(f"{c.name!r} at {c.fs:g} Hz" for c in slow_left)
        notes.append(f"EMG {rates} is sampled below the {R.EMG_MIN_FS_DISCHARGES_HZ:g} Hz "
                     "needed to resolve discharge potentials (docs: domain reference, signal "
                     "processing): myotonic "
                     "discharges were NOT MEASURED (myotonic and discharge_count are left "
                     "empty, not 0)")
    return rec, bool(left) and not slow_left, notes


__all__ = ["FLAG_COLUMNS", "RecordingChecks", "check_recording", "emg_snr", "empty_flags",
           "force_filtered", "snr_flags", "usable_emg"]
