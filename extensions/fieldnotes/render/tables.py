"""Builder-neutral tables (HTML, LaTeX, text all know ``nodes.table``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from docutils import nodes

_MAX_COLUMN_WIDTH = 40

Cell: TypeAlias = str | nodes.Node | Sequence[nodes.Node]


def table(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], classes: list[str]
) -> nodes.table:
    node = nodes.table(classes=["fieldnotes-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    node += group
    head = nodes.thead()
    head += _row(headers)
    body = nodes.tbody()
    body.extend(_row(row) for row in rows)
    # The text and LaTeX writers lay columns out by colwidth (characters): size them by content.
    for column in range(len(headers)):
        longest = max(len(row[column].astext()) for row in [*head.children, *body.children])
        group += nodes.colspec(colwidth=min(max(longest, 4), _MAX_COLUMN_WIDTH))
    group += head
    group += body
    return node


def _row(cells: Sequence[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        paragraph = nodes.paragraph()
        if isinstance(cell, str):
            paragraph += nodes.Text(cell)
        elif isinstance(cell, nodes.Node):
            paragraph += cell
        else:
            paragraph.extend(cell)
        entry += paragraph
        row += entry
    return row


def heading(text: str) -> nodes.rubric:
    return nodes.rubric(text, text, classes=["fieldnotes-group"])


def empty(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=["fieldnotes-empty"])
