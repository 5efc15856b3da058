"""Matching pursuit: correlations, their updates, and overlapping potentials resolved."""

import numpy as np
import pytest

from myoemg.detect.matching import correlate_templates, match_pursuit, template_overlaps


def _direct_correlation(x, templates):
    half = templates.shape[1] // 2
    padded = np.pad(x, half)
    return np.array([[padded[p:p + templates.shape[1]] @ t for p in range(x.size)]
                     for t in templates])


def _templates(n_snip=21):
    k = np.arange(n_snip) - n_snip // 2
    biphasic = -k * np.exp(-0.5 * (k / 3.0) ** 2)
    monophasic = np.exp(-0.5 * (k / 2.0) ** 2)
    return np.stack([biphasic / np.abs(biphasic).max(), monophasic])


def _place(n_times, templates, placements):
    x = np.zeros(n_times)
    half = templates.shape[1] // 2
    for pos, unit, gain in placements:
        x[pos - half:pos + half + 1] += gain * templates[unit]
    return x


def test_correlation_matches_direct_sum():
    rng = np.random.default_rng(0)
    x, templates = rng.normal(size=300), rng.normal(size=(3, 9))
    np.testing.assert_allclose(correlate_templates(x, templates),
                               _direct_correlation(x, templates), atol=1e-10)


def test_overlaps_give_the_change_of_the_correlation():
    rng = np.random.default_rng(1)
    templates = rng.normal(size=(3, 7))
    x = _place(100, templates, [(40, 1, 2.0)])
    overlap = template_overlaps(templates)
    expected = np.zeros((3, 100))
    for j in range(13):
        expected[:, 40 + j - 6] += 2.0 * overlap[1, j]
    np.testing.assert_allclose(correlate_templates(x, templates), expected, atol=1e-12)


def test_colliding_potentials_are_both_found_with_their_gains():
    templates = _templates()
    # two collisions of different units (4 and 2 samples apart), and one potential alone
    truth = [(100, 0, 3.0), (104, 1, 1.0), (300, 1, 2.0), (500, 1, 0.8), (502, 0, 2.0)]
    rng = np.random.default_rng(2)
    x = _place(700, templates, truth) + rng.normal(scale=0.02, size=700)
    samples, units, gains, resid = match_pursuit(x, templates, min_peak=0.3, min_corr=0.6)
    found = {(int(s), int(u)) for s, u in zip(samples, units, strict=True)}
    assert len(found) == len(truth)  # no extra placement where the greedy fit overshot
    tolerances = (0.05, 0.05, 0.05, 0.35, 0.35)  # the last collision is the harder
    for (pos, unit, gain), tol in zip(truth, tolerances, strict=True):
        hit = (np.abs(samples - pos) <= 2) & (units == unit)
        assert hit.sum() == 1
        assert gains[hit][0] == pytest.approx(gain, rel=tol)
    assert np.std(resid) < 0.1 * np.std(x)


def test_noise_below_threshold_places_nothing():
    rng = np.random.default_rng(3)
    x = rng.normal(scale=1.0, size=2000)
    samples, units, gains, resid = match_pursuit(x, _templates(), min_peak=6.0, min_corr=0.8)
    assert samples.size == 0
    np.testing.assert_array_equal(resid, x)


def test_no_templates_or_empty_signal():
    samples, units, gains, resid = match_pursuit(np.ones(50), np.zeros((0, 7)), min_peak=1.0,
                                                 min_corr=0.5)
    assert samples.size == units.size == gains.size == 0
    assert match_pursuit(np.zeros(0), _templates(), min_peak=1.0, min_corr=0.5)[0].size == 0


def test_a_unit_is_not_placed_within_its_refractory_period():
    templates = _templates()[:1]
    x = _place(400, templates, [(100, 0, 2.0), (108, 0, 1.0), (300, 0, 1.0)])
    free = match_pursuit(x, templates, min_peak=0.3, min_corr=0.6)
    blocked = match_pursuit(x, templates, min_peak=0.3, min_corr=0.6,
                            refractory_n=np.array([20]), spikes=(np.array([300]),
                                                                 np.array([0])))
    assert set(free[0]) >= {100, 300}
    assert 300 not in blocked[0]  # already a spike of the unit
    assert not ((blocked[0] > 80) & (blocked[0] < 120)).sum() > 1


def test_sorting_finds_the_spikes_two_colliding_fibres_mask():
    # two surface-like fibres at steady, unrelated rates: their potentials collide again
    # and again; matching the residual finds more of the masked ones than its peaks do
    from myoemg.detect.rules import DischargeRules
    from myoemg.detect.sorting import sort_window

    fs, n = 2000.0, 8000
    templates = _templates(17) * np.array([[120e-6], [60e-6]])
    rng = np.random.default_rng(4)
    truth = [np.arange(50, n - 50, fs / 47).astype(int), np.arange(61, n - 50, fs / 59).astype(int)]
    x = _place(n, templates, [(p, u, 1.0) for u in (0, 1) for p in truth[u]])
    x += 5e-6 * rng.standard_normal(n)
    hits = {}
    for match in (False, True):
        sort = sort_window(x, 5e-6, fs=fs, half=8, rules=DischargeRules(), match_overlaps=match)
        found = sort.samples[sort.units >= 0]
        # within 2 ms: the sorter aligns a biphasic potential on its energy centroid
        hits[match] = [np.mean(np.min(np.abs(found[:, None] - t[None, :]), axis=0) <= 4)
                       for t in truth]
    assert hits[True][0] >= 0.95 and hits[True][1] >= 0.6, hits
    assert hits[True][1] >= hits[False][1] + 0.03, hits  # the smaller, more often masked


def test_the_option_matches_surface_windows_and_leaves_needle_ones():
    from myoemg.detect import DischargeRules, detect_discharges
    from myoemg.sim import trains as T

    fs, n = 2000.0, int(6 * 2000.0)
    x, _, _ = T.myotonic_fibres(fs=fs, n_times=n, release_s=1.0, n_fibres=6,
                                electrode="surface", noise_sd_v=4e-6, snr_range=(15.0, 30.0),
                                rng=3)
    x = x + 4e-6 * np.random.default_rng(3).standard_normal(n)
    n_spikes = {}
    for electrode in ("surface", "needle"):
        for match in (False, True):
            d = detect_discharges(x, fs=fs, search_s=[(1.0, n / fs)], electrode=electrode,
                                  rules=DischargeRules(match_overlaps=match))
            n_spikes[electrode, match] = int(d["n_spikes"].sum())
    assert n_spikes["surface", True] > n_spikes["surface", False], n_spikes  # masked ones
    assert n_spikes["needle", True] == n_spikes["needle", False], n_spikes
