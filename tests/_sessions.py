"""Simulate and analyse sessions in parallel worker processes (shared by report-layer tests)."""

from concurrent.futures import ProcessPoolExecutor

# EMG at 2 kHz: the discharge detector needs spikes sampled finer than 1 kHz; force at 100 Hz.
FS_EMG_FAST_TEST = 2000.0
FS_FORCE_FAST_TEST = 100.0


def simulate_and_analyze(kwargs):
    """Return (summary, trials, discharges, truth_trials) of one simulated session."""
    from myoemg.pipeline import analyze
    from myoemg.sim import simulate_session

    kwargs = {"fs_emg": FS_EMG_FAST_TEST, "fs_force": FS_FORCE_FAST_TEST, **kwargs}
    rec, truth = simulate_session(**kwargs)
    res = analyze(rec)
    return res.summary, res.trials, res.discharges, truth.trials


def run_many(list_of_kwargs, workers=2):
    """Run :func:`simulate_and_analyze` for each kwargs dict, in order, on ``workers`` processes."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(simulate_and_analyze, list_of_kwargs))
