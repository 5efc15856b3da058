"""Options shared by the subcommands that read recordings."""

from __future__ import annotations


def add_channel_arguments(parser, *, each_file=False):
    """``--emg``, ``--force-channel`` and ``--electrode``: how to read a recording's channels."""
    parser.add_argument("--emg", action="append", metavar="NAME",
                        help="EMG channel to analyse (repeat for several)")
    parser.add_argument("--force-channel", metavar="NAME", help="force channel name")
    where = "each file" if each_file else "the file"
    parser.add_argument("--electrode", choices=["surface", "needle"],
                        help=f"EMG electrode type (default: from {where}, else surface)")


def add_recording_arguments(parser):
    """The recording, an optional separate force file, and the channel options."""
    parser.add_argument("recording", help="EMG/force recording (EDF, BDF, CSV, ...)")
    parser.add_argument("--force", dest="force_file", metavar="FORCE_FILE",
                        help="separate dynamometer file (CSV/TSV) to align with the recording")
    add_channel_arguments(parser)


def read_recording(args, **options):
    """Read ``args.recording`` (and ``args.force_file``) with the channel options given."""
    import myoemg

    return myoemg.read(args.recording, force=args.force_file, force_channel=args.force_channel,
                       emg=args.emg, **options)
