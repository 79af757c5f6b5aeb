"""What readers get beyond the indexes (issue 8): the stale mark and the history (linked updates)
on each entry, kept right on incremental builds; the filterable project index; the home page
overview; the Atom feed's settings. Built with the real Sphinx, read back from the written files.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree as ET

import pytest

from sites import Finding, Site

ATOM = "{http://www.w3.org/2005/Atom}"


def epoch(date: str) -> str:
    return str(int(dt.datetime.fromisoformat(f"{date}T12:00:00+00:00").timestamp()))


def summary(html: str, anchor: str) -> str:
    """The summary paragraph of the entry at *anchor*."""
    start = html.index(f'id="{anchor}"')
    match = re.search(r'<p class="fieldnotes-summary">(.*?)</p>', html[start:], re.S)
    assert match, anchor
    return match.group(1)


def history(html: str, anchor: str) -> str:
    """The history block of the entry at *anchor*, or "" when it has none."""
    section = html[html.index(f'id="{anchor}"'):]
    section = section[: section.index("</section>")]
    match = re.search(r'<div class="fieldnotes-history.*?</ol>', section, re.S)
    return match.group(0) if match else ""


def corpus(site: Site) -> None:
    site.write("index.md", """
        # Home

        ```{toctree}
        a
        b
        ```
    """)
    site.write("a.md", """
        # Alpha page

        :::{project} alpha
        :url: https://example.org/alpha
        :date: 2020-01-01
        :version: v1.0
        :::
    """)
    site.write("b.md", """
        # Beta page

        Prose only.
    """)


def test_stale_mark_follows_today_on_an_incremental_build(site: Site) -> None:
    corpus(site)
    site.env["SOURCE_DATE_EPOCH"] = epoch("2021-01-01")
    first = site.build(outname="inc", fieldnotes_today=None)
    assert first.status == 0, first.warnings
    assert "fieldnotes-stale" not in summary(first.page("a.html"), "alpha")

    # Nothing changed in the sources: only fieldnotes can have a.html written again.
    site.env["SOURCE_DATE_EPOCH"] = epoch("2023-01-01")
    second = site.build(outname="inc", fieldnotes_today=None)
    assert "fieldnotes-stale" in summary(second.page("a.html"), "alpha")
    clean = site.build(outname="clean", fresh=True, fieldnotes_today=None)
    assert second.page("a.html") == clean.page("a.html")


def test_entry_links_to_updates_on_other_pages_incrementally(site: Site) -> None:
    corpus(site)
    site.env["SOURCE_DATE_EPOCH"] = epoch("2021-01-01")
    first = site.build(outname="inc", fieldnotes_today=None)
    assert history(first.page("a.html"), "alpha") == ""  # the summary says it all

    site.write("b.md", """
        # Beta page

        :::{update}
        :project: alpha
        :date: 2020-06-01
        :version: v1.1
        Alpha grew.
        :::
    """)
    second = site.build(outname="inc", fieldnotes_today=None)
    assert second.status == 0, second.warnings
    links = history(second.page("a.html"), "alpha")
    assert re.search(r'href="b.html#alpha-update-2020-06-01"[^>]*><span>2020-06-01</span>', links)
    assert re.search(r"2020-01-01</span></span> <span[^>]*>noted</span> <span[^>]*>v1.0<", links)
    assert re.search(r"2020-06-01</span></a></span> <span[^>]*>updated</span> <span[^>]*>v1.1<",
                     links)
    clean = site.build(outname="clean", fresh=True, fieldnotes_today=None)
    assert second.page("a.html") == clean.page("a.html")

    # On 2023-01-01 the newest date (2020-06-01) is over 730 days old: stale. Then the update on the
    # other page moves to 2022, and alpha's page must lose its stale mark and show the new date.
    site.env["SOURCE_DATE_EPOCH"] = epoch("2023-01-01")
    third = site.build(outname="inc", fieldnotes_today=None)
    assert "fieldnotes-stale" in summary(third.page("a.html"), "alpha")
    site.write("b.md", site.srcdir.joinpath("b.md").read_text().replace("2020-06-01", "2022-06-01"))
    fourth = site.build(outname="inc", fieldnotes_today=None)
    assert "fieldnotes-stale" not in summary(fourth.page("a.html"), "alpha")
    assert "2022-06-01" in history(fourth.page("a.html"), "alpha")
    clean = site.build(outname="clean", fresh=True, fieldnotes_today=None)
    assert fourth.page("a.html") == clean.page("a.html")

    # The history shows the update's version too: editing only that, on the other page, must
    # rewrite alpha's page.
    site.write("b.md", site.srcdir.joinpath("b.md").read_text().replace("v1.1", "v1.2"))
    fifth = site.build(outname="inc", fieldnotes_today=None)
    assert ">v1.2<" in history(fifth.page("a.html"), "alpha")
    clean = site.build(outname="clean", fresh=True, fieldnotes_today=None)
    assert fifth.page("a.html") == clean.page("a.html")


def catalog_site(site: Site) -> None:
    site.write("index.md", """
        # Home

        :::{fieldnotes-overview}
        :::

        :::{fieldnotes-landscape}
        :::

        ```{toctree}
        net
        sec
        all
        todo
        ```
    """)
    site.write("net.md", """
        ---
        category: Networking
        ---
        # Networking

        ::::{project} calico
        :url: https://example.org/calico
        :date: 2018-03-01
        :version: v3.0
        :status: released

        :::{update}
        :date: 2019-02-01
        :version: v3.5
        :::
        ::::

        :::{project} flannel
        :url: https://example.org/flannel
        :date: 2017-05-01
        :version: v0.7
        :status: beta
        :::
    """)
    site.write("sec.md", """
        # Security

        :::{project} audit2rbac
        :url: https://example.org/audit2rbac
        :date: unrecorded
        :version: unrecorded
        :::
    """)
    site.write("all.md", """
        # All

        :::{project-index}
        :filter:
        :::
    """)
    site.write("todo.md", """
        # TODO

        :::{todo-item} zeta
        :priority: P2
        :::

        :::{todo-item} kappa
        :priority: P0
        :::
    """)


def test_filterable_index_is_one_table_with_a_class_per_column(site: Site) -> None:
    catalog_site(site)
    result = site.build()
    assert result.status == 0, result.warnings
    html = result.page("all.html")
    assert len(re.findall(r'<table class="[^"]*fieldnotes-filterable', html)) == 1
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = re.findall(r"<tr class=\"row-(?:even|odd)\">(.*?)</tr>", body, re.S)
    assert len(rows) == 3
    for row in rows:
        cells = re.findall(r'<td class="fieldnotes-(\w+)"', row)
        assert cells == ["name", "category", "date", "version", "status"]
    assert "fieldnotes-filter.js" in html


def test_filter_takes_no_value_and_ignores_group_by(site: Site) -> None:
    catalog_site(site)
    site.write("all.md", """
        # All

        :::{project-index}
        :filter: yes
        :group-by: category
        :::
    """)
    result = site.build()
    messages = [f.message for f in result.findings if f.code == "unknown-option"]
    assert any(":filter: takes no value" in m for m in messages), result.warnings
    assert any(":group-by: is ignored" in m for m in messages), result.warnings
    assert len(re.findall(r"fieldnotes-filterable", result.page("all.html"))) == 1


def test_overview_counts_latest_and_top_todos(site: Site) -> None:
    catalog_site(site)
    result = site.build()
    html = result.page("index.html")
    assert "3 projects in 2 categories; 2 projects still to study." in html

    def rows(cls: str) -> list[list[str]]:
        table = re.search(rf'<table class="[^"]*{cls}.*?</table>', html, re.S)
        assert table, cls
        return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
                for r in re.findall(r"<tbody>.*?</tbody>", table.group(0), re.S)[0].split("</tr>")
                if "<td" in r]

    assert rows("fieldnotes-overview-categories") == [["Networking", "2"], ["Security", "1"]]
    assert rows("fieldnotes-overview-statuses") == [["released", "1"], ["beta", "1"],
                                                    ["(no status)", "1"]]
    latest = rows("fieldnotes-overview-latest")
    assert [r[:3] for r in latest] == [["2019-02-01", "Update", "calico"],
                                       ["2018-03-01", "Note", "calico"],
                                       ["2017-05-01", "Note", "flannel"]]
    assert rows("fieldnotes-overview-todos") == [["kappa", "P0", "TODO"], ["zeta", "P2", "TODO"]]
    assert re.search(r'<a class="reference external" href="feed.xml">Atom feed</a>', html)


@pytest.mark.parametrize("builder", ["text", "latex", "singlehtml", "dirhtml", "dummy"])
def test_new_nodes_render_or_vanish_in_every_builder(site: Site, builder: str) -> None:
    catalog_site(site)
    result = site.build(builder)
    assert result.status == 0, result.warnings
    if builder == "text":
        text = (result.outdir / "net.txt").read_text(encoding="utf-8")
        assert re.search(r"1\. 2018-03-01 noted v3\.0\s+2\. 2019-02-01 updated v3\.5", text)
        assert "stale" in text  # today is 2026-01-01 in these tests
        index = (result.outdir / "index.txt").read_text(encoding="utf-8")
        assert "Projects by category" in index
        assert re.search(r"^\* calico \(released, stale\)$", index, re.M)  # the map, in words


def test_feed_does_not_depend_on_today_and_obeys_its_settings(site: Site) -> None:
    catalog_site(site)
    site.env["SOURCE_DATE_EPOCH"] = epoch("2024-01-01")
    one = (site.build(outname="one").outdir / "feed.xml").read_bytes()
    site.env["SOURCE_DATE_EPOCH"] = epoch("2025-06-01")
    two = (site.build(outname="two").outdir / "feed.xml").read_bytes()
    assert one == two
    root = ET.fromstring(one)
    assert root.findtext(f"{ATOM}updated") == "2019-02-01T00:00:00Z"
    hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert "net.html#calico" in hrefs and not any("://" in h for h in hrefs)

    absolute = site.build(outname="abs", fieldnotes_site_url="https://notes.example.org/")
    root = ET.parse(absolute.outdir / "feed.xml").getroot()
    hrefs = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert hrefs == {"alternate": "https://notes.example.org/index.html",
                     "self": "https://notes.example.org/feed.xml"}
    entry_hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert "https://notes.example.org/net.html#calico" in entry_hrefs
    # Entry ids do not change when the site moves.
    assert [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")] == [
        e.findtext(f"{ATOM}id") for e in ET.fromstring(one).findall(f"{ATOM}entry")
    ]

    disabled = site.build(outname="off", fieldnotes_feed="")
    assert not (disabled.outdir / "feed.xml").exists()
    assert "application/atom+xml" not in disabled.page("index.html")


def test_bad_site_url_is_a_configuration_error(site: Site) -> None:
    catalog_site(site)
    result = site.build(fieldnotes_site_url="notes.example.org")
    assert result.status != 0
    assert result.findings == [
        Finding(
            "conf.py",
            5,
            "ERROR",
            "config",
            "fieldnotes_site_url = 'notes.example.org' must be an http(s) URL such as "
            "'https://example.org/notes', or ''; using ''",
        )
    ]
