"""Each entry's own line: a project's summary and an update's heading, made from their fields node
when the page is written (the doctree keeps them as data: see :mod:`sphinx_fieldnotes.nodes`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_fieldnotes.i18n import _
from sphinx_fieldnotes.nodes import project_fields, update_fields
from sphinx_fieldnotes.render.badges import badge, field_badge, status_badge
from sphinx_fieldnotes.render.tables import escape_html
from sphinx_fieldnotes.vocabulary import UNRECORDED

if TYPE_CHECKING:
    from sphinx_fieldnotes.catalog import Event
    from sphinx_fieldnotes.render.tables import HrefMaker, LinkMaker


def project_summary(fields: project_fields, extras: list[nodes.Node]) -> list[nodes.Node]:
    """Badges for the fields, the repository link, "replaced by", then *extras* (the stale
    mark). The links are the node's children, made when read and resolved since."""
    children = list(fields.children)
    repository = children.pop(0) if fields.get("has_url") else None
    replacement = children.pop(0) if fields.get("replaced_by") else None
    pieces: list[nodes.Node] = []
    if fields.get("status"):
        pieces.append(status_badge(fields["status"]))
    pieces.append(field_badge(_("noted"), fields.get("date")))
    pieces.append(field_badge(_("version"), fields.get("version")))
    if fields.get("kubernetes"):
        pieces.append(field_badge("Kubernetes", fields["kubernetes"]))
    if fields.get("vendor"):
        pieces.append(
            badge(_("by {vendor}").format(vendor=fields["vendor"]), "secondary", outline=True)
        )
    pieces.extend(badge(f"#{tag}", "info", outline=True) for tag in fields.get("tags", ()))
    if repository is not None:
        pieces.append(repository)
    if replacement is not None:
        pieces += [nodes.Text(_("replaced by")), replacement]
    return [*_spaced(pieces), *extras]


def update_heading(fields: update_fields) -> list[nodes.Node]:
    """ "Update on DATE", the version badge, and "of PROJECT" for an update naming its project."""
    result: list[nodes.Node] = [
        nodes.strong("", _("Update on {date}").format(date=fields.get("date") or "—")),
        nodes.Text(" "),
        field_badge(_("version"), fields.get("version")),
    ]
    if fields.children:
        result += [nodes.Text(" " + _("of") + " "), fields.children[0]]
    return result


def project_history(events: Sequence[Event], make_link: LinkMaker) -> nodes.container:
    """The note and its updates as a short timeline, oldest first: each date (an update's linked
    to it), what happened, and the version."""
    box = nodes.container(classes=["fieldnotes-history"])
    box += nodes.paragraph(
        "", "", nodes.strong("", _("History")), classes=["fieldnotes-history-title"]
    )
    steps = nodes.enumerated_list(
        enumtype="arabic", prefix="", suffix=".", classes=["fieldnotes-history-events"]
    )
    for event in events:
        date, what, version = _history_words(event)
        when: nodes.Node = (
            make_link(event.docname, event.anchor, date)
            if event.kind == "Update"
            else nodes.inline(date, date)
        )
        pieces = [
            nodes.inline("", "", when, classes=["fieldnotes-history-date"]),
            nodes.Text(" "),
            nodes.inline(what, what, classes=["fieldnotes-history-kind"]),
        ]
        if version:
            pieces += [
                nodes.Text(" "),
                nodes.inline(version, version, classes=["fieldnotes-history-version"]),
            ]
        step = nodes.list_item(classes=[f"fieldnotes-history-{event.kind.lower()}"])
        step += nodes.paragraph("", "", *pieces)
        steps += step
    box += steps
    return box


def project_history_html(events: Sequence[Event], href: HrefMaker) -> str:
    """The HTML docutils' HTML5 writer produces for :func:`project_history`'s nodes (the HTML
    builders write this instead: a site of 3,000 entries with three updates each has 150,000
    nodes of history to make and translate; tests/test_tables.py checks that both agree)."""
    html = [
        '<div class="fieldnotes-history docutils container">\n'
        f'<p class="fieldnotes-history-title"><strong>{escape_html(_("History"))}</strong></p>\n'
        '<ol class="arabic simple fieldnotes-history-events">\n'
    ]
    for event in events:
        date, what, version = (escape_html(word) for word in _history_words(event))
        when = f"<span>{date}</span>"
        if event.kind == "Update":
            target = escape_html(href(event.docname, event.anchor))
            when = f'<a class="reference internal" href="{target}" title="{date}">{when}</a>'
        line = (
            f'<span class="fieldnotes-history-date">{when}</span> '
            f'<span class="fieldnotes-history-kind">{what}</span>'
        )
        if version:
            line += f' <span class="fieldnotes-history-version">{version}</span>'
        html.append(f'<li class="fieldnotes-history-{event.kind.lower()}"><p>{line}</p></li>\n')
    html.append("</ol>\n</div>\n")
    return "".join(html)


def _history_words(event: Event) -> tuple[str, str, str]:
    """An event's date, what happened and its version ("" when it has none), as shown."""
    date = _("date unrecorded") if event.date == UNRECORDED else event.date or "—"
    what = _("noted") if event.kind == "Note" else _("updated")
    version = ""
    if event.version:
        version = _("version unrecorded") if event.version == UNRECORDED else event.version
    return date, what, version


def _spaced(pieces: list[nodes.Node]) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    for index, piece in enumerate(pieces):
        if index:
            result.append(nodes.Text(" "))
        result.append(piece)
    return result
