"""The landscape map: one tile per project, in groups, with a key; as HTML or as docutils nodes.

For the HTML builders the map is written as HTML (``<section>``, real headings, lists of tiles
laid out by the CSS grid in ``fieldnotes.css``), which docutils nodes cannot express (a section
landmark without a table-of-contents entry, ``aria-*`` and ``data-*`` attributes). It is built with
:mod:`xml.etree.ElementTree`, which escapes every name and attribute, and serialised without
self-closing tags, so it reads the same as HTML and as XHTML. Every other builder gets headings
and bullet lists with the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from docutils import nodes

from sphinx_fieldnotes.i18n import N_, _
from sphinx_fieldnotes.render.tables import HrefMaker, Link, LinkMaker

NO_STATUS = "none"
# How each mark reads; the English word stays its name (CSS classes, ``data-change``).
MARK_LABELS = {
    "archived upstream": N_("archived upstream"),
    "stale": N_("stale"),
    "new": N_("new"),
    "updated": N_("updated"),
}


@dataclass(frozen=True, slots=True)
class Tile:
    """One project on the map. ``tone`` is its status colour (``none`` without a status);
    ``change`` is ``"new"``, ``"updated"`` or ``None``."""

    link: Link
    status: str | None
    tone: str
    stale: bool
    change: str | None
    # Filled by the upstream snapshot (``fieldnotes refresh``) once it exists; False until then.
    archived_upstream: bool = False

    @property
    def marks(self) -> list[str]:
        """The words a tile shows after its status, in the order the key explains them."""
        found = []
        if self.archived_upstream:
            found.append("archived upstream")
        if self.stale:
            found.append("stale")
        if self.change:
            found.append(self.change)
        return found


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One line of the map's key: a status (shown as its colour) or a mark (shown as written)."""

    word: str
    meaning: str = ""
    tone: str | None = None  # set for statuses: the swatch colour

    @property
    def is_status(self) -> bool:
        return self.tone is not None


@dataclass
class Landscape:
    label: str  # what the map shows, its accessible name
    groups: Sequence[tuple[str, Sequence[Tile]]]
    key: Sequence[KeyEntry]
    heading_level: int = 3


def mark_class(word: str) -> str:
    return "fieldnotes-mark fieldnotes-mark-" + word.replace(" ", "-")


def mark_label(word: str) -> str:
    """A mark as the reader sees it, in the site's language."""
    return _(MARK_LABELS[word]) if word in MARK_LABELS else word


# -- HTML ----------------------------------------------------------------------------------------


def landscape_html(landscape: Landscape, href: HrefMaker) -> str:
    root = ET.Element("section", {"class": "fieldnotes-landscape", "aria-label": landscape.label})
    _key_html(root, landscape.key)
    groups = ET.SubElement(root, "div", {"class": "fieldnotes-landscape-groups"})
    heading = f"h{landscape.heading_level}"
    for title, tiles in landscape.groups:
        classes = "fieldnotes-landscape-group"
        if len(tiles) > 4:
            classes += " fieldnotes-landscape-group-wide"
        group = ET.SubElement(groups, "div", {"class": classes})
        _text(group, heading, f"{title} ({len(tiles)})", "fieldnotes-landscape-heading")
        listing = ET.SubElement(group, "ul", {"class": "fieldnotes-landscape-tiles"})
        for tile in tiles:
            _tile_html(listing, tile, href)
    return ET.tostring(root, encoding="unicode", short_empty_elements=False) + "\n"


def _tile_html(parent: ET.Element, tile: Tile, href: HrefMaker) -> None:
    classes = ["fieldnotes-tile", f"fieldnotes-tone-{tile.tone}"]
    classes += [f"fieldnotes-tile-{word.replace(' ', '-')}" for word in tile.marks]
    attributes = {"class": " ".join(classes), "data-status": tile.status or ""}
    if tile.change:
        attributes["data-change"] = tile.change
    item = ET.SubElement(parent, "li", attributes)
    link = ET.SubElement(
        item,
        "a",
        {
            "class": "fieldnotes-tile-link reference internal",
            "href": href(tile.link.docname, tile.link.anchor),
        },
    )
    link.text = tile.link.text
    facts = ET.SubElement(item, "span", {"class": "fieldnotes-tile-facts"})
    words = ([tile.status] if tile.status else []) + tile.marks
    for index, word in enumerate(words):
        is_status = index == 0 and tile.status is not None
        piece = _text(
            facts,
            "span",
            word if is_status else mark_label(word),
            "fieldnotes-tile-status" if is_status else mark_class(word),
        )
        piece.tail = " " if index < len(words) - 1 else None


def _key_html(parent: ET.Element, key: Sequence[KeyEntry]) -> None:
    box = ET.SubElement(parent, "div", {"class": "fieldnotes-landscape-key"})
    _text(box, "p", _("Key"), "fieldnotes-landscape-key-title")
    entries = ET.SubElement(box, "ul")
    for entry in key:
        item = ET.SubElement(entries, "li")
        if entry.is_status:
            swatch = ET.SubElement(
                item,
                "span",
                {"class": f"fieldnotes-swatch fieldnotes-tone-{entry.tone}", "aria-hidden": "true"},
            )
            swatch.tail = " "
            word = _text(item, "span", entry.word, "fieldnotes-tile-status")
        else:
            word = _text(item, "span", mark_label(entry.word), mark_class(entry.word))
        word.tail = f": {entry.meaning}" if entry.meaning else None


def _text(parent: ET.Element, tag: str, text: str, classes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {"class": classes})
    element.text = text
    return element


# -- docutils nodes (every other builder) --------------------------------------------------------


def landscape_nodes(landscape: Landscape, make_link: LinkMaker) -> list[nodes.Node]:
    key = nodes.bullet_list(classes=["fieldnotes-landscape-key"])
    for entry in landscape.key:
        word = entry.word if entry.is_status else mark_label(entry.word)
        text = f"{word}: {entry.meaning}" if entry.meaning else word
        key += _item(nodes.Text(text))
    result: list[nodes.Node] = [nodes.rubric("", _("Key"), classes=["fieldnotes-group"]), key]
    for title, tiles in landscape.groups:
        heading = f"{title} ({len(tiles)})"
        result.append(nodes.rubric(heading, heading, classes=["fieldnotes-group"]))
        listing = nodes.bullet_list(classes=["fieldnotes-landscape-tiles"])
        for tile in tiles:
            words = ([tile.status] if tile.status else []) + [mark_label(m) for m in tile.marks]
            link = make_link(tile.link.docname, tile.link.anchor, tile.link.text)
            listing += _item(link, nodes.Text(f" ({', '.join(words)})")) if words else _item(link)
        result.append(listing)
    return result


def _item(*children: nodes.Node) -> nodes.list_item:
    return nodes.list_item("", nodes.paragraph("", "", *children))
