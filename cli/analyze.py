"""``myoemg analyze``: analyse a recording and write its tables, summary and report."""

from pathlib import Path

import myoemg

from ._common import call_options, read_recording

_SHOW = ["trial", "onset_s", "release_s", "peak_force_n", "peak_force_au", "rt90_5_s",
         "rt90_50_s", "rt50_5_s",
         "relaxed", "after_activity_s", "myotonic", "discharge_count"]


def run(args):
    options = call_options(args)
    rec = read_recording(args, options)
    result = myoemg.analyze(rec, **options.analyze)
    paths = result.save(args.out, **options.save)
    if getattr(args, "audio", False):
        audio = result.to_audio(Path(args.out) / "audio",
                                identify=options.save.get("identify", False))
        paths["audio"] = Path(args.out) / "audio" if audio else None
        paths = {k: v for k, v in paths.items() if v is not None}
    if not args.quiet:
        _print(result, paths, args.wording)
    return 0


def _print(result, paths, wording):
    s = result.summary
    print(f"myoemg {s.version} - {', '.join(s.inputs) or 'recording'}")
    for note in s.notes:
        print(f"note: {wording(note)}")
    if len(result.trials):
        shown = result.trials[[c for c in _SHOW if c in result.trials.columns]].copy()
        for col in shown.columns:  # to_string's na_rep skips the NA of nullable booleans
            if shown[col].dtype.name == "boolean":
                shown[col] = shown[col].astype(object).where(shown[col].notna(), "-")
        print(shown.to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="-"))
    found = ("not measured" if s.n_myotonic_discharges is None else
             f"{s.n_myotonic_discharges} in {s.n_myotonic_trials} trials")
    print(f"pattern: {s.pattern} ({s.pattern_reason}); myotonic discharges: {found}")
    if s.grade is not None:
        print(f"severity: {s.grade.text}")
    print("wrote " + ", ".join(str(p) for p in paths.values()))
