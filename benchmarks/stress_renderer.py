"""Recall of the discharge detector on fibres drawn by a renderer apart from ``myoemg.sim``.

Run: python benchmarks/stress_renderer.py [--reps 3] [--jobs 2]

The grips, interference, noise and hum come from :func:`myoemg.sim.simulate_session` (the
sessions of ``stress_discharges.py``, seeded apart); the myotonic fibres after each release
come from this file, written without :mod:`myoemg.sim.trains`, so that the detector is not
only scored on the potentials and the courses it was tuned on:

- the rate wanes **exponentially** from 60–120 Hz to 20–40 Hz (``myoemg.sim`` uses a
  raised-cosine wax–wane course); the amplitude wanes **linearly** to 40–70 % (``myoemg.sim``:
  20–50 %, on the rate's course);
- potentials are the first derivative of a Gaussian (biphasic), its second derivative
  (triphasic) or a monophasic lobe with an undershoot, centred with sub-sample offsets;
- one parameter is pushed per cell: interval jitter 8 or 15 %, amplitude scatter 15 %, weak
  amplitude waning (to 75–90 %), a waxing start of the amplitude or the rate, peak SNR 3–5
  or 5–8, short trains (0.5–1 s), early starts (0.15–0.3 s before the release), fast
  (120–150 Hz) or slow (25–45 Hz) rates, two or three fibres.

Surface 1–4 kHz and needle 20–48 kHz, 3 grips per session, whole pipeline
(``myoemg.analyze``). Prints the share of myotonic trials found per cell and electrode, and
writes the reason of the longest train of each missed trial with ``--csv``. The cells are
seeded by their names, so two versions of the detector can be compared run against run.
"""

import argparse
import itertools
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stress_discharges import analyse_with_emg, grip_session  # noqa: E402

#: Parameters of the base cell (ranges are drawn uniformly; SNR log-uniformly).
BASE = dict(snr=(6.0, 20.0), jitter=0.03, amp_scatter=0.05, amp_end=(0.4, 0.7),
            duration_s=(1.0, 3.0), start_s=(-0.1, 0.15), rate_start_hz=(60.0, 120.0),
            rate_end_hz=(20.0, 40.0), shape="biphasic", rate_wax=False, amp_wax=False,
            n_fibres=1)
#: One change from :data:`BASE` per cell.
CELLS = {
    "base": {}, "jitter 8 %": dict(jitter=0.08), "jitter 15 %": dict(jitter=0.15),
    "amplitude scatter 15 %": dict(amp_scatter=0.15),
    "amplitude wanes to 75-90 %": dict(amp_end=(0.75, 0.9)),
    "amplitude waxes first": dict(amp_wax=True), "rate waxes first": dict(rate_wax=True),
    "snr 3-5": dict(snr=(3.0, 5.0)), "snr 5-8": dict(snr=(5.0, 8.0)),
    "triphasic": dict(shape="triphasic"), "monophasic": dict(shape="monophasic"),
    "short 0.5-1 s": dict(duration_s=(0.5, 1.0)), "early -0.3--0.15 s": dict(
        start_s=(-0.3, -0.15)),
    "fast 120-150 Hz": dict(rate_start_hz=(120.0, 150.0)),
    "slow 25-45 Hz": dict(rate_start_hz=(25.0, 45.0), rate_end_hz=(10.0, 20.0)),
    "2 fibres": dict(n_fibres=2), "3 fibres": dict(n_fibres=3),
}


def potential(shape, t, width_s):
    """One potential of unit peak at times ``t`` (s) from its centre."""
    u = t / width_s
    if shape == "biphasic":
        wave = -u * np.exp(-0.5 * u**2)
    elif shape == "triphasic":
        wave = (1 - u**2) * np.exp(-0.5 * u**2)
    else:
        wave = np.exp(-0.5 * u**2) - 0.3 * np.exp(-0.5 * ((u - 2.5) / 1.5) ** 2)
    return wave / np.abs(wave).max()


def spike_course(rng, p, release_s):
    """Spike times (s) and relative amplitudes of one fibre."""
    r0 = rng.uniform(*p["rate_start_hz"])
    r_end = min(rng.uniform(*p["rate_end_hz"]), 0.8 * r0)
    duration = rng.uniform(*p["duration_s"])
    start = release_s + rng.uniform(*p["start_s"])
    tau = duration / np.log(r0 / r_end)
    # Intervals follow the rate at each spike, so a loop over spikes (not samples).
    elapsed, times = 0.0, []
    while elapsed < duration:
        rate = r0 * np.exp(-elapsed / tau)
        if p["rate_wax"]:
            rate *= min(1.0, 0.5 + elapsed / (0.3 * duration))
        times.append(start + elapsed)
        elapsed += (1 + p["jitter"] * rng.standard_normal()) / rate
    times = np.asarray(times)
    rel = (times - start) / duration
    amp = 1 - (1 - rng.uniform(*p["amp_end"])) * rel
    if p["amp_wax"]:
        amp *= np.minimum(1.0, 0.6 + 1.6 * rel)
    return times, amp * (1 + p["amp_scatter"] * rng.standard_normal(amp.size))


def render_fibre(rng, p, fs, n_times, release_s, noise_v, electrode):
    """One fibre's potentials on the sample grid, V, shape (n_times,)."""
    times, amp = spike_course(rng, p, release_s)
    snr = np.exp(rng.uniform(*np.log(p["snr"])))
    width = rng.uniform(0.6e-3, 1.2e-3) if electrode == "surface" else rng.uniform(0.12e-3,
                                                                                  0.3e-3)
    polarity = rng.choice([-1.0, 1.0])
    half = int(8 * width * fs) + 2
    centre = np.round(times * fs).astype(int)
    keep = (centre - half >= 0) & (centre + half < n_times)
    centre, times, amp = centre[keep], times[keep], amp[keep]
    offsets = np.arange(-half, half + 1)
    t = offsets[None, :] / fs - (times - centre / fs)[:, None]
    waves = polarity * snr * noise_v * amp[:, None] * potential(p["shape"], t, width)
    x = np.zeros(n_times)
    np.add.at(x, centre[:, None] + offsets[None, :], waves)
    return x


def case(args):
    """Per trial of one seeded session: (cell, electrode, rep, trial, found, why missed)."""
    cell, electrode, rep = args
    p = {**BASE, **CELLS[cell]}
    rng, fs, noise, x, rec, base = grip_session(("renderer", args), electrode, 1.5)
    for release in base.trials["release_s"]:
        for _ in range(p["n_fibres"]):
            x += render_fibre(rng, p, fs, x.size, release, noise, electrode)
    a = analyse_with_emg(rec, x, fs, electrode)
    rows = []
    for trial in a.trials.itertuples():
        d = a.discharges[a.discharges.trial == trial.trial]
        why = ""
        if not bool(trial.myotonic) and len(d):
            longest = d.sort_values("n_spikes").iloc[-1]
            why = f"{longest.kind} ({longest.n_spikes} spikes): {longest.reason}"
        rows.append((cell, electrode, rep, trial.trial, bool(trial.myotonic), why))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3, help="sessions per cell and electrode")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--csv", default=None, help="write the per-trial table here")
    args = parser.parse_args()
    grid = itertools.product(CELLS, ("surface", "needle"), range(args.reps))
    with ProcessPoolExecutor(args.jobs) as ex:
        rows = [row for rows in ex.map(case, grid) for row in rows]
    df = pd.DataFrame(rows, columns=["cell", "electrode", "rep", "trial", "found", "why"])
    if args.csv:
        df.to_csv(args.csv, index=False)
    print(f"RECALL (share of myotonic trials found; {args.reps} sessions x 3 trials per cell)")
    print(df.pivot_table(index="cell", columns="electrode", values="found", aggfunc="mean",
                         sort=False).round(2).to_string())
    print(f"all cells: {df.found.mean():.3f} of {len(df)} trials")


if __name__ == "__main__":
    main()
