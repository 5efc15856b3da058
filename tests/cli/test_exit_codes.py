"""The exit codes: one set, the same in myoemg.utils, the CLI and the README table."""

import re

import myoemg_cli.main
from myoemg.utils import EXIT_CODES, INTERNAL_ERROR, INTERRUPTED, USAGE_ERROR
from myoemg_cli import _exit

from ._run import ROOT


def test_cli_codes_are_the_library_codes():
    # The CLI spells these before anything heavy is imported; they must not drift.
    assert (_exit.USAGE_ERROR, _exit.INTERNAL_ERROR, _exit.INTERRUPTED) == (
        USAGE_ERROR, INTERNAL_ERROR, INTERRUPTED)


def test_readme_and_main_document_every_code():
    codes = {0, *EXIT_CODES.values(), _exit.USAGE_ERROR, _exit.INTERNAL_ERROR,
             _exit.INTERRUPTED, _exit.BROKEN_PIPE}
    readme = (ROOT / "README.md").read_text()
    table = {int(m) for m in re.findall(r"^\| (\d+) \|", readme, flags=re.MULTILINE)}
    assert table == codes
    documented = {int(m) for m in re.findall(r"^- (\d+) ", myoemg_cli.main.__doc__,
                                             flags=re.MULTILINE)}
    assert documented == codes
