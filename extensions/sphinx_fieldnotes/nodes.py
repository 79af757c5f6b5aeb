"""Node classes of fieldnotes' own: data read from the page, rendered when the page is written.

A doctree holds only what reading must produce (titles for the table of contents, links that
linkcheck and the reference resolver must see, the notes themselves); the badges of projects and
updates, and the listings, are presentation, made at ``doctree-resolved`` for the builder at hand
and never for ``-b dummy``. Fewer nodes per entry make every read transform, the pickled doctrees
and the cycle collector cheaper. (TODO items, one entry in ten, keep their two badges inline.)
"""

from __future__ import annotations

from docutils import nodes


class index_placeholder(nodes.General, nodes.Element):
    """Where an index directive stood; replaced by its listing at ``doctree-resolved``.

    Attributes: ``kind`` (an index directive's name), ``group_by`` for the project index and the
    landscape, ``filter`` for the project index, ``tags`` (comma-separated) for the landscape.
    """


class project_fields(nodes.General, nodes.Inline, nodes.Element):
    """A project's summary line: its fields as badges, its stale mark and its update links.

    Attributes: the shown fields (``status``, ``date``, ``version``, ``kubernetes``, ``vendor``,
    ``tags``; an invalid date or version is absent), and ``key``, ``docname``, ``anchor`` (which
    entry, to look up what depends on other pages). Children, made when read: the repository link
    (when ``has_url``) and the ``replaced-by`` cross-reference (when ``replaced_by``).
    """


class update_fields(nodes.General, nodes.Inline, nodes.Element):
    """An update's heading: "Update on DATE", its version badge, and "of PROJECT" when it names one.

    Attributes: ``date`` and ``version`` (absent when invalid). Child: the cross-reference to the
    project named by ``:project:``, if any.
    """


class history_placeholder(nodes.General, nodes.Element):
    """Where a project's history goes in the ``html`` and ``dirhtml`` builds: inserted after
    every entry's summary at ``doctree-resolved`` and written by the HTML translator
    (:mod:`.render.translated`), which writes nothing for an entry without updates.

    Attributes: ``docname`` and ``anchor``, the entry's.
    """
