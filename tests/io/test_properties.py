"""Property tests (hypothesis) of the readers on arbitrary and damaged files.

Arbitrary tables and damaged EDF/BDF files may only give a ``MyoemgError`` naming the file,
never another exception, a crash or a hang; readers never change their input. Profiles
(tests/conftest.py): "ci" (default, 30 examples per test, derandomised) and "deep"
(``HYPOTHESIS_PROFILE=deep``, 1500 examples per test). The fuzz of every format under a memory
limit is in tests/io/test_fuzz.py and benchmarks/fuzz_readers.py.
"""

import hashlib
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import myoemg  # noqa: E402
from myoemg.utils import MyoemgError  # noqa: E402

from .._strategies import finite, quietly, signals, special  # noqa: E402


# -- readers --------------------------------------------------------------------------------
def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _read_and_check(path, **kwargs):
    before = _sha(path)
    try:
        rec = quietly(myoemg.read, path, **kwargs)
    except MyoemgError as err:
        assert Path(path).name in str(err) or "channel" in str(err) or "force" in str(err)
        rec = None
    assert _sha(path) == before
    if rec is not None:
        assert isinstance(rec, myoemg.Recording) and rec.channels
        for ch in rec.channels:
            assert ch.fs > 0 and ch.data.ndim == 1
    return rec


cells = st.one_of(finite.map(repr), special.map(str), st.sampled_from(["", "abc", "1,5", " "]),
                  st.text(alphabet=st.characters(codec="utf-8"), max_size=6))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(header=st.lists(st.sampled_from(["time_s", "time", "force_N", "Grip (kgf)", "EMG_mV",
                                        "x", "", "t"]), min_size=1, max_size=4),
       rows=st.lists(st.lists(cells, min_size=0, max_size=5), max_size=40),
       sep=st.sampled_from([",", ";", "\t", " "]),
       comment=st.sampled_from(["", "# Sampling Rate (Hz):= 1000.00\n", "# fs: 0\n"]),
       suffix=st.sampled_from([".csv", ".tsv", ".txt"]))
def test_text_reader_arbitrary_tables(header, rows, sep, comment, suffix):
    text = comment + sep.join(header) + "\n" + "".join(sep.join(r) + "\n" for r in rows)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"table{suffix}"
        path.write_text(text, encoding="utf-8")
        _read_and_check(path)


@given(n=st.integers(1, 400), fs=st.sampled_from([1.0, 10.0, 100.0, 123.0, 1000.0]),
       force=signals(max_len=400, min_len=1))
def test_force_csv_numeric_tables(n, fs, force):
    force = np.resize(force, n)
    t = np.arange(n) / fs
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "force.csv"
        pd.DataFrame({"time_s": t, "force_N": force}).to_csv(path, index=False)
        _read_and_check(path)


@st.composite
def edf_bytes(draw):
    import edfio

    n_rec = draw(st.integers(1, 4))
    specs = []
    for k in range(draw(st.integers(1, 3))):
        fs = draw(st.sampled_from([1, 7, 100, 256, 1000]))
        data = draw(hnp.arrays(np.float64, fs * n_rec,
                               elements=st.floats(-1e4, 1e4, allow_nan=False)))
        label = draw(st.sampled_from(["EMG FDS", "Grip", "EEG Cz", "x", f"ch{k}", "Force"]))
        unit = draw(st.sampled_from(["uV", "mV", "N", "kgf", "", "V", "degC"]))
        specs.append((data, fs, label, unit))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.edf"
        try:  # edfio refuses some ranges (header fields of 8 characters): not our case
            sigs = [edfio.EdfSignal(data, sampling_frequency=fs, label=label,
                                    physical_dimension=unit) for data, fs, label, unit in specs]
            edfio.Edf(sigs).write(path)
        except (ValueError, TypeError):
            assume(False)
        raw = bytearray(path.read_bytes())
    mutation = draw(st.sampled_from(["none", "truncate", "flip", "header_field"]))
    if mutation == "truncate":
        raw = raw[: draw(st.integers(0, len(raw) - 1))]
    elif mutation == "flip":
        for _ in range(draw(st.integers(1, 8))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    elif mutation == "header_field":
        start = draw(st.sampled_from([168, 176, 184, 236, 244, 252]))  # dates, sizes, counts
        raw[start:start + 8] = draw(st.binary(min_size=8, max_size=8))
    return bytes(raw)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=edf_bytes(), suffix=st.sampled_from([".edf", ".bdf"]))
def test_edf_reader_arbitrary_and_damaged_files(raw, suffix):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"rec{suffix}"
        path.write_bytes(raw)
        _read_and_check(path)
