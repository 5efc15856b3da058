"""What the command prints besides its results: log messages and Python warnings.

- myoemg's warnings: ``myoemg: warning: ...`` on stderr, one paragraph each, in the flags of
  the subcommand (:class:`~._messages.Wording`); ``-v`` adds the info messages (every unit
  conversion, the alignment of a force file, ...); ``-q`` prints errors only.
- Python warnings (SciPy's ``PeakPropertyWarning``, edfio, pandas, matplotlib, NumPy) are routed
  into logging, as :func:`logging.captureWarnings` does, but as one line naming the category
  and the module that raised it rather than a source line, at info level: shown with ``-v``,
  never a raw warning on stderr.
"""

import logging
import sys
import warnings
from pathlib import Path

from ._messages import paragraph

_PREFIXES = {logging.DEBUG: "myoemg: debug: ", logging.INFO: "myoemg: ",
             logging.WARNING: "myoemg: warning: "}


class _Formatter(logging.Formatter):
    def __init__(self, wording):
        super().__init__()
        self.wording = wording

    def format(self, record):
        text = self.wording(record.getMessage())
        if record.name.split(".")[0] not in ("myoemg", "py"):  # another library's logger
            text = f"{text} [{record.name}]"
        prefix = _PREFIXES.get(record.levelno, "myoemg: error: ")
        return paragraph(text, prefix)


def _module_of(filename):
    """The name of the loaded module that is ``filename`` (else the file's stem)."""
    for name, module in list(sys.modules.items()):
        if getattr(module, "__file__", None) == filename:
            return name
    return Path(filename).stem


def _log_warning(message, category, filename, lineno, file=None, line=None):
    logging.getLogger("py.warnings").info("%s (%s from %s)", str(message).strip(),
                                          category.__name__, _module_of(filename))


class Output:
    """Context manager: log records printed as CLI paragraphs, Python warnings into the log.

    Parameters
    ----------
    wording : callable
        Rewrites a message into the subcommand's flags (:class:`~._messages.Wording`).
    quiet, verbose : bool
        ``-q`` (errors only) and ``-v`` (info messages and library warnings too).

    Everything is put back on exit, so ``main(argv)`` can run inside another program.
    """

    def __init__(self, wording, *, quiet=False, verbose=False):
        self.level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
        self.handler = logging.StreamHandler(sys.stderr)
        self.handler.setFormatter(_Formatter(wording))
        self._saved = None

    def __enter__(self):
        root, package = logging.getLogger(), logging.getLogger("myoemg")
        self._saved = (root.level, package.level, warnings.showwarning)
        root.addHandler(self.handler)
        root.setLevel(self.level)
        package.setLevel(self.level)
        logging.getLogger("py.warnings").setLevel(self.level)
        warnings.showwarning = _log_warning
        return self

    def __exit__(self, *exc):
        root, package = logging.getLogger(), logging.getLogger("myoemg")
        root.removeHandler(self.handler)
        root.setLevel(self._saved[0])
        package.setLevel(self._saved[1])
        logging.getLogger("py.warnings").setLevel(logging.NOTSET)
        warnings.showwarning = self._saved[2]
        return False
