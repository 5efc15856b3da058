"""Write a simulated grip session (EDF+ with EMG and force at their own rates) and its truth."""

from __future__ import annotations

from pathlib import Path

from myoemg.io import write_edf
from myoemg.sim import PATTERN_NAMES, simulate_session


def add_arguments(parser):
    parser.add_argument("--out", required=True, metavar="FILE", help="EDF file to write")
    parser.add_argument("--pattern", choices=PATTERN_NAMES, default="warm-up")
    parser.add_argument("--trials", type=int, default=6, help="number of grips (default 6)")
    parser.add_argument("--fs-emg", type=float, required=True, help="EMG rate in Hz")
    parser.add_argument("--fs-force", type=float, required=True, help="force rate in Hz")
    parser.add_argument("--electrode", choices=["surface", "needle"], default="surface")
    parser.add_argument("--mains", type=float, default=50.0, help="mains Hz (0 for none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--overwrite", action="store_true")


def run(args):
    rec, truth = simulate_session(fs_emg=args.fs_emg, fs_force=args.fs_force,
                                  n_trials=args.trials, pattern=args.pattern,
                                  electrode=args.electrode, mains_hz=args.mains or None,
                                  seed=args.seed)
    out = Path(args.out)
    write_edf(rec, out, overwrite=args.overwrite)
    truth.save(out.parent, stem=f"{out.stem}_truth")
    if not args.quiet:
        print(f"wrote {out} and {out.stem}_truth_trials.csv / _discharges.csv in {out.parent}")
    return 0
