"""The labels fieldnotes writes into pages and the feed, translated the Sphinx way: a message
catalogue named ``fieldnotes`` (``locale/<language>/LC_MESSAGES/fieldnotes.mo``), chosen by the
site's ``language``. Diagnostics stay English: they are for authors and their tools, not readers.

Mark a label with :func:`_` where it is used, with :func:`N_` where it is defined at import
time (then translate it with :func:`_` where it is used), and a count with :func:`ngettext`.
``make locales`` extracts the marked strings and compiles the catalogues."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translation, get_translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MESSAGE_CATALOG_NAME = "fieldnotes"
LOCALE_DIR = Path(__file__).with_name("locale")

_translate = get_translation(MESSAGE_CATALOG_NAME)


def _(message: str) -> str:
    """*message* in the site's language, as a plain ``str``: outside a build (no catalogue
    loaded yet) Sphinx gives a lazy proxy, which ``str.join`` and ``json`` refuse."""
    return str(_translate(message))


def N_(message: str) -> str:
    """Mark *message* for extraction only: translated later, by :func:`_`, when it is shown."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a counted label's two English forms for extraction, for :func:`ngettext` later."""
    return singular, plural


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted label for *count* in the site's language. ``get_translation``
    only gives ``gettext`` on every supported Sphinx, so plurals ask the catalogue directly."""
    return get_translator(MESSAGE_CATALOG_NAME).ngettext(singular, plural, count)


def add_catalog(app: Sphinx) -> None:
    app.add_message_catalog(MESSAGE_CATALOG_NAME, str(LOCALE_DIR))  # Sphinx 8.1 types it str


# The words of the project-index filter (fieldnotes-filter.js), which builds its form in the
# browser: English there, the catalogue's words given to it here.
FILTER_LABELS = (
    N_("Filter and sort projects"),
    N_("Search"),
    N_("name, category, version…"),
    N_("Category"),
    N_("All categories"),
    N_("Status"),
    N_("All statuses"),
    N_("Year"),
    N_("All years"),
    N_("Sort by"),
    N_("Name (A to Z)"),
    N_("Name (Z to A)"),
    N_("Date (newest first)"),
    N_("Date (oldest first)"),
    N_("Show all"),
    N_("No project matches these filters."),
    N_("archived upstream"),
)
# Numbers whose plural categories (CLDR's, as the browser's Intl.PluralRules names them) cover
# every category of the languages shipped.
_PLURAL_SAMPLES = (0, 1, 2, 3, 5, 11, 21, 22, 100, 101, 1000000)


def filter_labels(language: str) -> dict[str, object]:
    """The filter's words in *language*: each label, and each count's form per plural category."""
    from babel import Locale  # a Sphinx dependency; only needed when the site is not English

    plural_form = Locale.parse(language.replace("-", "_")).plural_form
    counted = {
        "all": N_plural("Showing all {total} project.", "Showing all {total} projects."),
        "some": N_plural(
            "Showing {shown} of {total} project.", "Showing {shown} of {total} projects."
        ),
    }
    forms: dict[str, dict[str, str]] = {}
    for key, (singular, plural) in counted.items():
        for number in _PLURAL_SAMPLES:
            forms.setdefault(key, {}).setdefault(
                plural_form(number), ngettext(singular, plural, number)
            )
    return {"labels": {label: _(label) for label in FILTER_LABELS}, "counts": forms}


def add_filter_labels(app: Sphinx) -> None:
    """Give fieldnotes-filter.js the site's words, on sites in another language than English."""
    language = app.config.language or "en"
    if language.split("_")[0].split("-")[0] == "en":
        return
    labels = json.dumps(filter_labels(language), ensure_ascii=False, sort_keys=True)
    app.add_js_file(None, body=f"var FIELDNOTES_LABELS = {labels};")
