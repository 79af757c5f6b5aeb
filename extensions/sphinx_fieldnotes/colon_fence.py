"""fieldnotes' blocks are colon fences (``:::{project}``), which MyST reads only with its
``colon_fence`` extension, off unless a site turns it on. Without it every entry would be a
paragraph and the build would succeed with none, so:

- :func:`enable_colon_fence` turns it on for the site (``config-inited``);
- a page can still turn it off, since ``myst: enable_extensions`` in its front matter replaces the
  site's list; :func:`check_page` reports each fieldnotes colon fence of such a page as
  ``colon-fence-off`` (``source-read``), so no entry is lost without a word.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from myst_parser.config.main import TopmatterReadError, read_topmatter

from sphinx_fieldnotes.cli.fences import scan
from sphinx_fieldnotes.codes import Code, Diagnostic
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.vocabulary import DIRECTIVES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

EXTENSION = "colon_fence"
# A colon fence opening a fieldnotes directive, also in a block quote or a list item.
_NAMES = "|".join(map(re.escape, DIRECTIVES))
_OPENER = re.compile(rf"^[ \t>*+\-\d.)]*:{{3,}}\{{({_NAMES})\}}")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")


def enable_colon_fence(app: Sphinx, config: Config) -> None:
    """``config-inited``: add ``colon_fence`` to ``myst_enable_extensions``."""
    extensions = config.myst_enable_extensions
    if EXTENSION in extensions:
        return
    if isinstance(extensions, set | frozenset):
        # Kept a set: a list made from it would change order with the hash seed, and Sphinx would
        # see a changed configuration, and read every page again, on every build.
        config.myst_enable_extensions = {*extensions, EXTENSION}
    else:
        config.myst_enable_extensions = [*extensions, EXTENSION]


def check_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: a Markdown page whose front matter turns ``colon_fence`` off."""
    text = source[0]
    if not text.startswith("---") or not _is_markdown(app, docname):
        return
    try:
        topmatter = read_topmatter(text) or {}
    except TopmatterReadError:
        return  # MyST reports it
    myst: Any = topmatter.get("myst")
    extensions = myst.get("enable_extensions") if isinstance(myst, dict) else None
    if extensions is None or not isinstance(extensions, list | tuple | set):
        return
    if EXTENSION in extensions:
        return
    record = get_domain(app.env).record(docname)
    for lineno, name in _colon_fences(text):
        record.diagnostics.append(
            Diagnostic(
                docname,
                lineno,
                Code.COLON_FENCE_OFF,
                f"this {name} block is read as text: the page's front matter sets "
                f"myst enable_extensions without {EXTENSION!r}; add it to that list",
            )
        )


def _is_markdown(app: Sphinx, docname: str) -> bool:
    suffixes: dict[str, str] = app.config.source_suffix
    path = str(app.env.doc2path(docname))
    return any(path.endswith(s) for s, kind in suffixes.items() if kind == "markdown")


def _colon_fences(text: str) -> list[tuple[int, str]]:
    """(line, directive) of each fieldnotes colon fence outside code blocks."""
    # Block-quote markers are left out so that a fence quoted in a block quote still counts.
    lines = (_QUOTE.sub("", line) for line in text.split("\n"))
    return [
        (line.number, opener.group(1))
        for line in scan(lines)
        if not line.code and (opener := _OPENER.match(line.text)) is not None
    ]
