"""Analyse a grip-relaxation recording and write trials.csv, discharges.csv and summary.json."""

from __future__ import annotations

import myoemg

from ._common import add_recording_arguments, read_recording

_SHOW = ["trial", "onset_s", "release_s", "peak_force_n", "rt90_5_s", "rt90_50_s", "rt50_5_s",
         "relaxed", "after_activity_s", "myotonic", "discharge_count"]


def add_arguments(parser):
    add_recording_arguments(parser)
    parser.add_argument("--no-discharges", action="store_true",
                        help="skip myotonic-discharge detection")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")


def run(args):
    rec = read_recording(args)
    result = myoemg.analyze(rec, electrode=args.electrode, detect=not args.no_discharges)
    paths = result.save(args.out)
    if not args.quiet:
        _print(result, paths)
    return 0


def _print(result, paths):
    s = result.summary
    print(f"myoemg {s.version} - {', '.join(s.inputs) or 'recording'}")
    for note in s.notes:
        print(f"note: {note}")
    if len(result.trials):
        print(result.trials[_SHOW].to_string(index=False, float_format=lambda v: f"{v:.3f}",
                                             na_rep="-"))
    found = ("not measured" if s.n_myotonic_discharges is None else
             f"{s.n_myotonic_discharges} in {s.n_myotonic_trials} trials")
    print(f"pattern: {s.pattern} ({s.pattern_reason}); myotonic discharges: {found}")
    if s.grade is not None:
        print(f"severity: {s.grade.text}")
    print("wrote " + ", ".join(str(p) for p in paths.values()))
