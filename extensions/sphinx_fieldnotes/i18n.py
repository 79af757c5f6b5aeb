"""The labels fieldnotes writes into pages and the feed, translated the Sphinx way: a message
catalogue named ``fieldnotes`` (``locale/<language>/LC_MESSAGES/fieldnotes.mo``), chosen by the
site's ``language``. Diagnostics stay English: they are for authors and their tools, not readers.

Mark a label with :func:`_` where it is used, with :func:`N_` where it is defined at import
time (then translate it with :func:`_` where it is used), and a count with :func:`ngettext`.
``make locales`` extracts the marked strings and compiles the catalogues."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translation, get_translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MESSAGE_CATALOG_NAME = "fieldnotes"
LOCALE_DIR = Path(__file__).with_name("locale")

_ = get_translation(MESSAGE_CATALOG_NAME)


def N_(message: str) -> str:
    """Mark *message* for extraction only: translated later, by :func:`_`, when it is shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted label for *count* in the site's language. ``get_translation``
    only gives ``gettext`` on every supported Sphinx, so plurals ask the catalogue directly."""
    return get_translator(MESSAGE_CATALOG_NAME).ngettext(singular, plural, count)


def add_catalog(app: Sphinx) -> None:
    app.add_message_catalog(MESSAGE_CATALOG_NAME, LOCALE_DIR)
