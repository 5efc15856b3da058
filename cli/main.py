"""Entry point of the ``myoemg`` command: parse, dispatch, turn errors into exit codes.

Each subcommand has its options in :mod:`._commands` (light) and its ``run(args) -> int`` in
the module of its name, imported only when it runs. Errors myoemg raises on purpose are
printed as one paragraph on stderr, ``myoemg: error: ...``, naming the file (and the channel,
trial or time when known), what was wrong and what to do, in the flags of the command line
(:mod:`._messages`); ``--debug`` shows the traceback instead.

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
- 64 usage error: bad or missing command-line options, or no command;
- 70 internal error: a bug in myoemg (the message says so; please report it with ``--debug``);
- 130 interrupted (Ctrl-C or SIGTERM, at any moment: one line, no traceback; :mod:`._signals`);
- 141 the reader of the output went away (``myoemg info FILE | head -1``; nothing printed).

Only the standard-library modules below load before the signal handlers are in place.
"""

import os
import sys

from ._exit import BROKEN_PIPE, INTERNAL_ERROR, INTERRUPTED, USAGE_ERROR, UsageError
from ._signals import Interrupts


def main(argv=None):
    """Run the ``myoemg`` command and return its exit code.

    Parameters
    ----------
    argv : list of str | None
        The arguments; None: ``sys.argv[1:]`` and this call is the whole process (the console
        script), so the interrupt handlers stay in place while the interpreter shuts down.
        Given (tests, other programs): the previous handlers come back on return.

    Returns
    -------
    code : int
        The exit code (see the module docstring). ``--help``, ``--version`` and bad options
        raise ``SystemExit`` as argparse does (codes 0 and 64).
    """
    with Interrupts(process=argv is None) as interrupts:
        try:
            code = _main(argv, interrupts)
            sys.stdout.flush()  # a closed pipe shows here, not at exit as "Exception ignored"
        except KeyboardInterrupt:
            return interrupts.report()
        except BrokenPipeError:
            return _stdout_gone()
        except Exception:
            # Ctrl-C inside a C extension's import comes back as another error (NumPy turns it
            # into an ImportError): still an interrupt, said in one line.
            if interrupts.interrupted:
                return interrupts.report()
            raise
        if interrupts.interrupted and code != INTERRUPTED:  # swallowed on the way: still one
            return interrupts.report()
        return code


def _main(argv, interrupts):
    from ._parser import build_parser

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        print("myoemg: error: no command given; choose one of the commands above.",
              file=sys.stderr)
        return USAGE_ERROR
    return _dispatch(args, interrupts)


def _dispatch(args, interrupts):
    import importlib

    from ._messages import Wording, paragraph
    from ._output import Output

    args.wording = Wording(args.parser)
    with Output(args.wording, quiet=args.quiet, verbose=args.verbose):
        try:
            return importlib.import_module(f".{args.command}", __package__).run(args)
        except BrokenPipeError:  # not a bug: main() ends quietly
            raise
        except UsageError as err:
            if args.debug:
                raise
            return _fail(paragraph(args.wording(str(err))), USAGE_ERROR)
        except Exception as err:  # noqa: BLE001 - myoemg's errors, else a bug said so
            if interrupts.interrupted:  # what an interrupt became on its way up: not a bug
                raise KeyboardInterrupt from err
            if args.debug:
                raise
            from myoemg.utils import MyoemgError, exit_code

            if isinstance(err, MyoemgError):
                return _fail(paragraph(args.wording(str(err))), exit_code(err))
            return _fail(paragraph(_bug(err)), INTERNAL_ERROR)


def _fail(text, code):
    print(text, file=sys.stderr)
    return code


def _bug(err):
    return (f"internal error ({type(err).__name__}: {err}). This is a bug in myoemg; please "
            "report it with the command you ran and the --debug output.")


def _stdout_gone():
    """The reader of stdout left: exit without a word.

    stdout is pointed at /dev/null so that the flush at exit cannot fail again (what the
    Python docs advise for SIGPIPE).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a file (tests): no flush
        pass
    return BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
