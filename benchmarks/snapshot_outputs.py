"""Write, or compare, the outputs of ``myoemg analyze`` on a fixed set of inputs.

A refactor that promises "behaviour unchanged" is checked by running this before and after:

    python benchmarks/snapshot_outputs.py write  /tmp/before      # on the old commit
    python benchmarks/snapshot_outputs.py compare /tmp/before     # on the new one

Inputs: the three bundled samples in ``data/samples/`` and a small simulated cohort (four
patterns, two electrodes, odd rates). For each, ``trials.csv``, ``discharges.csv`` and
``summary.json`` are written with ``Analysis.save`` (no report: it holds a creation date and
figures); ``compare`` checks them byte for byte, except ``summary.json`` where keys that carry
a time or a path are ignored (``--strict`` ignores nothing). Exit status 0 when identical.

The CSV files hold 6 significant digits; ``tables.pkl`` beside them keeps the trials,
discharges, spikes and templates tables at full precision, and ``compare`` also checks those:
same rows, columns and non-float values, floats within ``--rtol`` (default 1e-9) of each other,
and prints the largest difference of every float column that moved at all. ``--big`` adds
the benchmark sessions of :mod:`benchmarks._sessions` (10 min at 2 kHz with 1 and 4
channels, 60 s of needle EMG, 10 min at 10 kHz; several minutes).
"""

from __future__ import annotations

import argparse
import difflib
import json
import pickle
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import myoemg
from myoemg.sim import simulate_session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sessions import session  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
FILES = ("trials.csv", "discharges.csv", "summary.json")
#: summary.json keys whose values depend on where or when the run happened.
VOLATILE_KEYS = {"inputs"}

COHORT = [
    dict(pattern="warm-up", fs_emg=1999.0, fs_force=123.0, seed=11),
    dict(pattern="paradoxical", fs_emg=2000.0, fs_force=100.0, n_emg=2, seed=12),
    dict(pattern="healthy", fs_emg=1234.0, fs_force=250.0, mains_hz=60.0, seed=13),
    dict(pattern="steady", fs_emg=2000.0, fs_force=500.0, slow_release=True, seed=14),
    dict(pattern="warm-up", fs_emg=20000.0, fs_force=200.0, electrode="needle", n_trials=3,
         seed=15),
]


#: Benchmark sessions added by ``--big``.
BIG = ("10min_2k_1ch", "10min_2k_4ch", "60s_needle_44k", "10min_10k_1ch")
TABLES = ("trials", "discharges", "spikes", "templates")


def cases(big=False):
    """Yield (name, Analysis) for every input of the snapshot."""
    for name in ("grip_warmup.edf", "grip_healthy.edf", "grip_paradoxical.edf"):
        yield Path(name).stem, myoemg.analyze(myoemg.read(SAMPLES / name))
    for i, kwargs in enumerate(COHORT):
        rec, _ = simulate_session(**kwargs)
        yield f"sim{i}_{kwargs['pattern']}", myoemg.analyze(rec)
    for name in BIG if big else ():
        yield f"big_{name}", myoemg.analyze(session(name))


def write(folder, big=False):
    folder = Path(folder)
    for name, res in cases(big):
        res.save(folder / name, report=False)
        with (folder / name / "tables.pkl").open("wb") as fh:
            pickle.dump({t: getattr(res, t) for t in TABLES}, fh)
        print(f"wrote {folder / name}")


def _table_diffs(old, new, rtol):
    """Messages for what differs between two tables beyond ``rtol`` (and what moved at all)."""
    if list(old.columns) != list(new.columns) or len(old) != len(new):
        return [f"shape/columns differ: {old.shape} {list(old.columns)[:5]}... vs {new.shape}"], []
    bad, moved = [], []
    for col in old.columns:
        a, b = old[col], new[col]
        if pd.api.types.is_float_dtype(a) and pd.api.types.is_float_dtype(b):
            x, y = a.to_numpy(float), b.to_numpy(float)
            nan_ok = np.isnan(x) == np.isnan(y)
            diff = np.abs(np.where(np.isnan(x), 0, x) - np.where(np.isnan(y), 0, y))
            scale = np.maximum(1.0, np.abs(np.where(np.isnan(x), 0, x)))
            if not nan_ok.all():
                bad.append(f"{col}: NaN in {int((~nan_ok).sum())} row(s) differs")
            elif (diff > rtol * scale).any():
                bad.append(f"{col}: max |diff| {diff.max():.3g} (rel {np.max(diff / scale):.3g})")
            elif diff.size and diff.max() > 0:
                moved.append(f"{col}: max |diff| {diff.max():.3g} (rel {np.max(diff / scale):.3g})")
        elif not a.astype(object).equals(b.astype(object)):
            n = int((a.astype(str) != b.astype(str)).sum())
            bad.append(f"{col}: {n} value(s) differ")
    return bad, moved


def _load_summary(path, strict):
    data = json.loads(path.read_text(encoding="utf-8"))
    if not strict:
        for key in VOLATILE_KEYS:
            data.pop(key, None)
    return json.dumps(data, indent=2, sort_keys=True).splitlines()


def compare(reference, strict=False, big=False, rtol=1e-9, against=None):
    reference = Path(reference)
    if against is None:
        tmp = reference.with_name(reference.name + "_now")
        write(tmp, big)
    else:
        tmp = Path(against)
    n_diff = 0
    for case in sorted(p.name for p in reference.iterdir() if p.is_dir()):
        if not (tmp / case).exists():
            print(f"not compared: {case} (run with --big)")
            continue
        if (reference / case / "tables.pkl").exists():
            with (reference / case / "tables.pkl").open("rb") as fh:
                old_tables = pickle.load(fh)
            with (tmp / case / "tables.pkl").open("rb") as fh:
                new_tables = pickle.load(fh)
            for t in TABLES:
                bad, moved = _table_diffs(old_tables[t], new_tables[t], rtol)
                n_diff += bool(bad)
                for msg in bad:
                    print(f"DIFFERS: {case}/{t}: {msg}")
                for msg in moved:
                    print(f"moved within rtol: {case}/{t}: {msg}")
        for fname in FILES:
            old, new = reference / case / fname, tmp / case / fname
            if fname.endswith(".json"):
                a, b = _load_summary(old, strict), _load_summary(new, strict)
            else:
                a = old.read_text(encoding="utf-8").splitlines()
                b = new.read_text(encoding="utf-8").splitlines() if new.exists() else []
            if a != b:
                n_diff += 1
                print(f"DIFFERS: {case}/{fname}")
                sys.stdout.writelines(line + "\n" for line in list(
                    difflib.unified_diff(a, b, "before", "after", lineterm="", n=1))[:40])
    print("identical" if n_diff == 0 else f"{n_diff} file(s) differ")
    return 0 if n_diff == 0 else 1


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("action", choices=["write", "compare"])
    p.add_argument("folder")
    p.add_argument("--strict", action="store_true", help="compare summary.json whole")
    p.add_argument("--big", action="store_true", help="add the benchmark sessions")
    p.add_argument("--rtol", type=float, default=1e-9, help="tolerance of the float columns")
    p.add_argument("--against", metavar="DIR",
                   help="compare with this folder of a previous write instead of running now")
    args = p.parse_args(argv)
    if args.action == "write":
        write(args.folder, args.big)
        return 0
    return compare(args.folder, strict=args.strict, big=args.big, rtol=args.rtol,
                   against=args.against)


if __name__ == "__main__":
    sys.exit(main())
