"""The grade box, the summary and the CLI line come from one Grade and cannot disagree."""

import re

import pytest

pytest.importorskip("jinja2")

from myoemg.pipeline import analyze  # noqa: E402
from myoemg.report import render_html  # noqa: E402
from myoemg.sim import simulate_session  # noqa: E402

from .checks import parse  # noqa: E402


@pytest.fixture(scope="module")
def slow_letgo():
    """Prolonged relaxation without discharges: not graded, though relaxation scores high."""
    rec, _ = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=3, pattern="steady",
                              slow_release=True, rest_s=4.0, seed=2)
    return analyze(rec)


def test_not_graded_box_never_shows_a_grade(slow_letgo):
    grade = slow_letgo.summary.grade
    assert grade.grade is None and grade.numbers.score  # the case of issue 16
    html = render_html(slow_letgo, trial_figures=False)
    box = html.split('<div class="box grade">')[1].split("</div>\n</div>")[0]
    head = re.search(r'<div class="head">(.*?)</div>', box).group(1)
    assert head == grade.text.replace("'", "&#39;")  # the CLI prints grade.text
    assert not re.search(r"\bgrade [0-3]\b", head)
    assert "Why not graded" in box
    assert "not used: the session is not graded" in box  # the score is not shown as a grade
    text = " ".join(parse(html).text)
    assert text.count(grade.text) == 2  # summary line and grade box: the same words


def test_graded_session_shows_the_same_text_everywhere():
    rec, _ = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=3, rest_s=4.0, seed=4)
    a = analyze(rec)
    html = render_html(a, trial_figures=False)
    assert a.summary.grade.grade is not None
    text = " ".join(parse(html).text)
    assert text.count(a.summary.grade.text) == 2
    assert "Why not graded" not in html
