"""Simulated sessions for the benchmarks, cached on disk (simulating 60 min takes minutes).

A session is simulated once per set of parameters and version of :mod:`myoemg.sim` (the cache
key hashes both) and kept as a pickle in ``$MYOEMG_BENCH_CACHE`` (default
``~/.cache/myoemg-bench``); later runs load it in well under a second. Nothing is written
inside the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

import myoemg

#: The cases of issue 15: name -> simulate_session keyword arguments. Myotonic ('steady')
#: sessions, so that the detector has discharges to decompose after every release.
CASES = {
    "10min_2k_1ch": dict(fs_emg=2000.0, fs_force=500.0, n_trials=50, pattern="steady", seed=0),
    "10min_2k_4ch": dict(fs_emg=2000.0, fs_force=500.0, n_trials=50, n_emg=4, pattern="steady",
                         seed=0),
    # six 10-minute sessions end to end: the simulator's grips weaken 2 % per trial
    "60min_2k_1ch": dict(fs_emg=2000.0, fs_force=500.0, n_trials=50, pattern="steady",
                         seed=0, repeat=6),
    "60s_needle_44k": dict(fs_emg=44100.0, fs_force=500.0, n_trials=5, electrode="needle",
                           pattern="steady", seed=0),
    "10min_10k_1ch": dict(fs_emg=10000.0, fs_force=500.0, n_trials=50, pattern="steady",
                          seed=0),
    "10min_2k_16ch": dict(fs_emg=2000.0, fs_force=500.0, n_trials=50, n_emg=16,
                          pattern="steady", seed=0),
}


def cache_dir():
    """Where simulated sessions are kept."""
    folder = Path(os.environ.get("MYOEMG_BENCH_CACHE", Path.home() / ".cache" / "myoemg-bench"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sim_hash():
    """Hash of the simulator's sources: a changed simulator invalidates the cache."""
    digest = hashlib.sha256()
    for path in sorted((Path(myoemg.__file__).parent / "sim").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def session(name, **overrides):
    """The Recording of case ``name`` (see :data:`CASES`), simulated or loaded from the cache."""
    from myoemg.sim import simulate_session

    kwargs = {**CASES[name], **overrides}
    key = hashlib.sha256(json.dumps(kwargs, sort_keys=True).encode()).hexdigest()[:12]
    path = cache_dir() / f"{name}-{key}-{_sim_hash()}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    sim = dict(kwargs)
    repeat = sim.pop("repeat", 1)
    seed = sim.pop("seed")
    rec = _end_to_end([simulate_session(**sim, seed=seed + k)[0] for k in range(repeat)])
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(rec, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return rec


def _end_to_end(recs):
    """One Recording holding the sessions ``recs`` one after the other (same channels)."""
    import numpy as np
    import pandas as pd

    from myoemg.recording import Channel, Recording

    if len(recs) == 1:
        return recs[0]
    first = recs[0]
    channels = [Channel(ch.name, ch.kind, np.concatenate([r[ch.name].data for r in recs]),
                        ch.fs, ch.unit, ch.start_s, ch.source_unit) for ch in first.channels]
    offsets = np.cumsum([0.0] + [r.duration_s for r in recs[:-1]])
    events = pd.concat([r.events.assign(onset_s=r.events["onset_s"] + t0)
                        for r, t0 in zip(recs, offsets, strict=True)], ignore_index=True)
    return Recording(channels, start_time=first.start_time, events=events,
                     metadata=first.metadata, source=first.source)


def edf_file(name, **overrides):
    """Case ``name`` written as EDF+ in the cache folder (for memory runs that read a file)."""
    from myoemg.io import write_edf

    kwargs = {**CASES[name], **overrides}
    key = hashlib.sha256(json.dumps(kwargs, sort_keys=True).encode()).hexdigest()[:12]
    path = cache_dir() / f"{name}-{key}-{_sim_hash()}.edf"
    if not path.exists():
        write_edf(session(name, **overrides), path)
    return path
