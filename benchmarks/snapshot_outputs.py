"""Write, or compare, the outputs of ``myoemg analyze`` on a fixed set of inputs.

A refactor that promises "behaviour unchanged" is checked by running this before and after:

    python benchmarks/snapshot_outputs.py write  /tmp/before      # on the old commit
    python benchmarks/snapshot_outputs.py compare /tmp/before     # on the new one

Inputs: the three bundled samples in ``data/samples/`` and a small simulated cohort (four
patterns, two electrodes, odd rates). For each, ``trials.csv``, ``discharges.csv`` and
``summary.json`` are written with ``Analysis.save`` (no report: it holds a creation date and
figures); ``compare`` checks them byte for byte, except ``summary.json`` where keys that carry
a time or a path are ignored (``--strict`` ignores nothing). Exit status 0 when identical.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

import myoemg
from myoemg.sim import simulate_session

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


def cases():
    """Yield (name, Analysis) for every input of the snapshot."""
    for name in ("grip_warmup.edf", "grip_healthy.edf", "grip_paradoxical.edf"):
        yield Path(name).stem, myoemg.analyze(myoemg.read(SAMPLES / name))
    for i, kwargs in enumerate(COHORT):
        rec, _ = simulate_session(**kwargs)
        yield f"sim{i}_{kwargs['pattern']}", myoemg.analyze(rec)


def write(folder):
    folder = Path(folder)
    for name, res in cases():
        res.save(folder / name, report=False)
        print(f"wrote {folder / name}")


def _load_summary(path, strict):
    data = json.loads(path.read_text(encoding="utf-8"))
    if not strict:
        for key in VOLATILE_KEYS:
            data.pop(key, None)
    return json.dumps(data, indent=2, sort_keys=True).splitlines()


def compare(reference, strict=False):
    reference = Path(reference)
    tmp = reference.with_name(reference.name + "_now")
    write(tmp)
    n_diff = 0
    for case in sorted(p.name for p in reference.iterdir() if p.is_dir()):
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
    args = p.parse_args(argv)
    if args.action == "write":
        write(args.folder)
        return 0
    return compare(args.folder, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
