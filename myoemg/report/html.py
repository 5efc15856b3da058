"""Render an :class:`~myoemg.pipeline.Analysis` as one self-contained HTML file."""

from __future__ import annotations

import base64
import copy
import dataclasses
import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .._version import __version__
from ..recording import METADATA_KEYS
from ..utils import atomic_path, logger, soft_import

REDACTED = "[redacted]"
_TEMPLATE = Path(__file__).with_name("report.html.j2")

#: Trial-table columns shown, with headers (units in the header).
TRIAL_SHOW = [("trial", "trial"), ("peak_force_n", "peak force (N)"),
              ("rt90_5_s", "RT90-5 (s)"), ("rt90_50_s", "RT90-50 (s)"),
              ("rt50_5_s", "RT50-5 (s)"), ("relaxed", "relaxed"),
              ("after_activity_s", "after-activity (s)"), ("myotonic", "myotonic"),
              ("discharge_count", "myotonic discharges"), ("onset_s", "onset (s)"),
              ("release_s", "release (s)")]
#: Discharge-table columns shown.
DISCHARGE_SHOW = [("trial", "trial"), ("channel", "channel"), ("kind", "kind"),
                  ("start_s", "start (s)"), ("duration_s", "duration (s)"),
                  ("n_spikes", "spikes"), ("rate_start_hz", "rate start (Hz)"),
                  ("rate_end_hz", "rate end (Hz)"), ("rate_min_hz", "rate min (Hz)"),
                  ("rate_max_hz", "rate max (Hz)"), ("amplitude_min_uv", "amp. min (µV)"),
                  ("amplitude_max_uv", "amp. max (µV)"), ("rate_modulation", "rate mod."),
                  ("amplitude_modulation", "amp. mod."), ("score", "score")]


# -- de-identification ---------------------------------------------------------------------------
def _secrets(identifiers):
    """Strings to redact: every identifier value, and each name-like word in it (≥ 3 letters)."""
    values = []

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple, set)):
            for x in v:
                walk(x)
        elif v is not None and str(v).strip():
            values.append(str(v).strip())

    walk(identifiers or {})
    words = {w for v in values for w in re.findall(r"[^\W\d_]{3,}", v)}  # letters only
    return sorted(set(values), key=len, reverse=True), sorted(words, key=len, reverse=True)


class _Scrubber:
    """Replace identifying strings by :data:`REDACTED` (case-insensitive)."""

    def __init__(self, identifiers, enabled):
        values, words = _secrets(identifiers) if enabled else ([], [])
        parts = [re.escape(v) for v in values] + [rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])"
                                                  for w in words]
        self._re = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def __call__(self, text):
        if text is None:
            return ""
        text = str(text)
        return self._re.sub(REDACTED, text) if self._re else text


# -- formatting ----------------------------------------------------------------------------------
def _fmt(value, digits=3):
    """A cell: numbers rounded, NaN/None as '–', booleans as yes/no."""
    if value is None or value is pd.NA:
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            return "–"
        return f"{value:.{digits}f}"
    return str(value)


def _table(frame, columns, scrub, text_cols=("channel",)):
    cols = [(c, h) for c, h in columns if c in frame.columns]
    extra = [c for c in frame.columns
             if c.startswith("quality_") or c in ("rt_flagged", "rt_flag_reason", "clipped",
                                                  "gap_filled")]
    cols += [(c, c.replace("_", " ")) for c in extra if c not in dict(cols)]
    rows = []
    for rec in frame.to_dict("records"):
        rows.append([scrub(rec[c]) if c in text_cols or isinstance(rec[c], str)
                     else _fmt(rec[c], _digits(c)) for c, _ in cols])
    return {"headers": [h for _, h in cols], "rows": rows}


def _digits(column):
    """Decimals shown per column: 1 for Hz, µV and N, 2 for ratios, 3 for seconds."""
    if column.endswith(("_hz", "_uv", "_n")):
        return 1
    if column.endswith("_s"):
        return 3
    return 2


def _png(fig, dpi=80):
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _deidentified_recording(rec, scrub):
    """A shallow copy whose channel names are scrubbed (the figures show channel names)."""
    if rec is None:
        return None
    out = copy.copy(rec)
    out.channels = [dataclasses.replace(ch, name=scrub(ch.name)) for ch in rec.channels]
    return out


def _measure_rows(block):
    """Rows of the warm-up numbers table for one measure (a MeasureSummary)."""
    fit = block.fit
    if fit.status in ("ok", "n at bound"):
        fit_txt = (f"RT∞ {fit.rt_inf_s:.2f} ± {fit.rt_inf_se_s:.2f} s, "
                   f"A {fit.a_s:.2f} ± {fit.a_se_s:.2f} s, "
                   f"n {fit.n_trials:.2f} ± {fit.n_trials_se:.2f} trials")
        if fit.status != "ok":
            fit_txt += f" ({fit.status})"
    else:
        fit_txt = f"not fitted ({fit.status})"
    share = block.share_trial_1_2
    return [_fmt(block.first_s, 2), _fmt(block.last_s, 2), _fmt(block.min_s, 2),
            _fmt(block.warmup_s, 2), _fmt(block.warmup_pct, 0),
            "–" if share is None or not math.isfinite(share) else f"{100 * share:.0f} %",
            _fmt(block.plateau_trial), _fmt(block.plateau_s, 2), fit_txt]


def _quality(analysis, scrub):
    """Quality flags from ``summary.quality`` (reliability checks), when present."""
    q = analysis.summary.quality
    if q is None:
        return None
    out = {"worst": scrub(q.worst_severity), "n_flags": q.n_flags, "rows": [], "rules": []}
    for name, items in q.channels.items():
        for it in items:
            if "n_more" in it:
                out["rows"].append([scrub(name), scrub(it.get("code")), "", "", "",
                                    f"{it['n_more']} more"])
                continue
            out["rows"].append([scrub(name), scrub(it.get("code")), scrub(it.get("severity")),
                                _fmt(it.get("start_s"), 2), _fmt(it.get("end_s"), 2),
                                scrub(it.get("message"))])
    for code, rule in q.rules.items():
        text = rule.get("rule") if isinstance(rule, dict) else rule
        out["rules"].append([scrub(code), scrub(text)])
    return out


def render_html(analysis, *, identify=False, trial_figures=True):
    """Render the report as an HTML string.

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`myoemg.analyze`.
    identify : bool
        Show identifying header fields (default False: de-identified, and identifier values are
        redacted wherever else they occur).
    trial_figures : bool
        Draw one force/EMG figure per trial (needs ``analysis.recording``).

    Returns
    -------
    html : str
    """
    jinja2 = soft_import("jinja2", "the HTML report", extra="report")
    soft_import("matplotlib", "the HTML report", extra="report")
    from ..viz import plot_trial, plot_warmup

    s = analysis.summary
    rec = analysis.recording
    identifiers = rec.identifiers if rec is not None else {}
    scrub = _Scrubber(identifiers, enabled=not identify)
    meta = s.metadata or (rec.metadata if rec is not None else {})
    header = [("file", ", ".join(scrub(Path(p).name) for p in s.inputs)
               or "(not from a file)")]
    for key in ("device", "muscle", "side", "electrode", "subject", "session", "temperature_c",
                "medication"):
        if key in METADATA_KEYS and meta.get(key) not in (None, ""):
            header.append((key.replace("_c", " (°C)").replace("_", " "), scrub(meta[key])))
    date = getattr(rec, "start_time", None) if rec is not None else None
    header.append(("date", date.strftime("%Y-%m-%d") if date is not None else "unknown"))
    header.append(("software", f"myoemg {s.version}"))
    ident_rows = ([(scrub(k), str(v)) for k, v in identifiers.items()] if identify else [])

    grade = s.grade
    warm = s.warmup
    labels = {"rt90_5": "RT90-5", "rt90_50": "RT90-50", "rt50_5": "RT50-5"}
    measures = ([(labels[key], _measure_rows(block)) for key, block in warm.measures()]
                if warm is not None else [])
    pf = warm.peak_force if warm is not None else None

    figures = {}
    if len(analysis.trials):
        uln = grade.uln.uln_s if grade is not None else None
        figures["warmup"] = _png(plot_warmup(analysis.trials, uln_s=uln), dpi=90)
    trial_imgs = []
    if trial_figures and rec is not None and len(analysis.trials):
        rec_d = _deidentified_recording(rec, scrub)
        dis = analysis.discharges.copy()
        if len(dis):
            dis["channel"] = dis["channel"].map(scrub)
        for k in analysis.trials["trial"]:
            try:
                fig = plot_trial(rec_d, analysis.trials, dis, int(k))
                trial_imgs.append((int(k), _png(fig, dpi=100)))
            except (ValueError, KeyError) as err:  # one bad trial must not lose the report
                logger.warning("trial %s not drawn: %s", k, err)
    dis_table = _table(analysis.discharges, DISCHARGE_SHOW, scrub, text_cols=("channel", "kind"))
    n_myo = int((analysis.discharges["kind"] == "myotonic").sum()) \
        if len(analysis.discharges) else 0

    env = jinja2.Environment(autoescape=True)  # lenient: old summaries may lack keys
    template = env.from_string(_TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        title="myoemg report", header=header, identifiers=ident_rows, identify=identify,
        grade=grade or {}, grade_reasons=[scrub(r) for r in (grade.reasons if grade else ())],
        grade_caveats=[scrub(c) for c in (grade.caveats if grade else ())],
        pattern=s.pattern, pattern_reason=scrub(s.pattern_reason),
        pattern_rule=scrub(s.pattern_rule), evidence=s.myotonic_evidence,
        measures=measures, peak_force=pf, fmt=_fmt,
        trials=_table(analysis.trials, TRIAL_SHOW, scrub), figures=figures,
        trial_imgs=trial_imgs, discharges=dis_table, n_discharges=len(analysis.discharges),
        n_myotonic=n_myo, quality=_quality(analysis, scrub),
        notes=[scrub(n) for n in s.notes], conversions=[scrub(c) for c in s.conversions],
        trial_rule=scrub(s.trial_myotonic_rule or ""), version=__version__)


def write_html(analysis, path, *, identify=False, overwrite=True, trial_figures=True):
    """Write the report to ``path`` atomically (see :func:`render_html`).

    Returns
    -------
    path : Path
    """
    html = render_html(analysis, identify=identify, trial_figures=trial_figures)
    path = Path(path)
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(html, encoding="utf-8")
    logger.info("Wrote the report %s", path)
    return path
