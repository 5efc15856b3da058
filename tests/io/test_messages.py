"""Messages name the right place: the file line and column of a bad CSV value, the BIDS sidecar
(not the .edf) and its missing column, and a channel list summarised when a file has thousands."""

import json

import numpy as np
import pytest

import myoemg
from myoemg.io import write_edf
from myoemg.utils import ChannelError, RecordingError, summarise_names

from ._bad_files import run_cli, session


def _force_rows(n, bad_row=None, bad_value="heavy", column=1):
    rows = []
    for i in range(n):
        cells = [f"{i / 100:.2f}", f"{1.5 + np.sin(i / 30):.3f}"]
        if i + 1 == bad_row:
            cells[column] = bad_value
        rows.append(",".join(cells))
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("column, name", [(1, "force_N"), (0, "time_s")])
def test_bad_csv_value_names_its_line_row_and_column(tmp_path, capsys, column, name):
    path = tmp_path / "dyn.csv"
    path.write_text("# Device: grip\n# Sampling Rate (Hz):= 100\ntime_s,force_N\n"
                    + _force_rows(3000, bad_row=1201, column=column))
    with pytest.raises(RecordingError) as err:
        myoemg.read(path)
    msg = str(err.value)
    # 2 header lines and the names row come before data row 1 (file line 4)
    for words in ("dyn.csv", "'heavy'", "line 1204", "data row 1201", repr(name)):
        assert words in msg, (words, msg)
    code, _, errtext = run_cli(capsys, "info", path)
    assert code == 2 and "line 1204" in errtext


def test_row_numbers_survive_blank_and_comment_lines(tmp_path):
    body = _force_rows(50, bad_row=40).split("\n")
    body.insert(10, "")
    body.insert(20, "# a comment in the middle")
    path = tmp_path / "dyn.csv"
    path.write_text("time_s,force_N\n" + "\n".join(body))
    with pytest.raises(RecordingError, match=r"line 43 \(data row 40\)"):
        myoemg.read(path)


def test_a_row_with_extra_fields_names_its_file_line(tmp_path):
    lines = _force_rows(500).split("\n")
    lines[299] += ",7"
    path = tmp_path / "dyn.csv"
    path.write_text("# Sampling Rate (Hz):= 100\ntime_s,force_N\n" + "\n".join(lines))
    with pytest.raises(RecordingError, match=r"dyn.csv.*line 302"):
        myoemg.read(path)


@pytest.fixture
def bids(tmp_path):
    root = tmp_path / "ds"
    folder = root / "sub-01" / "emg"
    folder.mkdir(parents=True)
    (root / "dataset_description.json").write_text('{"Name": "x", "BIDSVersion": "1.11"}')
    path = write_edf(session(n_trials=2), folder / "sub-01_task-grip_emg.edf")
    (folder / "sub-01_task-grip_channels.tsv").write_text(
        "name\ttype\tunits\nEMG FDS\tEMG\tV\nGrip\tMISC\tN\n")
    return path


def _refused_naming(capsys, path, sidecar, *words):
    with pytest.raises(RecordingError) as err:
        myoemg.read(path)
    msg = str(err.value)
    assert sidecar.name in msg and "KeyError" not in msg, msg
    for w in words:
        assert w in msg, (w, msg)
    code, _, errtext = run_cli(capsys, "info", path)
    assert code == 2 and sidecar.name in errtext and "Traceback" not in errtext


def test_events_sidecar_without_onset_is_named(bids, capsys):
    events = bids.with_name("sub-01_task-grip_events.tsv")
    events.write_text("start\tduration\ttrial_type\n1.0\t2.0\tgrip\n")
    _refused_naming(capsys, bids, events, "'onset'", "start")


def test_events_sidecar_with_a_bad_onset_names_the_line(bids, capsys):
    events = bids.with_name("sub-01_task-grip_events.tsv")
    events.write_text("onset\tduration\n1.0\t2.0\nsoon\t1.0\n")
    _refused_naming(capsys, bids, events, "'soon'", "line 3")


def test_channels_sidecar_without_name_is_named(bids, capsys):
    channels = bids.with_name("sub-01_task-grip_channels.tsv")
    channels.write_text("label\ttype\nEMG FDS\tEMG\nGrip\tMISC\n")
    _refused_naming(capsys, bids, channels, "'name'")


def test_broken_json_sidecar_is_named(bids, capsys):
    sidecar = bids.with_name("sub-01_task-grip_emg.json")
    sidecar.write_text('{"Manufacturer": "x",')
    _refused_naming(capsys, bids, sidecar, "not valid JSON")
    sidecar.write_text(json.dumps(["not", "an", "object"]))
    _refused_naming(capsys, bids, sidecar, "list")


def test_a_3000_channel_file_has_its_channels_summarised(tmp_path, capsys):
    names = [f"ch{i}" for i in range(3000)]
    path = tmp_path / "wide.csv"
    rows = "\n".join(",".join([f"{i / 1000:.3f}"] + ["0.5"] * 3000) for i in range(20))
    path.write_text("time_s," + ",".join(names) + "\n" + rows + "\n")
    with pytest.raises(ChannelError) as err:
        myoemg.read(path, emg="EMG FDS")
    msg = str(err.value)
    assert "wide.csv" in msg and "3000 in all" in msg and "'ch2999'" in msg
    assert len(msg) < 400, len(msg)
    code, _, errtext = run_cli(capsys, "info", path, "--emg", "EMG FDS")
    assert code == 4 and "3000 in all" in errtext and len(errtext) < 600


def test_summarise_names_keeps_short_lists_whole():
    assert summarise_names(["a", "b", "c"]) == "['a', 'b', 'c']"
    long = summarise_names([f"n{i}" for i in range(100)], head=2, tail=1)
    assert long == "['n0', 'n1', …, 'n99'] (100 in all)"
