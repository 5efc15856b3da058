"""check_reader: the one test every reader passes (after MNE's _test_raw_reader)."""

import shutil

import numpy as np
import pytest

from myoemg.io._common import file_sha256
from myoemg.recording import KINDS, Recording
from myoemg.utils import RecordingError


def check_reader(reader, path, *, expect, companions=(), truncate=None, cut=None, **kwargs):
    """Read ``path`` with ``reader`` and check it against ``expect``.

    expect : dict with
        channels : list of (name, kind, fs, unit)
        duration_s : float
        values : {name: (array in SI, atol)} compared with the first samples
        n_events : int | None
        identifiers : list of str that must not show in repr/describe
    companions : files that must travel with ``path`` when it is copied
    truncate : callable(copy_dir) -> path of the file to truncate, or None for ``path``'s copy;
        'skip' when a format cannot detect truncation.
    cut : callable(bytes) -> int, where to cut (default: an odd byte count near 60 %).
    """
    before = file_sha256(path) if path.is_file() else None
    rec = reader(path, **kwargs)
    assert isinstance(rec, Recording)
    got = [(c.name, c.kind, c.fs, c.unit) for c in rec.channels]
    want = expect["channels"]
    assert [g[0] for g in got] == [w[0] for w in want]
    for (name, kind, fs, unit), (_, k, f, u) in zip(want, got, strict=True):
        assert k == kind, name
        assert f == pytest.approx(fs, rel=1e-9), name
        assert u == unit, name
    for c in rec.channels:
        assert c.kind in KINDS and c.fs > 0
        if c.unit == "V" and c.kind == "emg":
            assert np.max(np.abs(c.data)) < 1.0, f"{c.name}: EMG beyond 1 V: units wrong?"
        if c.unit == "N":
            assert np.max(np.abs(c.data)) < 1e4, f"{c.name}: force beyond 10 kN: units wrong?"
    assert rec.duration_s == pytest.approx(expect["duration_s"], abs=1e-3)
    for name, (values, atol) in expect.get("values", {}).items():
        np.testing.assert_allclose(rec[name].data[: len(values)], values, atol=atol,
                                   err_msg=name)
    if expect.get("n_events") is not None:
        assert len(rec.events) == expect["n_events"]
    # round trip through MNE, one Raw per rate (exact)
    back = Recording.from_mne(rec.to_mne(split_rates=True))
    assert sorted(back.ch_names) == sorted(rec.ch_names)
    for c in rec.channels:
        b = back[c.name]
        assert (b.kind, b.unit, b.fs, b.n_times) == (c.kind, c.unit, c.fs, c.n_times)
        np.testing.assert_allclose(b.data, c.data, rtol=1e-6,
                                   atol=1e-9 * max(1.0, np.max(np.abs(c.data))))
    # never writes into its input
    if before is not None:
        assert file_sha256(path) == before
    # identifiers stay out of the container unless asked, and out of repr even then
    assert rec.identifiers == {}
    kept = reader(path, keep_identifiers=True, **kwargs)
    text = repr(kept) + kept.describe().to_string() + repr(rec)
    for word in expect.get("identifiers", []):
        assert word not in text
    # a truncated copy is refused, naming the file
    if truncate != "skip" and path.is_file():
        copy_dir = path.parent / "truncated_copy"
        copy_dir.mkdir(exist_ok=True)
        target = copy_dir / path.name
        shutil.copy(path, target)
        for comp in companions:
            shutil.copy(comp, copy_dir / comp.name)
        victim = truncate(copy_dir) if truncate else target
        data = victim.read_bytes()
        at = cut(data) if cut else int(len(data) * 0.6) | 1  # odd: inside a sample frame
        victim.write_bytes(data[:at])
        with pytest.raises(RecordingError) as err:
            reader(target, **kwargs)
        assert victim.name in str(err.value) or target.name in str(err.value)
    return rec
