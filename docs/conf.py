"""Sphinx configuration of the myoemg documentation (``docs/build.sh`` builds it).

Offline by design: CI reaches package registries only, so nothing here fetches anything.
Intersphinx reads **committed inventories** (``docs/_inventories/*.inv``) written by
``docs/tools/make_inventories.py`` from the list of external objects these pages link to, each
with its real URL on the project's site; links in the built pages point to those sites. Add a
target there (and re-run the script) when a docstring starts linking to a new external object:
``nitpicky`` turns an unresolved reference into a warning, and the build treats warnings as
errors. Linkcheck is never run.
"""

import os
import re
import sys
from pathlib import Path

import myoemg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

# -- Project -------------------------------------------------------------------------------
project = "myoemg"
author = "myoemg developers"
copyright = "myoemg developers"  # noqa: A001 (the Sphinx setting's name)
release = myoemg.__version__
version = ".".join(release.split(".")[:2])

# -- General -------------------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinxarg.ext",
    "myst_parser",
    "myoemg_docs",  # _ext/myoemg_docs.py: reference aliases and the output-coverage check
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "examples",  # gallery sources
                    "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.json",
                    "auto_examples/*.md5", "auto_examples/*.codeobj.json"]
templates_path = ["_templates"]
default_role = "py:obj"
nitpicky = True
# Words numpydoc finds in "Parameters" types that are prose, not objects.
nitpick_ignore_regex = [
    ("py:.*", r"(shape|optional|default|of|or|and|array-like|array_like|callable|scalar|"
              r"sequence|iterable|mapping|int-like|path-like|file-like|Path-like)"),
]
suppress_warnings = []

# -- autodoc / autosummary / numpydoc ------------------------------------------------------
autosummary_generate = True
autosummary_ignore_module_all = False  # a module's table lists its __all__
autodoc_typehints = "none"  # types are written in the numpydoc sections
autodoc_member_order = "groupwise"
autoclass_content = "class"
numpydoc_show_class_members = False  # the class template lists members (no duplicate tables)
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = True
numpydoc_xref_ignore = "all"  # only the names below become links; prose in types stays prose
numpydoc_xref_aliases = {
    # Python
    **{name: name for name in ("str", "int", "float", "bool", "dict", "list", "tuple", "bytes",
                               "set", "object", "callable")},
    "None": "None",
    "Path": "pathlib.Path",
    "PathLike": "os.PathLike",
    "datetime": "datetime.datetime",
    "sequence": ":term:`python:sequence`",
    "iterable": ":term:`python:iterable`",
    # NumPy, pandas, MNE, matplotlib
    "ndarray": "numpy.ndarray",
    "array-like": ":term:`numpy:array_like`",
    "array_like": ":term:`numpy:array_like`",
    "DataFrame": "pandas.DataFrame",
    "Series": "pandas.Series",
    "Raw": "mne.io.Raw",
    "BaseRaw": "mne.io.BaseRaw",
    "Annotations": "mne.Annotations",
    "Info": "mne.Info",
    "Figure": "matplotlib.figure.Figure",
    "Axes": "matplotlib.axes.Axes",
    # the same objects written in full
    **{name: name for name in ("numpy.ndarray", "pandas.DataFrame", "pandas.Series",
                               "mne.io.Raw", "mne.io.BaseRaw", "mne.io.RawArray",
                               "mne.Annotations", "mne.Info", "matplotlib.figure.Figure",
                               "matplotlib.axes.Axes", "pathlib.Path")},
    # myoemg's classes by their short names (generated below from each module's __all__)
}


def _myoemg_class_aliases(modules):
    """{short name: documented name} of every class in the public modules' ``__all__``."""
    import importlib

    seen, aliases = {}, {}
    top = {n: f"myoemg.{n}" for n in ("Recording", "Channel", "Analysis", "MyoemgError")}
    for modname in modules:
        mod = importlib.import_module(modname)
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name, None)
            if isinstance(obj, type):
                seen.setdefault(name, set()).add(f"{modname}.{name}")
    for name, full in seen.items():
        if name in top:
            aliases[name] = top[name]
        elif len(full) == 1:  # an ambiguous short name is left unlinked
            aliases[name] = full.pop()
    return aliases


#: The modules of the API reference, as api/index.rst lists them (one source).
API_MODULES = re.findall(r"^   (myoemg\.[\w.]+)$",
                         (HERE / "api" / "index.rst").read_text().split("\nModules\n")[1],
                         flags=re.MULTILINE)
numpydoc_xref_aliases.update(_myoemg_class_aliases(API_MODULES))


def _submodule_names(modules):
    """Names in the modules' ``__all__`` that are submodules (not constants)."""
    import importlib
    import types

    names = set()
    for modname in modules:
        mod = importlib.import_module(modname)
        names |= {n for n in getattr(mod, "__all__", ())
                  if isinstance(getattr(mod, n, None), types.ModuleType)}
    return sorted(names)


autosummary_context = {"submodule_names": _submodule_names(API_MODULES)}
numpydoc_validation_checks = set()  # validation is ruff's job (D rules)

# -- intersphinx: committed inventories, never the network ---------------------------------
INVENTORIES = HERE / "_inventories"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", str(INVENTORIES / "python.inv")),
    "numpy": ("https://numpy.org/doc/stable", str(INVENTORIES / "numpy.inv")),
    "scipy": ("https://docs.scipy.org/doc/scipy", str(INVENTORIES / "scipy.inv")),
    "pandas": ("https://pandas.pydata.org/docs", str(INVENTORIES / "pandas.inv")),
    "mne": ("https://mne.tools/stable", str(INVENTORIES / "mne.inv")),
    "matplotlib": ("https://matplotlib.org/stable", str(INVENTORIES / "matplotlib.inv")),
}
intersphinx_timeout = 1  # a local file; no request is made

# -- sphinx-gallery ------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",  # every example is executed
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "reference_url": {"myoemg": None},
    "doc_module": ("myoemg",),
    "backreferences_dir": None,
    "remove_config_comments": True,
    "capture_repr": ("_repr_html_", "__repr__"),
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "download_all_examples": False,
    "show_memory": False,
    "show_signature": False,
}

# -- HTML ----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"myoemg {release}"
html_static_path = ["_static"]
html_css_files = ["myoemg.css"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "header_links_before_dropdown": 7,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}
html_sidebars = {"index": [], "getting_started": []}

myst_heading_anchors = 2
smartquotes = False  # "--no-report" in the CLI reference stays two hyphens

os.environ.setdefault("MPLBACKEND", "agg")  # examples draw without a display
