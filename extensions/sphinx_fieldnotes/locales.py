"""Maintain the message catalogues (``make locales``): extract the labels marked in the code
into ``locale/fieldnotes.pot``, bring each language's ``fieldnotes.po`` up to date with it, and
compile the ``.mo`` files Sphinx reads. Babel (a Sphinx dependency) does the work.

Add a language: ``python -m sphinx_fieldnotes.locales --add nl``, translate the new
``locale/nl/LC_MESSAGES/fieldnotes.po``, then ``make locales``."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from sphinx_fieldnotes import __version__
from sphinx_fieldnotes.i18n import LOCALE_DIR, MESSAGE_CATALOG_NAME

if TYPE_CHECKING:
    from collections.abc import Sequence

PACKAGE_DIR = Path(__file__).parent
TEMPLATE = LOCALE_DIR / f"{MESSAGE_CATALOG_NAME}.pot"
# The marking functions of sphinx_fieldnotes.i18n; the plural ones' first two arguments are forms.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2)}


def extract() -> Catalog:
    """Every label marked in the package's code, with where it is used."""
    template = Catalog(project="sphinx-fieldnotes", version=__version__, fuzzy=False)
    found = extract_from_dir(
        PACKAGE_DIR, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    )
    for filename, lineno, message, _comments, context in found:
        template.add(
            message, locations=[(f"sphinx_fieldnotes/{filename}", lineno)], context=context
        )
    return template


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{MESSAGE_CATALOG_NAME}.po"


def languages() -> list[str]:
    """The languages shipped: each folder of ``locale/`` holding a ``fieldnotes.po``."""
    return sorted(path.parent.parent.name for path in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=language)


def compiled(language: str) -> bytes:
    """The ``.mo`` file the language's ``.po`` file compiles to."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(po_path(language), language))
    return buffer.getvalue()


def _write(path: Path, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def add_language(language: str) -> None:
    """Start a catalogue for *language* from the current labels (every one untranslated)."""
    catalog = Catalog(locale=language, project="sphinx-fieldnotes", version=__version__)
    catalog.update(extract(), no_fuzzy_matching=True)
    _write(po_path(language), catalog)


def update_all() -> None:
    """Write the template, merge it into every language and compile each."""
    template = extract()
    if TEMPLATE.exists():
        # The same labels keep the template's date, so the file changes only when they do.
        previous = read_catalog(TEMPLATE)
        if _ids(previous) == _ids(template):
            template.creation_date = previous.creation_date
    _write(TEMPLATE, template)
    for language in languages():
        catalog = read_catalog(po_path(language), language)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()  # a label the code no longer uses is gone, not kept aside
        _write(po_path(language), catalog)
        po_path(language).with_suffix(".mo").write_bytes(compiled(language))


def _ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", metavar="LANGUAGE", help="start a catalogue for LANGUAGE first")
    arguments = parser.parse_args(argv)
    if arguments.add:
        add_language(arguments.add)
    update_all()


if __name__ == "__main__":
    main()
