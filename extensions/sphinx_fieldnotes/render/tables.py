"""Listing tables as plain data, rendered either to docutils nodes or straight to HTML.

An index page on a large site lists tens of thousands of rows. Building a docutils node per cell
and translating it again costs more than reading the whole site, so for the HTML builders a table
is written directly as the HTML the docutils writer would produce; every other builder (LaTeX,
text, singlehtml, ...) gets the ``nodes.table``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from docutils import nodes

_MAX_COLUMN_WIDTH = 40


@dataclass(frozen=True, slots=True)
class Link:
    """A link to an entry of this site."""

    docname: str
    anchor: str
    text: str


@dataclass(frozen=True, slots=True)
class External:
    """A link out; only ever made from URLs that passed :func:`validation.parse_url`."""

    url: str
    text: str


@dataclass(frozen=True, slots=True)
class Badge:
    text: str
    classes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Marked:
    """A link followed by badges: a project's name and its "new" or "updated" and "archived
    upstream" marks."""

    link: Link
    marks: tuple[Badge, ...]


Cell: TypeAlias = str | Link | External | Badge | Marked
# fieldnotes' own reference tables (not listings) put ready-made nodes in cells.
NodeCell: TypeAlias = Cell | nodes.Node | Sequence[nodes.Node]


@dataclass
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[NodeCell]]
    classes: list[str]
    column_classes: Sequence[str] = field(default_factory=tuple)


def cell_text(cell: NodeCell) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Link | External | Badge):
        return cell.text
    if isinstance(cell, Marked):
        return " ".join([cell.link.text, *(m.text for m in cell.marks)])
    if isinstance(cell, nodes.Node):
        return cell.astext()
    return "".join(node.astext() for node in cell if isinstance(node, nodes.Node))


# -- docutils nodes ----------------------------------------------------------------------------

LinkMaker = Callable[[str, str, str], nodes.Node]


def table_node(table: Table, make_link: LinkMaker) -> nodes.table:
    node = nodes.table(classes=["fieldnotes-table", *table.classes])
    group = nodes.tgroup(cols=len(table.headers))
    node += group
    # The text and LaTeX writers lay columns out by colwidth (characters): size them by content.
    for column, header in enumerate(table.headers):
        longest = max([len(header), *(len(cell_text(row[column])) for row in table.rows)])
        group += nodes.colspec(colwidth=min(max(longest, 4), _MAX_COLUMN_WIDTH))
    head = nodes.thead()
    head += _row_node(table.headers, table.column_classes, make_link)
    group += head
    body = nodes.tbody()
    body.extend(_row_node(row, table.column_classes, make_link) for row in table.rows)
    group += body
    return node


def _row_node(cells: Sequence[NodeCell], classes: Sequence[str], make_link: LinkMaker) -> nodes.row:
    row = nodes.row()
    for index, cell in enumerate(cells):
        entry = nodes.entry(classes=[classes[index]] if classes else [])
        paragraph = nodes.paragraph()
        if isinstance(cell, Marked):
            paragraph += _cell_node(cell.link, make_link)
            for mark in cell.marks:
                paragraph += [nodes.Text(" "), _cell_node(mark, make_link)]
        elif isinstance(cell, nodes.Node | str | Link | External | Badge):
            paragraph += _cell_node(cell, make_link)
        else:
            paragraph.extend(cell)
        entry += paragraph
        row += entry
    return row


def _cell_node(
    cell: str | Link | External | Badge | nodes.Node, make_link: LinkMaker
) -> nodes.Node:
    if isinstance(cell, nodes.Node):
        return cell
    if isinstance(cell, str):
        return nodes.Text(cell)
    if isinstance(cell, Link):
        return make_link(cell.docname, cell.anchor, cell.text)
    if isinstance(cell, External):
        return nodes.reference("", cell.text, refuri=cell.url, internal=False)
    return nodes.inline(cell.text, cell.text, classes=list(cell.classes))


# -- HTML --------------------------------------------------------------------------------------

HrefMaker = Callable[[str, str], str]


def table_html(table: Table, href: HrefMaker) -> str:
    """The HTML docutils' HTML5 writer produces for :func:`table_node`'s table.

    Only for tables of :data:`Cell` (listings), never of ready-made nodes.
    """
    classes = " ".join(["fieldnotes-table", *table.classes, "docutils", "align-default"])
    parts = [f'<table class="{escape_html(classes)}">\n<thead>\n']
    parts.append(_row_html(table.headers, _cell_tags("th", table), href, "row-odd"))
    parts.append("</thead>\n<tbody>\n")
    cells = _cell_tags("td", table)
    for index, row in enumerate(table.rows):
        parity = "row-even" if index % 2 == 0 else "row-odd"
        parts.append(_row_html(row, cells, href, parity))
    parts.append("</tbody>\n</table>\n")
    return "".join(parts)


def _cell_tags(tag: str, table: Table) -> list[tuple[str, str]]:
    """Each column's opening and closing tags (``<th class="head ..."><p>``, ``</p></th>``):
    made once per table, not once per cell."""
    tags = []
    for index in range(len(table.headers)):
        names = (["head"] if tag == "th" else []) + (
            [table.column_classes[index]] if table.column_classes else []
        )
        attributes = f' class="{escape_html(" ".join(names))}"' if names else ""
        tags.append((f"<{tag}{attributes}><p>", f"</p></{tag}>\n"))
    return tags


def _row_html(
    cells: Sequence[NodeCell], tags: Sequence[tuple[str, str]], href: HrefMaker, parity: str
) -> str:
    html = [f'<tr class="{parity}">']
    for (opening, closing), cell in zip(tags, cells, strict=True):
        html += (opening, _cell_html(cell, href), closing)
    html.append("</tr>\n")
    return "".join(html)


def _cell_html(cell: NodeCell, href: HrefMaker) -> str:
    if isinstance(cell, str):
        return escape_html(cell)
    if isinstance(cell, Marked):
        return " ".join(_cell_html(part, href) for part in (cell.link, *cell.marks))
    if not isinstance(cell, Link | External | Badge):
        raise TypeError("table_html renders listing cells only")
    text = escape_html(cell.text)
    if isinstance(cell, Link):
        target = escape_html(href(cell.docname, cell.anchor))
        return (
            f'<a class="reference internal" href="{target}" title="{text}"><span>{text}</span></a>'
        )
    if isinstance(cell, External):
        return f'<a class="reference external" href="{escape_html(cell.url)}">{text}</a>'
    return f'<span class="{escape_html(" ".join(cell.classes))}">{text}</span>'


def escape_html(text: str) -> str:
    """*text* safe in HTML content and in a double-quoted attribute, escaped as docutils' HTML
    writer escapes it (``@`` too, which ``html.escape`` and MarkupSafe leave, and ``"`` as
    ``&quot;``), so a listing written here reads as the one docutils would write."""
    # Chained str.replace, "&" first: each is one pass in C, where str.translate looks every
    # character up in a dict; about three times faster on a listing's cells, which were 6 % of a
    # one-page edit at 100,000 entries.
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace(">", "&gt;")
        .replace("@", "&#64;")
    )


# -- the rest of a listing ---------------------------------------------------------------------


def heading(text: str) -> nodes.rubric:
    return nodes.rubric(text, text, classes=["fieldnotes-group"])


def empty(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=["fieldnotes-empty"])
