"""Scale without surprise (issue 7): a 5 MB page, a 10,000-character name and 1,000 updates on one
project each build and keep every entry; and build time grows linearly with the number of entries.

The growth test builds n and 4n entries (projects with same-date updates, role references, todos,
every index) and compares the CPU time of the builds: linear work gives a ratio near 4, a quadratic
path near 16. The bound (< 10) leaves room for noise on a loaded machine. CPU time, not wall time,
so other processes on the machine do not count.
"""

from __future__ import annotations

import json
import time

from sites import Site

INDEXES = """\
# Index

```{toctree}
page
```

:::{project-index}
:group-by: tag
:::

:::{timeline}
:::

:::{todo-list}
:::

:::{review-queue}
:::
"""


def _project(name: str, body: str = "Notes.", date: str = "2018-06-02") -> str:
    return f":::{{project}} {name}\n:url: https://example.com/x\n:date: {date}\n:version: v1\n:tags: t\n\n{body}\n:::\n\n"


def _clean(result) -> None:
    for marker in ("Traceback", "Extension error", "Exception occurred"):
        assert marker not in result.warnings
    assert result.findings == [], result.warnings[:2000]
    assert result.status == 0


def test_five_megabyte_page(site: Site) -> None:
    paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, " * 17 + "\n\n"
    body = paragraph * (2_600_000 // len(paragraph))
    code = "```\n" + ("kubectl get pods --all-namespaces -o wide\n" * (2_600_000 // 42)) + "```\n"
    text = "# Big\n\n" + _project("Big One", body + code) + _project("Big Two")
    assert len(text.encode()) >= 5_000_000
    site.write("index.md", text)
    result = site.build("dummy")
    _clean(result)
    catalog = result.app.env.get_domain("fieldnotes").catalog()
    assert [p.name for p in catalog.projects] == ["Big One", "Big Two"]
    # line numbers stay right after the huge body
    assert catalog.projects[1].lineno == text.split("\n").index(":::{project} Big Two") + 1


def test_ten_thousand_character_name(site: Site) -> None:
    name = ("Long-Name " * 1000).strip() + "X"
    todo = "Study " + name  # another name: a TODO for a noted project is reported
    assert len(name) >= 10_000
    site.write("index.md", INDEXES)
    site.write(
        "page.md",
        "# Page\n\n" + _project(name).replace(":::\n\n", "\n:::{update}\n:date: 2019-01-01\n:version: v2\n:::\n:::\n\n", 1)
        .replace(":::{project}", "::::{project}", 1).replace("\n:::\n:::\n", "\n:::\n::::\n", 1)
        + f"See {{project}}`{name.lower()}`.\n\n:::{{todo-item}} {todo}\n:priority: P1\n:::\n",
    )
    result = site.build("html")
    _clean(result)
    data = json.loads(result.page("fieldnotes.json"))
    assert [p["name"] for p in data["projects"]] == [name]
    assert len(data["projects"][0]["updates"]) == 1
    assert [t["name"] for t in data["todos"]] == [todo]
    index = result.page("index.html")
    assert index.count(name) >= 4  # project index, timeline note and update, todo list


def test_thousand_updates_on_one_project(site: Site) -> None:
    updates = "".join(
        f":::{{update}}\n:date: {2019 + i // 336}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}\n:version: v1.{i}\n:::\n\n"
        for i in range(1000)
    )
    site.write("index.md", INDEXES)
    site.write("page.md", f"# Page\n\n::::{{project}} Busy\n:url: https://e.example\n:date: 2018-01-01\n:version: v1\n\n{updates}::::\n")
    result = site.build("html")
    _clean(result)
    data = json.loads(result.page("fieldnotes.json"))
    assert len(data["projects"][0]["updates"]) == 1000
    assert len({u["anchor"] for u in data["projects"][0]["updates"]}) == 1000
    assert result.page("index.html").count("v1.999") == 1  # in the timeline


def _corpus(n: int) -> str:
    text = ["# Page\n\n"]
    for i in range(n):
        text.append(
            f"::::{{project}} P{i}\n:url: https://e.example/{i}\n:date: 2018-01-01\n:version: v1\n:tags: t{i % 7}\n"
            f":replaced-by: P{(i + 1) % n}\n\nSee {{project}}`p{(i * 7) % n}`.\n\n"
            ":::{update}\n:date: 2019-01-01\n:version: v2\n:::\n\n"
            ":::{update}\n:date: 2019-01-01\n:version: v3\n:::\n::::\n\n"
            f":::{{todo-item}} T{i}\n:priority: P{i % 4}\n:::\n\n"
        )
    return "".join(text)


def _cpu_build(site: Site, n: int) -> float:
    site.write("page.md", _corpus(n))
    start = time.process_time()
    result = site.build("html", fresh=True)
    elapsed = time.process_time() - start
    _clean(result)
    assert len(json.loads(result.page("fieldnotes.json"))["projects"]) == n
    return elapsed


def test_build_time_grows_linearly(site: Site) -> None:
    site.write("index.md", INDEXES)
    n = 100
    _cpu_build(site, n // 3)  # warm imports and caches
    small = min(_cpu_build(site, n) for _ in range(2))
    large = _cpu_build(site, 4 * n)
    print(f"linear: n={n} {small:.2f}s, 4n {large:.2f}s, ratio {large / small:.1f}")
    assert large < 10 * small, f"n={n}: {small:.2f}s, 4n: {large:.2f}s"
