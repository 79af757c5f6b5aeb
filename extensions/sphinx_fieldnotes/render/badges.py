"""Small inline pieces shared by entries and indexes: sphinx-design badges, links, dates."""

from __future__ import annotations

from docutils import nodes

from sphinx_fieldnotes.i18n import _
from sphinx_fieldnotes.vocabulary import UNRECORDED, UNRELEASED

STATUS_COLOURS = {
    "released": "success",
    "beta": "info",
    "alpha": "warning",
    "experimental": "warning",
    "unreleased": "secondary",
    "deprecated": "danger",
    "archived": "dark",
}


def badge_classes(colour: str, *, outline: bool = False) -> tuple[str, ...]:
    """The CSS classes of a sphinx-design badge."""
    if outline:
        return ("sd-badge", f"sd-outline-{colour}", f"sd-text-{colour}", "fieldnotes-badge")
    return ("sd-badge", f"sd-bg-{colour}", f"sd-bg-text-{colour}", "fieldnotes-badge")


def badge(text: str, colour: str = "secondary", *, outline: bool = False) -> nodes.inline:
    """A sphinx-design badge; plain text in builders without CSS."""
    return nodes.inline(text, text, classes=list(badge_classes(colour, outline=outline)))


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status.casefold(), "primary")


def status_badge(status: str) -> nodes.inline:
    return badge(status, status_colour(status))


def value_text(value: str | None) -> str:
    """How a date or version reads in a listing: invalid values show as a dash; the keyword
    ``unrecorded`` (what authors write) reads in the site's language."""
    if value == UNRECORDED:
        return _("unrecorded")
    return value if value else "—"


def field_badge(label: str, value: str | None) -> nodes.inline:
    shown = value_text(value)
    colour = "light" if value in (None, UNRECORDED, UNRELEASED) else "primary"
    return badge(f"{label} {shown}", colour, outline=True)


def external_link(url: str, text: str | None = None) -> nodes.reference:
    """A link to *url*; only ever called with URLs that passed :func:`validation.parse_url`."""
    return nodes.reference("", text or url, refuri=url, internal=False)
