"""Every real force-like file in ../shared/data gives plausible, honestly labelled numbers.

Facts checked against ../shared/data/README.md: fda pinches peak at 9.05-12.28 N over a
~1.94 N baseline with a crude 90->5 % fall of 0.058-0.074 s; the Spike2 knee torque is
negative-going, in uncalibrated volts, with two contractions at ~3.2-5.5 s and ~28.4-30.9 s.
"""

import logging

import numpy as np
import pytest

import myoemg

from .conftest import requires_shared_data

pytestmark = requires_shared_data


@pytest.mark.parametrize("name, baseline_n", [("pinchraw", 1.94), ("pinch", -0.06)])
def test_fda_pinches(shared_data, name, baseline_n):
    # 20 brief pinches (0.3 s windows, one per column, in N by fda's documentation): each is
    # analysed with a hold of 0.05 s (the QMA default of 1 s is for 3-s grips, docs: domain
    # reference, recording).
    logging.getLogger("myoemg").setLevel(logging.ERROR)
    rows = []
    for k in range(1, 21):
        rec = myoemg.read(shared_data / "fda_pinch" / f"{name}.csv", force=f"pulse_{k}",
                          force_unit="N")
        tr = myoemg.analyze(rec, min_hold_s=0.05, force_lowpass_hz=100.0).trials
        assert len(tr) == 1 and tr.relaxed[0]
        rows.append((tr.peak_force_n[0], tr.baseline_n[0], tr.rt90_5_s[0], tr.peak_s[0]))
    peak, base, rt, peak_s = np.array(rows).T
    # README: peaks 9.05-12.28 N in pinchraw over its ~1.94 N baseline; pinch = pinchraw - 2 N
    assert np.all((peak > 7.0) & (peak < 10.5))
    assert np.all((peak_s > 0.07) & (peak_s < 0.15))  # README: peaks at 0.076-0.144 s
    np.testing.assert_allclose(np.median(base), baseline_n, atol=0.1)
    assert np.all((rt > 0.05) & (rt < 0.08))  # README: 0.058-0.074 s (crude, unfiltered)


def test_biomech_knee_torque_is_flipped_and_relaxes(shared_data):
    res = myoemg.analyze(shared_data / "spike2py" / "biomech0deg.smr")
    s, tr = res.summary, res.trials
    assert s.force_flipped and s.force_unit == "a.u." and "peak_force_au" in tr
    assert any("labelled a torque" in n for n in s.notes)
    assert len(tr) == 2 and tr.relaxed.all()  # was: two "unrelaxed" trials of 3.2 "N"
    np.testing.assert_allclose(tr.onset_s, [3.2, 28.4], atol=0.2)
    np.testing.assert_allclose(tr.peak_force_au, [3.0, 1.2], rtol=0.1)  # README, in volts
    assert tr.rt90_5_s[0] < 0.5 and tr.rt90_5_s[1] < 1.5
    assert s.grade.provisional  # 'CED Spike2' has no known ULN


def test_no_real_file_gives_newtons_it_does_not_have(shared_data):
    # r42_test.acq's EMG in mV and its other channels: no force, so no force unit at all
    res = myoemg.analyze(shared_data / "bioread" / "r42_test.acq")
    assert res.summary.force_channel is None and res.summary.force_unit is None
