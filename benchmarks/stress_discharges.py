"""Stress test of the discharge detector on draws outside the tuning family, with truth.

Run: python benchmarks/stress_discharges.py [--reps 6] [--jobs 2]

Two sweeps, each on 3-grip sessions of :func:`myoemg.sim.simulate_session` analysed by the
whole pipeline (``myoemg.analyze``), surface (1–4 kHz) and needle (20–48 kHz):

- **Recall** (``--fibres 1,3``): after every release ``n`` myotonic fibres
  (:func:`myoemg.sim.trains.myotonic_fibres`) with one parameter pushed to an edge per cell:
  peak SNR 3–5 or 5–8, slow rates (peak 20–40 Hz, ending 10–20 Hz), peak rates 130–150 Hz,
  short (0.3–0.8 s) or long (3–6 s) trains, late or early starts. Prints the share of
  myotonic trials found per cell.
- **Precision**: after every normal release a neuromyotonic burst (150–300 Hz, slowing to no
  less than 150 Hz, widths 1–4 ms, jitter 2–10 %), a series of 2–4 short bursts, or
  multiplets recurring at 2–30 Hz. Prints the myotonic calls (should be 0) and the share of
  sessions where the burst is named neuromyotonic.

The cells are deterministic (seeded by their names), so two versions of the detector can be
compared run against run.
"""

import argparse
import itertools
import zlib
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

import myoemg
from myoemg.recording import Channel, Recording
from myoemg.sim.lookalikes import neuromyotonic_multiplets, neuromyotonic_train
from myoemg.sim.session import simulate_session
from myoemg.sim.trains import myotonic_fibres

#: Recall cells: keyword overrides of :func:`myotonic_fibres`.
RECALL_CELLS = {
    "base": {},
    "snr 3-5": dict(snr_range=(3.0, 5.0)),
    "snr 5-8": dict(snr_range=(5.0, 8.0)),
    "slow 20-40 Hz": dict(rate_peak_hz=(20.0, 40.0), rate_end_hz=(10.0, 20.0)),
    "fast 130-150 Hz": dict(rate_peak_hz=(130.0, 150.0)),
    "short 0.3-0.8 s": dict(duration_range_s=(0.3, 0.8)),
    "long 3-6 s": dict(duration_range_s=(3.0, 6.0)),
    "late +0.2-0.6 s": dict(start_range_s=(0.2, 0.6)),
    "early -0.3--0.2 s": dict(start_range_s=(-0.3, -0.2)),
}
BURST_CELLS = ("burst", "bursts", "multiplets")


def grip_session(key, electrode, rt90_5_s):
    """A seeded 3-grip session without discharges: (rng, fs, noise SD, EMG copy, recording,
    truth). Add discharges to the EMG copy and analyse it with :func:`analyse_with_emg`."""
    rng = np.random.default_rng(zlib.crc32(repr(key).encode()))
    fs = float(rng.uniform(1000, 4000) if electrode == "surface" else rng.uniform(20000, 48000))
    noise = 4e-6 if electrode == "surface" else 10e-6
    hum = float(rng.choice([0.0, 10e-6]))
    rec, base = simulate_session(fs_emg=fs, fs_force=100.0, n_trials=3, rt90_5_s=[rt90_5_s] * 3,
                                 n_emg=1, electrode=electrode, discharges="none",
                                 mains_hz=50.0 if hum else None, hum_v=hum, noise_v=noise,
                                 seed=int(rng.integers(2**31)))
    return rng, fs, noise, rec.emg[0].data.copy(), rec, base


def analyse_with_emg(rec, x, fs, electrode):
    """``myoemg.analyze`` of ``rec`` with its EMG replaced by ``x`` (V)."""
    ch = Channel(rec.emg[0].name, "emg", x, fs, "V", source_unit="V")
    out = Recording([ch, rec.force], metadata={**rec.metadata, "electrode": electrode},
                    source="stress")
    return myoemg.analyze(out, verbose="error")


def recall_case(args):
    """Share of the myotonic trials of one seeded session found."""
    cell, electrode, n_fibres, rep = args
    rng, fs, noise, x, rec, base = grip_session(args, electrode, 1.5)
    for release in base.trials["release_s"]:
        y, _, _ = myotonic_fibres(fs=fs, n_times=x.size, release_s=release, n_fibres=n_fibres,
                                  electrode=electrode, noise_sd_v=noise,
                                  rng=int(rng.integers(2**31)), **RECALL_CELLS[cell])
        x += y
    a = analyse_with_emg(rec, x, fs, electrode)
    return cell, electrode, n_fibres, float(a.trials["myotonic"].astype(bool).mean())


def _burst(cell, fs, n, release, amp, rng):
    width = dict(width_s=rng.uniform(1e-3, 4e-3))
    if cell == "burst":
        rate = rng.uniform(150, 300)
        y, _ = neuromyotonic_train(fs=fs, n_times=n, start_s=release + 0.1,
                                   duration_s=rng.uniform(0.5, 3), rate_hz=rate,
                                   rate_end_hz=max(150.0, rate * rng.uniform(0.5, 1.0)),
                                   amplitude_v=amp, jitter=rng.uniform(0.02, 0.1),
                                   rng=int(rng.integers(2**31)), **width)
        return y
    if cell == "bursts":
        y, t = np.zeros(n), release + 0.1
        for _ in range(int(rng.integers(2, 5))):
            d = rng.uniform(0.1, 0.6)
            yy, _ = neuromyotonic_train(fs=fs, n_times=n, start_s=t, duration_s=d,
                                        rate_hz=rng.uniform(150, 300), amplitude_v=amp,
                                        jitter=rng.uniform(0.02, 0.1),
                                        rng=int(rng.integers(2**31)), **width)
            y += yy
            t += d + rng.uniform(0.05, 0.4)
        return y
    y, _ = neuromyotonic_multiplets(fs=fs, n_times=n, start_s=release + 0.1,
                                    duration_s=rng.uniform(1.5, 3),
                                    burst_rate_hz=rng.uniform(150, 300),
                                    group_rate_hz=rng.uniform(2, 30), amplitude_v=amp,
                                    rng=int(rng.integers(2**31)), **width)
    return y


def burst_case(args):
    """Myotonic calls and naming in one seeded session of neuromyotonic look-alikes."""
    cell, electrode, rep = args
    rng, fs, noise, x, rec, base = grip_session(args, electrode, 0.3)
    for release in base.trials["release_s"]:
        x += _burst(cell, fs, x.size, release, noise * rng.uniform(5, 40), rng)
    a = analyse_with_emg(rec, x, fs, electrode)
    return (cell, electrode, int(a.trials["myotonic"].astype(bool).sum()), len(a.trials),
            "neuromyotonic" in set(a.discharges["kind"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=6)
    parser.add_argument("--fibres", default="1,3")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    fibres = [int(v) for v in args.fibres.split(",")]
    electrodes = ("surface", "needle")
    with ProcessPoolExecutor(args.jobs) as ex:
        rec = list(ex.map(recall_case, itertools.product(RECALL_CELLS, electrodes, fibres,
                                                          range(args.reps))))
        bursts = list(ex.map(burst_case, itertools.product(BURST_CELLS, electrodes,
                                                           range(args.reps))))
    rec = pd.DataFrame(rec, columns=["cell", "electrode", "fibres", "found"])
    print(f"RECALL (share of myotonic trials found; {args.reps} sessions x 3 trials per cell)")
    print(rec.pivot_table(index="cell", columns=["electrode", "fibres"], values="found",
                          aggfunc="mean", sort=False).round(2).to_string())
    bursts = pd.DataFrame(bursts, columns=["cell", "electrode", "myotonic", "trials", "named"])
    print("\nPRECISION (neuromyotonic look-alikes after normal releases)")
    print(bursts.groupby(["cell", "electrode"], sort=False)
          .agg(myotonic_calls=("myotonic", "sum"), trials=("trials", "sum"),
               named_share=("named", "mean")).round(2).to_string())


if __name__ == "__main__":
    main()
