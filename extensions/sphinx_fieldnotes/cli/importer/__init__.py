"""Convert a legacy notes Markdown file into fieldnotes MyST pages.

One page per ``#`` category plus a TODO page. Dates become ISO as precise as written (``09/2016``
is the month ``2016-09``), version and Kubernetes version are split, status words and
``(deprecated) x`` heading prefixes become the status, and anything the legacy text does not record
is written as ``unrecorded`` (never guessed). The summary on standard output lists every page
written and everything that could not be mapped, with the legacy line number. Existing files are
never overwritten without ``--force``; nothing is written outside ``--out``.
"""

# The command (``fieldnotes import``) and its summary. Its three layers are modules of their own,
# each usable alone: parse (legacy text to the dataclasses of model), render (dataclasses to page
# texts) and write (the safe writer).

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from sphinx_fieldnotes.cli.importer import parse, render, write
from sphinx_fieldnotes.cli.importer.model import Notes, Page, Problem

#: The blocks a page's summary counts: (directive, what the count is of).
_COUNTED = (("project", "projects"), ("update", "updates"), ("todo-item", "todo-items"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("legacy", metavar="LEGACY.md", help="the legacy notes file")
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="directory to write the pages into"
    )
    parser.add_argument("--force", action="store_true", help="overwrite files that already exist")
    parser.add_argument(
        "--with-index", action="store_true", help="also write index.md with a toctree of the pages"
    )


def run(args: argparse.Namespace) -> int:
    source = Path(args.legacy)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"fieldnotes import: cannot read {source}: {exc}", file=sys.stderr)
        return 2
    notes = parse.parse(text)
    if not notes.categories and not notes.todos:
        print(
            f"fieldnotes import: {source} has no '# category' headings: nothing to import",
            file=sys.stderr,
        )
        return 1
    pages = render.render(notes, with_index=args.with_index)
    try:
        written = write.write_pages(pages, Path(args.out), force=args.force)
    except (write.ImportRefused, OSError) as exc:
        print(f"fieldnotes import: {exc}; nothing written", file=sys.stderr)
        return 1
    print(summary(str(source), pages, written, notes))
    return 0


def summary(source: str, pages: list[Page], written: list[Path], notes: Notes) -> str:
    """Every page written with what it holds, then what could not be mapped, then what was
    mapped with changes, each problem as ``source:line: kind: name: message``."""
    lines = [f"Wrote {len(written)} pages:"]
    lines += [f"  {path}  ({_counts(page)})" for page, path in zip(pages, written, strict=True)]
    unmapped = _in_order(p for p in notes.problems if p.unmapped)
    changed = _in_order(p for p in notes.problems if not p.unmapped)
    lines.append("")
    lines.append(f"Could not map ({len(unmapped)}):" if unmapped else "Could not map: nothing.")
    lines += [_problem_line(source, p) for p in unmapped]
    if changed:
        lines += ["", f"Mapped with changes ({len(changed)}):"]
        lines += [_problem_line(source, p) for p in changed]
    return "\n".join(lines)


def _counts(page: Page) -> str:
    parts = []
    for directive, noun in _COUNTED:
        found = len(re.findall(rf"^:{{3,}}\{{{directive}\}}", page.text, re.M))
        if found:
            parts.append(f"{found} {noun}")
    return ", ".join(parts) or "prose only"


def _in_order(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line, p.kind))


def _problem_line(source: str, problem: Problem) -> str:
    who = f"{problem.name}: " if problem.name else ""
    return f"  {source}:{problem.line}: {problem.kind}: {who}{problem.message}"
