"""The readers' side of the shipped site, in a real browser and as a feed reader sees it (issue 8).

``test_browser_suite`` builds the site with the real ``sphinx-build`` and runs ``tests/browser/``
(node's test runner, Playwright driving Debian's Chromium, axe-core) against it: the filter narrows
the All projects table, sorting orders it, a row's link reaches the entry's anchor and its history,
the feed is linked and parses as Atom, the home page overview and its charts, the landscape map
(without JavaScript, in light and dark mode, at phone width, in print, and with "new" / "updated"
marks on a second build with a wider ``fieldnotes_recent_days``), and no serious or critical axe
violations. Screenshots of the map and the charts go to ``$FIELDNOTES_SCREENSHOTS`` (a temporary
directory by default) for people to look at; the tests compare layout, never pixels. It
never skips: without Chromium or the npm packages it fails and says how to install them (``make
test`` does, through the Makefile's browser bootstrap).

The Atom feed is also checked here with ``xml.etree``: required elements, unique stable ids, newest
first, every entry's link landing on its anchor.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from sites import REPO

BROWSER_TESTS = REPO / "tests" / "browser"
CHROMIUM = os.environ.get("FIELDNOTES_CHROMIUM", "/usr/bin/chromium")
ATOM = "{http://www.w3.org/2005/Atom}"
# 2026-01-01: every shipped note is then older than fieldnotes_stale_after_days (730).
TODAY_EPOCH = "1767225600"
TODAY = "2026-01-01"
# For the second build: reaches back to 2018-09-29, between the shipped notes' dates, so some
# projects are "new", some "updated" and the rest neither.
RECENT_DAYS = 2650
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def build_shipped(out: Path, *settings: str) -> Path:
    """The shipped site, built as ``make html`` builds it (warnings are errors)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", *settings,
         ".", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shipped(tmp_path_factory.mktemp("shipped") / "html")


@pytest.fixture(scope="module")
def recent_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("recent") / "html"
    return build_shipped(out, "-D", f"fieldnotes_recent_days={RECENT_DAYS}")


@pytest.fixture(scope="module")
def german_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site in German: the filter builds its form in the site's words (issue 17)."""
    return build_shipped(tmp_path_factory.mktemp("german") / "html", "-D", "language=de")


def test_browser_suite(
    shipped_site: Path,
    recent_site: Path,
    german_site: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: the browser tests need Node.js 20 or newer")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. Run 'make test' "
            "(its bootstrap runs 'apt-get install -y chromium' as root) or install it yourself; "
            "set FIELDNOTES_CHROMIUM to use another Chromium binary."
        )
    for package in ("playwright-core", "axe-core"):
        if not (BROWSER_TESTS / "node_modules" / package / "package.json").exists():
            pytest.fail(
                f"tests/browser/node_modules/{package} is missing: run 'npm ci' in tests/browser "
                "(make test does)."
            )
    result = subprocess.run(
        [node, "--test", "--test-reporter=tap", "site.test.mjs"],
        cwd=BROWSER_TESTS,
        env={
            "FIELDNOTES_SCREENSHOTS": str(tmp_path_factory.mktemp("screenshots")),
            **os.environ,
            "FIELDNOTES_SITE": str(shipped_site),
            "FIELDNOTES_SITE_RECENT": str(recent_site),
            "FIELDNOTES_SITE_DE": str(german_site),
            "FIELDNOTES_RECENT_DAYS": str(RECENT_DAYS),
            "FIELDNOTES_TODAY": TODAY,
            "FIELDNOTES_CHROMIUM": CHROMIUM,
        },
        capture_output=True, text=True, timeout=900, check=False,
    )
    output = result.stdout + result.stderr
    counts = {k: int(v) for k, v in re.findall(r"^# (pass|fail|cancelled|skipped|todo) (\d+)$",
                                               output, re.MULTILINE)}
    print(output)  # shown by pytest on failure, and with -s: the axe summary lines among it
    assert result.returncode == 0, output[-6000:]
    assert counts.get("fail") == 0 and counts.get("cancelled") == 0, counts
    assert counts.get("skipped") == 0 and counts.get("todo") == 0, counts
    # As many tests as site.test.mjs declares ran and passed: none silently dropped.
    declared = len(re.findall(r"^\s*test\(", (BROWSER_TESTS / "site.test.mjs").read_text(), re.M))
    axe_pages = 6  # the accessibility test runs once per scanned page
    assert counts.get("pass") == declared - 1 + axe_pages, counts


def feed_of(site: Path) -> ET.Element:
    return ET.parse(site / "feed.xml").getroot()


def test_feed_is_atom_with_required_elements(shipped_site: Path) -> None:
    root = feed_of(shipped_site)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{tag}")) == 1, tag
        assert (root.findtext(f"{ATOM}{tag}") or "").strip(), tag
    # Entries have no author of their own, so the feed must have one with a name.
    assert (root.findtext(f"{ATOM}author/{ATOM}name") or "").strip()
    assert RFC3339.match(root.findtext(f"{ATOM}updated") or "")
    entries = root.findall(f"{ATOM}entry")
    assert entries
    ids = []
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{tag}")) == 1, (tag, ET.tostring(entry))
        assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
        links = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert len(links) == 1
        ids.append(entry.findtext(f"{ATOM}id"))
    assert all(i and re.match(r"^[a-z][a-z0-9+.-]*:", i) for i in ids), ids  # absolute IRIs
    assert len(set(ids)) == len(ids)


def test_feed_lists_every_dated_note_and_update_newest_first(shipped_site: Path) -> None:
    root = feed_of(shipped_site)
    entries = root.findall(f"{ATOM}entry")
    data = json.loads((shipped_site / "fieldnotes.json").read_text(encoding="utf-8"))

    def dated(value: str | None) -> bool:
        return bool(value) and value != "unrecorded"

    expected = sum(dated(p["date"]) for p in data["projects"])
    expected += sum(dated(u["date"]) for p in data["projects"] for u in p["updates"])
    assert len(entries) == expected
    stamps = [e.findtext(f"{ATOM}updated") for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert root.findtext(f"{ATOM}updated") == stamps[0]
    titles = [e.findtext(f"{ATOM}title") or "" for e in entries]
    assert any(t.startswith("Update: multus-cni") for t in titles)
    assert any(t.startswith("New note: multus-cni") for t in titles)
    # Every entry's link lands on its anchor in the built page.
    for entry in entries:
        href = next(link.get("href") for link in entry.findall(f"{ATOM}link"))
        page, _, anchor = href.partition("#")
        assert anchor, href
        html = (shipped_site / page).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, href


def test_every_page_links_the_feed(shipped_site: Path) -> None:
    for page in ("source/index.html", "source/all-projects.html", "source/networking.html"):
        html = (shipped_site / page).read_text(encoding="utf-8")
        link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"',
                         html)
        assert link, page
        assert (shipped_site / page).parent.joinpath(link.group(1)).resolve() == (
            shipped_site / "feed.xml"
        ).resolve()
