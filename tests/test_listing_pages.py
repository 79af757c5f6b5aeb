"""Long listings split over pages of their own (issue 18), built with a tiny
``fieldnotes_listing_page_size`` so that a few entries are enough to split.

The listings are read back from the written HTML (``index_corpus.listings``); the rows of the part
pages, put together in navigation order, must be the rows of the same listing built whole
(``fieldnotes_listing_page_size = 0``). The browser test checks the filter on a part page in
Chromium (``tests/browser/listing-pages.test.mjs``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from index_corpus import Listing, Row, element_ids, listings
from sites import REPO, BuildResult, Site
from sphinx_fieldnotes.render import listing_pages
from sphinx_fieldnotes.render.indexes import listing_blocks
from test_browser import CHROMIUM

PAGE_SIZE = 5
CATEGORIES = ("Networking", "Storage", "Security")
INDEX = """\
# Catalogue

```{toctree}
notes-0
notes-1
notes-2
```

## All projects

```{project-index}
```

## Searchable

```{project-index}
:filter:
```

## By category

```{project-index}
:group-by: category
```

## Timeline

```{timeline}
```

## To study

```{todo-list}
```

## Review

```{review-queue}
```

## Map

```{fieldnotes-landscape}
```
"""
# The projects noted in February 2020 are stale on 2026-01-01, those of March and later are not.
STALE = {"fieldnotes_stale_after_days": 2140}
SPLIT_KINDS = ["project-index", "project-index", "project-index", "timeline", "todo-list"]


def notes_page(number: int) -> str:
    """Seven projects (one with an update) and two TODOs, in one category per page."""
    blocks = [f"---\ncategory: {CATEGORIES[number]}\n---\n# Notes {number}\n"]
    for k in range(7):
        name = f"proj-{number}{k}"
        update = f"\n:::{{update}}\n:date: 2021-0{k + 1}-15\n:version: v2.{k}\n:::\n" if k == 0 else ""
        blocks.append(
            f"::::{{project}} {name}\n:url: https://github.com/example/{name}\n"
            f":date: 2020-0{k + 1}-0{number + 1}\n:version: v1.{k}\n:status: beta\n\n"
            f"Notes on {name}.\n{update}::::\n"
        )
    for k in range(2):
        blocks.append(
            f":::{{todo-item}} todo-{number}{k}\n:priority: P{k + 1}\n"
            f":url: https://github.com/example/todo-{number}{k}\n\nTo look at.\n:::\n"
        )
    return "\n".join(blocks)


def write_catalogue(site: Site) -> None:
    for number in range(len(CATEGORIES)):
        site.write(f"notes-{number}.md", notes_page(number))
    site.write("index.md", INDEX)


@pytest.fixture
def catalogue(site: Site) -> Site:
    write_catalogue(site)
    return site


class _Navigation(HTMLParser):
    """The links of the ``fieldnotes-listing-pages`` navigations of a page, one list each."""

    def __init__(self) -> None:
        super().__init__()
        self.navigations: list[list[str | None]] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "nav" and "fieldnotes-listing-pages" in (attributes.get("class") or ""):
            self.navigations.append([])
            self._inside = True
        elif self._inside and tag == "a":
            self.navigations[-1].append(attributes.get("href"))
        elif self._inside and tag == "li" and attributes.get("aria-current") == "page":
            self.navigations[-1].append(None)  # the part being shown

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._inside = False


def navigations(html: str) -> list[list[str | None]]:
    parser = _Navigation()
    parser.feed(html)
    return parser.navigations


def part_rows(result: BuildResult, navigation: list[str | None], kind: str) -> list[Row]:
    """The rows of every part of one listing, in navigation order."""
    rows: list[Row] = []
    for href in navigation:
        assert href, navigation
        found = [lst for lst in listings(result.page(href)) if lst.kind == kind]
        assert len(found) == 1, href
        assert_links_land(result, href, found[0])
        rows += found[0].rows
    return rows


def assert_links_land(result: BuildResult, page: str, listing: Listing) -> None:
    """Every internal link of every row points at an id that exists on the written page."""
    for row in listing.rows:
        for href in (h for h in row.hrefs if "://" not in h):
            target, _, anchor = href.partition("#")
            assert target, href  # a part page holds no entry: every link names its page
            target_path = Path(result.outdir, os.path.dirname(page), target)
            if target_path.is_dir():  # dirhtml
                target_path /= "index.html"
            assert anchor in element_ids(target_path.read_text(encoding="utf-8")), href


def whole_listings(site: Site) -> list[Listing]:
    result = site.build(outname="whole", fieldnotes_listing_page_size=0, **STALE)
    assert result.findings == []
    return listings(result.page("index.html"))


# -- splitting ----------------------------------------------------------------------------------


def test_long_listings_are_split_into_parts_holding_every_row_once(catalogue: Site) -> None:
    whole = whole_listings(catalogue)
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE, **STALE)
    assert result.findings == []
    index = result.page("index.html")
    on_page = listings(index)
    assert [lst.kind for lst in on_page] == [*SPLIT_KINDS, "review-queue", "fieldnotes-landscape"]
    # The page holding the directives keeps no row of a split listing: only its navigation.
    assert [len(lst.rows) for lst in on_page[:5]] == [0] * len(SPLIT_KINDS)
    # The review queue (three rows: only the projects noted in February are stale) stays inline.
    assert on_page[5].rows == whole[5].rows and 0 < len(whole[5].rows) <= PAGE_SIZE
    assert "fieldnotes-tile" not in index  # the map too is on pages of its own

    navs = navigations(index)
    assert len(navs) == len(SPLIT_KINDS) + 1  # and the map's
    for kind, navigation, full in zip(SPLIT_KINDS, navs, whole, strict=False):
        assert len(navigation) == -(-len(full.rows) // PAGE_SIZE), kind
        rows = part_rows(result, navigation, kind)
        assert [r.cells for r in rows] == [r.cells for r in full.rows], kind
        assert len(set(rows)) == len(rows) or kind == "timeline", kind


TILE = re.compile(r'<li class="fieldnotes-tile[^>]*><a [^>]*href="([^"]+)">([^<]+)</a>')
MAP_GROUP = re.compile(r'class="fieldnotes-landscape-heading">([^<]+)<')


def test_the_map_is_split_by_tiles_each_part_with_its_key(catalogue: Site) -> None:
    whole = catalogue.build(outname="whole", fieldnotes_listing_page_size=0).page("index.html")
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE)
    navigation = navigations(result.page("index.html"))[-1]
    assert len(navigation) == -(-7 * len(CATEGORIES) // PAGE_SIZE)
    tiles, groups = [], []
    for href in navigation:
        assert href is not None
        page = result.page(href)
        assert page.count('class="fieldnotes-landscape-key"') == 1
        part_tiles = TILE.findall(page)
        assert 0 < len(part_tiles) <= PAGE_SIZE
        for target, _ in part_tiles:
            name, _, anchor = target.partition("#")
            assert anchor in element_ids(result.page(name)), target
        tiles += part_tiles
        groups.append(MAP_GROUP.findall(page))
    assert tiles == TILE.findall(whole)
    assert groups[1] == ["Networking (2)", "Security (3)"]  # Networking cut after five tiles


def test_part_pages_link_to_each_other_and_back(catalogue: Site) -> None:
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE)
    navigation = navigations(result.page("index.html"))[0]
    for number, href in enumerate(navigation):
        assert href is not None
        page = result.page(href)
        (on_part,) = navigations(page)
        # The same parts, the one shown as text, the others as links that resolve.
        assert on_part[number] is None
        assert [h for i, h in enumerate(on_part) if i != number] == [
            h for i, h in enumerate(navigation) if i != number
        ]
        assert f"part {number + 1} of {len(navigation)}" in page
        assert re.search(r'of the listing on <a href="index.html">Catalogue</a>', page)


def test_a_group_cut_between_parts_repeats_its_heading(catalogue: Site) -> None:
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE)
    navigation = navigations(result.page("index.html"))[2]  # grouped by category
    headings = []
    for href in navigation:
        assert href is not None
        (part,) = [lst for lst in listings(result.page(href)) if lst.kind == "project-index"]
        headings.append([title for title, _ in part.groups])
    # Seven projects a category, five rows a part: Networking is cut after five rows.
    assert headings[0] == ["Networking (7)"]
    assert headings[1] == ["Networking (7)", "Security (7)"]


def test_the_filterable_index_is_filterable_on_each_part(catalogue: Site) -> None:
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE)
    for href in navigations(result.page("index.html"))[1]:
        assert href is not None
        page = result.page(href)
        assert page.count('class="fieldnotes-table fieldnotes-project-index fieldnotes-filterable') == 1
        assert "fieldnotes-filter.js" in page


def test_dirhtml_part_pages_resolve(catalogue: Site) -> None:
    result = catalogue.build("dirhtml", fieldnotes_listing_page_size=PAGE_SIZE)
    assert result.findings == []
    # Every listing is split here, the review queue too (every project is stale).
    kinds = [*SPLIT_KINDS, "review-queue", "fieldnotes-landscape"]
    for kind, navigation in zip(kinds, navigations(result.page("index.html")), strict=True):
        for href in navigation:
            assert href is not None and href.endswith("/"), href
            page = f"{href}index.html"
            (part,) = [lst for lst in listings(result.page(page)) if lst.kind == kind]
            assert_links_land(result, page, part)
            for target, _ in TILE.findall(result.page(page)):  # the map's part pages
                name, _, anchor = target.partition("#")
                assert anchor in element_ids(result.page(f"{href}{name}index.html")), target


@pytest.mark.parametrize("builder", ["text", "singlehtml"])
def test_other_builders_keep_listings_whole(catalogue: Site, builder: str) -> None:
    result = catalogue.build(builder, fieldnotes_listing_page_size=PAGE_SIZE)
    assert result.findings == []
    written = {p.name for p in result.outdir.iterdir()}
    assert not any("-project-index-" in name or "-timeline-" in name for name in written)
    text = result.page("index.txt" if builder == "text" else "index.html")
    for number in range(len(CATEGORIES)):
        for k in range(7):
            # each project in the two ungrouped indexes, the grouped one and the timeline
            assert text.count(f"proj-{number}{k}") >= 4, (builder, number, k)
    assert "fieldnotes-listing-pages" not in text


def test_a_parallel_build_writes_the_same_parts(catalogue: Site) -> None:
    serial = catalogue.build(outname="serial", fieldnotes_listing_page_size=PAGE_SIZE)
    parallel = catalogue.build(outname="j2", parallel=2, fieldnotes_listing_page_size=PAGE_SIZE)
    parts = sorted(p.name for p in serial.outdir.glob("index-*.html"))
    assert len(parts) > len(SPLIT_KINDS)
    for name in parts:
        assert serial.page(name) == parallel.page(name), name


def test_each_long_listings_rows_are_built_once_a_build(
    catalogue: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The part pages are written while their listing's page is resolved, from the rows the split
    was made with, and a listing found short is shown from them too: at 100,000 entries another
    pass over the catalog costs seconds."""
    built: list[str] = []

    def counted(listing: object, options: dict[str, object]) -> list[object]:
        built.append(str(options["kind"]))
        return listing_blocks(listing, options)  # type: ignore[arg-type]

    monkeypatch.setattr(listing_pages, "listing_blocks", counted)
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE, **STALE)
    assert result.findings == []
    # Every listing of the page could be long; all but the review queue (three rows) are split.
    assert len(navigations(result.page("index.html"))) == len(SPLIT_KINDS) + 1
    assert sorted(built) == sorted([*SPLIT_KINDS, "review-queue", "fieldnotes-landscape"])


def test_a_part_pages_context_has_a_short_repr_however_long_its_body(
    catalogue: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sphinx logs the ``repr()`` of every event's arguments, ``html-page-context``'s included:
    a part page's body, up to a megabyte, must not be copied into that text."""
    contexts: list[tuple[str, dict[str, object]]] = []
    part_context = listing_pages.part_context

    def recorded(app: object, listing: object, paged: Any, number: int, part: object) -> object:
        context = part_context(app, listing, paged, number, part)  # type: ignore[arg-type]
        contexts.append((paged.pagenames[number - 1], context))
        return context

    monkeypatch.setattr(listing_pages, "part_context", recorded)
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE)
    assert result.findings == []
    assert len(contexts) == len(written_parts(result))
    for pagename, context in contexts:
        body = str(context["body"])
        assert len(repr(context)) < 300 < len(body)
        assert body in result.page(f"{pagename}.html")


def test_a_document_named_like_a_part_page_moves_the_parts_to_a_name_of_their_own(
    catalogue: Site,
) -> None:
    catalogue.write("index.md", INDEX.replace("notes-2\n", "notes-2\nindex-timeline-4\n", 1))
    catalogue.write("index-timeline-4.md", "# A page of its own\n\nNot a part.\n")
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE)
    assert result.findings == []
    timeline = navigations(result.page("index.html"))[3]
    assert timeline[:2] == ["index-timeline2-1.html", "index-timeline2-2.html"]
    assert "Not a part." in result.page("index-timeline-4.html")
    (part,) = [lst for lst in listings(result.page(timeline[0])) if lst.kind == "timeline"]
    assert_links_land(result, str(timeline[0]), part)


# -- incremental builds -------------------------------------------------------------------------


def test_a_one_page_edit_rewrites_the_part_that_shows_it(catalogue: Site) -> None:
    catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE, **STALE)
    text = notes_page(2).replace(":version: v1.3\n", ":version: v9.9\n", 1)
    catalogue.write("notes-2.md", text)
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE, **STALE)
    assert result.findings == []
    whole = {r.cells[0]: r.cells for r in whole_listings(catalogue)[0].rows}
    assert whole["proj-23"][3] == "v9.9"
    shown = {}
    for href in navigations(result.page("index.html"))[0]:
        assert href is not None
        (part,) = [lst for lst in listings(result.page(href)) if lst.kind == "project-index"]
        shown.update({r.cells[0]: r.cells for r in part.rows})
    assert shown == whole


def test_a_listing_that_shrinks_below_the_size_returns_inline(catalogue: Site) -> None:
    catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE)
    result = catalogue.build(fieldnotes_listing_page_size=100)
    index = result.page("index.html")
    assert navigations(index) == []
    assert len(listings(index)[0].rows) == 7 * len(CATEGORIES)


def written_parts(result: BuildResult) -> set[str]:
    """The part pages in the output directory (html: files, dirhtml: folders), by page name."""
    names = {p.name.removesuffix(".html") for p in result.outdir.iterdir()}
    return {n for n in names if re.fullmatch(r"index-[a-z-]+?\d*-\d+", n)}


def linked_parts(result: BuildResult) -> set[str]:
    """The part pages the navigations of the index page link to."""
    hrefs = [h for nav in navigations(result.page("index.html")) for h in nav if h]
    return {h.removesuffix(".html").removesuffix("/") for h in hrefs}


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_part_pages_an_earlier_build_wrote_and_this_one_does_not_are_removed(
    catalogue: Site, builder: str
) -> None:
    first = catalogue.build(builder, fieldnotes_listing_page_size=PAGE_SIZE)
    assert written_parts(first) == linked_parts(first)
    assert {"index-timeline-5", "index-project-index-5"} <= written_parts(first)
    # Fewer, longer parts: the ones past the last are gone, the others rewritten.
    fewer = catalogue.build(builder, fieldnotes_listing_page_size=2 * PAGE_SIZE)
    assert written_parts(fewer) == linked_parts(fewer)
    assert "index-timeline-5" not in written_parts(fewer)
    assert "index-timeline-3" in written_parts(fewer)
    # Without the timeline, its parts go; the other listings keep theirs.
    catalogue.write("index.md", INDEX.replace("## Timeline\n\n```{timeline}\n```\n", ""))
    moved = catalogue.build(builder, fieldnotes_listing_page_size=2 * PAGE_SIZE)
    assert written_parts(moved) == linked_parts(moved)
    assert not any("-timeline-" in name for name in written_parts(moved))
    assert "index-project-index-1" in written_parts(moved)
    # Short enough for one page: no part page is left.
    whole = catalogue.build(builder, fieldnotes_listing_page_size=100)
    assert written_parts(whole) == set() == linked_parts(whole)
    if builder == "dirhtml":
        assert not any(p.is_dir() and p.name.startswith("index-") for p in whole.outdir.iterdir())


def test_a_document_named_like_a_part_page_is_never_removed(catalogue: Site) -> None:
    catalogue.write("index.md", INDEX.replace("notes-2\n", "notes-2\nindex-todo-list-9\n", 1))
    catalogue.write("index-todo-list-9.md", "# A page of its own\n\nNot a part.\n")
    catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE)
    result = catalogue.build(fieldnotes_listing_page_size=100)
    assert "Not a part." in result.page("index-todo-list-9.html")
    assert result.findings == []


# -- the setting --------------------------------------------------------------------------------


MUST = {int: "at least 0", str: "a whole number", bool: "a whole number"}


@pytest.mark.parametrize("value", [-1, "5", True])
def test_a_bad_page_size_is_reported_and_the_default_used(catalogue: Site, value: object) -> None:
    result = catalogue.build(fieldnotes_listing_page_size=value)
    reports = re.findall(r"^conf\.py:\d+: ERROR: fieldnotes_listing_page_size = (.*)$",
                         result.warnings, re.M)
    assert reports == [f"{value!r} must be {MUST[type(value)]}; using 2000 [fieldnotes.config]"]
    assert result.status == 1  # a bad setting fails the build, after building everything
    # The default (2,000 rows) keeps these listings whole, and every other entry still builds.
    index = result.page("index.html")
    assert navigations(index) == []
    assert len(listings(index)[0].rows) == 7 * len(CATEGORIES)


# -- in the browser -----------------------------------------------------------------------------


def test_the_filter_works_on_a_part_page_in_chromium(
    catalogue: Site, tmp_path_factory: pytest.TempPathFactory
) -> None:
    result = catalogue.build(fieldnotes_listing_page_size=PAGE_SIZE)
    part = navigations(result.page("index.html"))[1][1]  # the second part of the filterable one
    assert part is not None
    node = shutil.which("node")
    assert node is not None, "node is not on PATH: the browser tests need Node.js 20 or newer"
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: install Debian's chromium"
    browser = REPO / "tests" / "browser"
    run = subprocess.run(
        [node, "--test", "--test-reporter=tap", "listing-pages.test.mjs"],
        cwd=browser,
        env={
            **os.environ,
            "FIELDNOTES_SITE": str(result.outdir),
            "FIELDNOTES_PART": part,
            "FIELDNOTES_CHROMIUM": CHROMIUM,
        },
        capture_output=True, text=True, timeout=300, check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    assert re.search(r"^# pass [1-9]", output, re.M) and re.search(r"^# fail 0$", output, re.M)
