"""Listings too long for one page, split over pages of their own (issue 18).

At 100,000 entries the project index alone is about 34 MB of HTML, the timeline about 48 MB and
the landscape map about 40 MB. For the HTML website builders (``html``, ``dirhtml``), a listing
(or map) of more rows (tiles) than ``fieldnotes_listing_page_size`` is replaced on its page by a
short navigation (plain links, one per part, with the rows it holds), and its rows go, in order, to
extra pages ``<page>-<listing>-<n>`` beside it (a stem some document is already named after, with
any number, gets a number of its own after the listing). A group (category, year, priority...)
cut between two parts repeats its heading in the second. Every other builder (text, LaTeX,
singlehtml, EPUB) keeps the whole listing inline: it writes one file anyway.

Each listing's rows are built once, from the catalog, for its part pages; the part pages are
written straight away, while the page holding the listing is resolved, through the builder's
``handle_page`` (what ``html-collect-pages`` would do later), so that the rows are not kept, nor
built a second time, until then. They are written in every build that writes their listing's page,
which fieldnotes' fingerprints already decide (:mod:`sphinx_fieldnotes.incremental`), so they stay
right after any edit; at ``html-collect-pages``, the part pages an earlier build wrote for a page
written again, and that this build did not write (its listing got shorter, moved or went), are
removed from the output directory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes

from sphinx_fieldnotes import state
from sphinx_fieldnotes.i18n import _, ngettext
from sphinx_fieldnotes.nodes import index_placeholder
from sphinx_fieldnotes.nonwriting_builders import writes_nothing
from sphinx_fieldnotes.render.indexes import (
    PAGE_HTML_BUILDERS,
    Block,
    Listing,
    heading_level,
    listing_blocks,
    listing_container,
    rendered_listing,
)
from sphinx_fieldnotes.render.landscape import Landscape, Tile
from sphinx_fieldnotes.render.tables import Marked, NodeCell, Table, cell_text, escape_html

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

# The listings of rows (a map's rows are its tiles); the overview, a summary, is never split.
SPLIT_KINDS = ("project-index", "timeline", "todo-list", "review-queue", "fieldnotes-landscape")
# A placeholder's attributes that say what its listing shows.
OPTIONS = ("kind", "group_by", "filter", "tags")


@dataclass(frozen=True)
class PagedListing:
    """A listing written over extra pages: what its part pages and its navigation show."""

    host: str
    """The docname of the page the directive is on."""
    options: dict[str, Any]
    pagenames: tuple[str, ...]
    labels: tuple[str, ...]
    """The navigation's entry for each part: its first and last row, and how many rows."""


# -- splitting ----------------------------------------------------------------------------------


def split(blocks: Sequence[Block], size: int) -> list[list[Block]]:
    """The listing's tables (or its map's groups of tiles) cut into parts of at most *size* rows,
    in order, each keeping its heading (repeated in the next part when it is cut)."""
    parts: list[list[Block]] = []
    room = 0
    for block in blocks:
        if isinstance(block, Landscape):
            return split_landscape(block, size)
    for before, table in _tables(blocks):
        start = 0
        while start < len(table.rows):
            if room == 0:
                parts.append([])
                room = size
            rows = table.rows[start : start + room]
            parts[-1] += [*before, dataclasses.replace(table, rows=rows)]
            start += len(rows)
            room -= len(rows)
    return parts


def split_landscape(landscape: Landscape, size: int) -> list[list[Block]]:
    """The map cut into maps of at most *size* tiles, each with the whole map's key; a group cut
    between two keeps its title in both."""
    parts: list[list[tuple[str, Sequence[Tile]]]] = []
    room = 0
    for title, tiles in landscape.groups:
        start = 0
        while start < len(tiles):
            if room == 0:
                parts.append([])
                room = size
            chunk = tiles[start : start + room]
            parts[-1].append((title, chunk))
            start += len(chunk)
            room -= len(chunk)
    return [[dataclasses.replace(landscape, groups=groups)] for groups in parts]


def _tables(blocks: Iterable[Block]) -> Iterator[tuple[list[Block], Table]]:
    """Each table with the blocks (its heading) between it and the table before."""
    before: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            yield before, block
            before = []
        else:
            before.append(block)


def _rows(block: Block) -> list[NodeCell]:
    """The first cell of each row of a table, or each tile's link of a map."""
    if isinstance(block, Table):
        return [row[0] for row in block.rows]
    if isinstance(block, Landscape):
        return [tile.link for _, tiles in block.groups for tile in tiles]
    return []


def part_label(part: Sequence[Block]) -> str:
    rows = [cell for block in part for cell in _rows(block)]
    count = ngettext("{count} row", "{count} rows", len(rows)).format(count=len(rows))
    first, last = _row_label(rows[0]), _row_label(rows[-1])
    return _("{first} to {last} ({count})").format(first=first, last=last, count=count)


def _row_label(cell: NodeCell) -> str:
    """A row by its first cell: a project's name without its "new" mark, an event's date."""
    return cell.link.text if isinstance(cell, Marked) else cell_text(cell)


# -- the page holding the directive -------------------------------------------------------------


def page_size(app: Sphinx) -> int:
    return int(state.of(app.config).settings.listing_page_size)


def writes_part_pages(app: Sphinx) -> bool:
    """Whether the builder writes part pages when a listing is long (whatever the page size)."""
    return app.builder.name in PAGE_HTML_BUILDERS and not writes_nothing(app)


def split_long_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, before the listings are rendered: replace each listing longer than
    ``fieldnotes_listing_page_size`` by the navigation to its parts, and write them."""
    if not writes_part_pages(app):
        return
    state.of(app.config).pages_written.add(docname)
    if page_size(app) <= 0:
        return
    placeholders = [p for p in doctree.findall(index_placeholder) if p["kind"] in SPLIT_KINDS]
    if not placeholders:
        return
    size = page_size(app)
    listing = Listing(app, docname, doctree.ids)
    pending = state.of(app.config).paged_listings
    names: set[str] = set()
    for placeholder in placeholders:
        kind = placeholder["kind"]
        if _longest(listing, kind) <= size:
            continue  # cannot be long: rendered inline as before, without computing it here
        # The rows as the part pages show them: links from beside the first part (every part is
        # beside it), ids of their own, the page's other options (a map's headings at h2).
        options = {k: placeholder[k] for k in OPTIONS if k in placeholder}
        stem = _part_stem(app, docname, kind, names)
        parts_listing = Listing(app, f"{stem}-1")
        blocks = listing_blocks(parts_listing, options)
        parts = split(blocks, size)
        if len(parts) < 2:  # short once filtered: inline after all (links are made as written)
            inline = [_under(placeholder, block) for block in blocks]
            placeholder.replace_self(rendered_listing(listing, placeholder, inline))
            continue
        paged = PagedListing(
            host=docname,
            options=options,
            pagenames=tuple(f"{stem}-{n}" for n in range(1, len(parts) + 1)),
            labels=tuple(part_label(part) for part in parts),
        )
        names.add(stem)
        pending.append(paged)
        write_part_pages(app, parts_listing, paged, parts)
        navigation = navigation_html(
            paged, lambda name: listing.builder.get_relative_uri(docname, name)
        )
        container = listing_container(placeholder)
        container += _navigation_node(navigation)
        placeholder.replace_self(container)


def _under(placeholder: index_placeholder, block: Block) -> Block:
    """*block* as it is shown on the placeholder's page: a map's headings one below the page's."""
    if isinstance(block, Landscape):
        return dataclasses.replace(block, heading_level=heading_level(placeholder))
    return block


def _navigation_node(html: str) -> nodes.raw:
    return nodes.raw("", html, format="html")


def _longest(listing: Listing, kind: str) -> int:
    """At least as many rows as the listing *kind* can have (a project under each of its tags)."""
    catalog = listing.catalog
    if kind == "timeline":
        return len(catalog.events)
    if kind == "todo-list":
        return len(catalog.todos)
    return sum(max(len(p.tags), 1) for p in catalog.projects)


def _part_stem(app: Sphinx, docname: str, kind: str, taken: set[str]) -> str:
    """``<page>-<listing>``, the part pages' names before their number (``-1``, ``-2``...); a
    second listing of the same kind on the page, or a stem that some document's name already is
    with a number after it, gets a number of its own after the kind."""
    stem, ordinal = f"{docname}-{kind}", 1
    while stem in taken or any(_is_numbered(name, stem) for name in app.env.all_docs):
        ordinal += 1
        stem = f"{docname}-{kind}{ordinal}"
    return stem


def _is_numbered(name: str, stem: str) -> bool:
    return name.startswith(stem) and _PART_NUMBER.fullmatch(name, len(stem)) is not None


_PART_NUMBER = re.compile(r"-\d+")


def navigation_html(paged: PagedListing, uri: Any, current: int | None = None) -> str:
    """The list of parts, each a plain link with its rows (the current part, on a part page, as
    text); *uri* gives the relative URI of a part page."""
    label = escape_html(_("Pages of this listing"))
    items = []
    for number, (name, text) in enumerate(zip(paged.pagenames, paged.labels, strict=True), 1):
        if number == current:
            items.append(f'<li aria-current="page"><strong>{escape_html(text)}</strong></li>\n')
        else:
            items.append(f'<li><a href="{escape_html(uri(name))}">{escape_html(text)}</a></li>\n')
    intro = _("This listing is split over {count} pages:").format(count=len(paged.pagenames))
    return (
        f'<nav class="fieldnotes-listing-pages" aria-label="{label}">\n'
        f"<p>{escape_html(intro)}</p>\n<ol>\n{''.join(items)}</ol>\n</nav>\n"
    )


# -- the part pages -----------------------------------------------------------------------------


def write_part_pages(
    app: Sphinx, listing: Listing, paged: PagedListing, parts: Sequence[Sequence[Block]]
) -> None:
    """Write the part pages of *paged*, one at a time, as ``html-collect-pages`` would have."""
    builder = cast("StandaloneHTMLBuilder", app.builder)  # html or dirhtml
    for number, (name, part) in enumerate(zip(paged.pagenames, parts, strict=True), 1):
        builder.handle_page(name, part_context(app, listing, paged, number, part), "page.html")


def collect_part_pages(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: no page to add (the parts of this build are written already, with
    their listing's page: see :func:`write_part_pages`), but the part pages an earlier build left
    to remove."""
    if writes_part_pages(app):
        paged_listings = state.of(app.config).paged_listings
        remove_leftover_parts(app, {name for paged in paged_listings for name in paged.pagenames})
        paged_listings.clear()
    return []


# What follows "<page>-" in a part page's name: the listing's kind, its ordinal, the part's number.
_PART_SUFFIX = re.compile(rf"(?:{'|'.join(map(re.escape, SPLIT_KINDS))})\d*-\d+")


def remove_leftover_parts(app: Sphinx, writing: set[str]) -> None:
    """Remove the part pages that an earlier build wrote for a page this build writes, other than
    *writing*, the parts of this build: left behind, nothing would link to them."""
    builder = cast("StandaloneHTMLBuilder", app.builder)  # html or dirhtml
    written = state.of(app.config).pages_written
    for folder in sorted({posixpath.dirname(name) for name in written}):
        directory = os.path.join(builder.outdir, folder)
        if not os.path.isdir(directory):
            continue
        for entry in os.scandir(directory):
            name = posixpath.join(folder, entry.name.removesuffix(builder.out_suffix))
            if name in writing or name in app.env.all_docs or not _is_part_of(name, written):
                continue
            _remove_page(builder, name)


def _is_part_of(name: str, pages: set[str]) -> bool:
    """Whether *name* is ``<page>-<listing>-<n>`` for one of *pages*."""
    return any(
        name[:cut] in pages and _PART_SUFFIX.fullmatch(name, cut + 1)
        for cut, char in enumerate(name)
        if char == "-"
    )


def _remove_page(builder: StandaloneHTMLBuilder, name: str) -> None:
    path = builder.get_outfilename(name)
    if not os.path.isfile(path):
        return
    os.remove(path)
    if builder.name == "dirhtml":  # <name>/index.html: its folder too, when nothing else is in it
        with contextlib.suppress(OSError):
            os.rmdir(os.path.dirname(path))


def part_context(
    app: Sphinx, listing: Listing, paged: PagedListing, number: int, part: Sequence[Block]
) -> dict[str, Any]:
    builder = app.builder
    title = app.env.titles[paged.host].astext() if paged.host in app.env.titles else paged.host
    host_uri = builder.get_relative_uri(paged.pagenames[number - 1], paged.host)
    back = escape_html(_("Part {number} of {count} of the listing on {page}.")).format(
        number=number,
        count=len(paged.pagenames),
        page=f'<a href="{escape_html(host_uri)}">{escape_html(title)}</a>',
    )
    here = paged.pagenames[number - 1]
    navigation = navigation_html(paged, lambda name: builder.get_relative_uri(here, name), number)
    kind = paged.options["kind"]
    heading = _("{title}, part {number} of {count}").format(
        title=title, number=number, count=len(paged.pagenames)
    )
    # One list joined once: a part's HTML is up to a megabyte, and each intermediate join would
    # copy all of it again.
    body = [
        f"<section>\n<h1>{escape_html(heading)}</h1>\n",
        f'<p class="fieldnotes-listing-part">{back}</p>\n',
        navigation,
        f'<div class="fieldnotes-index fieldnotes-{kind} no-search docutils container">\n',
    ]
    for block in part:
        body += _block_html(app, listing, block)
    body.append("</div>\n</section>\n")
    return {"title": heading, "body": PartBody("".join(body)), "display_toc": False}


class PartBody(str):
    """A part page's HTML, up to a megabyte, with a short ``repr()``: Sphinx logs the ``repr()``
    of every event's arguments (``html-page-context`` gets the page's context), and copying the
    whole body into that text took 0.6 s of a one-page edit at 100,000 entries (py-spy)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<part page body, {len(self)} characters>"


def _block_html(app: Sphinx, listing: Listing, block: Block) -> list[str]:
    if not isinstance(block, nodes.Node):
        return [listing.html(block), "\n"]
    fragment = app.builder.render_partial(block)["fragment"]  # type: ignore[attr-defined]
    return [str(fragment)]
