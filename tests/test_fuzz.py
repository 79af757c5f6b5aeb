"""Property-based pages (issue 7): random combinations of ``project``, ``update`` and ``todo-item``
with valid and invalid option values, nested, colon and backtick fences, a last fence left unclosed,
and duplicate names across pages.

Each example is a small site of 2-3 generated pages plus an index page, built with the real Sphinx
and MyST (html). The generator knows the line of every option, so it predicts every diagnostic.
Invariants, per example:

- no traceback, "Extension error" or "Exception occurred";
- the fieldnotes diagnostics are exactly the predicted multiset of (page, line, level, code): each
  invalid field gives exactly one, with its file and line and the right code;
- every named entry appears in every index page that lists it and in ``fieldnotes.json``;
- the exit status is non-zero exactly when an ERROR was printed.

Profiles (``profiles.py``): ``ci`` (default, 25 examples, derandomized), ``long``
(``HYPOTHESIS_PROFILE=long``, used by ``make fuzz``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profiles import PROFILE
from sites import Site


CRASH = ("Traceback", "Extension error", "Exception occurred")

# -- value pools: (value, code or None) -----------------------------------------------------------
BAD_DATES = ["2018-13-01", "2018-6-2", "2019-02-29", "18-06-02", "２０１８-０６-０２", "yesterday",
             "2018-06-02x", "9" * 300, "2018/06/02", "2018-00-10"]
BAD_VERSIONS = ["v 1.0", "latest", "1.0 beta", "v١.٢", "x" * 5000, "v1..2", "1.0-", "v"]
BAD_URLS = ["javascript:alert(1)", "ftp://x.example", "https://", "http://exa mple.com",
            "data:text/html,<b>x</b>", "//example.com/x", "mailto:a@b.c", "http://[::1",
            "https://a.example:port/"]
GOOD_URLS = ["https://example.com", "http://a.example/path?q=1", "HTTPS://EXAMPLE.ORG/x_y",
             "https://例え.jp/パス", "https://x.example/a\"b"]
GOOD_VERSIONS = ["v0.2", "1.5.3", "v1.0.0-rc.1", "unreleased", "unrecorded", "UNRECORDED", "2"]

WORD = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd")), min_size=1, max_size=8
)
# free text for vendor/category/tags: any character but line breaks and MyST/option syntax
FREE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029`:{}#\"'"),
    max_size=40,
).map(str.strip)


def _field(valid, invalid: list[str], code: str):
    """(value or None, expected code or None, how) for a required option."""
    return st.one_of(
        valid.map(lambda v: (v, None)),
        st.sampled_from(invalid).map(lambda v: (v, code)),
        st.just((None, "missing")),  # option absent
        st.just(("", "missing")),  # option present, empty
    )


PROJECT_DATES = st.dates(min_value=__import__("datetime").date(2000, 1, 1),
                         max_value=__import__("datetime").date(2009, 12, 31)).map(str)


@dataclass
class Page:
    lines: list[str] = field(default_factory=list)
    expected: list[tuple[int, str, str]] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)

    def add(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)

    def expect(self, line: int, code: str) -> None:
        level = "ERROR" if code.startswith(("missing", "bad-date", "bad-version", "bad-url",
                                            "bad-priority", "duplicate")) else "WARNING"
        self.expected.append((line, level, code))


def _option(page: Page, key: str, drawn: tuple[str | None, str | None], missing: str,
            bad: str, fence: int) -> None:
    value, code = drawn
    if value is None:
        page.expect(fence, missing)
        return
    line = page.add(f":{key}: {value}".rstrip() if value else f":{key}:")
    if code == "missing":
        page.expect(line, missing)
    elif code is not None:
        page.expect(line, bad)


@st.composite
def sites(draw):
    names: list[str] = []  # every project name, for :project: targets and duplicates
    n_pages = draw(st.integers(2, 3))
    pages = [Page() for _ in range(n_pages)]
    counter = 0
    blocks = []
    for p in range(n_pages):
        for _ in range(draw(st.integers(1, 4))):
            blocks.append((p, draw(st.sampled_from(["project", "project", "todo", "update"]))))
    draw(st.randoms()).shuffle(blocks)
    seen_keys: set[str] = set()
    for p, kind in sorted(blocks, key=lambda b: b[0]):
        page = pages[p]
        if not page.lines:
            page.add(f"# Page {p}")
            page.add("")
        counter += 1
        backtick = draw(st.booleans())
        inner = "```" if backtick else ":::"
        outer = "````" if backtick else "::::"
        if kind == "project":
            fresh_name = False
            if names and draw(st.integers(0, 4)) == 0:
                name = draw(st.sampled_from(names))  # a duplicate, maybe on another page
                shown = draw(st.sampled_from([name, name.upper(), f"  {name.lower()}  "]))
            elif draw(st.integers(0, 12)) == 0:
                name, shown = None, ""
            else:
                name = " ".join(draw(st.lists(WORD, min_size=1, max_size=3))) + f" Q{counter}Z"
                shown = name
                fresh_name = True
            fence = page.add(f"{outer}{{project}} {shown}".rstrip())
            if name is None:
                page.expect(fence, "missing-name")
            elif " ".join(name.split()).casefold() in seen_keys:
                page.expect(fence, "duplicate-project")
            else:
                seen_keys.add(" ".join(name.split()).casefold())
            _option(page, "url", draw(_field(st.sampled_from(GOOD_URLS), BAD_URLS, "bad-url")),
                    "missing-url", "bad-url", fence)
            date = draw(_field(st.one_of(PROJECT_DATES, st.just("unrecorded"), st.just("2031-02-03")),
                               BAD_DATES, "bad-date"))
            _option(page, "date", date, "missing-date", "bad-date", fence)
            future = date[0] == "2031-02-03"
            if future and name is not None:
                page.expect(fence, "future-date")
            elif fresh_name:
                # only names dated in the past take updates from elsewhere and duplicates: an
                # update of a future note is an update-before-project, tested in the catalog
                names.append(name)
            _option(page, "version", draw(_field(st.sampled_from(GOOD_VERSIONS), BAD_VERSIONS,
                                                 "bad-version")), "missing-version", "bad-version", fence)
            if draw(st.booleans()):
                page.add(f":vendor: {draw(FREE)}".rstrip())
            if draw(st.booleans()):
                page.add(f":tags: {draw(FREE)}, {draw(FREE)}".rstrip())
            if draw(st.booleans()):
                page.add(f":category: {draw(FREE)}".rstrip())
            if draw(st.integers(0, 5)) == 0:
                page.expect(page.add(":status: shiny"), "bad-status")
            if draw(st.integers(0, 5)) == 0:
                page.expect(page.add(":colour: red"), "unknown-option")
            page.add("")
            page.add(draw(FREE) or "Body.")
            dates = sorted(draw(st.lists(st.dates(min_value=__import__("datetime").date(2010, 1, 1),
                                                  max_value=__import__("datetime").date(2025, 12, 31)).map(str),
                                         max_size=3 if fresh_name and not future else 0)))
            for update_date in dates:
                page.add("")
                ufence = page.add(f"{inner}{{update}}")
                bad = draw(st.integers(0, 4)) == 0
                if bad:
                    page.expect(page.add(f":date: {draw(st.sampled_from(BAD_DATES))}"), "bad-date")
                else:
                    page.add(f":date: {update_date}")
                _option(page, "version", draw(_field(st.sampled_from(GOOD_VERSIONS), BAD_VERSIONS,
                                                     "bad-version")), "missing-version", "bad-version", ufence)
                page.add(inner)
            if name is not None:
                page.projects.append(shown)
            page.add(outer)
        elif kind == "todo":
            name = " ".join(draw(st.lists(WORD, min_size=1, max_size=3))) + f" Q{counter}Z"
            fence = page.add(f"{inner}{{todo-item}} {name}")
            _option(page, "priority", draw(_field(st.sampled_from(["P0", "P1", "p2", "P3"]),
                                                  ["P9", "urgent", "p 1"], "bad-priority")),
                    "missing-priority", "bad-priority", fence)
            depth = draw(st.sampled_from([None, "basic", "DEEP", "shallow"]))
            if depth:
                line = page.add(f":depth: {depth}")
                if depth == "shallow":
                    page.expect(line, "bad-depth")
            url = draw(st.one_of(st.none(), st.sampled_from(GOOD_URLS), st.sampled_from(BAD_URLS)))
            if url:
                line = page.add(f":url: {url}")
                if url in BAD_URLS:
                    page.expect(line, "bad-url")
            if draw(st.booleans()):
                page.add(f":category: {draw(FREE)}".rstrip())
            page.add("")
            page.add(draw(FREE) or "To do.")
            page.add(inner)
            page.todos.append(name)
        else:  # a top-level update: orphan, unknown target, or a known project
            fence = page.add(f"{inner}{{update}}")
            page.add(":date: " + draw(st.sampled_from(["2025-12-31", "unrecorded"])))
            page.add(":version: v9")
            target = draw(st.one_of(st.none(), st.just("no such project"),
                                    st.sampled_from(names) if names else st.none()))
            if target is None:
                page.expect(fence, "orphan-update")
            else:
                line = page.add(f":project: {target}")
                if target == "no such project":
                    page.expect(line, "unknown-project")
            page.add(inner)
        page.add("")
    # maybe leave the last fence of a page unclosed (it then ends at the end of the page). Only a
    # todo-item or top-level update: inside an unclosed project fence MyST numbers the nested
    # directives one line late (a MyST quirk, see the issue note), which is not fieldnotes' to fix.
    for page in pages:
        if draw(st.integers(0, 3)) == 0 and page.lines and page.lines[-2] in (":::", "```"):
            del page.lines[-2]
    # a duplicate only counts once its first definition exists: recompute in page/line order
    return pages


def _fix_duplicates(pages: list[Page]) -> None:
    """Duplicate-project goes to every definition but the first in (page, line) order."""
    for page in pages:
        page.expected = [e for e in page.expected if e[2] != "duplicate-project"]
    seen: set[str] = set()
    for number, page in enumerate(pages):
        for line_no, text in enumerate(page.lines, 1):
            for fence in ("::::{project}", "````{project}"):
                if text.startswith(fence):
                    name = text[len(fence):].strip()
                    if not name:
                        continue
                    key = " ".join(name.split()).casefold()
                    if key in seen:
                        page.expected.append((line_no, "ERROR", "duplicate-project"))
                    seen.add(key)


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return Site(tmp_path_factory.mktemp("fuzz"))


@settings(settings.get_profile(PROFILE))
@given(pages=sites())
def test_generated_sites_keep_their_invariants(fuzz_site: Site, pages: list[Page]) -> None:
    _fix_duplicates(pages)
    site = fuzz_site
    for old in site.srcdir.glob("*.md"):
        old.unlink()
    toctree = "\n".join(f"p{i}" for i in range(len(pages)))
    site.write("index.md", f"# Index\n\n```{{toctree}}\n{toctree}\n```\n\n:::{{project-index}}\n:::\n\n"
               ":::{timeline}\n:::\n\n:::{todo-list}\n:::\n\n:::{review-queue}\n:::\n")
    for i, page in enumerate(pages):
        (site.srcdir / f"p{i}.md").write_text("\n".join(page.lines) + "\n", encoding="utf-8")
    result = site.build("html", fresh=True)

    for marker in CRASH:
        assert marker not in result.warnings, result.warnings
    expected = Counter((f"p{i}.md", line, level, code)
                       for i, page in enumerate(pages) for line, level, code in page.expected)
    found = Counter((f.path, f.line, f.level, f.code) for f in result.findings)
    assert found == expected, result.warnings
    printed_error = any(": ERROR:" in line for line in result.warnings.splitlines())
    assert (result.status != 0) == printed_error

    data = json.loads(result.page("fieldnotes.json"))
    index = result.page("index.html")
    for i, page in enumerate(pages):
        exported = Counter(p["name"] for p in data["projects"] if p["docname"] == f"p{i}")
        assert exported == Counter(" ".join(n.split()) for n in page.projects)
        todos = Counter(t["name"] for t in data["todos"] if t["docname"] == f"p{i}")
        assert todos == Counter(page.todos)
    for project in data["projects"]:
        # project index, timeline and review queue (every note is years old or unrecorded)
        assert index.count(_html(project["name"])) >= 3, project["name"]
    for todo in data["todos"]:
        assert _html(todo["name"]) in index


def _html(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
