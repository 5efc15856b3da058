"""Report of concurrent units: a discharge view and a player for every train, rasters, units."""

import re
from dataclasses import replace

import numpy as np
import pytest

pytest.importorskip("jinja2")

from myoemg.report import render_html  # noqa: E402

from .checks import assert_no_network, parse  # noqa: E402
from .units_session import units_session  # noqa: E402


@pytest.fixture(scope="module")
def units():
    analysis, _ = units_session(n_trials=2)
    return analysis


@pytest.fixture(scope="module")
def html(units):
    return render_html(units)


def _views(html):
    """{unit: view HTML} of each discharge view."""
    parts = re.split(r'(?=<div class="view" )', html)[1:]
    out = {}
    for part in parts:
        unit = re.search(r'data-unit="([^"]+)"', part).group(1)
        out[unit] = part.split("</section>")[0]
    return out


def test_every_myotonic_train_has_its_rate_amplitude_figure_and_player(units, html):
    views = _views(html)
    myo = units.discharges[units.discharges["kind"] == "myotonic"]
    assert len(myo) == 4  # two myotonic units in each of two trials
    for uid in myo["unit"]:
        view = views[f"u{uid}"]
        assert 'data-kind="myotonic"' in view
        assert "instantaneous firing rate" in view and "amplitude of each potential" in view
        assert "mean potential ± SD" in view
        players = re.findall(r'<audio controls preload="none" src="(data:audio/wav;base64,'
                             r'[A-Za-z0-9+/=]+)"', view)
        assert len(players) == 1
        # the rate line holds one point per interval of the unit's own spikes
        n_spikes = int((units.spikes["unit"] == uid).sum())
        svg = view.split("instantaneous firing rate")[1]
        first_line = re.search(r'<polyline points="([^"]+)"', svg).group(1)
        assert len(first_line.split()) == 2 * (n_spikes - 1)  # x y per interval
    # look-alikes get a view too, with the rule and reason that decided them
    vol = units.discharges[units.discharges["kind"] == "voluntary"]
    for uid in vol["unit"]:
        assert "Why voluntary" in views[f"u{uid}"]


def test_rule_reason_and_raster_of_several_units(units, html):
    text = " ".join(parse(html).text)
    assert "rule that decided" in text and "wax and wane" in text
    rasters = re.findall(r'aria-label="trial (\d): units after release: spike raster of (\d) '
                         r'units"', html)
    assert rasters == [("1", "3"), ("2", "3")]  # one raster per trial, three units each
    assert "Spikes sorted by the detector" in text


def test_no_network_and_sizes(html):
    assert_no_network(html)
    assert len(html) < 3_000_000


def test_force_in_arbitrary_units_is_never_labelled_newtons(units):
    trials = units.trials.rename(columns={"peak_force_n": "peak_force_au",
                                          "baseline_n": "baseline_au"})
    out = render_html(replace(units, trials=trials), audio=False)
    assert "peak force (a.u.)" in out and "force (a.u.)" in out
    assert "peak force (N)" not in out and "force (N)" not in out
    assert not re.search(r"peak force \d+ N\b", out)


def test_provisional_grade_says_so(units):
    grade = units.summary.grade
    for flag in (True, False):
        summary = replace(units.summary, grade=replace(grade, provisional=flag))
        out = render_html(replace(units, summary=summary), trial_figures=False)
        assert ("provisional" in _box(out)) is flag


def _box(html):
    return html.split('<div class="box grade">')[1].split("<h2>")[0]


def test_sag_column_is_drawn_when_present(units):
    trials = units.trials.assign(sag_pct=np.linspace(5, 20, len(units.trials)))
    out = render_html(replace(units, trials=trials), audio=False)
    assert "sag (%)" in out


