"""Signals a file can hold that would give wrong numbers silently: each gets a quality flag (in
``summary['quality']``, the notes, the trials table and the CLI output), through a real file
read with ``myoemg.read`` and analysed."""

import numpy as np
import pytest

import myoemg
from myoemg.io import write_edf
from myoemg.quality import check_recording, find_clipping
from myoemg.quality import rules as R
from myoemg.recording import Channel, Recording
from tests.io._bad_files import recording_with, run_cli, session


def _codes(res, channel):
    return [f["code"] for f in res.summary.quality.channels.get(channel, [])]


def _csv(path, emg=None, force=None, fs=1000.0, emg_col="EMG FDS (V)", force_col="Grip (N)"):
    cols = {"time_s": np.arange((emg if emg is not None else force).size) / fs}
    if emg is not None:
        cols[emg_col] = emg
    if force is not None:
        cols[force_col] = force
    names = list(cols)
    table = np.column_stack([cols[n] for n in names])
    np.savetxt(path, table, fmt="%.9g", delimiter=",", header=",".join(names), comments="")
    return path


def test_a_1e9_volt_spike_in_the_emg_is_flagged(tmp_path, capsys):
    rec = session()
    emg = rec["EMG FDS"].data.copy()
    emg[5000] = 1e9
    force = np.interp(rec["EMG FDS"].times, rec["Grip"].times, rec["Grip"].data)
    path = _csv(tmp_path / "spike.csv", emg=emg, force=force)
    res = myoemg.analyze(myoemg.read(path))
    assert "emg_implausible" in _codes(res, "EMG FDS")
    flag = res.summary.quality.channels["EMG FDS"][0]
    assert flag["start_s"] == pytest.approx(5.0) and flag["value"] == pytest.approx(1e9, rel=1e-3)
    code, out, err = run_cli(capsys, "analyze", path, "--out", tmp_path / "out")
    assert code == 0 and "emg_implausible" in out


def test_plausible_emg_is_not_flagged():
    _, flags = check_recording(session())
    assert "emg_implausible" not in set(flags["code"])
    assert flags.empty or not set(flags["code"]) & {"emg_implausible", "force_fs_low", "clipped"}


def test_force_sampled_at_1_hz_is_flagged(tmp_path, capsys):
    rec = session()
    f = rec["Grip"]
    path = _csv(tmp_path / "slow_force.csv", force=f.data[::100], fs=1.0)
    res = myoemg.analyze(myoemg.read(path))
    assert "force_fs_low" in _codes(res, "Grip")
    assert res.trials.empty or res.trials["rt_flagged"].all()
    code, out, err = run_cli(capsys, "analyze", path, "--out", tmp_path / "out")
    assert code in (0, 7) and ("force_fs_low" in out or "slow_force.csv" in err), (out, err)


def test_bdf_emg_swinging_between_the_24_bit_limits_is_flagged(tmp_path, capsys):
    import edfio

    rec = session()
    n_s = int(rec.duration_s)
    rail = 262143.0  # a BioSemi amplifier's range, µV
    alternating = np.where(np.arange(n_s * 1000) % 2, rail, -rail - 1)
    signals = [edfio.BdfSignal(alternating, 1000, label="EMG FDS", physical_dimension="uV",
                               physical_range=(-rail - 1, rail),
                               digital_range=(-(2**23), 2**23 - 1)),
               edfio.BdfSignal(rec["Grip"].data[: n_s * 100], 100, label="Grip",
                               physical_dimension="N")]
    path = tmp_path / "rails.bdf"
    edfio.Bdf(signals).write(path)
    digital = edfio.read_bdf(path).signals[0].digital
    assert set(np.unique(digital)) == {-(2**23), 2**23 - 1}  # the 24-bit limits
    res = myoemg.analyze(myoemg.read(path))
    codes = _codes(res, "EMG FDS")
    assert "clipped" in codes
    clipped = next(f for f in res.summary.quality.channels["EMG FDS"]
                   if f["code"] == "clipped")
    assert "100%" in clipped["message"]
    code, out, err = run_cli(capsys, "analyze", path, "--out", tmp_path / "out")
    assert code == 0 and "clipped" in out


def test_two_valued_signals_at_their_extremes_are_clipping():
    x = np.tile([-1.0, 1.0], 50)
    starts, stops = find_clipping(x)
    assert starts.tolist() == [0] and stops.tolist() == [100]
    assert find_clipping(np.sin(np.arange(1000) / 7))[0].size == 0


def test_emg_at_100_hz_gets_the_too_slow_flag(tmp_path, capsys):
    rec = session()
    from scipy.signal import resample_poly

    slow = Channel("EMG FDS", "emg", resample_poly(rec["EMG FDS"].data, 1, 10), 100.0, "V")
    path = write_edf(Recording([slow, rec["Grip"]], start_time=rec.start_time),
                     tmp_path / "slow_emg.edf")
    res = myoemg.analyze(myoemg.read(path))
    assert "emg_not_raw" in _codes(res, "EMG FDS")
    assert any("100 Hz" in n and "EMG FDS" in n for n in res.summary.notes)
    code, out, err = run_cli(capsys, "analyze", path, "--out", tmp_path / "out")
    assert code == 0 and "emg_not_raw" in out and "100 Hz" in out


@pytest.mark.parametrize("unit", ["kPa", "psi", "mmHg"])
def test_force_in_a_pressure_unit_is_kept_honest(tmp_path, capsys, unit):
    rec = session()
    path = _csv(tmp_path / "bulb.csv", force=rec["Grip"].data, fs=100.0,
                force_col=f"Grip ({unit})")
    read = myoemg.read(path)
    grip = read["Grip"]
    assert grip.kind == "force" and grip.unit == "a.u." and grip.source_unit == unit
    assert any(f"pressure ({unit}), not force" in c and "force_calibration" in c
               for c in read.conversions)
    res = myoemg.analyze(read)
    flag = res.summary.quality.channels["Grip"][0]
    assert flag["code"] == "force_uncalibrated" and "pressure" in flag["message"]
    cal = myoemg.read(path, force_calibration=0.5)
    assert cal["Grip"].unit == "N"
    code, out, err = run_cli(capsys, "analyze", path, "--out", tmp_path / "out")
    assert code == 0, err


def test_rules_document_the_new_flags():
    for code in ("emg_implausible", "force_fs_low"):
        severity, _, rule = R.RULES[code]
        assert severity == "warning" and rule
    assert R.EMG_MAX_ABS_V == 0.1 and R.FORCE_MIN_FS_HZ == 50.0
    slow = recording_with(force=session()["Grip"].data[::4], fs_force=25.0)
    _, flags = check_recording(slow)
    assert "force_fs_low" in set(flags["code"])
