"""HTML report: structure, escaping, no network, de-identification, figures, consistency."""

import pytest

pytest.importorskip("jinja2")

from myoemg.pipeline import analyze  # noqa: E402
from myoemg.report import REDACTED, render_html  # noqa: E402
from myoemg.sim import simulate_session  # noqa: E402

NAME_FIRST, NAME_LAST, BIRTH = "Johanna", "Doeberg", "1971-03-14"
EVIL = '<script>alert("x")</script>'


from .checks import assert_no_network, parse  # noqa: E402

_parse = parse


@pytest.fixture(scope="module")
def marked_up():
    """A session whose header is full of markup and a patient name."""
    rec, _ = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=3, rest_s=4.0,
                              pattern="warm-up", seed=7)
    rec.identifiers = {"patient_name": f"{NAME_FIRST} <b>{NAME_LAST}</b>", "birthdate": BIRTH}
    rec.metadata.update(device=EVIL, muscle='FDS <img src="http://evil.example/x.png">',
                        subject=f"{NAME_FIRST} {NAME_LAST}", side="<i>left</i>")
    rec.channels[0].name = f"EMG <u>FDS</u> {NAME_LAST}"
    rec.source = f"/home/clinic/{NAME_LAST}_<em>grip&amp;.edf"
    return analyze(rec)


@pytest.fixture(scope="module")
def html(marked_up):
    return render_html(marked_up)


def test_parses_and_has_the_sections(html, marked_up):
    p = _parse(html)
    assert p.tags[0] == "html" and "body" in p.tags
    text = " ".join(p.text)
    for section in ("Severity grade", "Warm-up", "Trials", "Discharges", "Quality",
                    "research use; not a validated clinical scale"):
        assert section in text
    n_svg = p.tags.count("svg") - p.nested_svg  # top-level figures (panels are nested)
    per_trial = marked_up.discharges["trial"].value_counts()
    n_raster = int((per_trial >= 2).sum())  # a raster for each trial with several units
    assert n_svg == 2 + 3 + len(marked_up.discharges) + n_raster  # overview 2, trials 3
    assert p.tags.count("audio") == 3 + len(marked_up.discharges)


def test_no_live_markup_from_inputs(html):
    p = _parse(html)
    assert "script" not in p.tags and "u" not in p.tags and "i" not in p.tags
    text = " ".join(p.text)
    assert EVIL in text  # shown as text, escaped in the source
    assert "&lt;script&gt;" in html and "<script" not in html
    assert "_&lt;em&gt;grip&amp;amp;.edf" in html and "em" not in p.tags  # the file name


def test_no_external_urls(html):
    assert_no_network(html)
    assert "SPEC.md" not in html  # the report cites the papers, not the project's notes
    p = _parse(html)
    assert p.urls and all(u.startswith("data:audio/wav;base64,") for u in p.urls)


def test_deidentified_by_default(html):
    low = html.lower()
    for secret in (NAME_FIRST, NAME_LAST, BIRTH, "/home/clinic"):
        assert secret.lower() not in low
    assert REDACTED in html
    assert "De-identified" in html


def test_identify_shows_the_identifiers_escaped(marked_up):
    html = render_html(marked_up, identify=True, trial_figures=False)
    assert NAME_LAST in html and BIRTH in html
    assert "&lt;b&gt;Doeberg&lt;/b&gt;" in html
    assert "<script" not in html


def test_quality_flags_absent_or_present(marked_up):
    from dataclasses import replace

    from myoemg.results import QualityReport

    bare = replace(marked_up, summary=replace(marked_up.summary, quality=None))
    assert "No quality checks" in render_html(bare, trial_figures=False)
    quality = QualityReport(worst_severity="warning", n_flags=1, channels={
        "Grip": [{"code": "clipped<x>", "severity": "warning", "start_s": 1.0, "end_s": 2.0,
                  "message": "force <clipped>"}]}, rules={"clipped<x>": {"rule": "r"}})
    flagged = replace(marked_up, summary=replace(marked_up.summary, quality=quality))
    out = render_html(flagged, trial_figures=False)
    assert "force &lt;clipped&gt;" in out and "warning" in out


def test_figures_from_the_api(marked_up):
    import matplotlib.pyplot as plt

    pytest.importorskip("matplotlib")
    fig = marked_up.plot_warmup()
    assert fig.axes and fig.axes[0].get_xlabel() == "trial"
    fig2 = marked_up.plot_trial(1)
    assert len(fig2.axes) == 1 + len(marked_up.recording.emg)
    plt.close("all")


def test_audio_file_names_are_deidentified(marked_up, tmp_path):
    paths = marked_up.to_audio(tmp_path)
    assert len(paths) == 3 + len(marked_up.discharges)  # each trial, each train
    names = " ".join(p.name for p in tmp_path.iterdir())
    assert NAME_LAST.lower() not in names.lower() and "redacted" in names
    assert all(p.suffix == ".wav" and p.stat().st_size > 44 for p in paths.values())
