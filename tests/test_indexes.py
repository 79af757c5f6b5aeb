"""The four index directives (SPEC §5): grouping, sorting, empty states, ``unrecorded`` fields,
review-queue staleness against a fixed today, links to the entries, independence from read order.

Listings are read back from the written HTML (``index_corpus.listings``): group headings, rows as
cell texts, and the links of each row, which must land on an element of the target page.
"""

from __future__ import annotations

import datetime as dt

from index_corpus import Empty, Listing, element_ids, listings
from sites import BuildResult, Site


def page_listings(result: BuildResult, page: str = "index.html") -> list[Listing]:
    found = listings(result.page(page))
    assert_links_land(result, page, found)
    return found


def assert_links_land(result: BuildResult, page: str, found: list[Listing]) -> None:
    """Every internal link of every row points at an id that exists on its page."""
    for listing in found:
        for row in listing.rows:
            internal = [h for h in row.hrefs if "://" not in h]
            assert internal, row  # the first cell always links to the entry
            for href in internal:
                target, _, anchor = href.partition("#")
                assert anchor, href
                assert anchor in element_ids(result.page(target or page)), href


def titles(listing: Listing) -> list[str]:
    return [title for title, _ in listing.groups]


def names(listing: Listing) -> dict[str, list[str]]:
    return {title: [row.cells[0] for row in rows] for title, rows in listing.groups}


def toctree(*docnames: str) -> str:
    return "```{toctree}\n" + "\n".join(docnames) + "\n```\n"


# -- project-index ---------------------------------------------------------------------------------

GROUPING_PAGES = {
    "networking.md": """
        # Networking

        :::{project} Weave
        :url: https://github.com/weaveworks/weave
        :date: 2017-03-03
        :version: v1.9
        :status: released
        :tags: cni, overlay
        :::

        :::{project} antrea
        :url: https://github.com/antrea-io/antrea
        :date: 2021-02-02
        :version: v0.13.0
        :status: beta
        :tags: cni
        :::
        """,
    "storage.md": """
        ---
        category: Storage & backup
        ---
        # Storage notes

        :::{project} velero
        :url: https://github.com/vmware-tanzu/velero
        :date: 2019-09-09
        :version: v1.1.0
        :status: archived
        :tags: backup
        :::

        :::{project} stash
        :url: https://github.com/stashed/stash
        :date: unrecorded
        :version: unrecorded
        :::
        """,
    "misc.md": """
        # Misc

        :::{project} zot
        :url: https://github.com/project-zot/zot
        :date: 2021-05-05
        :version: v1.0.0
        :status: alpha
        :category: Registry
        :::
        """,
}

GROUPING_INDEX = (
    "# Projects\n\n"
    + toctree("networking", "storage", "misc")
    + "".join(
        f"\n## {group}\n\n```{{project-index}}\n:group-by: {group}\n```\n"
        for group in ("none", "category", "status", "year", "tag")
    )
)


def grouping_site(site: Site) -> list[Listing]:
    for name, text in GROUPING_PAGES.items():
        site.write(name, text)
    site.write("index.md", GROUPING_INDEX)
    result = site.build()
    assert result.findings == []
    found = page_listings(result)
    assert [listing.kind for listing in found] == ["project-index"] * 5
    return found


def test_project_index_rows_and_grouping(site: Site) -> None:
    flat, by_category, by_status, by_year, by_tag = grouping_site(site)

    # none: one table, sorted by name case-insensitively ("Weave" after "velero"), every field shown
    assert titles(flat) == [""]
    assert [row.cells for row in flat.rows] == [
        ("antrea", "Networking", "2021-02-02", "v0.13.0", "beta"),
        ("stash", "Storage & backup", "unrecorded", "unrecorded", "—"),
        ("velero", "Storage & backup", "2019-09-09", "v1.1.0", "archived"),
        ("Weave", "Networking", "2017-03-03", "v1.9", "released"),
        ("zot", "Registry", "2021-05-05", "v1.0.0", "alpha"),
    ]
    assert [row.hrefs[0] for row in flat.rows] == [
        "networking.html#antrea",
        "storage.html#stash",
        "storage.html#velero",
        "networking.html#weave",
        "misc.html#zot",
    ]

    # category: the :category: option, else front matter, else the page title; alphabetical
    assert names(by_category) == {
        "Networking (2)": ["antrea", "Weave"],
        "Registry (1)": ["zot"],
        "Storage & backup (2)": ["stash", "velero"],
    }
    assert titles(by_category) == ["Networking (2)", "Registry (1)", "Storage & backup (2)"]

    # status: the order of fieldnotes_statuses (not alphabetical), entries without status last
    assert titles(by_status) == [
        "released (1)", "beta (1)", "alpha (1)", "archived (1)", "(no status) (1)",
    ]
    assert names(by_status)["(no status) (1)"] == ["stash"]

    # year: newest first, unrecorded dates last
    assert titles(by_year) == ["2021 (2)", "2019 (1)", "2017 (1)", "(date unrecorded) (1)"]
    assert names(by_year)["2021 (2)"] == ["antrea", "zot"]
    assert names(by_year)["(date unrecorded) (1)"] == ["stash"]

    # tag: a project with two tags is in both groups; untagged projects last
    assert names(by_tag) == {
        "backup (1)": ["velero"],
        "cni (2)": ["antrea", "Weave"],
        "overlay (1)": ["Weave"],
        "(untagged) (2)": ["stash", "zot"],
    }
    assert titles(by_tag)[-1] == "(untagged) (2)"
    for listing in (by_category, by_status, by_year, by_tag):
        for title, rows in listing.groups:
            assert title.endswith(f"({len(rows)})")


def test_status_groups_follow_the_configured_order(site: Site) -> None:
    for name, text in GROUPING_PAGES.items():
        site.write(name, text)
    site.write(
        "index.md",
        "# Projects\n\n" + toctree("networking", "storage", "misc")
        + "\n```{project-index}\n:group-by: status\n```\n",
    )
    result = site.build(
        fieldnotes_statuses=["archived", "alpha", "released", "beta"],
    )
    assert result.findings == []
    (by_status,) = page_listings(result)
    assert titles(by_status) == [
        "archived (1)", "alpha (1)", "released (1)", "beta (1)", "(no status) (1)",
    ]


# -- timeline --------------------------------------------------------------------------------------


def test_timeline_is_newest_first_grouped_by_year_with_updates(site: Site) -> None:
    site.write(
        "a.md",
        """
        # A

        ::::{project} kube-a
        :url: https://example.org/a
        :date: 2018-02-01
        :version: v1.0

        :::{update}
        :date: 2019-06-01
        :version: v2.0
        :::

        :::{update}
        :date: 2020-01-15
        :version: v3.0
        :::
        ::::

        :::{project} kube-b
        :url: https://example.org/b
        :date: 2019-11-11
        :version: v0.1
        :::

        ::::{project} kube-c
        :url: https://example.org/c
        :date: unrecorded
        :version: unrecorded

        :::{update}
        :date: 2018-05-05
        :version: v0.2
        :::
        ::::
        """,
    )
    site.write(
        "b.md",
        """
        # B

        :::{update}
        :project: kube-a
        :date: 2020-03-03
        :version: v4.0
        :::
        """,
    )
    site.write("index.md", "# Timeline\n\n" + toctree("a", "b") + "\n```{timeline}\n```\n")
    result = site.build()
    assert result.findings == []
    (timeline,) = page_listings(result)
    assert timeline.kind == "timeline"
    assert titles(timeline) == ["2020", "2019", "2018", "Date unrecorded"]
    assert {title: [row.cells for row in rows] for title, rows in timeline.groups} == {
        "2020": [
            ("2020-03-03", "Update", "kube-a", "v4.0"),
            ("2020-01-15", "Update", "kube-a", "v3.0"),
        ],
        "2019": [
            ("2019-11-11", "Note", "kube-b", "v0.1"),
            ("2019-06-01", "Update", "kube-a", "v2.0"),
        ],
        "2018": [
            ("2018-05-05", "Update", "kube-c", "v0.2"),
            ("2018-02-01", "Note", "kube-a", "v1.0"),
        ],
        "Date unrecorded": [("unrecorded", "Note", "kube-c", "unrecorded")],
    }
    hrefs = [row.hrefs[0] for row in timeline.rows]
    # notes link to the project, updates to the update itself, on whichever page it is
    assert hrefs[0].startswith("b.html#") and hrefs[0] != "b.html#kube-a"
    assert hrefs[1].startswith("a.html#") and hrefs[1] != "a.html#kube-a"
    assert hrefs[2] == "a.html#kube-b"
    assert hrefs[5] == "a.html#kube-a"
    assert hrefs[6] == "a.html#kube-c"
    assert len(set(hrefs)) == len(hrefs)


def test_timeline_written_by_the_translator_reads_as_its_node_rendering(site: Site) -> None:
    """html writes the timeline as HTML while translating the page (render.translated);
    singlehtml gets it as docutils nodes at doctree-resolved: both read the same."""
    site.write(
        "a.md",
        """
        # A

        :::{project} kube-a
        :url: https://github.com/example/kube-a
        :date: 2018-02-01
        :version: v1.0
        :::

        :::{update}
        :project: kube-a
        :date: 2020-01-15
        :version: v3.0
        :::

        :::{project} kube-b
        :url: https://github.com/example/kube-b
        :date: unrecorded
        :version: v0.1
        :::
        """,
    )
    site.write("index.md", "# Timeline\n\n" + toctree("a") + "\n```{timeline}\n```\n")
    html, single = site.build("html"), site.build("singlehtml")
    assert html.findings == single.findings == []
    (translated,) = page_listings(html)
    (as_nodes,) = listings(single.page("index.html"))
    assert translated.kind == as_nodes.kind == "timeline"
    assert [row.cells for row in translated.rows] == [row.cells for row in as_nodes.rows]
    assert titles(translated) == titles(as_nodes) == ["2020", "2018", "Date unrecorded"]
    # the same entries linked, each on its own page (singlehtml: all on the one page)
    anchors = [[h.rpartition("#")[2] for h in row.hrefs] for row in translated.rows]
    assert anchors == [[h.rpartition("#")[2] for h in row.hrefs] for row in as_nodes.rows]


# -- todo-list -------------------------------------------------------------------------------------

TODO_PAGES = {
    "zeta.md": """
        # Zeta

        :::{todo-item} linkerd
        :priority: P2
        :::

        :::{todo-item} cilium
        :priority: P0
        :depth: deep
        :url: https://github.com/cilium/cilium
        :category: Special
        :::
        """,
    "alpha.md": """
        ---
        category: Networking
        ---
        # Alpha page

        :::{todo-item} istio
        :priority: P2
        :::

        :::{todo-item} envoy
        :priority: P3
        :::

        :::{todo-item} kuma
        :priority: P9
        :::

        :::{todo-item} osm
        :priority: P1
        :::
        """,
}


def test_todo_list_groups_by_priority_with_category(site: Site) -> None:
    for name, text in TODO_PAGES.items():
        site.write(name, text)
    site.write("index.md", "# TODO\n\n" + toctree("alpha", "zeta") + "\n```{todo-list}\n```\n")
    result = site.build()
    assert result.codes == ["bad-priority"]
    (todos,) = page_listings(result)
    assert todos.kind == "todo-list"
    assert {title: [row.cells for row in rows] for title, rows in todos.groups} == {
        "P0 (1)": [("cilium", "Special", "deep", "https://github.com/cilium/cilium")],
        "P1 (1)": [("osm", "Networking", "basic", "—")],
        "P2 (2)": [("istio", "Networking", "basic", "—"), ("linkerd", "Zeta", "basic", "—")],
        "P3 (1)": [("envoy", "Networking", "basic", "—")],
        # an item whose priority was rejected is still listed, last
        "No valid priority (1)": [("kuma", "Networking", "basic", "—")],
    }
    assert titles(todos) == ["P0 (1)", "P1 (1)", "P2 (2)", "P3 (1)", "No valid priority (1)"]
    assert todos.rows[0].hrefs == ("zeta.html#todo-cilium", "https://github.com/cilium/cilium")
    assert todos.rows[1].hrefs == ("alpha.html#todo-osm",)


def test_todo_list_follows_the_configured_priority_order(site: Site) -> None:
    site.write(
        "index.md",
        """
        # TODO

        :::{todo-item} a-later
        :priority: later
        :::

        :::{todo-item} b-now
        :priority: now
        :::

        :::{todo-item} c-soon
        :priority: soon
        :::

        ```{todo-list}
        ```
        """,
    )
    result = site.build(fieldnotes_priorities=["now", "soon", "later"])
    assert result.findings == []
    (todos,) = page_listings(result)
    assert names(todos) == {"now (1)": ["b-now"], "soon (1)": ["c-soon"], "later (1)": ["a-later"]}
    assert titles(todos) == ["now (1)", "soon (1)", "later (1)"]  # not alphabetical


# -- review-queue ----------------------------------------------------------------------------------

TODAY = dt.date(2026, 1, 1)
STALE_AFTER = 365  # threshold: 2025-01-01


def _project(
    name: str, date: str, version: str = "v1.0", updates: tuple[tuple[str, str], ...] = ()
) -> str:
    fence = "::::" if updates else ":::"
    body = "".join(f"\n:::{{update}}\n:date: {d}\n:version: {v}\n:::\n" for d, v in updates)
    return (
        f"{fence}{{project}} {name}\n:url: https://example.org/{name}\n:date: {date}\n"
        f":version: {version}\n{body}{fence}\n\n"
    )


def _days_old(date: str) -> str:
    return f"newest date is {(TODAY - dt.date.fromisoformat(date)).days} days old"


def test_review_queue_lists_unrecorded_and_stale_entries(site: Site) -> None:
    site.write(
        "notes.md",
        "# Notes\n\n"
        + _project("fresh", "2025-06-01")
        + _project("boundary", "2025-01-01")  # exactly the threshold: not stale yet
        + _project("just-stale", "2024-12-31")
        + _project("old", "2020-01-01")
        + _project("revived", "2019-01-01", updates=(("2025-03-03", "v2.0"),))
        + _project("still-old", "2018-01-01", updates=(("2023-01-01", "v2.0"),))
        + _project("undated", "unrecorded")
        + _project("unversioned", "2025-05-05", version="unrecorded")
        + _project("half-update", "2025-02-02", updates=(("2025-04-04", "unrecorded"),)),
    )
    site.write("index.md", "# Queue\n\n" + toctree("notes") + "\n```{review-queue}\n```\n")
    result = site.build(fieldnotes_today=TODAY.isoformat(), fieldnotes_stale_after_days=STALE_AFTER)
    assert result.findings == []
    (queue,) = page_listings(result)
    assert queue.kind == "review-queue"
    # undated first, then the oldest newest-date first; the newest date counts updates
    assert [row.cells for row in queue.rows] == [
        ("undated", "Notes", "—", "date unrecorded"),
        ("old", "Notes", "2020-01-01", _days_old("2020-01-01")),
        ("still-old", "Notes", "2023-01-01", _days_old("2023-01-01")),
        ("just-stale", "Notes", "2024-12-31", "newest date is 366 days old"),
        ("half-update", "Notes", "2025-04-04", "an update has an unrecorded field"),
        ("unversioned", "Notes", "2025-05-05", "version unrecorded"),
    ]
    assert [row.hrefs for row in queue.rows][:2] == [("notes.html#undated",), ("notes.html#old",)]


def test_review_queue_staleness_moves_with_today_and_threshold(site: Site) -> None:
    """The same notes, a later today: more of them are stale (so "today" is really used)."""
    site.write(
        "index.md",
        "# Queue\n\n" + _project("one", "2024-06-01") + _project("two", "2025-06-01")
        + "```{review-queue}\n```\n",
    )
    result = site.build(fieldnotes_today="2026-01-01", fieldnotes_stale_after_days=365)
    assert page_listings(result)[0].column() == ["one"]
    result = site.build(fieldnotes_today="2027-01-01", fieldnotes_stale_after_days=365)
    assert page_listings(result)[0].column() == ["one", "two"]
    # default threshold, 730 days: "one" is exactly 730 days old, not older
    result = site.build(fieldnotes_today="2026-06-01")
    assert page_listings(result)[0].items == [Empty("Every note is complete and recent.")]


# -- empty states ----------------------------------------------------------------------------------

ALL_INDEXES = """
# Indexes

```{project-index}
```

```{project-index}
:group-by: year
```

```{timeline}
```

```{todo-list}
```

```{review-queue}
```
"""


def test_every_index_has_an_empty_state(site: Site) -> None:
    site.write("index.md", ALL_INDEXES)
    result = site.build()
    assert result.findings == []
    assert [(listing.kind, listing.items) for listing in page_listings(result)] == [
        ("project-index", [Empty("No projects have been noted yet.")]),
        ("project-index", [Empty("No projects have been noted yet.")]),
        ("timeline", [Empty("Nothing is on the timeline yet.")]),
        ("todo-list", [Empty("Nothing is left to study.")]),
        ("review-queue", [Empty("Every note is complete and recent.")]),
    ]


def test_todo_list_is_empty_while_projects_exist(site: Site) -> None:
    site.write("index.md", ALL_INDEXES + "\n" + _project("recent", "2025-12-01"))
    result = site.build()
    found = page_listings(result)
    assert [listing.kind for listing in found if listing.rows] == [
        "project-index", "project-index", "timeline",
    ]
    assert found[3].items == [Empty("Nothing is left to study.")]
    assert found[4].items == [Empty("Every note is complete and recent.")]


# -- independence from read order ------------------------------------------------------------------

ORDER_CONTENT = [
    """
    # Gamma

    ::::{project} Mike
    :url: https://example.org/mike
    :date: 2019-01-01
    :version: v1.0
    :status: beta
    :tags: x, y

    :::{update}
    :date: 2021-04-04
    :version: v2.0
    :::
    ::::

    :::{todo-item} papa
    :priority: P1
    :::
    """,
    """
    # Beta

    :::{project} alfa
    :url: https://example.org/alfa
    :date: 2019-01-01
    :version: unrecorded
    :status: released
    :tags: y
    :::

    :::{todo-item} oscar
    :priority: P1
    :::
    """,
    """
    # Alpha

    :::{project} zulu
    :url: https://example.org/zulu
    :date: 2020-02-02
    :version: v0.3
    :tags: x
    :::

    :::{update}
    :project: alfa
    :date: 2022-02-02
    :version: v1.0
    :::

    :::{todo-item} november
    :priority: P1
    :::
    """,
]

ORDER_INDEX = (
    "".join(
        f"\n```{{project-index}}\n:group-by: {group}\n```\n"
        for group in ("none", "category", "status", "year", "tag")
    )
    + "\n```{timeline}\n```\n\n```{todo-list}\n```\n\n```{review-queue}\n```\n"
)


def test_listings_do_not_depend_on_read_order(site: Site) -> None:
    """The same three pages, named so that Sphinx reads them in opposite orders."""
    results = []
    for docnames in (["a", "b", "c"], ["c", "b", "a"]):
        for stale in site.srcdir.glob("?.md"):
            stale.unlink()
        for docname, text in zip(docnames, ORDER_CONTENT, strict=True):
            site.write(f"{docname}.md", text)
        site.write("index.md", "# Everything\n\n" + toctree(*docnames) + ORDER_INDEX)
        result = site.build(outname="-".join(docnames), fieldnotes_stale_after_days=1500)
        assert result.findings == []
        # Undo the renaming in the links, so that only the order of rows can differ.
        rename = {f"{d}.html": f"{c}.html" for d, c in zip(docnames, "abc", strict=True)}
        results.append([
            (listing.kind, [
                (item if not hasattr(item, "hrefs") else
                 (item.cells, tuple(rename.get(h.partition("#")[0], "") + "#" + h.partition("#")[2]
                                    for h in item.hrefs)))
                for item in listing.items
            ])
            for listing in page_listings(result)
        ])
    assert results[0] == results[1]
    # and the order is the documented one, not just a stable one
    by_name = results[0][0][1]
    assert [item[0][0] for item in by_name] == ["alfa", "Mike", "zulu"]
    timeline = results[0][5][1]
    assert [item[0][:3] for item in timeline if isinstance(item, tuple)] == [
        ("2022-02-02", "Update", "alfa"),
        ("2021-04-04", "Update", "Mike"),
        ("2020-02-02", "Note", "zulu"),
        ("2019-01-01", "Note", "alfa"),
        ("2019-01-01", "Note", "Mike"),
    ]


def test_a_threshold_reaching_back_before_year_one_is_no_crash(site):
    """fieldnotes_stale_after_days larger than the calendar: nothing is stale, nothing breaks."""
    site.write(
        "index.md",
        """
        # Notes

        :::{project} ancient
        :url: https://example.org/ancient
        :date: 2018-06-02
        :version: v1
        :::

        :::{review-queue}
        :::
        """,
    )
    result = site.build(fieldnotes_today="0002-01-01", fieldnotes_stale_after_days=10**6)
    assert "Traceback" not in result.warnings and "Exception" not in result.warnings
    page = result.page("index.html")
    assert "Every note is complete and recent." in page
    assert "stale" not in page.split('class="fieldnotes-summary')[1].split("</p>")[0]
