"""Command line: ``python -m sphinx_fieldnotes import|lint|init``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fieldnotes", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    from sphinx_fieldnotes import importer, lint
    from sphinx_fieldnotes.cli import init

    importer.add_arguments(commands.add_parser("import", help=importer.__doc__))
    lint.add_arguments(commands.add_parser("lint", help=lint.__doc__))
    init.add_arguments(commands.add_parser("init", help=init.__doc__))
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
