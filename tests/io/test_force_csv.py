import numpy as np
import pytest

import myoemg
from myoemg.io import read, read_force_csv, read_text, write_edf, write_force_csv
from myoemg.recording import Channel
from myoemg.utils import KGF_N, LBF_N, ChannelError, OutputError, RecordingError, UnitError
from tests.settings import FS_EMG, FS_FORCE

from ._helpers import grip_force, simple_recording


@pytest.mark.parametrize("unit,factor", [("N", 1.0), ("kgf", KGF_N), ("lbf", LBF_N)])
def test_write_read_force_csv_round_trip(tmp_path, unit, factor):
    f = grip_force(FS_FORCE, 5 + 1 / 7)
    path = write_force_csv(f, tmp_path / "f.csv", fs=FS_FORCE, unit=unit, start_s=0.25)
    header = path.read_text().splitlines()[0]
    assert header == f"time_s,force_{unit}"
    rec = read_force_csv(path)
    ch = rec.force
    assert ch.name == "force" and ch.unit == "N" and ch.source_unit == unit
    assert ch.fs == FS_FORCE
    assert ch.start_s == pytest.approx(0.25)
    np.testing.assert_allclose(ch.data, f, rtol=1e-9, atol=1e-9)
    if unit != "N":
        assert rec.conversions == [f"force: {unit} -> N"]
    assert rec.source == str(path)


def test_write_force_csv_from_channel_tsv_and_overwrite(tmp_path):
    ch = Channel("Grip", "force", grip_force(FS_FORCE, 3), FS_FORCE, "N", start_s=1.0)
    path = write_force_csv(ch, tmp_path / "f.tsv", unit="kgf")
    assert path.read_text().splitlines()[0] == "time_s\tforce_kgf"
    rec = read(path)
    assert rec["force"].start_s == pytest.approx(1.0)
    np.testing.assert_allclose(rec["force"].data, ch.data, rtol=1e-9)
    with pytest.raises(OutputError):
        write_force_csv(ch, path)
    with pytest.raises(UnitError, match="stone"):
        write_force_csv(ch, tmp_path / "g.csv", unit="stone")


def test_sibling_force_file_by_naming_rule(tmp_path):
    rec = simple_recording()
    emg_path = write_edf(rec.select(["EMG FDS"]), tmp_path / "S03_grip.edf")
    write_force_csv(rec["Grip"], tmp_path / "S03_grip_force.csv", unit="kgf")
    both = myoemg.read(emg_path)
    assert both.ch_names == ["EMG FDS", "force"]
    assert both.kinds == ["emg", "force"]
    assert both.source == [str(emg_path), str(tmp_path / "S03_grip_force.csv")]
    np.testing.assert_allclose(both["force"].data, rec["Grip"].data, rtol=1e-8)
    assert both["force"].fs == FS_FORCE and both["EMG FDS"].fs == FS_EMG
    assert any("kgf -> N" in c for c in both.conversions)
    # force=False: no sibling lookup
    assert myoemg.read(emg_path, force=False).ch_names == ["EMG FDS"]


def test_explicit_force_file_and_offset(tmp_path):
    rec = simple_recording()
    emg_path = write_edf(rec, tmp_path / "a.edf")
    fpath = write_force_csv(rec["Grip"], tmp_path / "dyn.csv", unit="lbf")
    out = read(emg_path, force=str(fpath), offset_s=0.5)
    assert out.kinds == ["emg", "other", "force"]  # the EDF's own force channel steps aside
    assert out["force"].start_s == pytest.approx(0.5)
    out = read(emg_path, force=fpath, offset_s=-0.5)
    n_drop = int(np.ceil(0.5 * FS_FORCE))
    assert out["force"].start_s == pytest.approx(n_drop / FS_FORCE - 0.5)
    np.testing.assert_allclose(out["force"].data, rec["Grip"].data[n_drop:], rtol=1e-8)


def test_alignment_on_start_times(tmp_path):
    rec = simple_recording()
    emg_path = write_edf(rec.select(["EMG FDS"]), tmp_path / "a.edf")
    t = 2.0 + np.arange(300) / 100.0
    lines = ["timestamp,Grip (N)"] + [
        f"2024-03-05T09:30:{s:09.6f}Z,{v}" for s, v in zip(t, np.linspace(0, 10, 300),
                                                         strict=True)]
    (tmp_path / "dyn.csv").write_text("\n".join(lines) + "\n")
    out = read(emg_path, force=tmp_path / "dyn.csv")
    assert out["Grip"].fs == pytest.approx(100.0)
    assert out["Grip"].start_s == pytest.approx(2.0)


def test_text_layouts(tmp_path):
    p = tmp_path / "semi.csv"
    p.write_text("Zeit [ms];Kraft [kgf];EMG FDS [µV]\n0;1,5;10,0\n2;2,5;-3,5\n4;3,5;4,25\n")
    rec = read_text(p)
    assert rec.ch_names == ["Kraft", "EMG FDS"]
    assert rec.kinds == ["force", "emg"]
    assert rec["Kraft"].fs == 500.0
    np.testing.assert_allclose(rec["Kraft"].data, np.array([1.5, 2.5, 3.5]) * KGF_N)
    np.testing.assert_allclose(rec["EMG FDS"].data, [10e-6, -3.5e-6, 4.25e-6])
    p = tmp_path / "bio.txt"
    p.write_text("# Simple Text Format\n# Sampling Rate (Hz):= 1000.00\n# Resolution:= 12\n"
                 "# Labels:= EMG\n2055.0\n2050.0\n2049.0\n")
    rec = read(p)
    assert rec.ch_names == ["EMG"] and rec["EMG"].fs == 1000.0 and rec["EMG"].unit == "a.u."
    rec = read(p, emg_calibration=1e-6)
    assert rec["EMG"].unit == "V" and rec["EMG"].data[0] == pytest.approx(2055e-6)
    p = tmp_path / "ws.txt"
    p.write_text("1.0 2.0\n3.0 4.0\n5.0 6.0\n")
    with pytest.raises(RecordingError, match="fs="):
        read(p)
    rec = read(p, fs=250, unit="mV")
    assert rec.kinds == ["emg", "emg"] and rec.channels[0].data[1] == pytest.approx(3e-3)


def test_force_column_choice_and_units(tmp_path):
    p = tmp_path / "pinch.csv"
    p.write_text("time_s,pulse_1,pulse_2\n0,1,2\n0.002,1.5,2.5\n0.004,2,3\n")
    with pytest.raises(ChannelError, match="force_channel"):
        read_force_csv(p)
    rec = read_force_csv(p, force_channel="pulse_2", force_unit="N")
    np.testing.assert_allclose(rec.force.data, [2, 2.5, 3])
    with pytest.raises(ChannelError, match="Did you mean 'pulse_1'"):
        read_force_csv(p, force_channel="pulse1")
    rec = read(p, force_channel="pulse_1", force_unit="N")
    assert rec.kinds == ["force", "other"]
    p = tmp_path / "volts.csv"
    p.write_text("time_s,grip_V\n0,0.1\n0.01,0.2\n0.02,0.3\n")
    rec = read(p)
    assert rec["grip"].unit == "a.u."
    rec = read(p, force_calibration=-100.0)
    np.testing.assert_allclose(rec["grip"].data, [-10, -20, -30])


@pytest.mark.parametrize("content,match", [
    ("time_s,force_N\n0,1\n0.01,2\n0.02,3\n0.03", "truncated"),
    ("time_s,force_N\n0,1\n0.01,abc\n0.02,3\n", "non-number"),
    ("time_s,force_N\n", "no data rows|no signal"),
    ("time_s,force_N\n0,1\n0.01,2\n0.5,3\n0.51,3\n", "irregular"),
    ("", "empty"),
])
def test_bad_text_files_name_the_file(tmp_path, content, match):
    p = tmp_path / "bad_force.csv"
    p.write_text(content)
    with pytest.raises(RecordingError, match=match) as err:
        read(p)
    assert "bad_force.csv" in str(err.value)


def test_binary_file_with_text_name(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(RecordingError, match="x.csv"):
        read(p)
