"""Each entry's own line: a project's summary and an update's heading, made from their fields node
when the page is written (the doctree keeps them as data: see :mod:`sphinx_fieldnotes.nodes`)."""

from __future__ import annotations

from docutils import nodes

from sphinx_fieldnotes.nodes import project_fields, update_fields
from sphinx_fieldnotes.render.badges import badge, field_badge, status_badge


def project_summary(fields: project_fields, extras: list[nodes.Node]) -> list[nodes.Node]:
    """Badges for the fields, the repository link, "replaced by", then *extras* (stale mark,
    update links). The links are the node's children, made when read and resolved since."""
    children = list(fields.children)
    repository = children.pop(0) if fields.get("has_url") else None
    replacement = children.pop(0) if fields.get("replaced_by") else None
    pieces: list[nodes.Node] = []
    if fields.get("status"):
        pieces.append(status_badge(fields["status"]))
    pieces.append(field_badge("noted", fields.get("date")))
    pieces.append(field_badge("version", fields.get("version")))
    if fields.get("kubernetes"):
        pieces.append(field_badge("Kubernetes", fields["kubernetes"]))
    if fields.get("vendor"):
        pieces.append(badge(f"by {fields['vendor']}", "secondary", outline=True))
    pieces.extend(badge(f"#{tag}", "info", outline=True) for tag in fields.get("tags", ()))
    if repository is not None:
        pieces.append(repository)
    if replacement is not None:
        pieces += [nodes.Text("replaced by"), replacement]
    return [*_spaced(pieces), *extras]


def update_heading(fields: update_fields) -> list[nodes.Node]:
    """ "Update on DATE", the version badge, and "of PROJECT" for an update naming its project."""
    result: list[nodes.Node] = [
        nodes.strong("", f"Update on {fields.get('date') or '—'}"),
        nodes.Text(" "),
        field_badge("version", fields.get("version")),
    ]
    if fields.children:
        result += [nodes.Text(" of "), fields.children[0]]
    return result


def _spaced(pieces: list[nodes.Node]) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    for index, piece in enumerate(pieces):
        if index:
            result.append(nodes.Text(" "))
        result.append(piece)
    return result
