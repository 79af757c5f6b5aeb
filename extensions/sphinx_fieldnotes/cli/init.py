"""Write a new notes site into DIR, ready to build and lint.

It holds conf.py; source/ with a home page (the overview and the four indexes), an example
category page (a project with an update, and a todo-item) and an authoring guide; a Makefile
(html, test, lint, livehtml, clean) that bootstraps .venv/ from requirements.txt; .vale.ini, which
uses the house style shipped in the package; .readthedocs.yaml (warnings are errors);
.pre-commit-config.yaml; a GitHub Actions workflow that lints with pull-request annotations;
.gitignore and a README.

DIR must be missing or empty, unless --force: then files of the same names are replaced and
nothing else is touched. Nothing is ever written outside DIR. Prints the tree it wrote. Exit
status: 0 when written, 2 when refused (nothing written), 1 when writing failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from string import Template

from sphinx_fieldnotes import __version__

DEFAULT_TITLE = "Field Notes"
#: A theme that the site's requirements install (and the one this repository's site uses).
DEFAULT_THEME = "furo"
#: Requirement lines for themes whose package needs a version floor.
THEME_REQUIREMENTS = {"furo": "furo>=2024.8.6"}
#: Themes that come with Sphinx (sphinx/themes/, and alabaster, a dependency of Sphinx).
SPHINX_THEMES = frozenset(
    {
        "alabaster",
        "agogo",
        "basic",
        "bizstyle",
        "classic",
        "default",
        "epub",
        "haiku",
        "nature",
        "nonav",
        "pyramid",
        "scrolls",
        "sphinxdoc",
        "traditional",
    }
)
_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_WORD = re.compile(r"[^\W\d_]+")

#: In the template folder, a path part ``dot-x`` is written as ``.x`` (package data stays
#: visible to every tool), and a ``.tmpl`` file is rendered with :class:`string.Template`.
_DOT_PREFIX = "dot-"
_TEMPLATE_SUFFIX = ".tmpl"

EXIT_REFUSED = 2
EXIT_WRITE_FAILED = 1


class Refused(Exception):
    """DIR cannot take the site as asked; nothing has been written."""


@dataclass(frozen=True)
class SiteFile:
    path: PurePosixPath  # relative to DIR
    text: str


# --------------------------------------------------------------------------------------------
# The site's files, from the templates shipped in the package


def template_root() -> Traversable:
    return files("sphinx_fieldnotes") / "site_template"


def _walk(
    folder: Traversable, prefix: PurePosixPath
) -> Iterator[tuple[PurePosixPath, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        name = (
            "." + entry.name[len(_DOT_PREFIX) :]
            if entry.name.startswith(_DOT_PREFIX)
            else entry.name
        )
        if entry.is_dir():
            yield from _walk(entry, prefix / name)
        else:
            yield prefix / name, entry


def variables(title: str, theme: str) -> dict[str, str]:
    """The values the ``.tmpl`` files are filled with."""
    if theme in SPHINX_THEMES:
        requirement = f"# {theme} comes with Sphinx: nothing to install."
    else:
        # pip's name for the package that provides the theme (``_`` and ``-`` are the same to it).
        requirement = THEME_REQUIREMENTS.get(theme, theme)
    words = dict.fromkeys(_WORD.findall(title))
    site_words = "\n".join(["# The words of the site's title.", *map(re.escape, words)])
    return {
        "title": title,
        # JSON string literals are Python string literals too, in double quotes as ruff formats.
        "title_py": json.dumps(title, ensure_ascii=False),
        "theme_py": json.dumps(theme),
        "theme_requirement": requirement,
        "site_words": site_words,
        "version": __version__,
    }


def site_files(title: str, theme: str) -> list[SiteFile]:
    """Every file of a new site, rendered."""
    values = variables(title, theme)
    out = []
    for path, entry in _walk(template_root(), PurePosixPath()):
        text = entry.read_text(encoding="utf-8")
        if path.suffix == _TEMPLATE_SUFFIX:
            path = path.with_suffix("")
            text = Template(text).substitute(values)
        out.append(SiteFile(path, text))
    return out


# --------------------------------------------------------------------------------------------
# Writing inside DIR only


def destination(root: Path, relative: PurePosixPath) -> Path:
    """Where *relative* goes under *root*, refusing a path that would leave it: an absolute path,
    a ``..`` part, or an existing symbolic link (at any level) that points outside *root*."""
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise Refused(f"refusing to write {relative}: not a path inside the site folder")
    base = root.resolve()
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            target = current.resolve()
            if not target.is_relative_to(base):
                raise Refused(
                    f"{current} is a symbolic link to {target}, outside {root}: refusing to "
                    "write through it"
                )
    if current.is_dir() and not current.is_symlink():
        raise Refused(f"{current} is a folder, where the site has a file")
    for parent in list(relative.parents)[:-1]:
        folder = root / parent
        if folder.exists() and not folder.is_dir():
            raise Refused(f"{folder} is a file, where the site has a folder")
    return current


def plan(root: Path, site: Iterable[SiteFile], force: bool) -> list[tuple[Path, str]]:
    """The files to write, with every reason to refuse checked before anything is written."""
    if root.exists() and not root.is_dir():
        raise Refused(f"{root} exists and is not a folder")
    if root.is_dir() and not force:
        entries = sorted(p.name for p in root.iterdir())
        if entries:
            shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
            raise Refused(
                f"{root} is not empty ({shown}); choose a new or empty folder, or pass --force "
                "to write into it (files of the same names are replaced, others are kept)"
            )
    return [(destination(root, f.path), f.text) for f in site]


def write(planned: Iterable[tuple[Path, str]]) -> None:
    # O_NOFOLLOW: a symbolic link at the file's own name is replaced, never written through.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    for path, text in planned:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()
        fd = os.open(path, flags, 0o644)
        with open(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


# --------------------------------------------------------------------------------------------
# Output


def tree(label: str, paths: Iterable[PurePosixPath]) -> list[str]:
    """*paths* drawn as ``tree`` draws a folder (no library does this for a list of paths)."""
    nested: dict[str, dict] = {}
    for path in paths:
        node = nested
        for part in path.parts:
            node = node.setdefault(part, {})
    lines = [label.rstrip("/") + "/"]

    def draw(node: dict[str, dict], indent: str) -> None:
        names = sorted(node)
        for i, name in enumerate(names):
            last = i == len(names) - 1
            child = node[name]
            lines.append(f"{indent}{'└── ' if last else '├── '}{name}{'/' if child else ''}")
            draw(child, indent + ("    " if last else "│   "))

    draw(nested, "")
    return lines


# --------------------------------------------------------------------------------------------
# Command line


def _title(text: str) -> str:
    title = " ".join(text.split())
    if not title or any(not ch.isprintable() for ch in title):
        raise argparse.ArgumentTypeError("the title must be one line of printable text")
    return title


def _theme(text: str) -> str:
    if not _THEME_NAME.match(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a theme name (letters, digits, '_', '-' and '.', such as furo)"
        )
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = __doc__
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("dir", metavar="DIR", type=Path, help="the folder of the new site")
    parser.add_argument(
        "--title",
        type=_title,
        default=DEFAULT_TITLE,
        help=f"the site's title (default: {DEFAULT_TITLE!r})",
    )
    parser.add_argument(
        "--theme",
        type=_theme,
        default=DEFAULT_THEME,
        help=f"the Sphinx HTML theme, put into conf.py and requirements.txt (default: "
        f"{DEFAULT_THEME}, which requirements.txt installs; alabaster comes with Sphinx)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty: files of the same names are replaced",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root: Path = args.dir
    site = site_files(args.title, args.theme)
    try:
        planned = plan(root, site, args.force)
    except Refused as exc:
        print(f"fieldnotes init: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        write(planned)
    except OSError as exc:
        print(f"fieldnotes init: cannot write the site: {exc}", file=sys.stderr)
        return EXIT_WRITE_FAILED
    print(f"Wrote a notes site, {args.title!r}, with {len(site)} files:")
    print("\n".join(tree(os.fspath(root), (f.path for f in site))))
    print(
        f"\nNext:\n  cd {os.fspath(root)}\n"
        "  make html   # build the site into _build/html (warnings are errors)\n"
        "  make lint   # Vale over source/ plus a validation-only build"
    )
    return 0
