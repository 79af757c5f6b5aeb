"""The ``fieldnotes`` command: one subcommand per module, none of them loading Sphinx.

Each subcommand is a module listed in :data:`COMMANDS` that provides ``add_arguments(parser)``
and ``run(args) -> int``; its docstring is its help, the first line in ``fieldnotes --help``.
The modules import Sphinx, MyST-Parser or docutils only inside the functions that need them, so
``--help`` and the importer start fast.
"""

from __future__ import annotations

import argparse
import importlib

#: Subcommand name -> the module that implements it.
COMMANDS = {
    "import": "sphinx_fieldnotes.cli.importer",
    "lint": "sphinx_fieldnotes.cli.lint",
    "init": "sphinx_fieldnotes.cli.init",
    "refresh": "sphinx_fieldnotes.cli.refresh",
}


def main(argv: list[str] | None = None) -> int:
    """Run ``fieldnotes`` with *argv* (default: the process's arguments); the exit status."""
    args = _parser().parse_args(argv)
    return int(args.command_module.run(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldnotes",
        description="fieldnotes: structured, validated notes on open-source projects.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, path in COMMANDS.items():
        module = importlib.import_module(path)
        doc = module.__doc__ or ""
        command = commands.add_parser(
            name,
            help=doc.split("\n", 1)[0],
            description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
        command.set_defaults(command_module=module)
    return parser
