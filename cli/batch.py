"""Analyse many recordings into one output folder: parallel, resumable, bad files listed.

INPUT is a folder (searched recursively), a glob pattern, a recording, a BIDS-EMG dataset root
or a CSV manifest (columns: recording, and optionally force, subject, session and per-file
options). A file named <stem>_force.csv|tsv|txt beside a recording is its force file
(--force-pattern changes the rule). Re-running the same command skips recordings whose results
are up to date and finishes the rest.

Exit status: 0 every recording analysed or up to date; 1 some recordings failed (listed in
OUT/failures.csv); 130 interrupted (Ctrl-C or SIGTERM: finished recordings are kept, re-run to
finish); 2 an input does not exist or holds no recordings, or a manifest is unreadable; 8 the
output folder is not writable or holds an input; 64 usage error (bad option); 70 internal
error (a bug).
"""

from __future__ import annotations

import signal
import sys

import myoemg

from ._common import add_channel_arguments


def add_arguments(parser):
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="folder, glob, recording, BIDS root or CSV manifest")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                        help="worker processes (default 1; with --scheduler local: Dask "
                             "workers, default one per CPU)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on Dask distributed: 'local' starts a local cluster, or "
                             "the address of a running scheduler (tcp://host:8786)")
    parser.add_argument("--force-pattern", action="append", metavar="TEMPLATE",
                        help="name of a recording's force file, with {stem} for the "
                             "recording's name without extension (repeat for several; "
                             "default {stem}_force.csv, {stem}_force.tsv, {stem}_force.txt)")
    parser.add_argument("--no-force-pairing", action="store_true",
                        help="do not pair separate force files (force from inside each file)")
    parser.add_argument("--include-text", action="store_true",
                        help="also take .csv/.tsv/.txt exports found in folders as recordings")
    add_channel_arguments(parser, each_file=True)
    parser.add_argument("--no-discharges", action="store_true",
                        help="skip myotonic-discharge detection")
    parser.add_argument("--no-report", action="store_true",
                        help="do not write report.html per recording")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="any other option of myoemg.read / myoemg.analyze "
                             "(e.g. --option force_unit=kgf); repeat for several")
    parser.add_argument("--redo", action="store_true",
                        help="recompute every recording, even those up to date")


def _options(args):
    from myoemg.batching._discover import _parse_value

    options = {}
    if args.emg:
        options["emg"] = args.emg
    if args.force_channel:
        options["force_channel"] = args.force_channel
    if args.electrode:
        options["electrode"] = args.electrode
    if args.no_discharges:
        options["detect"] = False
    if args.no_report:
        options["report"] = False
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--option {item!r} is not KEY=VALUE (e.g. "
                             "--option force_unit=kgf).")
        options[key.strip()] = _parse_value(value)
    return options


def _sigterm(signum, frame):
    raise KeyboardInterrupt


def run(args):
    from myoemg.batching import DEFAULT_FORCE_PATTERNS

    patterns = () if args.no_force_pairing else tuple(args.force_pattern or
                                                      DEFAULT_FORCE_PATTERNS)
    tty = sys.stderr.isatty()
    callback = None if (tty or args.quiet) else _line
    previous = signal.signal(signal.SIGTERM, _sigterm)
    try:
        options = _options(args)
        result = myoemg.batch(args.inputs, args.out, jobs=args.jobs, scheduler=args.scheduler,
                              force_patterns=patterns, include_text=args.include_text,
                              redo=args.redo, progress=tty and not args.quiet,
                              callback=callback, **options)
    except (TypeError, ValueError) as err:  # a bad option: the user's mistake, not a bug
        if isinstance(err, myoemg.MyoemgError) or args.debug:
            raise
        from cli.main import USAGE_ERROR

        print(f"myoemg: error: {err}", file=sys.stderr)
        return USAGE_ERROR
    finally:
        signal.signal(signal.SIGTERM, previous)
    _summary(result, quiet=args.quiet)
    return result.exit_code


def _line(job, record, n, total):
    status = record["status"]
    if status == "failed":
        text = f"FAILED {job.file}: {record['error']}: {record['message']}"
    elif status == "skipped":
        text = f"up to date {job.file}"
    else:
        text = f"analysed {job.file} ({record['seconds']:.1f} s)"
    print(f"[{n}/{total}] {text}", file=sys.stderr, flush=True)


def _summary(result, *, quiet):
    c = result.counts
    out = result.out
    failures = result.failures
    if len(failures) and (quiet or sys.stderr.isatty()):
        for row in failures.head(10).itertuples(index=False):
            print(f"failed: {row.file}: {row.error}: {row.message}", file=sys.stderr)
        if len(failures) > 10:
            print(f"... and {len(failures) - 10} more", file=sys.stderr)
    if result.interrupted:
        print(f"myoemg batch: interrupted after {c['done'] + c['skipped'] + c['failed']} of "
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
    print(f"wrote {out}/trials.csv, sessions.csv, discharges.csv, failures.csv, "
          "batch_manifest.json and one folder per recording")
