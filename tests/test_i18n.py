"""The site's language: every label fieldnotes writes comes from its message catalogue
(``sphinx_fieldnotes/locale``), so ``language = "de"`` gives German labels with the right plurals;
the committed catalogues are those ``make locales`` would write from the current code."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from sites import REPO, BuildResult, Site
from sphinx_fieldnotes import locales

SHIPPED = ("de", "fr")
# A label shorter than this (an "of", an "and") is a word any page's own text may hold.
SHORTEST_CHECKED = 4
PAGE = """\
# Tools

::::{project} kube-router
:url: https://github.com/cloudnativelabs/kube-router
:date: 2019-03-01
:version: v0.2.5
:category: Networking

Routing.

:::{update}
:date: 2019-09-01
:version: v0.3.2
:::
::::

:::{todo-item} kubefed
:priority: P2
:::

```{fieldnotes-overview}
```
"""
MORE = """\
# More

:::{project} cilium
:date: 2020-01-01
:version: v1.7
:category: Security
:::
"""


# Elements fieldnotes makes around what authors wrote: only the labels fieldnotes puts in them
# count (a todo's title, a reference table's headers; the tables' cells are its own docstrings).
AUTHORED = {"fieldnotes-project", "fieldnotes-update", "fieldnotes-todo"}
REFERENCE = {"fieldnotes-codes", "fieldnotes-config"}
VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}


class FieldnotesText(HTMLParser):
    """The text of the elements fieldnotes writes (class ``fieldnotes-…``, not what authors wrote
    inside them), with their text alternatives (``aria-label``, SVG ``<title>``/``<desc>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.states: list[str] = []  # per open element: "on", "off", "authored", "reference"
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        state = self.states[-1] if self.states else "off"
        if classes & AUTHORED:
            state = "authored"
        elif classes & REFERENCE:
            state = "reference"
        elif (
            any(c.startswith("fieldnotes-") for c in classes)
            or (state == "authored" and "admonition-title" in classes)
            or (state == "reference" and tag == "th")
        ):
            state = "on"
        if state == "on":
            self.pieces.append(attributes.get("aria-label") or "")
        if tag not in VOID:
            self.states.append(state)

    def handle_endtag(self, tag: str) -> None:
        if self.states and tag not in VOID:
            self.states.pop()

    def handle_data(self, data: str) -> None:
        if self.states and self.states[-1] == "on":
            self.pieces.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.pieces).split())


def fieldnotes_text(outdir: Path) -> dict[str, str]:
    return {
        page.relative_to(outdir).as_posix(): FieldnotesText.of(page.read_text(encoding="utf-8"))
        for page in outdir.rglob("*.html")
        if "_static" not in page.parts
    }


def english_fragments(translated: Catalog) -> set[str]:
    """The English words of every label (the parts between ``{placeholders}``) that the
    translation does not share, long enough not to be a word any text may hold."""
    fragments = set()
    for message in locales.read_catalog(locales.TEMPLATE):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        own = translated.get(message.id)
        strings = own.string if own is not None else ()
        strings = strings if isinstance(strings, tuple) else (strings,)
        theirs = " ".join(strings)
        for msgid in ids:
            for fragment in re.split(r"\{\w+\}", msgid):
                fragment = fragment.strip(" ():;.,")
                if len(fragment) >= SHORTEST_CHECKED and fragment not in theirs:
                    fragments.add(fragment)
    return fragments


@pytest.fixture(scope="module")
def german_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = Site(tmp_path_factory.mktemp("site-de"), srcdir=REPO, conf=None)
    return site.build("html", language="de")


def test_german_build_of_the_shipped_site_has_no_english_label(german_site) -> None:
    assert german_site.status == 0, german_site.warnings
    german = locales.read_catalog(locales.po_path("de"), "de")
    fragments = english_fragments(german)
    assert {"Update on", "noted", "repository", "Projects by category"} <= fragments
    found = {}
    for page, text in fieldnotes_text(german_site.outdir).items():
        left = sorted(f for f in fragments if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text))
        if left:
            found[page] = left
    assert found == {}


def test_german_build_of_the_shipped_site_shows_german_labels(german_site) -> None:
    index = german_site.page("source/index.html")
    assert "Projekte nach Kategorie" in index
    assert "Notizen und Aktualisierungen pro Jahr" in index
    assert re.search(r"\d+ Projekte in \d+ Kategorien; \d+ Projekte? noch zu untersuchen\.", index)
    assert "Karte der Projekte nach Kategorie" in index  # the landscape's accessible name
    assert "Legende" in index
    feed = (german_site.outdir / "feed.xml").read_text(encoding="utf-8")
    assert "<subtitle>Neue Notizen und Aktualisierungen</subtitle>" in feed
    assert "New note" not in feed and "Update of the note on" not in feed


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 project in 1 category; 1 project still to study.",
         "2 projects in 2 categories; 1 project still to study."),
        ("de", "1 Projekt in 1 Kategorie; 1 Projekt noch zu untersuchen.",
         "2 Projekte in 2 Kategorien; 1 Projekt noch zu untersuchen."),
        ("fr", "1 projet dans 1 catégorie ; 1 projet encore à étudier.",
         "2 projets dans 2 catégories ; 1 projet encore à étudier."),
    ],
)  # fmt: skip
def test_overview_counts_take_the_plural_of_the_language(site, language, one, two) -> None:
    site.write("index.md", PAGE)
    first = site.build("html", outname=f"one-{language}", language=language)
    assert first.status == 0, first.warnings
    assert one in FieldnotesText.of(first.page("index.html"))
    site.write("index.md", PAGE.replace("# Tools", "# Tools\n\n```{toctree}\nmore\n```"))
    site.write("more.md", MORE)
    second = site.build("html", outname=f"two-{language}", language=language)
    assert two in FieldnotesText.of(second.page("index.html"))


def test_entry_labels_in_german_and_french(site) -> None:
    site.write("index.md", PAGE)
    german = FieldnotesText.of(site.build("html", outname="de", language="de").page("index.html"))
    assert "notiert 2019-03-01" in german
    assert "Aktualisierung vom 2019-09-01" in german
    assert "Zu untersuchen: kubefed" in german
    assert "Repositorium" in german
    french = FieldnotesText.of(site.build("html", outname="fr", language="fr").page("index.html"))
    assert "notée 2019-03-01" in french
    assert "Mise à jour du 2019-09-01" in french
    assert "dépôt" in french


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_has_every_label_the_code_marks(language) -> None:
    """``make locales`` was run after the last label changed: every message extracted from the
    code now is in the committed template and translated in the language's catalogue."""
    wanted = {m.id for m in locales.extract() if m.id}
    template = {m.id for m in locales.read_catalog(locales.TEMPLATE) if m.id}
    assert wanted - template == set()
    catalog = locales.read_catalog(locales.po_path(language), language)
    translated = {m.id for m in catalog if m.id and not m.fuzzy and all(_strings(m.string))}
    assert wanted - translated == set()


@pytest.mark.parametrize("language", SHIPPED)
def test_committed_mo_is_compiled_from_the_po(language) -> None:
    mo = locales.po_path(language).with_suffix(".mo")
    assert mo.read_bytes() == locales.compiled(language)


def test_shipped_languages_are_the_catalogues_found() -> None:
    assert locales.languages() == sorted(SHIPPED)


def _strings(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string,)


def test_filter_script_gets_the_site_words(german_site, site) -> None:
    """fieldnotes-filter.js builds its form in the browser: a German page hands it the German
    words (each count's form per plural category, as the browser's ``Intl.PluralRules`` names
    them); an English page hands it nothing, and the script keeps its own English."""
    page = german_site.page("source/all-projects.html")
    words = re.search(r"var FIELDNOTES_LABELS = (\{.*?\});</script>", page)
    assert words is not None
    given = json.loads(words.group(1))
    assert given["labels"]["Filter and sort projects"] == "Projekte filtern und sortieren"
    assert given["labels"]["Show all"] == "Alle zeigen"
    assert given["counts"]["some"] == {
        "one": "{shown} von {total} Projekt gezeigt.",
        "other": "{shown} von {total} Projekten gezeigt.",
    }
    assert set(given["labels"]) <= {m.id for m in locales.read_catalog(locales.TEMPLATE)}
    script = (REPO / "extensions/sphinx_fieldnotes/static/fieldnotes-filter.js").read_text()
    assert all(f'"{label}"' in script.replace("\\u2026", "…") for label in given["labels"])
    site.write("index.md", PAGE)
    assert "FIELDNOTES_LABELS" not in site.build("html").page("index.html")
