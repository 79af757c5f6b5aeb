"""Safe output (issue 7): every field value is escaped in every builder, only http(s) URLs become
links, and nothing on one page can inject markup into another page's index rows.

One site holds hostile names, vendors, tags, categories, page titles and URLs; it is built with the
html, singlehtml, text and latex builders, and each output is checked for the raw payloads.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sites import Site

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEX = "\\input{x}"
TEX_SPECIALS = "{}%$&#_^~"
ROW_BREAKER = "</a></p></td></tr><tr><td>injected row"
QUOTE_URL = 'https://x.example/a"onmouseover="alert(1)'
BAD_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(2)", "data:text/html,<b>x</b>", "vbscript:x"]

HOSTILE_PAGE = f"""\
---
category: "{SCRIPT.replace('"', "")}"
---
# Page title {TEX}

::::{{project}} {SCRIPT}
:url: {QUOTE_URL}
:date: 2018-06-02
:version: v1
:vendor: {IMG}
:tags: {TEX}, {SCRIPT}, {TEX_SPECIALS.replace(",", "")}
:category: {TEX_SPECIALS}
:replaced-by: {ROW_BREAKER}

Body.

:::{{update}}
:date: 2019-01-01
:version: v2
:::
::::

:::{{project}} {ROW_BREAKER}
:url: https://row.example
:date: unrecorded
:version: unrecorded
:vendor: {TEX} {TEX_SPECIALS}
:::

:::{{project}} {TEX} {TEX_SPECIALS}
:url: https://tex.example
:date: 2017-01-01
:version: 1.0
:::
""" + "".join(
    f"""
:::{{todo-item}} bad url {i} {IMG}
:priority: P1
:url: {url}
:category: {IMG}
:::
"""
    for i, url in enumerate(BAD_URLS)
)

INDEX = """\
# Index

```{toctree}
hostile
plain
```

:::{project-index}
:::

:::{project-index}
:group-by: tag
:::

:::{project-index}
:group-by: category
:::

:::{timeline}
:::

:::{todo-list}
:::

:::{review-queue}
:::
"""

PLAIN = """\
# Plain

:::{project} Plain One
:url: https://plain.example
:date: 2018-01-01
:version: v1
:::
"""

N_PROJECTS = 4  # three hostile + one plain


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    site = Site(tmp_path_factory.mktemp("escaping"))
    site.write("index.md", INDEX)
    site.write("hostile.md", HOSTILE_PAGE)
    site.write("plain.md", PLAIN)
    return {b: site.build(b) for b in ("html", "singlehtml", "text", "latex")}


def _files(outdir: Path, suffix: str) -> dict[str, str]:
    return {str(p.relative_to(outdir)): p.read_text(encoding="utf-8") for p in outdir.rglob(f"*{suffix}")}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: dict[str, int] = {}
        self._table: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in ("a", "link", "area", "base") and attributes.get("href") is not None:
            self.hrefs.append(attributes["href"] or "")
        if tag == "table":
            classes = (attributes.get("class") or "").split()
            self._table.append(next((c for c in classes if c.startswith("fieldnotes-") and c != "fieldnotes-table"), ""))
        if tag == "tr" and self._table:
            key = self._table[-1]
            self.rows[key] = self.rows.get(key, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._table:
            self._table.pop()


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_builds_finish_without_crash(builds) -> None:
    for builder, result in builds.items():
        for marker in ("Traceback", "Extension error", "Exception occurred"):
            assert marker not in result.warnings, builder
        # exactly the four bad todo URLs are errors; nothing else fails
        assert sorted(result.codes).count("bad-url") == len(BAD_URLS), builder
        assert result.status != 0


@pytest.mark.parametrize("builder", ["html", "singlehtml"])
def test_html_has_no_raw_payload(builds, builder: str) -> None:
    pages = _files(builds[builder].outdir, ".html")
    assert pages
    for name, html in pages.items():
        assert SCRIPT not in html, name
        assert "<img src=x" not in html, name
        assert "<b>x</b>" not in html, name
        assert "<td>injected row" not in html, name
        assert 'onmouseover="alert' not in html, name
        parsed = _parse(html)
        for tag, attributes in parsed.tags:
            assert tag != "img", (name, attributes)
            assert not any(k.startswith("on") for k in attributes), (name, tag, attributes)
    index = pages["index.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index  # the payload is shown, as text


@pytest.mark.parametrize("builder", ["html", "singlehtml"])
def test_only_http_urls_become_links(builds, builder: str) -> None:
    for name, html in _files(builds[builder].outdir, ".html").items():
        for href in _parse(html).hrefs:
            scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", href)
            assert scheme is None or scheme[1].lower() in ("http", "https", "mailto"), (name, href)
            assert "javascript" not in href.lower() and "vbscript" not in href.lower(), (name, href)
    entry_pages = "".join(_files(builds[builder].outdir, ".html").values())
    assert 'href="https://x.example/a&quot;onmouseover=&quot;alert(1)"' in entry_pages


def test_index_rows_are_not_injected(builds) -> None:
    # header row + one row per project, however hostile the names
    html = builds["html"].page("index.html")
    tables = re.findall(r'<table class="[^"]*fieldnotes-project-index[^"]*".*?</table>', html, re.S)
    assert tables
    first = _parse(tables[0])
    assert first.rows["fieldnotes-project-index"] == N_PROJECTS + 1
    todo_tables = re.findall(r'<table class="[^"]*fieldnotes-todo-list[^"]*".*?</table>', html, re.S)
    assert sum(_parse(t).rows["fieldnotes-todo-list"] - 1 for t in todo_tables) == len(BAD_URLS)


def test_latex_escapes_every_value(builds) -> None:
    tex = "\n".join(_files(builds["latex"].outdir, ".tex").values())
    body = tex[tex.index("\\begin{document}"):]
    assert "\\input{x}" not in body
    assert "\\textbackslash{}input\\{x\\}" in body
    assert TEX_SPECIALS not in body
    assert "\\{\\}\\%\\$\\&\\#\\_\\textasciicircum{}\\textasciitilde{}" in body
    assert "<script>" not in body and "\\textless{}script\\textgreater{}" in body
    assert "javascript:" not in body.lower() or "\\sphinxhref{javascript" not in body.lower()
    assert "\\href{javascript" not in body.lower() and "\\url{javascript" not in body.lower()


def test_text_keeps_values_verbatim_and_whole(builds) -> None:
    text = builds["text"].page("index.txt")
    for value in (SCRIPT, f"{TEX} {TEX_SPECIALS}"):
        assert value in text
    assert "javascript:alert(1)" not in text  # a rejected URL is not shown as a link target


def test_json_round_trips_exact_values(builds) -> None:
    data = json.loads(builds["html"].page("fieldnotes.json"))
    by_name = {p["name"]: p for p in data["projects"]}
    assert set(by_name) == {SCRIPT, ROW_BREAKER, f"{TEX} {TEX_SPECIALS}", "Plain One"}
    hostile = by_name[SCRIPT]
    assert hostile["vendor"] == IMG
    assert hostile["url"] == QUOTE_URL
    assert hostile["category"] == TEX_SPECIALS
    assert hostile["replaced_by"] == ROW_BREAKER
    assert TEX in hostile["tags"] and SCRIPT in hostile["tags"]
    assert by_name[ROW_BREAKER]["category"] == SCRIPT.replace('"', "")  # front matter
    assert all(t["url"] is None for t in data["todos"])
    assert len(data["todos"]) == len(BAD_URLS)
