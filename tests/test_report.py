"""HTML report: structure, escaping, no external URLs, de-identification, figures."""

import re
from html.parser import HTMLParser

import pytest

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

from myoemg.pipeline import analyze  # noqa: E402
from myoemg.report import REDACTED, render_html  # noqa: E402
from myoemg.sim import simulate_session  # noqa: E402

NAME_FIRST, NAME_LAST, BIRTH = "Johanna", "Doeberg", "1971-03-14"
EVIL = '<script>alert("x")</script>'


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.urls, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "action", "data")]

    def handle_data(self, data):
        self.text.append(data)


def _parse(html):
    p = _Collector()
    p.feed(html)
    p.close()
    return p


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


def test_parses_and_has_the_sections(html):
    p = _parse(html)
    assert p.tags[0] == "html" and "body" in p.tags
    text = " ".join(p.text)
    for section in ("Severity grade", "Warm-up", "Trials", "Discharges", "Quality",
                    "research use; not a validated clinical scale"):
        assert section in text
    assert p.tags.count("img") == 1 + 3  # warm-up plot + one figure per trial


def test_no_live_markup_from_inputs(html):
    p = _parse(html)
    assert "script" not in p.tags and "u" not in p.tags and "i" not in p.tags
    text = " ".join(p.text)
    assert EVIL in text  # shown as text, escaped in the source
    assert "&lt;script&gt;" in html and "<script" not in html
    assert "_&lt;em&gt;grip&amp;amp;.edf" in html and "em" not in p.tags  # the file name


def test_no_external_urls(html):
    p = _parse(html)
    assert p.urls and all(u.startswith("data:image/png;base64,") for u in p.urls)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<link" not in html and "@import" not in html


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

    fig = marked_up.plot_warmup()
    assert fig.axes and fig.axes[0].get_xlabel() == "trial"
    fig2 = marked_up.plot_trial(1)
    assert len(fig2.axes) == 1 + len(marked_up.recording.emg)
    plt.close("all")
