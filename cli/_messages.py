"""Messages in the words of the command line: one capped paragraph, flags instead of arguments.

The library phrases its advice for Python callers (``pass force_calibration=<newtons per V>``,
``pick one with force='NAME'``, ``Recording.select()``). :class:`Wording` rewrites such advice
into the flags of the subcommand being run (``pass --force-calibration <newtons per V>``,
``--force-channel NAME``), using one table from API argument to flag (:data:`API_FLAGS`) and the
subcommand's own parser to learn whether the flag exists there and what its value is called.
Then :func:`paragraph` makes one paragraph of it: long lists summarised, the whole capped, lines
wrapped without splitting a file name at a hyphen or breaking a long path.
"""

import ast
import re
import textwrap

WIDTH = 100
#: Longest message printed, in characters (ours: about 12 lines at 100 columns; a longer one
#: is cut at a word and says so).
MAX_CHARS = 1200
#: Lists longer than this are summarised (ours: a channel list that still fits on one line).
MAX_LIST_ITEMS = 8

#: API argument -> CLI flag doing the same. A str is a flag taking a value; a dict maps the
#: argument's value (``True``/``False``) to a flag taking none.
API_FLAGS = {
    "emg": "--emg",
    "force_channel": "--force-channel",
    "force": "--force-channel",  # in messages the CLI can reach, force= names a channel
    "force_unit": "--force-unit",
    "force_calibration": "--force-calibration",
    "emg_calibration": "--emg-calibration",
    "fs": "--fs",
    "offset_s": "--offset-s",
    "align": "--align",
    "electrode": "--electrode",
    "mains_hz": "--mains-hz",
    "uln_rt90_5_s": "--uln",
    "device_type": "--device-type",
    "jobs": "--jobs",
    "scheduler": "--scheduler",
    "force_patterns": "--force-pattern",
    "keep_identifiers": {"True": "--identify"},
    "identify": {"True": "--identify"},
    "overwrite": {"True": "--overwrite"},
    "detect": {"False": "--no-discharges"},
    "report": {"False": "--no-report"},
    "redo": {"True": "--redo"},
}
#: API calls the messages name -> (flag, what to add after it).
API_CALLS = {
    "Recording.select()": ("--emg", "NAME (once per channel to keep)"),
    "Recording.set_roles()": ("--emg", "NAME and --force-channel NAME"),
}

# name=VALUE, where VALUE is a <placeholder>, quoted literals ('N'|'kgf'), an UPPER-CASE
# placeholder, True/False, or nothing. A number after '=' describes a value ("at fs=1000 Hz"):
# left alone.
_QUOTED = r"'[^']*'|\"[^\"]*\""
_ARGUMENT = re.compile(
    r"(?<![\w./\\\-])(?P<name>[a-z][a-z0-9_]*)="
    rf"(?P<value><[^<>]*>|(?:{_QUOTED})(?:\|(?:{_QUOTED}))*|[A-Z][A-Z0-9_]*\b|True\b|False\b)?"
    r"(?!\w|[{(\[]|[-+.]?\d)")
# A bare argument name in prose ("pass a negative force_calibration"): only names with an
# underscore, which cannot be ordinary words, and not when '=' follows (handled above).
_BARE = re.compile(r"(?<![\w./\\\-])(?P<name>[a-z][a-z0-9]*_[a-z0-9_]*)\b(?![=(\w]|\.\w)")
_LIST = re.compile(r"[\[(][^\[\]()]*[\])]")


class Wording:
    """Rewrite API advice into the flags of one subcommand.

    Parameters
    ----------
    parser : argparse.ArgumentParser | None
        The subcommand's parser: a flag is named only if it exists there. Where it does not
        but the parser has ``--option KEY=VALUE`` (batch), the advice becomes that.
        None: no rewriting.
    """

    def __init__(self, parser=None):
        self._actions = dict(parser._option_string_actions) if parser is not None else {}

    def __call__(self, message):
        if not self._actions:
            return message
        for call, (flag, rest) in API_CALLS.items():
            if call in message and flag in self._actions:
                message = message.replace(call, f"{flag} {rest}")
        message = _ARGUMENT.sub(self._flag, message)
        return _BARE.sub(self._bare, message)

    def _bare(self, match):
        flag = API_FLAGS.get(match["name"])
        return flag if isinstance(flag, str) and flag in self._actions else match[0]

    def _flag(self, match):
        name, value = match["name"], match["value"]
        flag = API_FLAGS.get(name)
        if isinstance(flag, dict):  # a boolean argument: the flag is the value
            switch = flag.get(value or "")
            return switch if switch in self._actions else match[0]
        if flag is None:
            return match[0]
        if flag not in self._actions:
            if "--option" in self._actions:
                return f"--option {name}={_unquote(value) or 'VALUE'}"
            return match[0]
        return f"{flag} {_unquote(value) or self._metavar(flag)}"

    def _metavar(self, flag):
        action = self._actions[flag]
        if action.metavar:
            return action.metavar
        if action.choices:
            return "{" + ",".join(str(c) for c in action.choices) + "}"
        return action.dest.upper()


def _unquote(value):
    """``'N'|'kgf'`` -> ``N|kgf``; anything else unchanged."""
    if value and value[0] in "'\"":
        return "|".join(v[1:-1] for v in value.split("|"))
    return value


def summarise_lists(message, max_items=MAX_LIST_ITEMS):
    """Shorten every Python list or tuple literal longer than ``max_items`` in ``message``.

    Many distinct values keep the first few and the last (``['A', 'B', 'C', 'D', 'E', …, 'Z']
    (3000 in all)``); few distinct values become counts (``['emg' x2999, 'force' x1]``).
    """
    def shorten(match):
        text = match[0]
        try:
            items = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return text
        if not isinstance(items, (list, tuple)) or len(items) <= max_items:
            return text
        counts = {}
        for item in items:
            counts[repr(item)] = counts.get(repr(item), 0) + 1
        if len(counts) <= max_items // 2:
            return "[" + ", ".join(f"{value} x{n}" for value, n in counts.items()) + "]"
        head = ", ".join(repr(item) for item in items[: max_items - 3])
        return f"[{head}, …, {items[-1]!r}] ({len(items)} in all)"

    return _LIST.sub(shorten, message)


def paragraph(message, prefix="myoemg: error: ", *, width=WIDTH, max_chars=MAX_CHARS):
    """One wrapped paragraph: ``prefix`` + ``message``, lists summarised, length capped.

    Whitespace (newlines included) collapses to single spaces; lines break only at spaces,
    never at a hyphen and never inside a long word (a path longer than ``width`` keeps a
    line of its own).
    """
    text = " ".join(summarise_lists(str(message)).split())
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = (text[: cut if cut > 0 else max_chars]
                + " … (message shortened; --debug shows it all)")
    return textwrap.fill(prefix + text, width=width, break_on_hyphens=False,
                         break_long_words=False)
