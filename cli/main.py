"""Entry point of the ``myoemg`` command: dispatch to one module per subcommand.

Each subcommand is a module ``cli/<name>.py`` with ``add_arguments(parser)`` and
``run(args) -> int``. Errors that myoemg raises on purpose are printed as one paragraph with a
documented exit code and no traceback (``--debug`` shows it).

Every error message is one paragraph on stderr, starting ``myoemg: error:``, naming the file
(and the channel, trial or time when known), what was wrong and what to do.

Exit codes (``myoemg.utils.EXIT_CODES`` and ``myoemg.utils.exit_code``):

- 0 success (signal problems that leave results usable are flagged in the outputs, not errors);
- 1 other myoemg error;
- 2 unreadable, missing, empty, truncated or inconsistent recording (``RecordingError``);
- 3 unsupported format or missing optional package (``UnsupportedFormatError``);
- 4 channel missing, ambiguous or of the wrong kind (``ChannelError``);
- 5 unknown unit (``UnitError``);
- 6 unusable signal: long gaps of missing samples, nothing usable (``SignalQualityError``);
- 7 no grips found in the force (``NoTrialsError``);
- 8 output exists or is not writable (``OutputError``);
- 64 usage error: bad or missing command-line options;
- 70 internal error: a bug in myoemg (the message says so; please report it with ``--debug``);
- 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import textwrap

COMMANDS = {
    "analyze": "analyse a recording: trials, relaxation times, discharges",
    "info": "show what a file holds and how myoemg reads it",
    "simulate": "write a simulated grip session with its ground truth",
    "batch": "analyse many recordings: parallel, resumable, failures listed",
    "report": "analyse a recording and write its self-contained HTML report",
}
INTERNAL_ERROR = 70
USAGE_ERROR = 64


class _Parser(argparse.ArgumentParser):
    """argparse with the documented usage exit code (64) instead of 2, which means a bad file."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def build_parser():
    from myoemg import __version__

    parser = _Parser(
        prog="myoemg", description="Quantify myotonia from grip-relaxation recordings.")
    parser.add_argument("--version", action="version", version=f"myoemg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f".{name}", "cli")
        p = sub.add_parser(name, help=help_text, description=module.__doc__)
        p.add_argument("--debug", action="store_true", help="show tracebacks")
        p.add_argument("-v", "--verbose", action="store_true", help="log what is done")
        p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def _fail(message, code):
    print(textwrap.fill(f"myoemg: error: {message}", width=100), file=sys.stderr)
    return code


def _bug(err):
    return (f"internal error ({type(err).__name__}: {err}). This is a bug in myoemg; please "
            "report it with the command you ran and the --debug output.")


def main(argv=None):
    from myoemg.utils import MyoemgError, exit_code

    try:
        parser = build_parser()
    except Exception as err:  # noqa: BLE001 - a broken subcommand module is a bug, said so
        if "--debug" in (sys.argv[1:] if argv is None else argv):
            raise
        return _fail(_bug(err), INTERNAL_ERROR)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return USAGE_ERROR
    level = logging.WARNING if args.quiet else logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    logging.getLogger("myoemg").setLevel(level)
    try:
        return args._module.run(args)
    except KeyboardInterrupt:
        return _fail("interrupted.", 130)
    except MyoemgError as err:
        if args.debug:
            raise
        return _fail(str(err), exit_code(err))
    except Exception as err:  # noqa: BLE001 - last line of defence, reported as a bug
        if args.debug:
            raise
        return _fail(_bug(err), INTERNAL_ERROR)


if __name__ == "__main__":
    sys.exit(main())
