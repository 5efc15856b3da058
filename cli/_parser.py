"""The argument parser of ``myoemg``, built from the table of subcommands (nothing heavy)."""

import argparse
import sys

from ._commands import COMMANDS
from ._exit import USAGE_ERROR


class Parser(argparse.ArgumentParser):
    """argparse with the documented usage exit code (64) instead of 2, which means a bad file."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def build_parser():
    """The ``myoemg`` parser; each subparser is ``args.parser`` of a run of its command."""
    from myoemg import __version__  # light: import myoemg loads no heavy module

    parser = Parser(prog="myoemg",
                    description="Quantify myotonia from grip-relaxation recordings.")
    parser.add_argument("--version", action="version", version=f"myoemg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS.values():
        p = sub.add_parser(command.name, help=command.help, description=command.description)
        p.add_argument("--debug", action="store_true", help="show tracebacks")
        p.add_argument("-v", "--verbose", action="store_true",
                       help="also print info messages and library warnings")
        p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
        command.add_arguments(p)
        p.set_defaults(parser=p)
    return parser
