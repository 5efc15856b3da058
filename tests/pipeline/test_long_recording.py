"""Two hours of 8-channel 4 kHz EMG, read from disk and analysed within 6 GB (issue 15).

A simulated 72 s session (6 grips, myotonic discharges) is written as EDF+ and its data records
repeated 100 times into one 2-hour file (the time-keeping annotations renumbered), so the
truth is known: 600 grips, each with the relaxation times of its copy in the short session.
The analysis runs in a fresh process whose peak resident size is read back.
"""

import subprocess
import sys

import numpy as np
import pytest

import myoemg
from myoemg.io import write_edf
from myoemg.sim import simulate_session

N_COPIES = 100  # 100 x 72 s = 2 h
MAX_RSS_BYTES = 6 * 2**30
ANN_SAMPLES = 8  # time-keeping annotation bytes / 2 per record

_CHILD = """
import json, resource, sys
import myoemg
a = myoemg.analyze(myoemg.read(sys.argv[1]))
print(json.dumps({"rt90_5_s": a.trials["rt90_5_s"].tolist(),
                  "n_emg_samples": sum(c.n_times for c in a.recording.emg),
                  "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def _field(raw, ns, offset, width):
    """One per-signal field of an EDF header, for each of the ``ns`` signals."""
    base = 256 + offset * ns
    return [raw[base + i * width:base + (i + 1) * width] for i in range(ns)]


def repeat_edf(src, dst, n_copies):
    """Write ``dst``: the data records of the EDF+ file ``src`` repeated ``n_copies`` times.

    The annotation signal is widened to 8 samples (16 bytes) a record so that every record
    holds its onset (EDF+C) however long the file.
    """
    raw = src.read_bytes()
    ns, header_len = int(raw[252:256]), int(raw[184:192])
    n_records, record_s = int(raw[236:244]), float(raw[244:252])
    labels = [v.decode().strip() for v in _field(raw, ns, 0, 16)]
    per_record = [int(v) for v in _field(raw, ns, 216, 8)]  # samples per data record
    ann = labels.index("EDF Annotations")
    record_bytes, ann_at = 2 * sum(per_record), 2 * sum(per_record[:ann])
    ann_end = ann_at + 2 * per_record[ann]
    header = bytearray(raw[:header_len])
    header[236:244] = f"{n_records * n_copies:<8d}".encode()
    at = 256 + 216 * ns + 8 * ann
    header[at:at + 8] = f"{ANN_SAMPLES:<8d}".encode()
    data = raw[header_len:header_len + n_records * record_bytes]
    with dst.open("wb") as fh:
        fh.write(header)
        for k in range(n_copies):
            parts = []
            for r in range(n_records):  # each record's onset, as EDF+C requires
                rec = data[r * record_bytes:(r + 1) * record_bytes]
                tal = f"+{(k * n_records + r) * record_s:g}\x14\x14\x00".encode()
                parts += [rec[:ann_at], tal.ljust(2 * ANN_SAMPLES, b"\x00"), rec[ann_end:]]
            fh.write(b"".join(parts))


@pytest.mark.slow
def test_two_hours_of_8_channels_at_4_khz_fit_in_6_gb(tmp_path):
    rec, _ = simulate_session(fs_emg=4000.0, fs_force=500.0, n_trials=6, n_emg=8,
                              pattern="steady", seed=2)
    short = tmp_path / "short.edf"
    write_edf(rec, short)
    want = myoemg.analyze(myoemg.read(short)).trials["rt90_5_s"].to_numpy(float)
    long = tmp_path / "long.edf"
    repeat_edf(short, long, N_COPIES)
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(long)], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    import json

    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["n_emg_samples"] == 8 * 4000 * 72 * N_COPIES
    rt = np.asarray(got["rt90_5_s"], float)
    assert rt.size == 6 * N_COPIES  # every grip of every copy found
    np.testing.assert_allclose(rt.reshape(N_COPIES, 6), np.tile(want, (N_COPIES, 1)),
                               atol=2e-3)  # one force sample at 500 Hz
    assert got["max_rss"] <= MAX_RSS_BYTES, f"peak RSS {got['max_rss'] / 2**30:.2f} GiB"
