"""The HTML builders' listings, written straight into the page as it is translated.

For ``html`` and ``dirhtml`` the index placeholders stay in the resolved doctree and the HTML
translator renders each one when it reaches it. Two reasons, both measured (see the Performance
page, fourth round):

- with ``-j N`` Sphinx resolves every page in the main process and only translates in the forked
  writers; rendering the listings at ``doctree-resolved`` kept that work in the one serial process;
- a listing rendered at ``doctree-resolved`` was a ``raw`` node holding the whole table's HTML, and
  the translator copied it again (``raw.astext``): two more copies of the largest string of the
  largest page, at the moment of the build's peak memory.

The tables and maps themselves, the largest strings of the build, do not go through the writer.
Sphinx copies a page's body several times on its way to the file: the translator's pieces, the
joined body (before Sphinx 9, docutils' writer output and its parts too), the ``repr()`` Sphinx
logs of ``html-page-context``'s arguments, the rendered template and its bytes. At 2,000 entries
of the journal corpus, writing the index page was the build's peak memory, 8 MB over the page
before for a 0.5 MB page (``/proc/self/status`` read at each event, tracemalloc between
``doctree-resolved`` and ``html-page-context``). So the translator writes a short mark for each,
and fieldnotes puts the HTML in its place in the page's ``body`` at ``html-page-context``, before
any other handler of that event sees it (:func:`put_blocks_in_body`).

Each project's history is written the same way, from a :class:`history_placeholder`, as the
HTML the nodes would give. Every other builder still gets the listings and histories as nodes at
``doctree-resolved``. The HTML is the same either way: the same :class:`Listing` methods make it,
in page order (chart ids are numbered in that order), inside the same container.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes

from sphinx_fieldnotes.render.entries import project_history_html
from sphinx_fieldnotes.render.indexes import (
    Listing,
    listing_blocks,
    listing_container,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_fieldnotes.nodes import history_placeholder, index_placeholder

# The translator only knows its builder; Listing wants the application (as at doctree-resolved).
_APPS: WeakKeyDictionary[Config, Sphinx] = WeakKeyDictionary()
# One Listing per page being translated: its element ids and link URIs are the page's.
_LISTINGS: WeakKeyDictionary[nodes.document, Listing] = WeakKeyDictionary()


# The HTML of each page's blocks, from its translation to its html-page-context.
_BLOCKS: WeakKeyDictionary[nodes.document, list[str]] = WeakKeyDictionary()
# Unguessable, so no text of a page can be taken for a mark; forked writers share it.
_MARK = f"<!--fieldnotes-block-{secrets.token_hex(8)}-"
_MARKS = re.compile(re.escape(_MARK) + r"(\d+)-->")


class _html_block(nodes.Element):
    """A rendered table, map or chart in the detached container; never in a doctree."""


def remember_app(app: Sphinx) -> None:
    """``builder-inited``: what the translator's visit needs to make a :class:`Listing`."""
    _APPS[app.config] = app


def visit_index_placeholder(translator: HTML5Translator, node: index_placeholder) -> None:
    listing = _page_listing(translator, node.document)
    container = listing_container(node)
    # Detached: it stands where the placeholder is for the writer, the doctree is not changed.
    container.parent, container.document = node.parent, node.document
    for block in listing_blocks(listing, node):
        if isinstance(block, nodes.Node):
            container += block
        else:
            container += _html_block(html=listing.html(block))
    translator.visit_container(container)
    for child in container.children:
        if isinstance(child, _html_block):
            translator.body.append(_mark(node.document, child["html"]))
        else:
            child.walkabout(translator)
    translator.depart_container(container)
    raise nodes.SkipNode


def depart_index_placeholder(translator: HTML5Translator, node: index_placeholder) -> None:
    """Never called: the visit writes the whole listing and skips the node."""


def _mark(doctree: nodes.document, html: str) -> str:
    """Keep *html* for the page's ``html-page-context``; the mark that stands for it."""
    blocks = _BLOCKS.setdefault(doctree, [])
    blocks.append(html)
    return f"{_MARK}{len(blocks) - 1}-->"


def put_blocks_in_body(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """``html-page-context`` (first): the blocks the translator left marks for go into the body.
    *doctree* is the page's, or None for a page written from no document (a listing's part)."""
    blocks = _BLOCKS.pop(doctree, None) if isinstance(doctree, nodes.document) else None
    if blocks:
        context["body"] = _MARKS.sub(lambda mark: blocks[int(mark[1])], context["body"])


def visit_history_placeholder(translator: HTML5Translator, node: history_placeholder) -> None:
    """A project's history, as the HTML docutils would write for its nodes."""
    listing = _page_listing(translator, node.document)
    events = listing.history_of(node["docname"], node["anchor"])
    if events:
        translator.body.append(project_history_html(events, listing.href))
    raise nodes.SkipNode


def depart_history_placeholder(translator: HTML5Translator, node: history_placeholder) -> None:
    """Never called: the visit writes the history and skips the node."""


def _page_listing(translator: HTML5Translator, doctree: nodes.document) -> Listing:
    if doctree not in _LISTINGS:
        builder = translator.builder
        docname = builder.current_docname  # type: ignore[attr-defined]
        _LISTINGS[doctree] = Listing(_APPS[builder.config], docname, doctree.ids)
    return _LISTINGS[doctree]
