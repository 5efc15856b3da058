"""Regenerate the bundled sample sessions, deterministically (fixed seeds).

Run from the repository root: ``python data/samples/make_samples.py``. Every file here is
written by ``myoemg.sim`` and ``myoemg.io``; none comes from a person.
"""

from pathlib import Path

from myoemg.io import write_edf, write_force_csv
from myoemg.sim import simulate_session

HERE = Path(__file__).resolve().parent


def main():
    # 1. EDF+ holding EMG (2 kHz) and force (500 Hz) at their own rates: a DM1-like warm-up.
    rec, truth = simulate_session(fs_emg=2000.0, fs_force=500.0, pattern="warm-up", seed=11)
    write_edf(rec, HERE / "grip_warmup.edf", overwrite=True)
    truth.save(HERE, stem="grip_warmup_truth")

    # 2. A healthy session in the same layout (fast relaxation, no discharges, 60 Hz mains).
    rec, truth = simulate_session(fs_emg=2000.0, fs_force=500.0, pattern="healthy",
                                  mains_hz=60.0, seed=12)
    write_edf(rec, HERE / "grip_healthy.edf", overwrite=True)
    truth.save(HERE, stem="grip_healthy_truth")

    # 3. Separate files: EMG-only EDF (1 kHz, two channels) and the dynamometer's CSV export
    #    (100 Hz, kgf), paired by the naming rule <stem>_force.csv. Paradoxical course.
    rec, truth = simulate_session(fs_emg=1000.0, fs_force=100.0, pattern="paradoxical", n_emg=2,
                                  seed=13)
    force = rec.force
    write_edf(rec.select([c.name for c in rec.emg]), HERE / "grip_paradoxical.edf",
              overwrite=True)
    write_force_csv(force.data, HERE / "grip_paradoxical_force.csv", fs=force.fs,
                    unit="kgf", name="grip", overwrite=True)
    truth.save(HERE, stem="grip_paradoxical_truth")


if __name__ == "__main__":
    main()
