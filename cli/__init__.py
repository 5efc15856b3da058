"""The ``myoemg`` command line: argparse subcommands that call the public API."""
