"""The quality block of a summary, and the notes the CLI and the report print.

:func:`quality_summary` gives the JSON-ready ``quality`` block of ``summary.json`` (flags per
channel, the rules used, the worst severity); :func:`flag_notes` one sentence per channel and
code of the warning and error flags.
"""

from __future__ import annotations

from ..results import QualityReport
from . import rules as R

#: Most stretches listed per channel and code in :func:`quality_summary` (the count is kept).
MAX_LISTED = 20


def flag_notes(flags) -> list[str]:
    """One sentence per channel and code of the warning and error flags (info left out).

    Parameters
    ----------
    flags : DataFrame
        From :func:`check_recording`.

    Returns
    -------
    notes : list of str
        E.g. ``"quality warning, force 'Grip': clipped (3 stretches; first: force saturated
        ... from 3.300 s to 3.420 s)"``.
    """
    notes: list[str] = []
    if not len(flags):
        return notes
    shown = flags[flags["severity"] != "info"]
    for (name, code), group in shown.groupby(["channel", "code"], sort=False):
        first = group.iloc[0]
        count = f"{len(group)} stretches; first: " if len(group) > 1 else ""
        notes.append(f"quality {first['severity']}, {first['kind']} {name!r}: {code} "
                     f"({count}{first['message']})")
    return notes


def quality_summary(flags) -> QualityReport:
    """The ``summary['quality']`` block: flags per channel, the rules used, the worst severity.

    Parameters
    ----------
    flags : DataFrame
        From :func:`check_recording`.

    Returns
    -------
    summary : QualityReport
        ``worst_severity`` ('none', 'info', 'warning' or 'error'), ``n_flags``, ``channels``
        (name -> list of flags, at most :data:`MAX_LISTED` per code with ``n_more``), ``rules``
        (code -> severity and rule, for the codes present).
    """
    order = {s: i for i, s in enumerate(R.SEVERITIES)}
    worst = "none"
    channels: dict[str, list] = {}
    for (name, code), group in flags.groupby(["channel", "code"], sort=False):
        items = channels.setdefault(str(name), [])
        for row in group.head(MAX_LISTED).itertuples(index=False):
            items.append({"code": row.code, "severity": row.severity,
                          "start_s": row.start_s, "end_s": row.end_s, "value": row.value,
                          "message": row.message})
        if len(group) > MAX_LISTED:
            items.append({"code": code, "n_more": int(len(group) - MAX_LISTED)})
    for sev in flags["severity"] if len(flags) else []:
        if worst == "none" or order[sev] > order[worst]:
            worst = sev
    present = list(dict.fromkeys(flags["code"])) if len(flags) else []
    return QualityReport(
        worst_severity=worst, n_flags=int(len(flags)), channels=channels,
        rules={c: {"severity": R.RULES[c][0], "rule": R.RULES[c][2]} for c in present},
        trial_rules={c: R.RULES[c][2] for c in ("force_no_return", "no_emg_for_trial")},
        flags=flags)


__all__ = ["MAX_LISTED", "flag_notes", "quality_summary"]
