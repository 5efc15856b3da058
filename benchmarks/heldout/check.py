"""Self-checks of the held-out generator: is the truth what the signals hold?

Run ``python -m benchmarks.heldout.check [--n-sessions 40]``; prints one line per check and
exits non-zero when one fails. Checks:

1. RT truth: a single exponential decay has RT90-5 = τ·ln 18 (SPEC.md §2); the fall solver
   hits its target.
2. Spike times: at isolated myotonic potentials (no other source within 10 ms, after the
   interference), the band-passed EMG peaks within the unit-level tolerance (surface 1 ms,
   needle 0.5 ms) of the truth time.
3. SNR: the in-band noise SD of quiet stretches equals the truth; the band-passed peak of
   isolated potentials over that SD equals the truth SNR of the spike.
4. Interference stops: 0.2–0.6 s after a silent release the band RMS is at the noise level;
   during the hold it is far above it.
5. Family: the draws span what the README promises.
6. Scorer: the truth scored as if it were the analysis gives P = R = 1 and unit F1 = 1; the
   same spikes moved by 3 ms give F1 = 0.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from scipy import signal as sps

from . import force as forcemod
from . import scoring
from .generate import band_sos, make_family, make_session

TOL_S = {"surface": 1e-3, "needle": 0.5e-3}
FAILED = []


def _report(name, ok, detail):
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    if not ok:
        FAILED.append(name)


def check_rt_exponential():
    for tau, expect in ((0.1384, 0.400), (0.8649, 2.500)):
        g = forcemod.Grip(onset_s=1.0, rise_s=0.3, hold_s=2.7, peak_n=300.0, fatigue=0.0,
                          sag=0.0, sag_start_frac=0.5, sag_power=1.0, tremor_frac=0.0,
                          tremor_hz=10.0, fall="slow", fall_params={"T": tau, "p": 1.0})
        rt = forcemod.truth_rt(g, [g], [0.0], next_onset_s=30.0)["rt90_5_s"]
        _report(f"RT90-5 of exp decay tau={tau}", abs(rt - tau * np.log(18)) < 1e-3
                and abs(rt - expect) < 2e-3, f"{rt:.4f} s, tau*ln18 = {tau * np.log(18):.4f} s")
    p = forcemod.solve_fall("two_phase", {"w": 0.5, "Tf": 0.12, "q": 1.5}, 2.0)
    rt = forcemod._rt_of_shape("two_phase", p)
    _report("fall solver hits target 2.0 s", abs(rt - 2.0) < 2e-3, f"{rt:.4f} s")


def _isolated(truth, min_gap_s=0.010):
    """Myotonic spikes with no other truth potential (any channel) within ``min_gap_s``."""
    sp = truth.spikes.sort_values("time_s").reset_index(drop=True)
    t = sp["time_s"].to_numpy()
    gap = np.minimum(np.diff(t, prepend=-np.inf), np.diff(t, append=np.inf))
    kinds = truth.fibres.set_index("fibre")["kind"]
    rel = truth.trials.set_index("trial")["release_s"]
    late = t > sp["trial"].map(rel).to_numpy() + 0.25  # after the voluntary interference
    return sp[(gap > min_gap_s) & late & (sp["fibre"].map(kinds) == "myotonic").to_numpy()]


def _quiet_sd(y, fs, truth):
    """In-band SD over the lead-in before the first grip (no source there)."""
    first = truth.trials["onset_s"].iloc[0]
    return y[..., int(0.5 * fs):int((first - 0.5) * fs)].std(axis=-1)


def check_spikes_and_snr(seeds):
    for electrode in ("surface", "needle"):
        offsets, ratios, sd_ratio = [], [], []
        for seed in seeds:
            rec, truth = make_session(seed, electrode=electrode, session_class="myotonic",
                                      mains_hz=None)
            fs = rec.emg[0].fs
            y = sps.sosfiltfilt(band_sos(electrode, fs), np.stack([c.data for c in rec.emg]))
            sd = _quiet_sd(y, fs, truth)
            sd_ratio += list(sd / np.array(truth.session["noise_sd_band_uv"]) / 1e-6)
            fib = truth.fibres.set_index("fibre")
            iso = _isolated(truth)
            names = [c.name for c in rec.emg]
            for s in iso.itertuples():
                ch = names.index(s.channel)
                snr_k = fib.at[s.fibre, "peak_snr"] * s.amplitude_uv / fib.at[s.fibre,
                                                                               "amplitude_max_uv"]
                if snr_k < 8:
                    continue
                i = int(round(s.time_s * fs))
                w = int(0.003 * fs)
                seg = y[ch, i - w:i + w + 1]
                k = int(np.argmax(np.abs(seg)))
                offsets.append((k - w) / fs - (s.time_s - i / fs))
                ratios.append(np.abs(seg[k]) / sd[ch] / snr_k)
        off = np.abs(np.array(offsets))
        ok_frac = float(np.mean(off <= TOL_S[electrode]))
        _report(f"{electrode}: truth time = band-passed peak", ok_frac >= 0.95,
                f"{ok_frac:.3f} of {off.size} isolated spikes (SNR >= 8) within "
                f"{TOL_S[electrode] * 1e3:g} ms; median offset {np.median(off) * 1e3:.3f} ms")
        r = np.median(ratios)
        _report(f"{electrode}: SNR as defined", 0.9 <= r <= 1.1,
                f"measured / truth SNR median {r:.3f} (IQR {np.percentile(ratios, 25):.3f}-"
                f"{np.percentile(ratios, 75):.3f}); quiet SD / truth SD median "
                f"{np.median(sd_ratio):.3f}")


def check_interference_stops(seeds):
    after, during = [], []
    for seed in seeds:
        rec, truth = make_session(seed, session_class="control", mains_hz=None,
                                  lookalike="none" if seed % 2 else None)
        fs = rec.emg[0].fs
        y = sps.sosfiltfilt(band_sos(truth.session["electrode"], fs),
                            np.stack([c.data for c in rec.emg]))
        sd = _quiet_sd(y, fs, truth)
        for tr in truth.trials.itertuples():
            if tr.lookalike != "none":
                continue
            a = y[:, int((tr.release_s + 0.2) * fs):int((tr.release_s + 0.6) * fs)]
            h = y[:, int((tr.release_s - 1.5) * fs):int((tr.release_s - 0.5) * fs)]
            after += list(a.std(axis=1) / sd)
            during += list(h.std(axis=1) / sd)
    _report("interference stops after release", np.percentile(after, 95) < 1.3,
            f"band RMS / noise SD 0.2-0.6 s after release: median {np.median(after):.2f}, "
            f"p95 {np.percentile(after, 95):.2f}; during hold median {np.median(during):.0f}")


def check_family(n_sessions):
    import pandas as pd

    tr, fb = [], []
    for _, truth in make_family(n_sessions, 90000):
        tr.append(truth.trials)
        fb.append(truth.fibres.assign(seed=truth.session["seed"]))
    tr, fb = pd.concat(tr), pd.concat(fb)
    myo, ctl = tr[tr["myotonic"]], tr[tr["session_class"] == "control"]
    m = fb[fb["kind"] == "myotonic"]
    look = (tr["lookalike"] != "none").mean()
    _report("family: trials", len(tr) >= 6 * n_sessions * 0.9,
            f"{len(tr)} trials, {len(myo)} myotonic, look-alike share {look:.2f}, kinds "
            f"{tr['lookalike'].value_counts().to_dict()}")
    _report("family: fibres per myotonic trial span 1-10",
            set(range(1, 11)) <= set(myo["n_fibres"]) or n_sessions < 30,
            f"{myo['n_fibres'].value_counts().sort_index().to_dict()}")
    aa = myo["last_end_s"] - myo["release_s"]
    # rates measured on the spikes (interval jitter adds ~10 % to the nominal course)
    _report("family: myotonic draws", m["rate_max_hz"].between(35, 165).all()
            and m["rate_end_hz"].between(10, 55).all() and m["peak_snr"].min() > 1.5
            and myo["start_rel_s"].between(-0.3, 0.3).all(),
            f"rate max {m['rate_max_hz'].min():.0f}-{m['rate_max_hz'].max():.0f} Hz, end "
            f"{m['rate_end_hz'].min():.0f}-{m['rate_end_hz'].max():.0f} Hz; peak SNR "
            f"{m['peak_snr'].min():.1f}-{m['peak_snr'].max():.1f}; start rel "
            f"{myo['start_rel_s'].min():.2f}..{myo['start_rel_s'].max():.2f} s; "
            f"after-activity {aa.min():.2f}-{aa.max():.2f} s")
    healthy = ctl[ctl["lookalike"] != "slow_letgo"]["rt90_5_s"]
    _report("family: RT90-5 truth ranges", healthy.between(0.1, 0.5).all()
            and tr["rt90_5_s"].notna().all(),
            f"control {healthy.min():.2f}-{healthy.max():.2f} s; myotonic "
            f"{myo['rt90_5_s'].min():.2f}-{myo['rt90_5_s'].max():.2f} s; sagged "
            f"{tr['sagged'].mean():.2f}")


def check_scorer(seed=95200):
    rec, truth = make_session(seed, session_class="myotonic")
    an_trials = truth.trials.assign(after_activity_s=truth.trials["last_end_s"]
                                    - truth.trials["release_s"])
    myo = truth.fibres[truth.fibres["kind"] == "myotonic"]
    disc = myo.assign(kind="myotonic")[["channel", "start_s", "end_s", "kind"]]
    res, _ = scoring.trial_results(truth.trials, an_trials, disc)
    pr = scoring.precision_recall(res)
    aa = scoring.after_activity(res)["last_myotonic_train_end"]
    sp = truth.spikes.rename(columns={"fibre": "unit"}).assign(truth_trial=truth.spikes["trial"])
    electrode = truth.session["electrode"]
    f1, counts = scoring.unit_scores(res, truth.fibres, truth.spikes, sp, electrode)
    own = [scoring.spike_f1(g["time_s"].to_numpy(), g["time_s"].to_numpy() + 3e-3,
                            scoring.UNIT_TOL_S[electrode]) for _, g in sp.groupby("unit")]
    # moved units: the best match is another fibre's train, by chance (1 ms windows at up to
    # 150 Hz cover up to 30 % of the time)
    moved = sp.assign(time_s=sp["time_s"] + 3e-3)
    f1_moved, _ = scoring.unit_scores(res, truth.fibres, truth.spikes, moved, electrode)
    ok = (pr["precision"] == 1 and pr["recall"] == 1 and aa["median_rel_err"] == 0
          and (f1["f1"] == 1).all() and (counts["present"] == counts["found"]).all()
          and max(own) == 0 and f1_moved["f1"].max() < 0.5 and len(f1) > 0)
    _report("scorer on truth", ok, f"P {pr['precision']}, R {pr['recall']}, after-activity err "
            f"{aa['median_rel_err']}, unit F1 min {f1['f1'].min()} over {len(f1)} fibres; "
            f"a unit moved 3 ms: F1 {max(own)} with itself, best {f1_moved['f1'].max():.2f} "
            "(chance)")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Self-checks of the held-out generator.")
    parser.add_argument("--n-sessions", type=int, default=20, help="sessions for the family "
                        "composition check")
    args = parser.parse_args(argv)
    check_rt_exponential()
    check_spikes_and_snr(range(95000, 95004))
    check_interference_stops(range(95100, 95104))
    check_family(args.n_sessions)
    check_scorer()
    print("all checks passed" if not FAILED else f"FAILED: {FAILED}")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
