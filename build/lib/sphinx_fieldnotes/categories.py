"""The category of an entry: its ``:category:``, else the page's front-matter ``category``, else the
page title. Page metadata and titles exist only once the page is parsed, so this runs at
``doctree-read``, after Sphinx's own collectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_fieldnotes.domain import get_domain

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

    from sphinx_fieldnotes.model import Project, Todo


def fill_page_categories(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    record = get_domain(env).documents.get(env.docname)
    if record is None:
        return
    page_category = str(env.metadata.get(env.docname, {}).get("category", "")).strip()
    if not page_category and env.docname in env.titles:
        page_category = env.titles[env.docname].astext().strip()
    entries: list[Project | Todo] = [*record.projects, *record.todos]
    for entry in entries:
        if entry.category is None:
            entry.category = page_category or None
