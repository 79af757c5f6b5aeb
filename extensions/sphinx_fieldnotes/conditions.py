"""Entries under Sphinx's ``only`` directive belong to the builds that show them.

Sphinx evaluates ``only`` when it writes a page, with the builder's tags (``OnlyNodeTransform``),
so that one set of doctrees serves an HTML and a LaTeX build alike. fieldnotes follows it: when a
page is read, each entry and each ``{project}`` reference remembers the ``only`` expressions it
stands under (:func:`note_conditions`); each build then lists, exports, links and checks the
entries whose expressions its builder's tags make true (the domain's catalog), while the problems
of an entry's own fields are reported by every build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx import addnodes

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.tags import Tags

    from sphinx_fieldnotes.domain import FieldnotesDomain
    from sphinx_fieldnotes.model import Project, Reference, Todo, Update

#: The attribute of a ``{project}`` reference's node: its index in the page's references.
REFERENCE_INDEX = "fieldnotes_reference"


def _domain(env: BuildEnvironment) -> FieldnotesDomain:
    # Not domain.get_domain: the domain imports this module.
    domain: FieldnotesDomain = env.get_domain("fieldnotes")  # type: ignore[assignment]
    return domain


def use_builder_tags(app: Sphinx) -> None:
    """``builder-inited``: the catalog of this build holds what its builder's tags show."""
    _domain(app.env).use_tags(app.builder.tags)


def holds(tags: Tags, condition: str) -> bool:
    """Whether *tags* make *condition* true; an expression Sphinx cannot evaluate keeps its
    content, as Sphinx does (and warns about when it writes the page)."""
    try:
        return bool(tags.eval_condition(condition))
    except Exception:  # Sphinx's own fallback catches everything too
        return True


def note_conditions(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: the ``only`` expression each entry and reference of the page is under."""
    record = _domain(app.env).documents.get(app.env.docname)
    if record is None:
        return
    onlys = list(doctree.findall(addnodes.only))
    if not onlys:
        return
    entries: list[Project | Update | Todo] = [*record.projects, *record.updates, *record.todos]
    for entry in entries:
        node = doctree.ids.get(entry.anchor)
        if node is not None:
            entry.condition = _condition(node)
    references: list[Reference] = record.references
    for only in onlys:
        for xref in only.findall(addnodes.pending_xref):
            index = xref.get(REFERENCE_INDEX)
            if index is not None and index < len(references):
                references[index].condition = _condition(xref)
    record.content_digest = None


def _condition(node: nodes.Node) -> str | None:
    """The ``only`` expressions around *node*, outermost first, as one expression."""
    found: list[str] = []
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.only):
            found.insert(0, parent["expr"])
        parent = parent.parent
    if len(found) <= 1:
        return found[0] if found else None
    return " and ".join(f"({expr})" for expr in found)
