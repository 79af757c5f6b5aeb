"""``feed.xml``: an Atom feed (RFC 4287) of new notes and updates, newest first, for feed readers.

Written at ``build-finished`` by the HTML builders from the catalog, like ``fieldnotes.json``, so it
is complete after incremental and parallel builds too. It depends only on the entries and the
settings (never on the clock while any entry is dated), so builds of the same sources are identical.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from sphinx_fieldnotes import state
from sphinx_fieldnotes.builders import is_website
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.i18n import _
from sphinx_fieldnotes.validation import period
from sphinx_fieldnotes.vocabulary import UNRECORDED

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_fieldnotes.catalog import Catalog

ATOM = "http://www.w3.org/2005/Atom"
# Entry ids are derived from the page and anchor of the entry, not from where the site is hosted:
# an id must never change (RFC 4287 4.2.6), while a site may move.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://fieldnotes.invalid/entries")


def entry_id(docname: str, anchor: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, f'{docname}#{anchor}')}"


def _timestamp(date: str) -> str:
    """Atom needs a full date-time: a month or a year is given as its first day."""
    return f"{period(date)[0].isoformat()}T00:00:00Z"


def _page_uri(app: Sphinx, docname: str, anchor: str) -> str:
    """The entry's address relative to the output root (or absolute, under the site URL)."""
    uri = app.builder.get_target_uri(docname)
    if uri.startswith("#"):  # singlehtml: every page is in the root document
        uri = app.config.root_doc + getattr(app.builder, "out_suffix", ".html")
    return f"{uri}#{anchor}" if anchor else uri


def build_feed(app: Sphinx, catalog: Catalog) -> str:
    settings = state.of(app.config).settings
    site_url = (settings.site_url or app.config.html_baseurl or "").rstrip("/")
    base = f"{site_url}/" if site_url else ""
    title = app.config.html_title or app.config.project
    # Readers poll the feed: the newest entries are what it is for, and the whole history of a
    # large site would make every build write (and every reader fetch) megabytes.
    found = catalog.dated_events[: settings.feed_length]
    updated = (found[0].date if found else None) or settings.resolve_today().isoformat()

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "subtitle", _("New notes and updates"))
    _text(feed, "id", entry_id("", "feed") if not site_url else f"{base}{settings.feed}")
    _text(feed, "updated", _timestamp(updated))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", app.config.author or title)
    home = _page_uri(app, app.config.root_doc, "")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=base + home)
    if site_url:
        ET.SubElement(
            feed,
            f"{{{ATOM}}}link",
            rel="self",
            type="application/atom+xml",
            href=base + settings.feed,
        )
    _text(feed, "generator", "fieldnotes")

    for event in found:
        project = event.project
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        date = event.date or ""  # dated_events holds dated events only
        version = event.version or "—"
        shown = f" {version}" if version not in ("—", UNRECORDED) else ""
        kind = _("New note") if event.kind == "Note" else _("Update")
        _text(entry, "title", f"{kind}: {project.name}{shown}")
        _text(entry, "id", entry_id(event.docname, event.anchor))
        _text(entry, "updated", _timestamp(date))
        _text(entry, "published", _timestamp(date))
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            rel="alternate",
            type="text/html",
            href=base + _page_uri(app, event.docname, event.anchor),
        )
        if project.category:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=project.category)
        details = [_("version {version}").format(version=version)]
        if project.category:
            details.append(_("category {category}").format(category=project.category))
        if project.status:
            details.append(_("status {status}").format(status=project.status))
        what = _("Note on") if event.kind == "Note" else _("Update of the note on")
        _text(entry, "summary", f"{what} {project.name} ({', '.join(details)}), {date}.")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def write_feed(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: write the feed next to the HTML pages."""
    filename = state.of(app.config).settings.feed
    if exception is not None or not filename or not is_website(app.builder):
        return
    text = build_feed(app, get_domain(app.env).catalog())
    target = Path(app.outdir, filename)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def link_feed(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``html-page-context``: every page announces the feed to browsers and feed readers."""
    filename = state.of(app.config).settings.feed
    if not filename or not is_website(app.builder) or "pathto" not in context:
        return
    href = context["pathto"](filename, 1)
    title = app.config.html_title or app.config.project
    link = (
        f'<link rel="alternate" type="application/atom+xml" title="{_attr(title)} (Atom feed)"'
        f' href="{_attr(href)}" />'
    )
    context["metatags"] = context.get("metatags", "") + "\n    " + link + "\n"


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
