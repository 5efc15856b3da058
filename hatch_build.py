"""Build hook: in an editable install, the package ``myoemg_cli`` is the folder ``cli/``.

A built wheel gets ``cli/`` as ``myoemg_cli/`` through ``force-include`` (pyproject.toml).
Hatchling's editable installs cannot rename a folder (a ``sources`` rewrite that changes a
prefix is refused in dev mode, and ``force-include`` would install a copy that goes stale), so
for the editable wheel this hook writes instead a one-line package ``myoemg_cli/__init__.py``
whose ``__path__`` is ``cli/`` (what editables' ``add_to_subpackage`` writes):
``myoemg_cli.main`` is then ``cli/main.py`` itself, edits take effect at once, and no import
hook runs at start-up. ``cli/__init__.py`` is not executed that way, so it holds no code.
"""

import os
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CLI_SOURCES = "cli"
CLI_PACKAGE = "myoemg_cli"


class CustomBuildHook(BuildHookInterface):
    """Point ``myoemg_cli`` at ``cli/`` in editable wheels; standard wheels are left alone."""

    def initialize(self, version, build_data):
        if version != "editable":
            return
        self._tmp = tempfile.TemporaryDirectory()
        stub = os.path.join(self._tmp.name, "__init__.py")
        sources = os.path.join(self.root, CLI_SOURCES)
        with open(stub, "w", encoding="utf-8") as f:
            f.write(f'"""Editable install of myoemg\'s command line: {sources}."""\n'
                    f"__path__ = [{sources!r}]\n")
        build_data["force_include_editable"][stub] = f"{CLI_PACKAGE}/__init__.py"

    def finalize(self, version, build_data, artifact_path):
        if version == "editable":
            self._tmp.cleanup()
