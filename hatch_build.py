"""Build hooks: the command line as ``myoemg_cli``, and the bundled samples inside the wheel.

1. A built wheel gets ``cli/`` as ``myoemg_cli/`` through ``force-include`` (pyproject.toml).
   Hatchling's editable installs cannot rename a folder (a ``sources`` rewrite that changes a
   prefix is refused in dev mode, and ``force-include`` would install a copy that goes stale),
   so for the editable wheel this hook writes instead a one-line package
   ``myoemg_cli/__init__.py`` whose ``__path__`` is ``cli/`` (what editables'
   ``add_to_subpackage`` writes): ``myoemg_cli.main`` is then ``cli/main.py`` itself, edits
   take effect at once, and no import hook runs at start-up. ``cli/__init__.py`` is not
   executed that way, so it holds no code.
2. A standard wheel carries the sample sessions of ``data/samples/`` as
   ``myoemg/datasets/_samples/`` (force-included file by file), without the script that writes
   them (``make_samples.py`` imports the whole package and is no part of it).
   :func:`myoemg.datasets.sample` finds them there, and in ``data/samples/`` of a source
   checkout or an editable install.
"""

import os
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CLI_SOURCES = "cli"
CLI_PACKAGE = "myoemg_cli"
SAMPLES_SOURCES = "data/samples"
SAMPLES_PACKAGE = "myoemg/datasets/_samples"
#: Files of data/samples/ that are not sample data.
SAMPLES_SKIP = (".py",)


class CustomBuildHook(BuildHookInterface):
    """Editable wheels: point ``myoemg_cli`` at ``cli/``; standard wheels: add the samples."""

    def initialize(self, version, build_data):
        if version != "editable":
            self._add_samples(build_data)
            return
        self._tmp = tempfile.TemporaryDirectory()
        stub = os.path.join(self._tmp.name, "__init__.py")
        sources = os.path.join(self.root, CLI_SOURCES)
        with open(stub, "w", encoding="utf-8") as f:
            f.write(f'"""Editable install of myoemg\'s command line: {sources}."""\n'
                    f"__path__ = [{sources!r}]\n")
        build_data["force_include_editable"][stub] = f"{CLI_PACKAGE}/__init__.py"

    def _add_samples(self, build_data):
        folder = Path(self.root, SAMPLES_SOURCES)
        files = sorted(p for p in folder.iterdir()
                       if p.is_file() and p.suffix not in SAMPLES_SKIP)
        if not files:
            raise RuntimeError(f"no sample files in {folder}: the wheel would ship without "
                               "myoemg.datasets")
        for path in files:
            build_data["force_include"][str(path)] = f"{SAMPLES_PACKAGE}/{path.name}"

    def finalize(self, version, build_data, artifact_path):
        if version == "editable":
            self._tmp.cleanup()
