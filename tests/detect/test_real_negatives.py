"""Real recordings without myotonia (../shared/data) through the whole pipeline: no myotonic call.

Every EMG file that ``myoemg.read`` opens is analysed with ``myoemg.analyze`` (force-free files
are searched after the releases of the grips found in their EMG, or whole when the EMG shows
none); none may give a myotonic unit train. Skips cleanly without the data.
"""

from pathlib import Path

import pytest

import myoemg
from myoemg.utils import MyoemgError

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"real recordings not found at {DATA}")

FILES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix.lower() in {
    ".edf", ".bdf", ".hea", ".smr", ".acq", ".wav", ".vhdr", ".fif", ".txt", ".csv"}
    and "README" not in p.name) if DATA.is_dir() else []


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_myotonic_call_on_real_recordings(path):
    try:
        rec = myoemg.read(path)
    except MyoemgError:
        pytest.skip(f"{path.name}: not a recording myoemg reads (refused with a clear error)")
    if not rec.emg:
        pytest.skip(f"{path.name}: no EMG channel")
    try:
        runs = [myoemg.analyze(rec, verbose="error")]
    except MyoemgError:  # e.g. EMG channels of different start times: one channel at a time
        runs = [myoemg.analyze(rec, emg=c.name, verbose="error") for c in rec.emg]
    for a in runs:
        myo = a.discharges[a.discharges["kind"] == "myotonic"]
        assert len(myo) == 0, myo[["channel", "start_s", "reason"]].to_string()
