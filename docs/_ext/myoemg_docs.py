"""Local Sphinx extension of the myoemg docs: reference aliases and an output-coverage check.

1. **Aliases.** myoemg's objects are reachable under several names: ``myoemg.read`` is
   ``myoemg.io.read``, ``myoemg.Analysis`` is ``myoemg.results.Analysis`` and
   ``myoemg.results.analysis.Analysis``. Each object is documented once (the API reference
   lists it under the name users type); a reference to any other name of the same object is
   resolved to that page here, instead of failing (``nitpicky``) or documenting it twice.
2. **Every output documented.** The columns of ``trials.csv``, ``discharges.csv``, the events
   file, the batch ``sessions.csv`` and every quality-flag code are read from the code; each
   must appear, as ``literal``, on the page that explains the outputs. A new column without
   its explanation is a warning, and so (``-W``) a failed build.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
import types
from pathlib import Path

from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging

logger = logging.getLogger(__name__)

_SKIP = object()


def _lookup(dotted):
    """The object a dotted name reaches (importing the longest module prefix), or None."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        except Exception:  # noqa: BLE001 (a module that fails to import is not a target)
            return None
        for p in parts[i:]:
            obj = getattr(obj, p, _SKIP)
            if obj is _SKIP:
                return None
        return obj
    return None


def _identity(obj):
    """A key that identifies a documented object: functions, classes, modules, properties."""
    if isinstance(obj, (types.FunctionType, types.ModuleType, type, property,
                        types.BuiltinFunctionType, classmethod, staticmethod)):
        return id(inspect.unwrap(obj) if callable(obj) else obj)
    return None


def _documented(env):
    """id(object) -> its documented name, for every myoemg object in the Python domain."""
    objects = env.get_domain("py").objects
    key = len(objects)
    cache = getattr(env, "_myoemg_alias_cache", None)
    if cache is None or cache[0] != key:
        names = {}
        for name, entry in objects.items():
            if not name.startswith("myoemg") or entry.aliased:
                continue
            ident = _identity(_lookup(name))
            if ident is not None:
                # the shortest documented name wins (myoemg.read over myoemg.io.read)
                if ident not in names or len(name) < len(names[ident]):
                    names[ident] = name
        cache = (key, names)
        env._myoemg_alias_cache = cache
    return cache[1]


def _page_object(node):
    """The object whose generated API page holds ``node`` (``api/generated/<name>``), or None."""
    doc = node.get("refdoc", "")
    if not doc.startswith("api/generated/"):
        return None
    return _lookup(doc.rsplit("/", 1)[-1])


def _candidates(node):
    """Dotted names a py reference may mean, most specific context first."""
    target = node.get("reftarget", "").lstrip(".~")
    module = node.get("py:module") or ""
    klass = node.get("py:class") or ""
    names = [target]
    if klass:
        names.append(f"{module}.{klass}.{target}" if module else f"{klass}.{target}")
    if module:
        names.append(f"{module}.{target}")
    names.append(f"myoemg.{target}")  # Recording.set_roles means myoemg.Recording.set_roles
    page = _page_object(node)
    home = getattr(page, "__module__", None) or getattr(page, "__name__", None)
    if home:
        # a bare name in a docstring means a name of the module that defines the object
        names.append(f"{home}.{target}")
    return [n for n in names if n.startswith("myoemg")]


def resolve_alias(app, env, node, contnode):
    """``missing-reference``: another name of a documented myoemg object goes to its page.

    A name that reaches a myoemg object which is documented under another name links there;
    one that reaches an existing but internal object (a private helper, a module the API
    reference does not list) is shown as code without a link; a name that reaches nothing is
    left unresolved, so ``nitpicky`` reports it: a misspelt or removed name fails the build.
    """
    if node.get("refdomain") != "py":
        return None
    documented = _documented(env)
    for cand in _candidates(node):
        obj = _lookup(cand)
        if obj is None:
            continue
        ident = _identity(obj)
        name = documented.get(ident) if ident is not None else None
        if name is None:
            name = _documented_constant(env, cand)
        if name and name != node.get("reftarget"):
            py = env.get_domain("py")
            found = py.resolve_xref(env, node.get("refdoc", ""), app.builder, "obj", name,
                                    node, contnode)
            if found is not None:
                return found
        return contnode  # exists, but is not part of the documented API
    return None


def _documented_constant(env, dotted):
    """The documented name of a module constant reached as ``dotted``, or None."""
    short = dotted.rsplit(".", 1)[-1]
    value = _lookup(dotted)
    for name, entry in env.get_domain("py").objects.items():
        if entry.objtype == "data" and name.rsplit(".", 1)[-1] == short \
                and _lookup(name) is value:
            return name
    return None


def constant_docstring(app, what, name, obj, options, lines):
    """``autodoc-process-docstring``: a re-exported constant keeps its ``#:`` comment.

    ``myoemg.quality.FLAG_COLUMNS`` is defined (and commented) in a submodule; autodoc looks
    for the comment only in the package that re-exports it.
    """
    if lines or what not in ("data", "attribute") or not name.startswith("myoemg"):
        return
    short = name.rsplit(".", 1)[-1]
    for modname, module in sorted(sys.modules.items()):
        if not modname.startswith("myoemg") or vars(module).get(short, _SKIP) is not obj:
            continue
        try:
            docs = ModuleAnalyzer.for_module(modname).find_attr_docs()
        except Exception:  # noqa: BLE001 (no source: nothing to add)
            continue
        comment = docs.get(("", short))
        if comment:
            lines[:] = [*comment]
            return


def _outputs():
    """(page, what, names) for every set of output names the docs must explain."""
    from myoemg.batching import SESSION_COLUMNS
    from myoemg.detect import DISCHARGE_COLUMNS
    from myoemg.export import events_columns
    from myoemg.pipeline import trial_table_columns
    from myoemg.quality import RULES

    trials = sorted(set(trial_table_columns("N")) | set(trial_table_columns("a.u.")))
    return [
        ("getting_started", "trials.csv column", trials),
        ("getting_started", "discharges.csv column", [*DISCHARGE_COLUMNS, "trial"]),
        ("getting_started", "events file column", events_columns("N")),
        ("user_guide/batch", "sessions.csv column", SESSION_COLUMNS),
        ("user_guide/quality", "quality flag", sorted(RULES)),
    ]


def check_outputs_documented(app, env):
    """``env-check-consistency``: warn for each output name no page explains."""
    src = Path(app.srcdir)
    for page, what, names in _outputs():
        path = src / f"{page}.rst"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        for name in names:
            if not re.search(rf"``{re.escape(name)}``", text):
                logger.warning("%s %r is not explained in %s.rst (write it as ``%s``)",
                               what, name, page, name, location=page)


#: ``|x|`` in a docstring is an absolute value, not a reST substitution (myoemg defines none).
_ABS = re.compile(r"(?<![\\|`\w])\|(?=\S)([^|`\n]{1,40}?)(?<=\S)\|(?![|_`\w])")


def absolute_values(app, what, name, obj, options, lines):
    """``autodoc-process-docstring``: escape ``|x|`` outside literals so it prints as is."""
    if not name.startswith("myoemg"):
        return
    for i, line in enumerate(lines):
        if "|" not in line:
            continue
        parts = line.split("``")
        parts[::2] = [_ABS.sub(r"\\|\1\\|", p) for p in parts[::2]]  # not inside ``...``
        lines[i] = "``".join(parts)


def setup(app):
    """Register the handlers (Sphinx entry point)."""
    app.connect("missing-reference", resolve_alias)
    app.connect("autodoc-process-docstring", constant_docstring)
    app.connect("autodoc-process-docstring", absolute_values)
    app.connect("env-check-consistency", check_outputs_documented)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
