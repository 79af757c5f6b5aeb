"""Which file a block is in: the page being read, or a file it includes.

The parsers say where each line comes from (docutils through its input lines, MyST through the
document's source, which it points at an included file while it reads one); fieldnotes stores that
file with every entry and diagnostic, so a problem in an included file is reported there, not at
a line of the including page.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from myst_parser import __version__ as myst_version

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

_CACHE = "fieldnotes:sources"
# Before 5.2, MyST rendered an included Markdown file from line ``start-line + 1`` of a 0-based
# count, so every line it reported there was one too high ("line attribution inside {include}d
# markdown is off by one", MyST-Parser #1164); fieldnotes reports the file's own line.
MYST_INCLUDE_SHIFT = (
    1 if tuple(int(n) for n in re.findall(r"\d+", myst_version)[:2]) < (5, 2) else 0
)


def myst_line(env: BuildEnvironment, source: str | None, line: int) -> int:
    """The real line of a line MyST numbers in *source* (shifted back in an included file)."""
    return line - MYST_INCLUDE_SHIFT if included_source(env, source) else line


def included_source(env: BuildEnvironment, source: str | None) -> str | None:
    """*source* relative to the source directory when it is a file the page includes; ``None``
    when it is the page itself, or no file at all (docutils names ``rst_prolog`` lines
    ``<rst_prolog>``)."""
    if not source or source.startswith("<"):
        return None
    cache: dict[str, str | None] = env.temp_data.setdefault(_CACHE, {})  # type: ignore[assignment]
    if source not in cache:
        path = os.path.abspath(source)
        if path == os.path.abspath(env.doc2path(env.docname)):
            cache[source] = None
        else:
            try:
                cache[source] = Path(os.path.relpath(path, env.srcdir)).as_posix()
            except ValueError:  # another drive on Windows
                cache[source] = path
    return cache[source]
