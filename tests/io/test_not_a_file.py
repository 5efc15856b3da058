"""Inputs that are not regular files (FIFOs, devices, sockets, folders, link loops) and files
above the size cap: refused at once with a RecordingError naming them (exit 2 at the CLI), never
read whole, never blocking; also when a companion file (.eeg, .dat, sidecar, force file) is the
bad one."""

import os
import socket
import sys

import pytest

import myoemg
from myoemg.io import write_edf
from myoemg.utils import RecordingError

from ._bad_files import run_cli, run_script, session, write_brainvision, write_wfdb

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev are POSIX")


def _fifo(path):
    os.mkfifo(path)
    return path


def _link(path, target):
    path.symlink_to(target)
    return path


NOT_FILES = {
    "fifo": lambda d: _fifo(d / "pipe.edf"),
    "link to /dev/zero": lambda d: _link(d / "zero.edf", "/dev/zero"),
    "link to /dev/urandom": lambda d: _link(d / "random.bdf", "/dev/urandom"),
    "/dev/zero as csv": lambda d: _link(d / "zero.csv", "/dev/zero"),
    "folder named .edf": lambda d: (d / "rec.edf").mkdir() or d / "rec.edf",
    "link loop": lambda d: _link(d / "loop.edf", d / "loop.edf"),
    "dangling link": lambda d: _link(d / "dangling.wav", d / "nowhere.wav"),
}


@pytest.fixture
def socket_file(tmp_path):
    path = tmp_path / "sock.edf"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(path))
    except OSError:
        pytest.skip("cannot bind a UNIX socket here")
    yield path
    s.close()


@posix_only
@pytest.mark.parametrize("case", list(NOT_FILES))
def test_not_a_regular_file_is_refused(tmp_path, capsys, case):
    path = NOT_FILES[case](tmp_path)
    with pytest.raises(RecordingError) as err:
        myoemg.read(path)
    msg = str(err.value)
    assert path.name in msg
    assert any(w in msg for w in ("not a recording file", "loop of symbolic links",
                                  "does not exist"))
    for command in (["info", path], ["analyze", path, "--out", tmp_path / "out"]):
        code, out, errtext = run_cli(capsys, *command)
        assert code == 2 and path.name in errtext and "Traceback" not in errtext


@posix_only
def test_socket_is_refused(socket_file):
    with pytest.raises(RecordingError, match="sock.edf.*socket"):
        myoemg.read(socket_file)


@posix_only
def test_fifo_and_dev_zero_do_not_hang_the_command_line(tmp_path):
    fifo = _fifo(tmp_path / "pipe.edf")
    zero = _link(tmp_path / "zero.edf", "/dev/zero")
    for path in (fifo, zero):
        proc = run_script("info", path, timeout=60)  # a hang would time out here
        assert proc.returncode == 2, proc.stderr
        assert path.name in proc.stderr and "Traceback" not in proc.stderr


@posix_only
def test_bad_companion_files_are_refused(tmp_path):
    bv = tmp_path / "bv"
    bv.mkdir()
    vhdr = write_brainvision(bv)
    (bv / "rec.eeg").unlink()
    _fifo(bv / "rec.eeg")
    with pytest.raises(RecordingError, match=r"rec.eeg.*named pipe"):
        myoemg.read(vhdr)
    wf = tmp_path / "wf"
    wf.mkdir()
    hea = write_wfdb(wf)
    (wf / "rec.dat").unlink()
    _link(wf / "rec.dat", "/dev/zero")
    with pytest.raises(RecordingError, match=r"rec.dat.*character device"):
        myoemg.read(hea)
    emg = write_edf(session().select(["EMG FDS"]), tmp_path / "emg.edf")
    force = _link(tmp_path / "dyn.csv", "/dev/urandom")
    with pytest.raises(RecordingError, match=r"dyn.csv.*character device"):
        myoemg.read(emg, force=force)


@posix_only
def test_bids_sidecar_fifo_is_refused(tmp_path):
    folder = tmp_path / "ds" / "sub-01" / "emg"
    folder.mkdir(parents=True)
    (tmp_path / "ds" / "dataset_description.json").write_text('{"Name": "x"}')
    rec = session(n_trials=2)
    path = write_edf(rec, folder / "sub-01_task-grip_emg.edf")
    (folder / "sub-01_task-grip_channels.tsv").write_text(
        "name\ttype\tunits\nEMG FDS\tEMG\tV\nGrip\tMISC\tN\n")
    _fifo(folder / "sub-01_task-grip_events.tsv")
    with pytest.raises(RecordingError, match=r"events.tsv.*named pipe"):
        myoemg.read(path)


def test_files_above_the_cap_are_refused_unless_raised(tmp_path, capsys):
    path = write_edf(session(n_trials=2), tmp_path / "rec.edf")
    size = path.stat().st_size
    with pytest.raises(RecordingError, match=r"rec.edf.*max_file_bytes"):
        myoemg.read(path, max_file_bytes=size - 1)
    assert myoemg.read(path, max_file_bytes=size).ch_names == ["EMG FDS", "Grip"]
    with pytest.raises(ValueError, match="max_file_bytes"):
        myoemg.read(path, max_file_bytes=0)
