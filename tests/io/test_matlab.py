"""MATLAB exports: v5 (scipy.io) and v7.3 (HDF5) files written here, read by name or by layout."""

import numpy as np
import pytest
from scipy.io import savemat

import myoemg
from myoemg.io.matlab import read_matlab
from myoemg.utils import ChannelError, RecordingError
from tests.settings import FS_EMG

from ._helpers import grip_emg, grip_force
from .conformance import check_reader

DUR = 3 + 1 / 7
N = round(DUR * FS_EMG)


def _signals():
    emg_mv = 1e3 * np.vstack([grip_emg(FS_EMG, DUR, seed=1), grip_emg(FS_EMG, DUR, seed=2)])
    force = grip_force(FS_EMG, DUR)
    return emg_mv[:, :N], force[:N]


def write_mat73(path, variables):
    """A MATLAB v7.3 file (HDF5 with MATLAB's header, classes and column-major order)."""
    h5py = pytest.importorskip("h5py")
    with h5py.File(path, "w", userblock_size=512) as f:
        refs = f.create_group("#refs#")
        for name, value in variables.items():
            _h5_put(f, refs, name, value)
    header = b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created by: myoemg tests HDF5 schema 1.00 ."
    with open(path, "r+b") as fh:
        fh.write(header.ljust(116) + b"\x00" * 8 + b"\x00\x02IM")
    return path


def _h5_put(group, refs, name, value):
    if isinstance(value, dict):
        sub = group.create_group(name)
        sub.attrs["MATLAB_class"] = np.bytes_("struct")
        for k, v in value.items():
            _h5_put(sub, refs, k, v)
    elif isinstance(value, str):
        ds = group.create_dataset(name, data=np.array([[ord(c)] for c in value], "<u2"))
        ds.attrs["MATLAB_class"] = np.bytes_("char")
    elif isinstance(value, list):  # a cell array of strings
        cells = []
        for i, item in enumerate(value):
            _h5_put(refs, refs, f"{name}_{i}", item)
            cells.append(refs[f"{name}_{i}"].ref)
        ds = group.create_dataset(name, data=np.array([cells]).T,
                                  dtype=group.file.ref_dtype if hasattr(group.file, "ref_dtype")
                                  else __import__("h5py").ref_dtype)
        ds.attrs["MATLAB_class"] = np.bytes_("cell")
    else:
        arr = np.atleast_2d(np.asarray(value, dtype=float))
        ds = group.create_dataset(name, data=arr.T)  # MATLAB stores column-major
        ds.attrs["MATLAB_class"] = np.bytes_("double")


def _expect(emg_mv, force):
    return dict(channels=[("EMG FDS", "emg", FS_EMG, "V"), ("EMG FDP", "emg", FS_EMG, "V"),
                          ("force", "force", FS_EMG, "N")],
                duration_s=N / FS_EMG, n_events=0,
                values={"EMG FDS": (emg_mv[0] * 1e-3, 1e-12), "force": (force, 1e-9)})


def test_v5_struct_conformance(tmp_path):
    emg_mv, force = _signals()
    path = tmp_path / "session_v5.mat"
    savemat(path, {"data": {"emg": emg_mv, "force": force, "fs": FS_EMG,
                            "emg_labels": np.array(["EMG FDS", "EMG FDP"], dtype=object),
                            "emg_units": "mV", "force_units": "N"}})
    rec = check_reader(read_matlab, path, expect=_expect(emg_mv, force))
    assert any("2 channels x" in c and "rows" in c for c in rec.conversions)


def test_v73_arrays_conformance(tmp_path):
    emg_mv, force = _signals()
    t = np.arange(N) / FS_EMG + 0.25
    path = write_mat73(tmp_path / "session_v73.mat", {
        "EMG": emg_mv.T, "force": force, "time": t,  # samples x channels, a time vector
        "labels": ["EMG FDS", "EMG FDP"], "units": "mV"})
    expect = _expect(emg_mv, force)
    expect["duration_s"] += 0.25
    rec = check_reader(read_matlab, path, expect=expect, units={"EMG": "mV", "force": "N"})
    assert rec["EMG FDS"].start_s == pytest.approx(0.25)
    assert any("columns" in c and "time axis" in c for c in rec.conversions)


def test_variables_by_name_and_rates_per_variable(tmp_path):
    emg_mv, force = _signals()
    path = tmp_path / "lab.mat"
    savemat(path, {"EMGraw": emg_mv[0], "F": force[::10], "fs_EMGraw": FS_EMG,
                   "fs_F": FS_EMG / 10, "junk": np.arange(7.0)})
    rec = myoemg.read(path, emg="EMGraw", force="F", units={"EMGraw": "mV", "F": "kgf"})
    assert [(c.name, c.kind, c.fs, c.unit) for c in rec.channels] == [
        ("EMGraw", "emg", FS_EMG, "V"), ("F", "force", FS_EMG / 10, "N")]
    np.testing.assert_allclose(rec["F"].data, force[::10] * 9.80665)


def test_uncalibrated_force_stays_au_and_analyze_runs(tmp_path):
    emg_mv, force = _signals()
    path = tmp_path / "counts.mat"
    savemat(path, {"emg": emg_mv, "grip": force * 12.0, "Fs": FS_EMG})
    rec = myoemg.read(path, units={"emg": "mV"})
    assert rec.force.name == "grip" and rec.force.unit == "a.u."
    res = myoemg.analyze(rec)
    assert len(res.trials) == 1 and "peak_force_au" in res.trials  # one grip in 3.1 s


def test_missing_rate_and_missing_variable_are_explained(tmp_path):
    path = tmp_path / "norate.mat"
    savemat(path, {"emg": np.zeros((2, 500))})
    with pytest.raises(RecordingError, match="fs=") as err:
        read_matlab(path)
    assert "norate.mat" in str(err.value)
    assert read_matlab(path, fs=1000.0).emg[0].fs == 1000.0
    with pytest.raises(ChannelError, match="fs='rate'"):
        read_matlab(path, fs="rate")
    empty = tmp_path / "text.mat"
    savemat(empty, {"note": "no signals here"})
    with pytest.raises(RecordingError, match="no numeric signal"):
        read_matlab(empty, fs=100.0)


def test_not_a_mat_file_is_refused(tmp_path):
    bad = tmp_path / "fake.mat"
    bad.write_bytes(b"this is not MATLAB" * 20)
    with pytest.raises(RecordingError, match="fake.mat"):
        myoemg.read(bad)
