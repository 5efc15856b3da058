"""Entry point of the ``myoemg`` command: dispatch to one module per subcommand.

Each subcommand is a module ``cli/<name>.py`` with ``add_arguments(parser)`` and
``run(args) -> int``. Errors that myoemg raises on purpose are printed as one paragraph with a
documented exit code and no traceback (``--debug`` shows it).

Exit codes: 0 success; 1 other myoemg error; 2 unreadable or inconsistent recording; 3
unsupported format or missing optional package; 4 channel missing or ambiguous; 5 unknown unit;
6 unusable signal; 7 no grips found; 8 output not writable; 70 internal error (a bug: please
report it); 130 interrupted.
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
}
INTERNAL_ERROR = 70


def build_parser():
    from myoemg import __version__

    parser = argparse.ArgumentParser(
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


def main(argv=None):
    from myoemg.utils import EXIT_CODES, MyoemgError

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
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
        code = next(c for cls, c in EXIT_CODES.items() if isinstance(err, cls))
        return _fail(str(err), code)
    except Exception as err:  # noqa: BLE001 - last line of defence, reported as a bug
        if args.debug:
            raise
        return _fail(f"internal error ({type(err).__name__}: {err}). This is a bug in myoemg; "
                     "please report it with the command you ran and --debug output.",
                     INTERNAL_ERROR)


if __name__ == "__main__":
    sys.exit(main())
