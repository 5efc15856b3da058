"""Exit codes of the command line that are not an error class, and the usage error.

The codes of myoemg's errors (2-8) come from :func:`myoemg.utils.exit_code`. These few are
needed before anything heavy is imported (``myoemg.utils`` loads NumPy), so they are spelled
here; tests/cli/test_exit_codes.py checks that they equal ``myoemg.utils``'s.
"""

#: Bad or missing command-line option (sysexits.h ``EX_USAGE``).
USAGE_ERROR = 64
#: An exception myoemg did not raise on purpose: a bug (sysexits.h ``EX_SOFTWARE``).
INTERNAL_ERROR = 70
#: Interrupted by Ctrl-C or SIGTERM (128 + SIGINT).
INTERRUPTED = 130
#: The reader of the output went away (``myoemg info FILE | head -1``): 128 + SIGPIPE, what
#: a command killed by SIGPIPE reports, without the death or the traceback.
BROKEN_PIPE = 141


class UsageError(Exception):
    """A bad option that only the subcommand can see (exit :data:`USAGE_ERROR`)."""
