"""The subcommands: name, help, description and the function that adds their options.

Building the parser (``myoemg --help``, and every run before it dispatches) imports only this
module, :mod:`._common` and argparse. A command's implementation, ``run(args) -> int`` in the
module of the same name (``analyze.py``, ...), is imported when that command runs.
"""

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from ._common import (
    add_analysis_arguments,
    add_bids_arguments,
    add_channel_arguments,
    add_reading_arguments,
    add_recording_arguments,
)


@dataclass(frozen=True)
class Command:
    """One subcommand: what ``--help`` shows, and how to add its options."""

    name: str
    help: str
    description: str
    add_arguments: Callable


def _pattern(name):
    """A simulator pattern, checked against myoemg.sim when parsed.

    A ``type`` rather than ``choices``: argparse expands choices for ``--help``, which would
    load the simulator (and NumPy) just to print the help.
    """
    from myoemg.sim import PATTERN_NAMES

    if name not in PATTERN_NAMES:
        raise argparse.ArgumentTypeError(
            f"invalid choice: {name!r} (choose from {', '.join(PATTERN_NAMES)})")
    return name


def _analyze(parser):
    add_recording_arguments(parser)
    add_analysis_arguments(parser)
    parser.add_argument("--no-report", action="store_true",
                        help="do not write report.html (quicker; the tables and summary are "
                             "written as always)")
    parser.add_argument("--audio", action="store_true",
                        help="also write the EMG after each release and of each discharge as "
                             "WAV files in OUT/audio (to listen to)")
    add_bids_arguments(parser)
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")


def _report(parser):
    add_recording_arguments(parser)
    add_analysis_arguments(parser)
    parser.add_argument("--out", required=True, metavar="DIR_OR_HTML",
                        help="output folder (report.html is written in it) or .html path")


def _info(parser):
    add_recording_arguments(parser, analysed=False)


def _simulate(parser):
    parser.add_argument("--out", required=True, metavar="FILE", help="EDF file to write")
    parser.add_argument("--pattern", type=_pattern, default="warm-up", metavar="PATTERN",
                        help="healthy, warm-up, paradoxical or steady (default warm-up)")
    parser.add_argument("--trials", type=int, default=6, help="number of grips (default 6)")
    parser.add_argument("--fs-emg", type=float, required=True, help="EMG rate in Hz")
    parser.add_argument("--fs-force", type=float, required=True, help="force rate in Hz")
    parser.add_argument("--electrode", choices=["surface", "needle"], default="surface")
    parser.add_argument("--mains", type=float, default=50.0, help="mains Hz (0 for none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")


def _batch(parser):
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
    add_reading_arguments(parser)
    add_analysis_arguments(parser)
    parser.add_argument("--no-report", action="store_true",
                        help="do not write report.html per recording")
    add_bids_arguments(parser, each_file=True)
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="any other option of myoemg.read / myoemg.analyze "
                             "(e.g. --option max_lag_s=30); repeat for several")
    parser.add_argument("--redo", action="store_true",
                        help="recompute every recording, even those up to date")


_BATCH = """\
Analyse many recordings into one output folder: parallel, resumable, bad files listed.

INPUT is a folder (searched recursively), a glob pattern, a recording, a BIDS-EMG dataset root
or a CSV manifest (columns: recording, and optionally force, subject, session and per-file
options). A file named <stem>_force.csv|tsv|txt beside a recording is its force file
(--force-pattern changes the rule). Re-running the same command skips recordings whose results
are up to date and finishes the rest. The reading and analysis options apply to every file.

Exit status: 0 every recording analysed or up to date; 1 some recordings failed (listed in
OUT/failures.csv); 130 interrupted (Ctrl-C or SIGTERM: finished recordings are kept, re-run to
finish); 2 an input does not exist or holds no recordings, or a manifest is unreadable; 8 the
output folder is not writable or holds an input; 64 usage error (bad option); 70 internal
error (a bug).
"""

COMMANDS = {c.name: c for c in (
    Command("analyze", "analyse a recording: trials, relaxation times, discharges",
            "Analyse a grip-relaxation recording and write trials.csv, discharges.csv, "
            "summary.json and report.html (unless --no-report); for a BIDS-EMG input, the same "
            "as a BIDS derivative dataset in OUT/derivatives/myoemg.", _analyze),
    Command("info", "show what a file holds and how myoemg reads it",
            "Show what a recording holds and how myoemg reads it: channels, roles, rates, "
            "units, conversions, duration, events and metadata (identifying fields only "
            "with --identify).", _info),
    Command("simulate", "write a simulated grip session with its ground truth",
            "Write a simulated grip session (EDF+ with EMG and force at their own rates) "
            "and its truth.", _simulate),
    Command("batch", "analyse many recordings: parallel, resumable, failures listed",
            _BATCH, _batch),
    Command("report", "analyse a recording and write its self-contained HTML report",
            "Analyse a grip-relaxation recording and write its self-contained HTML report. "
            "The report is de-identified unless --identify is given. Its severity grade is "
            "for research use; it is not a validated clinical scale.", _report),
)}
