"""Interval-continuity tracking of interleaved fibres (myoemg.detect.tracking)."""

import numpy as np

import myoemg
from myoemg.detect import DischargeRules
from myoemg.detect.tracking import needs_tracking, track_pool, track_trains
from myoemg.sim.families import make_session


def waning_train(start_s, rate0_hz, rate1_hz, duration_s, rng):
    """Spike times of one fibre whose rate falls smoothly from rate0 to rate1 (1 % jitter)."""
    t, times = start_s, []
    while t < start_s + duration_s:
        times.append(t)
        rate = rate0_hz + (rate1_hz - rate0_hz) * (t - start_s) / duration_s
        t += (1 / rate) * (1 + 0.01 * rng.standard_normal())
    return np.array(times)


def two_alike_fibres(rng):
    """Two fibres with one potential shape and amplitude, interleaved (truth labels)."""
    a = waning_train(0.0, 60.0, 30.0, 1.5, rng)
    b = waning_train(0.004, 95.0, 45.0, 1.5, rng)
    times = np.concatenate([a, b])
    truth = np.concatenate([np.zeros(a.size, int), np.ones(b.size, int)])
    order = np.argsort(times)
    return times[order], truth[order]


def test_track_trains_separates_fibres_that_look_alike():
    rng = np.random.default_rng(0)
    times, truth = two_alike_fibres(rng)
    snippets = np.tile(np.sin(np.linspace(0, 2 * np.pi, 9)), (times.size, 1))
    snippets += 0.05 * rng.standard_normal(snippets.shape)
    amp = np.ones(times.size) * (1 + 0.03 * rng.standard_normal(times.size))
    labels = track_trains(times, amp, snippets)
    for k in np.unique(labels[labels >= 0]):
        if (labels == k).sum() >= 20:  # each long train is one fibre's
            assert np.mean(truth[labels == k] == np.bincount(truth[labels == k]).argmax()) \
                >= 0.95
    for fibre in (0, 1):  # most of each fibre's spikes are tracked
        assert np.mean(labels[truth == fibre] >= 0) >= 0.7


def test_only_trains_that_fail_the_one_generator_rule_are_tracked():
    rng = np.random.default_rng(1)
    rules = DischargeRules()
    one = waning_train(0.0, 60.0, 30.0, 1.5, rng)
    assert not needs_tracking(one, np.ones(one.size), rules)
    two, _ = two_alike_fibres(rng)
    assert needs_tracking(two, np.ones(two.size), rules)
    # doublets 5 ms apart (200 Hz, neuromyotonic) recurring irregularly: one fast generator
    starts = np.cumsum(rng.uniform(0.02, 0.06, 40))
    doublets = np.sort(np.concatenate([starts, starts + 0.005]))
    assert not needs_tracking(doublets, np.ones(doublets.size), rules)


def test_pool_trains_stay_at_myotonic_rates():
    rng = np.random.default_rng(2)
    times, _ = two_alike_fibres(rng)
    snippets = np.tile(np.sin(np.linspace(0, 2 * np.pi, 9)), (times.size, 1))
    labels = track_pool(times, np.ones(times.size), snippets, DischargeRules())
    assert labels.max() >= 1
    for k in range(labels.max() + 1):
        isi = np.diff(times[labels == k])
        assert isi.size >= 19 and np.median(isi) >= 1 / 165


def test_interleaved_needle_fibres_are_found_myotonic():
    # Tuning-family trial (seed 1045, trial 5: 3 needle fibres at 48 kHz) whose units the
    # waveform clustering leaves mixed; tracking by interval continuity finds a myotonic fibre
    # in them (missed before tracking was added).
    rec, truth = make_session(1045, family="tuning")
    assert bool(truth.trials.myotonic.iloc[4])
    a = myoemg.analyze(rec, verbose="error")
    assert bool(a.trials.myotonic.iloc[4])
    d = a.discharges
    myo = d[(d.trial == 5) & (d.kind == "myotonic")]
    assert (myo.rate_max_hz < 165).all()
    assert (d[d.reason.str.startswith("spikes left after")].kind == "other").all()
