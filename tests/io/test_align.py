import numpy as np
import pytest

from myoemg.io import estimate_offset, read, write_edf, write_force_csv
from myoemg.recording import Recording
from myoemg.sim.session import simulate_session
from tests.settings import FS_EMG, FS_FORCE


def _session(seed=1, pattern="warm-up"):
    out = simulate_session(fs_emg=FS_EMG, fs_force=FS_FORCE, pattern=pattern, n_trials=6,
                           seed=seed)
    return out[0] if isinstance(out, tuple) else out.recording


@pytest.mark.parametrize("offset_s", [0.7372, -0.4111])
def test_xcorr_recovers_a_known_offset_within_one_force_sample(tmp_path, offset_s):
    rec = _session()
    f = rec.force
    # the dynamometer started `offset_s` after the EMG (negative: before it)
    t_file = np.arange(int((rec.duration_s - 1.0) * FS_FORCE)) / FS_FORCE
    shifted = np.interp(t_file + offset_s, f.times, f.data)
    emg_path = write_edf(Recording(rec.emg), tmp_path / "s.edf")
    force_path = write_force_csv(shifted, tmp_path / "dyn.csv", fs=FS_FORCE, unit="kgf")
    both = read(emg_path, force=force_path, align="xcorr")
    got = both["force"].start_s
    expected = offset_s if offset_s >= 0 else (np.ceil(-offset_s * FS_FORCE) / FS_FORCE
                                               + offset_s)
    assert abs(got - expected) < 1.0 / FS_FORCE
    assert any("cross-correlation" in c for c in both.conversions)


def test_estimate_offset_reports_confidence_and_handles_negative_force():
    rec = _session(seed=3, pattern="healthy")
    e, f = rec.emg[0], rec.force
    res = estimate_offset(e.data, e.fs, -f.data[50:], f.fs)
    assert abs(res.offset_s - 50 / f.fs) < 1.0 / f.fs
    assert res.confidence > 0.5 and res.peak_ratio > 1.1
    noise = np.random.default_rng(0).normal(size=f.data.size)
    bad = estimate_offset(e.data, e.fs, noise, f.fs)
    assert bad.confidence < res.confidence


def test_sibling_without_start_time_uses_its_time_column(tmp_path):
    rec = _session()
    emg_path = write_edf(Recording(rec.emg, start_time=rec.start_time), tmp_path / "s.edf")
    write_force_csv(rec.force, tmp_path / "s_force.csv")
    both = read(emg_path)  # sibling by name; no start time in the CSV: its time column is used
    assert both["force"].start_s == 0.0
    assert both.source == [str(emg_path), str(tmp_path / "s_force.csv")]
