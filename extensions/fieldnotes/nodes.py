"""Node classes of fieldnotes' own."""

from __future__ import annotations

from docutils import nodes


class index_placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Where an index directive stood; replaced by its listing at ``doctree-resolved``.

    Attributes: ``kind`` (``project-index``, ``timeline``, ``todo-list``, ``review-queue``) and
    ``group_by`` for the project index.
    """
