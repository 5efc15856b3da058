"""The ``myoemg`` command line: argparse subcommands that call the public API.

Installed as the package ``myoemg_cli`` (never as ``cli``): the wheel maps this folder there
(pyproject.toml), and an editable install points ``myoemg_cli`` at this folder by its
``__path__`` alone (hatch_build.py), so this file must stay free of code. Modules here import
each other relatively and never by the name ``cli``.
"""
