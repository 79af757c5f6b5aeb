"""Node classes of fieldnotes' own."""

from __future__ import annotations

from docutils import nodes


class index_placeholder(nodes.General, nodes.Element):
    """Where an index directive stood; replaced by its listing at ``doctree-resolved``.

    Attributes: ``kind`` (``project-index``, ``timeline``, ``todo-list``, ``review-queue``) and
    ``group_by`` for the project index.
    """


class entry_placeholder(nodes.General, nodes.Inline, nodes.Element):
    """In a project's summary: its stale mark and links to its updates, which depend on today and on
    other pages, so they are rendered from the catalog at ``doctree-resolved``.

    Attributes: ``key`` (the project's normalised name), ``docname`` and ``anchor`` (which entry).
    """
