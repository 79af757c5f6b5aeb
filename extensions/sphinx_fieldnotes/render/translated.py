"""The HTML builders' listings, written straight into the page as it is translated.

For ``html`` and ``dirhtml`` the index placeholders stay in the resolved doctree and the HTML
translator renders each one when it reaches it. Two reasons, both measured (see the Performance
page, fourth round):

- with ``-j N`` Sphinx resolves every page in the main process and only translates in the forked
  writers; rendering the listings at ``doctree-resolved`` kept that work in the one serial process;
- a listing rendered at ``doctree-resolved`` was a ``raw`` node holding the whole table's HTML, and
  the translator copied it again (``raw.astext``): two more copies of the largest string of the
  largest page, at the moment of the build's peak memory.

Each project's history is written the same way, from a :class:`history_placeholder`, as the
HTML the nodes would give. Every other builder still gets the listings and histories as nodes at
``doctree-resolved``. The HTML is the same either way: the same :class:`Listing` methods make it,
in page order (chart ids are numbered in that order), inside the same container.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
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
            translator.body.append(child["html"])
        else:
            child.walkabout(translator)
    translator.depart_container(container)
    raise nodes.SkipNode


def depart_index_placeholder(translator: HTML5Translator, node: index_placeholder) -> None:
    """Never called: the visit writes the whole listing and skips the node."""


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
