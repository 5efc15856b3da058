"""Analyses in forked worker processes after one in the parent (no OpenMP deadlock).

scikit-learn's KMeans (inside the detector's Gaussian mixtures) runs on OpenMP. A parent
whose OpenMP pool ran with several threads and then forks leaves the children a pool that did
not survive the fork: their first multi-threaded region deadlocks. That happened when the
parent forked inside a long-lived ``one_blas_thread`` block opened before scikit-learn was
loaded (a batch or Dask worker holds one for its life; the whole test suite hung in a pool
after a Dask test). ``concurrent.futures.ProcessPoolExecutor`` forks on Linux.
"""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp
    import myoemg
    from myoemg.sim import simulate_session
    from myoemg.utils import one_blas_thread

    def run(seed):
        rec, _ = simulate_session(fs_emg=2000.0, fs_force=100.0, n_trials=2, seed=seed)
        return len(myoemg.analyze(rec, verbose="error").trials)

    if __name__ == "__main__":
        with one_blas_thread():  # opened before scikit-learn (and its OpenMP) is loaded
            run(0)
            with ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as pool:
                print(sum(pool.map(run, [1, 2])))
""")


def test_forked_workers_analyse_after_the_parent(tmp_path):
    script = tmp_path / "fork_after_analyze.py"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "4"
