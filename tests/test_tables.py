"""The listings' straight-to-HTML tables are what docutils' HTML writer writes for their nodes.

For the html and dirhtml builders a listing table is written directly as HTML
(``render/tables.py``: ``table_html``); every other builder gets the same table as docutils nodes
(``table_node``). A site with markup characters, quotes, ``@`` and non-ASCII text in names,
categories, tags and URLs, with badges, links to entries on the same page and on other pages
(one in a subdirectory) and links out, is built with each of the two builders. Every listing
table of its index page is then made again as nodes and written by the builder's own docutils
writer, as Sphinx writes a page body (``StandaloneHTMLBuilder.write_doc``); the tables of the
written page must be the same HTML: the same elements, attributes, classes, text and escaping,
in the same order. Only white space between tags is not compared.
"""

from __future__ import annotations

import textwrap
from html.parser import HTMLParser
from typing import Any

import pytest
from docutils import nodes
from docutils.io import StringOutput
from docutils.utils import new_document

from sites import BuildResult, Site
from sphinx_fieldnotes.render.entries import project_history, project_history_html
from sphinx_fieldnotes.render.indexes import GROUPERS, Listing
from sphinx_fieldnotes.render.tables import Badge, External, Link, Table, table_node

ENTRIES = textwrap.dedent("""
    ---
    category: Storage & "backup" <tier> @home
    ---
    # Home: A & B <i>'s</i> @ ünï ✓

    ```{toctree}
    notes/deep
    ```

    :::{project} Ampersand & <Angle> "Quote" 'Apos' @at
    :url: https://example.com/a?b=1&c=<2>&d="3"@x
    :date: 2018-01-02
    :version: v1.0.0-rc.1
    :status: beta
    :tags: a&b, <c>, "d", @e
    :vendor: Vendor & Co <x>

    :::{update}
    :date: 2019-03-04
    :version: v1.1
    :::
    :::

    :::{project} Ünïcode ✓ — café
    :url: https://example.com/ü
    :date: unrecorded
    :version: unreleased
    :status: archived
    :::

    :::{todo-item} Todo & <here> @me
    :priority: P0
    :depth: deep
    :url: https://example.com/t?x=1&y=@&z="q"
    :::
    """)
DEEP = """
    # Deep & <notes>

    :::{project} Deep "one" <b>
    :url: https://example.com/deep
    :date: 2024-12-31
    :version: 2.0
    :status: released
    :category: Other <cat> & "q"
    :::

    :::{project} No status @all
    :url: https://example.com/none
    :date: 2015-05-05
    :version: unrecorded
    :::

    :::{update}
    :project: ampersand & <angle> "quote" 'apos' @at
    :date: unrecorded
    :version: v2
    :::

    :::{todo-item} Deep todo "x"
    :priority: P3
    :::
    """
# Every listing, in the order the index page holds them (after its entries).
GROUP_BYS = ("none", *GROUPERS)
LISTINGS = [
    *(f":::{{project-index}}\n:group-by: {group_by}\n:::" for group_by in GROUP_BYS),
    ":::{project-index}\n:filter:\n:::",
    ":::{timeline}\n:::",
    ":::{todo-list}\n:::",
    ":::{review-queue}\n:::",
    ":::{fieldnotes-overview}\n:::",
]


def listing_tables(listing: Listing) -> list[Table]:
    """The tables of :data:`LISTINGS`, in order, as the listing makes them."""
    blocks = [
        *(block for group_by in GROUP_BYS for block in listing.project_index(group_by)),
        *listing.project_index("none", filterable=True),
        *listing.timeline(),
        *listing.todo_list(),
        *listing.review_queue(),
        *listing.overview(),
    ]
    return [block for block in blocks if isinstance(block, Table)]


class _Tokens(HTMLParser):
    """Markup as tokens: each tag as written (attributes in their order, values escaped as they are)
    and each run of text with its character references as written. A parser that decodes (as
    BeautifulSoup or lxml do) would hide a difference in escaping, hence this one."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=False)
        self.tokens: list[str] = []
        self._text: list[str] = []
        self.feed(markup)
        self.close()
        self._flush()

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._flush()
        self.tokens.append(self.get_starttag_text() or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        self.tokens.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_entityref(self, name: str) -> None:
        self._text.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text.append(f"&#{name};")

    def _flush(self) -> None:
        text, self._text = "".join(self._text), []
        if text.strip():  # white space between tags is layout, not content
            self.tokens.append(text)


def tokens(markup: str) -> list[str]:
    return _Tokens(markup).tokens


def page_tables(page: str) -> list[list[str]]:
    """The fieldnotes tables of a written page, each as its tokens."""
    tables: list[list[str]] = []
    inside = False
    for token in tokens(page):
        if token.startswith('<table class="fieldnotes-table'):
            tables.append([])
            inside = True
        if inside:
            tables[-1].append(token)
            inside = token != "</table>"
    return tables


def written_by_docutils(builder: Any, docname: str, table: nodes.table) -> str:
    """*table* as the builder's docutils writer writes it in the body of page *docname*."""
    document = new_document(f"<{docname}>", builder.docsettings)
    document += table
    builder.current_docname = docname
    if not hasattr(builder, "docwriter"):  # Sphinx 9 walks the page with its translator itself
        document.settings = builder.docsettings
        visitor = builder.create_translator(document, builder)
        document.walkabout(visitor)
        return "".join(visitor.fragment)
    builder.docwriter.write(document, StringOutput(encoding="utf-8"))
    builder.docwriter.assemble_parts()
    return builder.docwriter.parts["fragment"]


@pytest.fixture(scope="module", params=["html", "dirhtml"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = Site(tmp_path_factory.mktemp(f"tables-{request.param}"))
    site.write("index.md", ENTRIES + "\n" + "\n\n".join(LISTINGS) + "\n")
    site.write("notes/deep.md", DEEP)
    return site.build(request.param)


def test_html_tables_equal_the_docutils_writers_output(
    built: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert built.status == 0, built.warnings
    assert built.findings == [], built.warnings
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the review queue's today, as built
    listing = Listing(built.app, "index")
    tables = listing_tables(listing)
    page = built.page("index.html")

    written = page_tables(page)
    expected = [
        tokens(written_by_docutils(built.app.builder, "index", table_node(t, listing.link)))
        for t in tables
    ]
    assert len(written) == len(expected)
    for index, (fast, docutils_html) in enumerate(zip(written, expected, strict=True)):
        assert fast == docutils_html, f"table {index}: {tables[index].classes}"

    # The comparison covers every kind of cell, both kinds of internal link, the filter columns,
    # and text that must be escaped in content and in attribute values.
    cells = [cell for t in tables for row in t.rows for cell in row]
    assert {type(cell) for cell in cells} == {str, Link, External, Badge}
    links = {cell.docname for cell in cells if isinstance(cell, Link)}
    assert links == {"index", "notes/deep"}
    assert any(t.column_classes for t in tables)
    html = "".join(token for table in written for token in table)
    for escaped in ("&amp;", "&lt;", "&gt;", "&quot;", "&#64;", 'href="#', "café"):
        assert escaped in html, escaped
    assert len(tables) >= len(LISTINGS)


def page_histories(page: str) -> list[list[str]]:
    """The projects' histories on a written page, each as its tokens."""
    histories: list[list[str]] = []
    depth = 0
    for token in tokens(page):
        if token.startswith('<div class="fieldnotes-history '):
            histories.append([])
            depth = 0
        if histories and (depth or token.startswith('<div class="fieldnotes-history ')):
            histories[-1].append(token)
            depth += token.startswith("<div") - (token == "</div>")
    return histories


def test_html_histories_equal_the_docutils_writers_output(
    built: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The HTML builders write each history from a placeholder, as the HTML its nodes would give."""
    assert built.status == 0, built.warnings
    listing = Listing(built.app, "index")
    projects = [p for p in listing.catalog.projects if p.docname == "index"]
    histories = [listing.history_of(p.docname, p.anchor) for p in projects]
    expected = [
        tokens(written_by_docutils(built.app.builder, "index", project_history(e, listing.link)))
        for e in histories
        if e is not None
    ]
    fast = [tokens(project_history_html(e, listing.href)) for e in histories if e is not None]
    assert fast == expected
    written = page_histories(built.page("index.html"))
    assert written == expected
    # One history here, with an update on this page and one on another page whose date is
    # unrecorded, and text that must be escaped.
    assert len(written) == 1
    html = "".join(written[0])
    assert 'href="#' in html and 'href="notes/deep' in html
    assert "date unrecorded" in html
