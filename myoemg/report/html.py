"""Render an :class:`~myoemg.results.Analysis` as one self-contained HTML file."""

from __future__ import annotations

import math
import re
from pathlib import Path

from .._version import __version__
from ..recording import METADATA_KEYS
from ..utils import atomic_path, logger, soft_import
from . import audio as _audio
from .display import display_emg
from .figures import (
    discharge_figure,
    emg_overview,
    session_figures,
    trial_figure,
    trial_raster,
)
from .norms import EMG_NORMS, RELAXATION_NORMS, is_provisional, uln_rows
from .scrub import REDACTED, Scrubber, cite
from .tables import DISCHARGE_SHOW, FEATURES, cell, fmt, force_column, table, trial_columns
from .units import trial_of, unit_trains

_HERE = Path(__file__).parent
_CSS = _HERE / "report.css"
#: Look-alike trains drawn at most (ours: a noisy session must not make a 1000-page report;
#: every myotonic train is always drawn).
MAX_LOOKALIKE_VIEWS = 40


def _header(analysis, scrub, identify):
    s, rec = analysis.summary, analysis.recording
    meta = s.metadata or (rec.metadata if rec is not None else {})
    header = [("file", ", ".join(scrub(Path(p).name) for p in s.inputs) or "(not from a file)")]
    for key in ("device", "muscle", "side", "electrode", "subject", "session", "temperature_c",
                "medication"):
        if key in METADATA_KEYS and meta.get(key) not in (None, ""):
            header.append((key.replace("_c", " (°C)").replace("_", " "), scrub(meta[key])))
    date = getattr(rec, "start_time", None) if rec is not None else None
    header.append(("date", date.strftime("%Y-%m-%d") if date is not None else "unknown"))
    header.append(("software", f"myoemg {s.version}"))
    identifiers = rec.identifiers if rec is not None else {}
    ident = [(scrub(k), str(v)) for k, v in identifiers.items()] if identify else []
    return header, ident


def _grade_box(grade, scrub):
    """Everything the grade box shows, from the one Grade object (as the CLI line is)."""
    if grade is None:
        return {"text": "not graded (no grade computed)", "graded": False, "reasons": [],
                "caveats": [], "numbers": [], "rule": "", "uln": [], "provisional": False,
                "disclaimer": "research use; not a validated clinical scale"}
    n = grade.numbers
    reasons = [scrub(cite(r)) for r in grade.reasons
               if not re.search(r"\bnan\b", r)]  # a number that was not measured says nothing
    if not n.n_trials:
        return {"text": grade.text, "graded": False, "reasons": reasons,
                "caveats": [scrub(cite(c)) for c in grade.caveats], "numbers": [],
                "rule": cite(grade.rule), "uln": uln_rows(grade),
                "provisional": is_provisional(grade), "disclaimer": grade.disclaimer}
    score = fmt(n.score, 0)
    if grade.grade is None and n.score is not None:
        score += " (relaxation alone; not used: the session is not graded, see why)"
    numbers = [("worst trial", fmt(n.worst_trial, 0)),
               ("RT90-5 of the worst trial", f"{'≥ ' if n.worst_censored else ''}"
                                             f"{fmt(n.rt90_5_worst_s, 2)} s = "
                                             f"{fmt(n.multiple_uln_worst, 1)} × ULN"),
               ("RT90-5 plateau", f"{fmt(n.rt90_5_plateau_s, 2)} s = "
                                  f"{fmt(n.multiple_uln_plateau, 1)} × ULN"),
               ("points (worst + plateau)", f"{fmt(n.points_worst, 0)} + "
                                            f"{fmt(n.points_plateau, 0)}"),
               ("score", score),
               ("trials with myotonic discharges",
                "not assessed" if n.n_myotonic_trials is None
                else f"{n.n_myotonic_trials} of {n.n_trials}")]
    return {"text": grade.text, "graded": grade.grade is not None,
            "reasons": reasons,
            "caveats": [scrub(cite(c)) for c in grade.caveats], "numbers": numbers,
            "rule": cite(grade.rule), "uln": uln_rows(grade),
            "provisional": is_provisional(grade), "disclaimer": grade.disclaimer}


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
    return [fmt(block.first_s, 2), fmt(block.last_s, 2), fmt(block.min_s, 2),
            fmt(block.warmup_s, 2), fmt(block.warmup_pct, 0),
            "–" if share is None or not math.isfinite(share) else f"{100 * share:.0f} %",
            fmt(block.plateau_trial), fmt(block.plateau_s, 2), fit_txt]


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
                                fmt(it.get("start_s"), 2), fmt(it.get("end_s"), 2),
                                scrub(it.get("message"))])
    for code, rule in q.rules.items():
        text = rule.get("rule") if isinstance(rule, dict) else rule
        out["rules"].append([scrub(code), scrub(cite(text))])
    return out


class _Audio:
    """Embedded clips by name, rendered when a player asks for one (none when audio is off)."""

    def __init__(self, emg, clips, enabled):
        self._emg = emg if enabled else None
        self._clips = {c.name: c for c in clips}
        self.n_embedded = 0

    def player(self, name):
        clip = self._clips.get(name)
        out = _audio.render_clip(self._emg, clip) if clip and self._emg is not None else None
        if out is None:
            return None
        self.n_embedded += 1
        return {"uri": _audio.data_uri(out[0]), "rate": out[1], "channel": clip.channel,
                "seconds": f"{clip.end_s - clip.start_s:.1f}", "name": name}


def _views(analysis, trains, rows, emg, players, clips_by_train, scrub):
    """One discharge view per unit train: figure, features, rule, reason and player."""
    views, n_look = [], 0
    for i, (tn, row) in enumerate(zip(trains, rows, strict=True)):
        if tn.kind != "myotonic":
            n_look += 1
            if n_look > MAX_LOOKALIKE_VIEWS:
                continue
        k = trial_of(row)
        title = (f"{'trial ' + str(k) + ', ' if k else ''}unit {tn.unit} on {tn.channel}: "
                 f"{tn.kind}")
        views.append({
            "index": i, "trial": k, "unit": tn.unit, "kind": tn.kind, "title": title,
            "svg": discharge_figure(tn, emg, trains, title),
            "features": [(label, cell(row, c, scrub)) for c, label in FEATURES if c in row],
            "reason": scrub(cite(row.get("reason") or "")),
            "spikes_source": tn.spikes_source,
            "audio": players.player(clips_by_train.get(i))})
    skipped = max(0, n_look - MAX_LOOKALIKE_VIEWS)
    return views, skipped


def render_html(analysis, *, identify=False, trial_figures=True, audio=True) -> str:
    """Render the report as an HTML string.

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`myoemg.analyze`.
    identify : bool
        Show identifying header fields (default False: de-identified, and identifier values are
        redacted wherever else they occur).
    trial_figures : bool
        Draw the trial figures and discharge views (needs ``analysis.recording``).
    audio : bool
        Embed the EMG of each trial's after-release window and of each train as audio.

    Returns
    -------
    html : str
    """
    jinja2 = soft_import("jinja2", "the HTML report")
    s, rec = analysis.summary, analysis.recording
    scrub = Scrubber(rec.identifiers if rec is not None else {}, enabled=not identify)
    header, ident = _header(analysis, scrub, identify)
    grade_box = _grade_box(s.grade, scrub)
    trials = analysis.trials
    draw = trial_figures and rec is not None
    emg = display_emg(rec, s.parameters, [scrub(c.name) for c in rec.emg]) if draw else None
    rows = [{**r, "channel": scrub(r["channel"])}
            for r in analysis.discharges.to_dict("records")]
    trains = unit_trains(analysis, emg, scrub) if draw else []
    drawn = rows if draw else []  # aligned with trains
    clips = _audio.plan_clips(trials, trains, drawn, emg.names if emg else [],
                              end_s=emg.start_s + emg.data.shape[1] / emg.fs if emg else 0.0)
    n_trial_clips = len(clips) - len(trains)
    clips_by_train = {i: c.name for i, c in enumerate(clips[n_trial_clips:])}
    players = _Audio(emg, clips, audio and draw)
    views, skipped = _views(analysis, trains, drawn, emg, players, clips_by_train, scrub)

    normal = _normal_text(s.grade, grade_box["provisional"])
    force_ch = rec.force if draw else None
    session = session_figures(trials, force_ch, s.grade) if len(trials) else {}
    sections = _trial_sections(trials, trains, drawn, force_ch, emg, players, clips, views) \
        if draw else []
    loose = [v for v in views if v["trial"] is None or not len(trials)]
    overview = (emg_overview(emg, trains, "EMG (no force channel)")
                if emg is not None and not len(trials) else None)
    n_myo = sum(1 for r in rows if r.get("kind") == "myotonic")

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_HERE)),
                             autoescape=True)  # every string from an input is escaped
    template = env.get_template("report.html.j2")
    return template.render(
        title="myoemg report", css=_CSS.read_text(encoding="utf-8"), header=header,
        identifiers=ident, identify=identify, grade=grade_box, summary=s,
        pattern=s.pattern, pattern_reason=scrub(cite(s.pattern_reason)),
        pattern_rule=scrub(cite(s.pattern_rule)), evidence=s.myotonic_evidence,
        measures=_measures(s.warmup), peak_force=_measured_peak_force(s.warmup),
        force_unit=force_column(trials)[1] or "N", fmt=fmt,
        trials=table(trials, trial_columns(trials), scrub, quality=True),
        session=session, normal_text=normal, relaxation_norms=RELAXATION_NORMS,
        emg_norms=EMG_NORMS, trial_sections=sections, loose_views=loose,
        overview=overview, skipped_views=skipped,
        filter_caption=emg.caption() if emg is not None else "",
        discharges=table(analysis.discharges.assign(
            channel=[r["channel"] for r in rows]) if rows else analysis.discharges,
            DISCHARGE_SHOW, scrub),
        n_discharges=len(rows), n_myotonic=n_myo, n_units=len({tn.unit for tn in trains}),
        quality=_quality(analysis, scrub), notes=[scrub(cite(n)) for n in s.notes],
        conversions=[scrub(c) for c in s.conversions],
        trial_rule=scrub(cite(s.trial_myotonic_rule or "")), version=__version__,
        has_audio=players.n_embedded > 0)


def _normal_text(grade, provisional):
    """The device's normal range of RT90-5 and where it comes from, in words."""
    if grade is None:
        return ""
    uln = grade.uln
    return (f"Normal range 0–{uln.uln_s:.2f} s ({uln.device_type}"
            f"{', provisional' if provisional else ''}): {cite(uln.source)}")


def _trial_sections(trials, trains, rows, force_ch, emg, players, clips, views):
    """Per trial: its figure, raster, after-release players and discharge views."""
    sections = []
    for row in trials.to_dict("records"):
        k = int(row["trial"])
        mine = [tn for tn, r in zip(trains, rows, strict=True) if trial_of(r) == k]
        try:
            fig = trial_figure(row, trials, force_ch, emg, mine)
        except (ValueError, KeyError) as err:  # one bad trial must not lose the report
            logger.warning("trial %s not drawn: %s", k, err)
            fig = None
        sections.append({
            "trial": k, "svg": fig, "raster": trial_raster(row, mine),
            "audio": [p for p in (players.player(c.name) for c in clips
                                  if c.trial == k and c.unit is None) if p],
            "views": [v for v in views if v["trial"] == k]})
    return sections


def _measured_peak_force(warm):
    """The peak-force course, or None when no trial has a force (EMG-only sessions)."""
    course = warm.peak_force if warm else None
    return course if course is not None and math.isfinite(course.first_n) else None


def _measures(warm):
    labels = {"rt90_5": "RT90-5", "rt90_50": "RT90-50", "rt50_5": "RT50-5"}
    return [(labels[k], _measure_rows(b)) for k, b in warm.measures()] if warm else []


def write_html(analysis, path, *, identify=False, overwrite=True, trial_figures=True,
               audio=True) -> Path:
    """Write the report to ``path`` atomically (see :func:`render_html`).

    Returns
    -------
    path : Path
    """
    html = render_html(analysis, identify=identify, trial_figures=trial_figures, audio=audio)
    path = Path(path)
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(html, encoding="utf-8")
    logger.info("Wrote the report %s", path)
    return path


def write_audio(analysis, directory, *, overwrite=True, identify=False) -> dict[str, Path]:
    """Write the audio clips of the report as WAV files in ``directory``.

    One ``trialNN_<channel>.wav`` per trial and EMG channel (the after-release window, at most
    :data:`myoemg.report.audio.MAX_TRIAL_CLIP_S` s) and one
    ``trialNN_<unit>_<kind>_<channel>.wav`` per unit train, cut from the displayed EMG
    (:mod:`myoemg.report.display`) and loudness-normalised (:mod:`myoemg.report.audio`).

    Returns
    -------
    paths : dict of str -> Path
        Empty when the analysis holds no recording with EMG.
    """
    rec = analysis.recording
    if rec is None or not rec.emg:
        logger.warning("no EMG in this analysis: no audio written")
        return {}
    scrub = Scrubber(rec.identifiers, enabled=not identify)
    emg = display_emg(rec, analysis.summary.parameters, [scrub(c.name) for c in rec.emg])
    trains = unit_trains(analysis, emg, scrub)
    rows = [{**r, "channel": scrub(r["channel"])}
            for r in analysis.discharges.to_dict("records")]
    clips = _audio.plan_clips(analysis.trials, trains, rows, emg.names,
                              end_s=emg.start_s + emg.data.shape[1] / emg.fs)
    return _audio.write_audio(clips, emg, directory, overwrite=overwrite)


__all__ = ["REDACTED", "render_html", "write_audio", "write_html"]
