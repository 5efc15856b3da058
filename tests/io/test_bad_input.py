"""Wrong, truncated or empty files of each format: a clear error naming the file."""

import sys

import pytest

import myoemg
from myoemg.io import read, supported_formats
from myoemg.utils import RecordingError, UnsupportedFormatError

SUFFIXES = [".edf", ".bdf", ".vhdr", ".fif", ".hea", ".smr", ".acq", ".wav", ".csv", ".tsv",
            ".txt"]
GARBAGE = bytes(range(256)) * 40


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("content", [b"", GARBAGE, b"time,force\nthis is, not a recording\n"],
                         ids=["empty", "garbage", "wrong-format"])
def test_bad_file_gives_recording_error_naming_it(tmp_path, suffix, content):
    if suffix in (".csv", ".tsv", ".txt") and content.startswith(b"time"):
        content = b"time,force\n0,1\n0.1,x\n"
    path = tmp_path / f"bad_file{suffix}"
    path.write_bytes(content)
    with pytest.raises(RecordingError) as err:
        read(path)
    assert "bad_file" in str(err.value)


def test_missing_and_unknown(tmp_path):
    with pytest.raises(RecordingError, match="not found"):
        myoemg.read(tmp_path / "nope.edf")
    odd = tmp_path / "rec.xyz"
    odd.write_text("1")
    with pytest.raises(UnsupportedFormatError, match=r"rec.xyz.*\.edf"):
        read(odd)
    for companion, wanted in [("rec.vmrk", ".vhdr"), ("rec.eeg", ".vhdr")]:
        (tmp_path / companion).write_text("x")
        with pytest.raises(UnsupportedFormatError, match=wanted):
            read(tmp_path / companion)
    assert supported_formats()[".hea"].startswith("WFDB")


def test_missing_force_file_named(tmp_path):
    from myoemg.io import write_edf

    from ._helpers import simple_recording

    path = write_edf(simple_recording(), tmp_path / "a.edf")
    with pytest.raises(RecordingError, match="force file .*dyn.csv.* not found"):
        read(path, force="dyn.csv")
    with pytest.raises(myoemg.utils.ChannelError, match="Did you mean 'Grip'"):
        read(path, force="Gripp")


def test_missing_optional_package_names_the_extra(tmp_path, monkeypatch):
    path = tmp_path / "r.hea"
    path.write_text("r 1 4000 10\n")
    monkeypatch.setitem(sys.modules, "wfdb", None)
    with pytest.raises(UnsupportedFormatError, match=r"pip install myoemg\[wfdb\]"):
        read(path)


def test_unknown_format_option_is_explained(tmp_path):
    from myoemg.io import write_edf

    from ._helpers import simple_recording

    path = write_edf(simple_recording(), tmp_path / "a.edf")
    with pytest.raises(TypeError, match="fs.*a.edf"):
        read(path, fs=100)
