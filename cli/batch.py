"""``myoemg batch``: many recordings into one output folder, parallel and resumable.

The batch itself (discovery, workers, resuming, its own handling of an interrupt: finished
recordings kept, tables written) is :func:`myoemg.batch`; this module maps the options and
prints progress and the summary. SIGINT and SIGTERM are handled by :mod:`._signals` for the
whole command.
"""

import sys

import myoemg

from ._common import call_options
from ._exit import INTERRUPTED, UsageError


def _options(args):
    """Per-file options: the shared flags, then ``--option KEY=VALUE`` (which must agree)."""
    from myoemg.batching._discover import _parse_value

    options = call_options(args).flat()
    for item in args.option:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--option {item!r} is not KEY=VALUE (e.g. --option "
                             "max_lag_s=30).")
        parsed = _parse_value(value)
        if key in options and options[key] != parsed:
            raise UsageError(f"--option {item!r} disagrees with the flag that sets {key} to "
                             f"{options[key]!r}; give one.")
        options[key] = parsed
    return options


def run(args):
    from myoemg.batching import DEFAULT_FORCE_PATTERNS

    patterns = () if args.no_force_pairing else tuple(args.force_pattern or
                                                      DEFAULT_FORCE_PATTERNS)
    tty = sys.stderr.isatty()
    callback = None if (tty or args.quiet) else _Progress(args.wording)
    options = _options(args)
    try:
        result = myoemg.batch(args.inputs, args.out, jobs=args.jobs, scheduler=args.scheduler,
                              force_patterns=patterns, include_text=args.include_text,
                              redo=args.redo, progress=tty and not args.quiet,
                              callback=callback, **options)
    except (TypeError, ValueError) as err:  # a bad option: the user's mistake, not a bug
        if isinstance(err, myoemg.MyoemgError):
            raise
        raise UsageError(str(err)) from err
    _summary(result, quiet=args.quiet, wording=args.wording)
    return result.exit_code


class _Progress:
    """One line on stderr per recording finished (when stderr is not a terminal)."""

    def __init__(self, wording):
        self.wording = wording

    def __call__(self, job, record, n, total):
        status = record["status"]
        if status == "failed":
            text = f"FAILED {job.file}: {record['error']}: {self.wording(record['message'])}"
        elif status == "skipped":
            text = f"up to date {job.file}"
        else:
            text = f"analysed {job.file} ({record['seconds']:.1f} s)"
        print(f"[{n}/{total}] {text}", file=sys.stderr, flush=True)


def _summary(result, *, quiet, wording):
    c = result.counts
    out = result.out
    failures = result.failures
    if len(failures) and (quiet or sys.stderr.isatty()):
        for row in failures.head(10).itertuples(index=False):
            print(f"failed: {row.file}: {row.error}: {wording(row.message)}", file=sys.stderr)
        if len(failures) > 10:
            print(f"... and {len(failures) - 10} more", file=sys.stderr)
    if result.interrupted or result.exit_code == INTERRUPTED:
        print(f"myoemg: interrupted after {c['done'] + c['skipped'] + c['failed']} of "
              f"{c['recordings']} recordings ({c['done']} analysed, {c['skipped']} up to date, "
              f"{c['failed']} failed); results so far are in {out}. Run the same command "
              "again to finish the rest.", file=sys.stderr)
        return
    if quiet:
        return
    print(f"myoemg batch: {c['recordings']} recordings: {c['done']} analysed, "
          f"{c['skipped']} up to date, {c['failed']} failed"
          f"{' (see failures.csv)' if c['failed'] else ''}; wall time "
          f"{result.manifest.get('wall_s', float('nan')):.1f} s.")
    derivatives = out / "derivatives" / "myoemg"
    per_recording = (f"one folder per recording; BIDS derivatives in {derivatives}"
                     if derivatives.is_dir() else "one folder per recording")
    print(f"wrote {out}/trials.csv, sessions.csv, discharges.csv, failures.csv, "
          f"batch_manifest.json and {per_recording}")
