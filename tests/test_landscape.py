"""Pictures of the catalogue (issue 17): the ``fieldnotes-landscape`` map, each entry's history,
the "new" / "updated" marks, and the overview's charts. Built with the real Sphinx, read back from
the written HTML.

The fixture is data (``PROJECTS``) turned into pages, and every expectation (groups, tiles, marks,
counts per year and per category) is computed from that data with the rules of the SPEC and the
settings, never copied from the output. The map and the charts are written as XHTML-compatible
markup, so each one is read back with ``xml.etree``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import pytest

from sites import BuildResult, Site
from index_corpus import Empty, element_ids, listings

TODAY = dt.date(2026, 1, 1)  # conftest's fieldnotes_today
STALE_AFTER = 730  # the default
RECENT = 90  # the default


@dataclass(frozen=True)
class Entry:
    name: str
    page: str
    date: str
    version: str
    status: str | None = None
    tags: tuple[str, ...] = ()
    category: str | None = None  # :category:, else the page title
    updates: tuple[tuple[str, str], ...] = ()


PAGE_TITLES = {"net": "Networking", "storage": "Storage", "sec": "Security"}
PROJECTS = [
    Entry("calico", "net", "2018-03-01", "v3.0", "released", ("cni",),
          updates=(("2019-02-01", "v3.5"), ("2025-12-01", "v3.26"))),
    Entry("flannel", "net", "2025-11-15", "v0.27.0", "beta", ("cni", "overlay")),
    Entry("weave", "net", "2017-05-01", "v1.9", "deprecated", ("cni",)),
    Entry("rook", "storage", "2019-06-01", "v1.0", "alpha", ("storage",),
          updates=(("2025-01-10", "v1.16"),)),
    Entry("velero", "storage", "unrecorded", "v1.1.0", None, ("backup",)),
    Entry("falco", "sec", "2024-06-01", "0.38.0", "released", category="Runtime security"),
    Entry("notary", "sec", "2017-10-01", "unrecorded", None,
          updates=(("unrecorded", "v0.6"),)),
]


def category(entry: Entry) -> str:
    return entry.category or PAGE_TITLES[entry.page]


def day(date: str) -> dt.date | None:
    return None if date == "unrecorded" else dt.date.fromisoformat(date)


def expected_stale(entry: Entry, today: dt.date = TODAY, after: int = STALE_AFTER) -> bool:
    dates = [d for d in [day(entry.date), *(day(u) for u, _ in entry.updates)] if d]
    return bool(dates) and max(dates) < today - dt.timedelta(days=after)


def expected_change(entry: Entry, today: dt.date = TODAY, recent: int = RECENT) -> str | None:
    def recent_day(date: str) -> bool:
        found = day(date)
        return found is not None and today - dt.timedelta(days=recent) <= found <= today

    if recent_day(entry.date):
        return "new"
    if any(recent_day(u) for u, _ in entry.updates):
        return "updated"
    return None


def project_block(entry: Entry) -> str:
    fence = "::::" if entry.updates else ":::"
    lines = [f"{fence}{{project}} {entry.name}", f":url: https://example.org/{entry.name}",
             f":date: {entry.date}", f":version: {entry.version}"]
    if entry.status:
        lines.append(f":status: {entry.status}")
    if entry.tags:
        lines.append(f":tags: {', '.join(entry.tags)}")
    if entry.category:
        lines.append(f":category: {entry.category}")
    lines += ["", f"Notes on {entry.name}.", ""]
    for date, version in entry.updates:
        lines += [":::{update}", f":date: {date}", f":version: {version}", ":::", ""]
    lines.append(fence)
    return "\n".join(lines) + "\n\n"


def write_site(site: Site, home: str) -> None:
    for page, title in PAGE_TITLES.items():
        blocks = "".join(project_block(e) for e in PROJECTS if e.page == page)
        site.write(f"{page}.md", f"# {title}\n\n{blocks}")
    site.write("index.md", "# Home\n\n" + home + "\n```{toctree}\nnet\nstorage\nsec\n```\n")


def build(site: Site, home: str, **conf: object) -> BuildResult:
    write_site(site, home)
    result = site.build(**conf)
    assert result.status == 0, result.warnings
    return result


# -- reading the map back -----------------------------------------------------------------------


@dataclass(frozen=True)
class TileSeen:
    name: str
    href: str
    status: str  # data-status
    words: tuple[str, ...]  # the text after the name: status, then marks
    classes: tuple[str, ...]


@dataclass
class MapSeen:
    label: str
    key: list[str]
    groups: list[tuple[str, list[TileSeen]]]
    heading_tags: set[str]


def maps(html: str) -> list[MapSeen]:
    found = []
    for markup in re.findall(r'<section class="fieldnotes-landscape".*?</section>', html, re.S):
        root = ET.fromstring(markup)
        key_items = root.iterfind("div[@class='fieldnotes-landscape-key']/ul/li")
        key = ["".join(li.itertext()) for li in key_items]
        groups, tags = [], set()
        for group in root.iterfind("div[@class='fieldnotes-landscape-groups']/div"):
            heading = group[0]
            tags.add(heading.tag)
            tiles = [
                TileSeen(
                    name=li.find("a").text or "",
                    href=li.find("a").get("href") or "",
                    status=li.get("data-status") or "",
                    words=tuple(s.text or "" for s in li.find("span")),
                    classes=tuple((li.get("class") or "").split()),
                )
                for li in group.find("ul")
            ]
            groups.append(("".join(heading.itertext()), tiles))
        found.append(MapSeen(root.get("aria-label") or "", key, groups, tags))
    return found


def expected_words(entry: Entry) -> tuple[str, ...]:
    words = [entry.status] if entry.status else []
    if expected_stale(entry):
        words.append("stale")
    change = expected_change(entry)
    if change:
        words.append(change)
    return tuple(words)


def expected_groups(title_of, order) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    groups: dict[str, list[str]] = {}
    for entry in sorted(PROJECTS, key=lambda e: e.name):
        groups.setdefault(title_of(entry), []).append(entry.name)
    return [(f"{t} ({len(groups[t])})", groups[t]) for t in sorted(groups, key=order)]


MAPS = """
## The map

:::{fieldnotes-landscape}
:::

:::{fieldnotes-landscape}
:group-by: status
:::

:::{fieldnotes-landscape}
:group-by: YEAR
:tags: CNI, storage
:::
"""


def test_map_has_a_tile_per_project_grouped_by_category_linked_to_its_entry(site: Site) -> None:
    result = build(site, MAPS)
    html = result.page("index.html")
    by_category, _, _ = maps(html)
    assert by_category.label == "Map of projects by category"
    expected = expected_groups(category, lambda t: t.casefold())
    assert [(t, [tile.name for tile in tiles]) for t, tiles in by_category.groups] == expected
    # one heading level below the "## The map" section the map is in
    assert by_category.heading_tags == {"h3"}
    entries = {e.name: e for e in PROJECTS}
    for _, tiles in by_category.groups:
        for tile in tiles:
            entry = entries[tile.name]
            assert tile.href == f"{entry.page}.html#{entry.name}"
            assert tile.name in element_ids(result.page(f"{entry.page}.html"))
            assert tile.status == (entry.status or "")
            assert tile.words == expected_words(entry), tile.name
            assert ("fieldnotes-tile-stale" in tile.classes) == expected_stale(entry)
    # the fixture covers every look: each mark on at least one tile, and a tile without a status
    shown = [tile for _, tiles in by_category.groups for tile in tiles]
    for word in ("stale", "new", "updated"):
        assert any(word in tile.words for tile in shown), word
    assert any(tile.status == "" for tile in shown)
    # statuses are text, and the colour class follows the status
    released = next(t for t in shown if t.name == "calico")
    assert "fieldnotes-tone-success" in released.classes


def test_map_key_explains_the_statuses_shown_and_every_mark(site: Site) -> None:
    result = build(site, MAPS)
    by_category, _, tagged = maps(result.page("index.html"))
    statuses = ["released", "beta", "alpha", "experimental", "unreleased", "deprecated", "archived"]
    shown = [s for s in statuses if any(e.status == s for e in PROJECTS)]
    stale_before = (TODAY - dt.timedelta(days=STALE_AFTER)).isoformat()
    since = (TODAY - dt.timedelta(days=RECENT)).isoformat()
    marks = [
        f"stale: newest note or update before {stale_before}",
        f"new: noted since {since}",
        f"updated: updated since {since}",
    ]
    assert [k.strip() for k in by_category.key] == [*shown, "no status recorded", *marks]
    # the tag-filtered map has only tiles with a status: no "no status recorded" line
    tagged_statuses = [s for s in statuses if any(
        e.status == s and {"cni", "storage"} & set(e.tags) for e in PROJECTS)]
    assert [k.strip() for k in tagged.key] == [*tagged_statuses, *marks]


def test_map_groups_by_status_or_year_and_filters_by_tag(site: Site) -> None:
    result = build(site, MAPS)
    _, by_status, tagged = maps(result.page("index.html"))
    statuses = ["released", "beta", "alpha", "experimental", "unreleased", "deprecated", "archived"]
    assert [(t, [tile.name for tile in tiles]) for t, tiles in by_status.groups] == expected_groups(
        lambda e: e.status or "(no status)",
        lambda t: (statuses.index(t) if t in statuses else len(statuses), t),
    )
    assert tagged.label == "Map of projects by year, tagged CNI, storage"
    wanted = [e for e in PROJECTS if {"cni", "storage"} & set(e.tags)]
    years: dict[str, list[str]] = {}
    for entry in sorted(wanted, key=lambda e: e.name):
        years.setdefault(entry.date[:4], []).append(entry.name)
    assert [(t, [tile.name for tile in tiles]) for t, tiles in tagged.groups] == [
        (f"{y} ({len(years[y])})", years[y]) for y in sorted(years, reverse=True)
    ]


def test_map_empty_states_and_a_bad_grouping(site: Site) -> None:
    site.write("index.md", "# Home\n\n:::{fieldnotes-landscape}\n:::\n")
    result = site.build()
    assert result.findings == []
    assert [(m.kind, m.items) for m in listings(result.page("index.html"))] == [
        ("fieldnotes-landscape", [Empty("No projects have been noted yet.")])
    ]
    home = "\n:::{fieldnotes-landscape}\n:group-by: vendor\n:tags: no-such-tag\n:::\n"
    write_site(site, home)
    result = site.build()
    (finding,) = result.findings
    assert (finding.path, finding.line, finding.level, finding.code) == (
        "index.md", 5, "WARNING", "unknown-option"
    )
    assert "'vendor' is not one of category, status, year; 'category' is used" in finding.message
    assert [(m.kind, m.items) for m in listings(result.page("index.html"))] == [
        ("fieldnotes-landscape", [Empty("No project is tagged no-such-tag.")])
    ]


def test_map_in_text_builder_names_every_project_with_its_words(site: Site) -> None:
    write_site(site, MAPS)
    result = site.build("text")
    assert result.status == 0, result.warnings
    text = (result.outdir / "index.txt").read_text(encoding="utf-8")
    for entry in PROJECTS:
        words = expected_words(entry)
        line = f"{entry.name} ({', '.join(words)})" if words else entry.name
        assert re.search(rf"^\s*\* {re.escape(line)}$", text, re.M), line


# -- "new" and "updated" in listings -----------------------------------------------------------


def test_listings_mark_new_and_updated_entries_from_their_dates(site: Site) -> None:
    result = build(site, "```{project-index}\n```\n")
    (index,) = listings(result.page("index.html"))
    marked = {row.hrefs[0].split("#")[1]: row.cells[0] for row in index.rows}
    for entry in PROJECTS:
        change = expected_change(entry)
        assert marked[entry.name] == (f"{entry.name} {change}" if change else entry.name)
    # a wider window marks more; a window of 0 days marks nothing dated before today
    wide = site.build(outname="wide", fieldnotes_recent_days=400)
    (index,) = listings(wide.page("index.html"))
    for entry, row in zip(sorted(PROJECTS, key=lambda e: e.name), index.rows, strict=True):
        change = expected_change(entry, recent=400)
        assert row.cells[0] == (f"{entry.name} {change}" if change else entry.name)
    assert any(expected_change(e, recent=400) != expected_change(e) for e in PROJECTS)
    none = site.build(outname="none", fieldnotes_recent_days=0)
    assert all(" " not in row.cells[0] for row in listings(none.page("index.html"))[0].rows)


@pytest.mark.parametrize("value", [-1, "90", 1.5, True])
def test_a_bad_recent_days_is_a_configuration_error(site: Site, value: object) -> None:
    write_site(site, "")
    result = site.build(fieldnotes_recent_days=value)
    assert result.status != 0
    assert [(f.path, f.level, f.code) for f in result.findings] == [("conf.py", "ERROR", "config")]
    assert f"fieldnotes_recent_days = {value!r} must be" in result.warnings
    assert "; using 90 [fieldnotes.config]" in result.warnings


# -- each entry's history -----------------------------------------------------------------------


def history_items(html: str, anchor: str) -> list[tuple[str, str]]:
    """(text, href or "") of each step of the history of the entry at *anchor*."""
    section = html[html.index(f'id="{anchor}"'):]
    section = section[: section.index("</section>")]
    block = re.search(r'<ol class="[^"]*fieldnotes-history-events">(.*?)</ol>', section, re.S)
    if block is None:
        return []
    items = []
    for item in re.findall(r"<li[^>]*>(.*?)</li>", block.group(1), re.S):
        href = re.search(r'href="([^"]+)"', item)
        text = " ".join(re.sub(r"<[^>]+>", "", item).split())
        items.append((text, href.group(1) if href else ""))
    return items


def test_each_entry_with_updates_shows_its_history_linked_to_the_updates(site: Site) -> None:
    result = build(site, "")
    for entry in PROJECTS:
        html = result.page(f"{entry.page}.html")
        items = history_items(html, entry.name)
        if not entry.updates:
            assert items == [], entry.name
            continue
        def shown(date: str) -> str:
            return "date unrecorded" if date == "unrecorded" else date

        def version(value: str) -> str:
            return "version unrecorded" if value == "unrecorded" else value

        expected = [(f"{shown(entry.date)} noted {version(entry.version)}", "")]
        expected += [(f"{shown(d)} updated {version(v)}", "#") for d, v in entry.updates]
        assert [(text, href[:1]) for text, href in items] == expected, entry.name
        for _, href in items[1:]:
            assert href[1:] in element_ids(html)  # lands on the update


# -- the overview's charts ----------------------------------------------------------------------


SVG = "{http://www.w3.org/2000/svg}"


def charts(html: str) -> dict[str, ET.Element]:
    """Each chart's ``<svg>``, by its title; SVG tags with their namespace dropped."""
    found = {}
    for markup in re.findall(r'<figure class="fieldnotes-chart">.*?</figure>', html, re.S):
        svg = ET.fromstring(markup)[0]
        assert svg.tag == f"{SVG}svg"
        for element in svg.iter():
            element.tag = element.tag.removeprefix(SVG)
        found[svg.findtext("title") or ""] = svg
    return found


def table_rows(html: str, cls: str) -> list[list[str]]:
    table = re.search(rf'<table class="[^"]*{cls}.*?</table>', html, re.S)
    assert table, cls
    body = table.group(0).split("<tbody>")[1]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in body.split("</tr>")]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in row] for row in cells if row]


def expected_per_year() -> list[tuple[str, int, int]]:
    notes = Counter(e.date[:4] for e in PROJECTS if e.date != "unrecorded")
    updates = Counter(d[:4] for e in PROJECTS for d, _ in e.updates if d != "unrecorded")
    years = [int(y) for y in notes | updates]
    return [(str(y), notes[str(y)], updates[str(y)]) for y in range(min(years), max(years) + 1)]


def test_overview_charts_notes_and_updates_per_year_with_a_table(site: Site) -> None:
    result = build(site, ":::{fieldnotes-overview}\n:::\n")
    html = result.page("index.html")
    expected = expected_per_year()
    assert table_rows(html, "fieldnotes-overview-years") == [
        [y, str(n), str(u)] for y, n, u in expected
    ]
    svg = charts(html)["Notes and updates per year"]
    assert svg.get("role") == "img"
    ids = {e.get("id") for e in svg.iter() if e.get("id")}
    assert {svg.get("aria-labelledby"), svg.get("aria-describedby")} <= ids
    assert len(element_ids(html)) == len(re.findall(r'\sid="', html))  # ids unique on the page
    # one column per year and series, its height proportional to the count, its hint the count
    columns = [r for r in svg.iter("rect") if r.find("title") is not None]
    hints = [r.findtext("title") for r in columns]
    assert hints == [
        f"{year}, {series}: {count}"
        for year, notes, updates in expected
        for series, count in (("Notes", notes), ("Updates", updates))
    ]
    unit = {float(r.get("height")) / int(h.rsplit(" ", 1)[1])
            for r, h in zip(columns, hints, strict=True) if not h.endswith(": 0")}
    assert len({round(u, 3) for u in unit}) == 1
    description = svg.findtext("desc") or ""
    for year, notes, updates in expected:
        if notes or updates:
            assert year in description
    assert "none in the other years" in description


def test_overview_charts_projects_by_category_like_its_table(site: Site) -> None:
    result = build(site, ":::{fieldnotes-overview}\n:::\n")
    html = result.page("index.html")
    counts = Counter(category(e) for e in PROJECTS)
    expected = [[c, str(counts[c])] for c in sorted(counts, key=str.casefold)]
    assert table_rows(html, "fieldnotes-overview-categories") == expected
    svg = charts(html)["Projects by category"]
    bars = [r for r in svg.iter("rect")]
    assert [r.findtext("title") for r in bars] == [f"{c}: {n}" for c, n in expected]
    widths = [float(r.get("width")) for r in bars]
    peak = max(counts.values())
    assert widths == [pytest.approx(max(widths) * counts[c] / peak, abs=0.1) for c, _ in expected]
    labels = [t.text for t in svg.iter("text")]
    assert [c for c, _ in expected] == labels[0::2]  # each label, then its count
    assert [n for _, n in expected] == labels[1::2]
    assert all(f"{c} {n}" in (svg.findtext("desc") or "") for c, n in expected)


def test_charts_are_html_only_their_tables_are_everywhere(site: Site) -> None:
    write_site(site, ":::{fieldnotes-overview}\n:::\n")
    result = site.build("text")
    text = (result.outdir / "index.txt").read_text(encoding="utf-8")
    assert "<svg" not in text
    for year, notes, updates in expected_per_year():
        assert re.search(rf"\| {year} +\| {notes} +\| {updates} +\|", text), year


def test_archived_upstream_hook_marks_the_tile_and_the_key(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upstream snapshot (a later feature) answers ``Listing.archived_upstream``; whatever it
    answers shows on the tile and in the key, and nothing shows while it answers no."""
    from sphinx_fieldnotes.render import indexes

    result = build(site, MAPS)
    assert "archived upstream" not in result.page("index.html")
    monkeypatch.setattr(
        indexes.Listing, "archived_upstream", lambda self, project: project.name == "weave"
    )
    by_category = maps(site.build(outname="snapshot").page("index.html"))[0]
    tiles = {tile.name: tile for _, group in by_category.groups for tile in group}
    assert tiles["weave"].words == ("deprecated", "archived upstream", "stale")
    assert "fieldnotes-tile-archived-upstream" in tiles["weave"].classes
    assert all("archived upstream" not in t.words for n, t in tiles.items() if n != "weave")
    assert "archived upstream: the repository is archived upstream" in [
        k.strip() for k in by_category.key
    ]
