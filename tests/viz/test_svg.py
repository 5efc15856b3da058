"""The report's SVG writer: ticks, decimation, escaping, clipping marks, no external reference."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from myoemg.viz.decimate import minmax_bins, time_slice
from myoemg.viz.svg import Figure, nice_ticks, tick_label
from myoemg.viz.svg_trial import emg_limit_uv, trial_svg
from myoemg.viz.traces import EmgTrace, Train


@pytest.mark.parametrize(("lo", "hi"), [(0, 1), (-3.2, 7.9), (6.1, 9.7), (0, 0.012), (-500, 500)])
def test_nice_ticks_cover_the_range_with_round_steps(lo, hi):
    t = nice_ticks(lo, hi, n=5)
    assert 3 <= t.size <= 11 and t.min() >= lo - 1e-9 and t.max() <= hi + 1e-9
    steps = np.diff(t)
    assert np.allclose(steps, steps[0])
    mant = steps[0] / 10 ** np.floor(np.log10(steps[0]))
    assert any(np.isclose(mant, m) for m in (1, 2, 2.5, 5))
    assert len({tick_label(v, steps[0]) for v in t}) == t.size  # labels tell ticks apart


def test_minmax_bins_equal_a_brute_force_reduction():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 10_007))
    centre, lo, hi = minmax_bins(x, 300)
    edges = np.linspace(0, x.shape[1], 301).astype(int)
    for j in (0, 17, 299):
        seg = x[:, edges[j]:edges[j + 1]]
        assert np.array_equal(lo[:, j], seg.min(axis=1)) and np.array_equal(hi[:, j],
                                                                             seg.max(axis=1))
    assert lo.shape == (2, 300) and centre.size == 300
    assert x.max() == hi.max() and x.min() == lo.min()  # no spike lost
    short = np.arange(10.0)
    assert minmax_bins(short, 300)[1] is not None and minmax_bins(short, 300)[1].size == 10


def test_time_slice_is_clipped_to_the_channel():
    assert time_slice(0.0, 100.0, 1000, -5.0, 2.0) == (0, 201)
    assert time_slice(1.0, 100.0, 1000, 5.0, 50.0) == (400, 1000)


def test_text_is_escaped_and_the_svg_is_well_formed():
    fig = Figure(400, 200, 'label <script>alert("x")</script>')
    p = fig.panel(50, 20, 300, 150, (0, 1), (-1, 1), title="EMG <b>R&L</b>", ylabel="µV")
    p.line([0, 0.5, 1], [0, 1, -1])
    p.markers([0.2], [0.1], shape="triangle")
    svg = fig.to_svg()
    assert "<script" not in svg and "&lt;b&gt;R&amp;L&lt;/b&gt;" in svg
    root = ET.fromstring(svg)  # parses as XML: every element closed, every string escaped
    assert root.tag == "svg" and "http" not in svg and "xlink" not in svg


def _trace(peak_contraction=800.0, spikes=60.0):
    """Contraction (interference) until 5 s, then 4 µV noise with a spike every 20 ms."""
    rng = np.random.default_rng(1)
    t = np.arange(20_000) / 2000
    x = 4 * rng.standard_normal(t.size)
    x[t < 5] = peak_contraction / 3.5 * rng.standard_normal(int((t < 5).sum()))
    x[(t > 5.2) & (np.arange(t.size) % 40 == 0)] = spikes
    x[0] = peak_contraction
    return t, x


def test_emg_axis_shows_the_after_activity_and_the_clipping_is_marked():
    t, x = _trace()
    lim, peak = emg_limit_uv(x, t > 5.2)
    assert 60 < lim < 100 and peak >= 800
    tr = EmgTrace("EMG prox_EMG long name", t, x, x, lim, peak)
    svg = trial_svg({"release_s": 5.0, "after_activity_s": 1.0}, None, [tr],
                    [Train("EMG prox_EMG long name", "u1", "myotonic", 5.2, 6.0)], (0, 10),
                    title="trial 1")
    assert "EMG prox_EMG long name (filtered, µV)" in svg  # the full name, never cut
    assert f"clipped at ±{lim:.0f} µV (peak {peak:.0f} µV)" in svg
    assert re.search(r'fill="#d81b60"', svg)  # the red clip bars
    t, x = _trace(peak_contraction=40.0, spikes=60.0)
    lim2, peak2 = emg_limit_uv(x, t > 5.2)
    assert lim2 >= peak2  # nothing to clip: the whole window fits


def test_a_clip_label_under_a_microvolt_is_not_rounded_to_zero():
    # A channel whose filtered peak is under 1 µV (an extension channel with no EMG).
    tr = EmgTrace("Ext", np.array([0.0, 1.0]), np.array([-0.9, -0.1]), np.array([0.1, 0.9]),
                  0.41, 0.9)
    svg = trial_svg({"release_s": 0.5}, None, [tr], [], (0, 1), title="trial 1")
    assert "clipped at ±0.41 µV (peak 0.9 µV)" in svg and "±0 µV" not in svg
