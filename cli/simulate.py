"""``myoemg simulate``: write a simulated grip session and its ground truth."""

from pathlib import Path

from myoemg.io import write_edf
from myoemg.sim import simulate_session


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
