"""The upstream snapshot in the build (issue 16, phase B): real Sphinx builds that read a snapshot
``fieldnotes refresh`` wrote against the loopback GitHub (:mod:`github_server`), and show it on the
entries, in the listings, the review queue, the landscape, the filter and the export. Builds never
touch the network; a bad snapshot gets a diagnostic at its file and line, and every entry is still
built and listed."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from github_server import FakeGitHub
from sites import BuildResult, Finding, Site
from sphinx_fieldnotes import upstream_view
from sphinx_fieldnotes.cli import refresh as refresh_command
from sphinx_fieldnotes.export import SCHEMA_VERSION

REPO = Path(__file__).resolve().parents[1]
EXPORT_SCHEMA = json.loads(
    (REPO / "extensions" / "sphinx_fieldnotes" / "fieldnotes.schema.json").read_text()
)
BROWSER_TESTS = REPO / "tests" / "browser"
SNAPSHOT = "_data/upstream.json"
CRASH = ("Traceback", "Extension error", "Exception occurred")

MYST_INDEX = """
# Notes

```{toctree}
net
```

:::{project-index}
:filter:
:::

:::{review-queue}
:::

:::{fieldnotes-landscape}
:::

:::{todo-list}
:::
"""

MYST_NET = """
# Networking

:::{project} multus-cni
:url: https://github.com/intel/multus-cni
:date: 2025-06-02
:version: v3.1
:::

:::{project} kube-lego
:url: https://github.com/jetstack/kube-lego
:date: 2025-06-02
:version: 0.1.6
:::

:::{project} helm
:url: https://github.com/helm/helm
:date: 2025-06-02
:version: v3.0.0
:::

:::{project} gone
:url: https://github.com/example/gone
:date: 2025-06-02
:version: v1
:::

:::{project} portal
:url: https://gitlab.com/example/portal
:date: 2025-06-02
:version: v1.0
:::

:::{todo-item} cilium
:priority: P1
:url: https://github.com/cilium/cilium
:::
"""

RST_INDEX = """
Notes
=====

.. toctree::

   net

.. project-index::
   :filter:

.. review-queue::

.. fieldnotes-landscape::

.. todo-list::
"""

RST_NET = """
Networking
==========

.. project:: multus-cni
   :url: https://github.com/intel/multus-cni
   :date: 2025-06-02
   :version: v3.1

.. project:: kube-lego
   :url: https://github.com/jetstack/kube-lego
   :date: 2025-06-02
   :version: 0.1.6

.. project:: helm
   :url: https://github.com/helm/helm
   :date: 2025-06-02
   :version: v3.0.0

.. project:: gone
   :url: https://github.com/example/gone
   :date: 2025-06-02
   :version: v1

.. project:: portal
   :url: https://gitlab.com/example/portal
   :date: 2025-06-02
   :version: v1.0

.. todo-item:: cilium
   :priority: P1
   :url: https://github.com/cilium/cilium
"""

PROJECTS = ("multus-cni", "kube-lego", "helm", "gone", "portal")


def serve_upstream(api: FakeGitHub) -> None:
    """The upstream states the site's projects meet: moved, archived with tags only, five
    releases ahead, not found (``example/gone`` is not served), and a TODO item's releases."""
    api.add(
        "k8snetworkplumbingwg/multus-cni",
        releases=[
            ("v4.1.0", "2025-03-02T10:00:00Z"),
            ("v4.0", "2024-01-01T00:00:00Z"),
            ("v3.1", "2018-12-01T00:00:00Z"),
        ],
    )
    api.rename("intel/multus-cni", "k8snetworkplumbingwg/multus-cni")
    api.add(
        "jetstack/kube-lego",
        archived=True,
        pushed_at="2019-01-14T12:00:00Z",
        tags=[
            ("0.1.6", "b" * 40, "2018-02-01T09:00:00Z"),
            ("0.1.7", "a" * 40, "2018-04-25T09:00:00Z"),
        ],
    )
    helm = ["v3.17.1", "v3.17.0", "v3.16.0", "v3.15.0", "v3.14.0", "v3.0.0"]
    api.add(
        "helm/helm",
        releases=[(tag, f"2025-0{6 - n}-01T00:00:00Z") for n, tag in enumerate(helm)],
    )
    api.add("cilium/cilium", releases=[("v1.17.2", "2025-03-20T08:00:00Z")])


def write_pages(site: Site, syntax: str) -> None:
    suffix = "md" if syntax == "myst" else "rst"
    index, net = (MYST_INDEX, MYST_NET) if syntax == "myst" else (RST_INDEX, RST_NET)
    site.write(f"index.{suffix}", index)
    site.write(f"net.{suffix}", net)


def run_refresh(site: Site, *options: str, **conf: Any) -> str:
    """``fieldnotes refresh`` on the site (in process, from its folder), as a user runs it; the
    snapshot's text."""
    site.write_conf(**conf)
    parser = argparse.ArgumentParser()
    refresh_command.add_arguments(parser)
    args = parser.parse_args([*options, "--progress", "lines"])
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out):
        mp.chdir(site.srcdir)
        mp.delenv("GITHUB_TOKEN", raising=False)
        mp.delenv("GITHUB_API_URL", raising=False)
        status = refresh_command.run(args)
    assert status == 0, out.getvalue()
    # the build's default place: the command read it from the site's settings
    assert out.getvalue().splitlines()[-1].endswith(f"wrote {SNAPSHOT}")
    return (site.srcdir / SNAPSHOT).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def snapshot_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The snapshot ``fieldnotes refresh`` writes for the site (made once: the shapes are the
    server's, the same for every test)."""
    site = Site(tmp_path_factory.mktemp("refresh"))
    write_pages(site, "myst")
    with FakeGitHub() as api:
        serve_upstream(api)
        return run_refresh(site, "--api-url", api.url)


def test_refresh_takes_the_api_url_from_the_site_settings(
    tmp_path: Path, snapshot_text: str
) -> None:
    site = site_with(tmp_path, None)
    with FakeGitHub() as api:
        serve_upstream(api)
        text = run_refresh(site, fieldnotes_upstream_api_url=api.url)
        assert api.requests("/repos/helm/helm")  # asked there, with no --api-url

    def state(snapshot: str) -> dict[str, Any]:  # what the server said (ETags carry its port)
        drop = ("etags", "fetched_at")
        records = json.loads(snapshot)["repositories"].items()
        return {k: {f: v for f, v in r.items() if f not in drop} for k, r in records}

    assert state(text) == state(snapshot_text)


def site_with(tmp_path: Path, snapshot: str | None, syntax: str = "myst") -> Site:
    site = Site(tmp_path)
    write_pages(site, syntax)
    if snapshot is not None:
        site.write(SNAPSHOT, snapshot, verbatim=True)
    return site


def text_of(html: str) -> str:
    """The page's text, tags left out and white space folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ;", ";").strip()


def entry_text(built: BuildResult, name: str) -> str:
    """The summary line of *name*'s entry on the networking page."""
    html = built.page("net.html")
    start = html.index(f'<section class="fieldnotes-project" id="{name}">')
    return text_of(html[start : html.index("</section>", start)])


def listing(built: BuildResult, kind: str) -> str:
    html = built.page("index.html")
    start = html.index(f"fieldnotes-{kind}")
    return html[start : html.index("</table>", start)]


def rows(table_html: str) -> dict[str, str]:
    """Each row's text by its first cell's link text."""
    found = {}
    for row in re.findall(r"<tr.*?</tr>", table_html, re.S):
        name = re.search(r"<a [^>]*><span>([^<]+)</span>", row)
        if name:
            found[name[1]] = text_of(row)
    return found


def generated_day(snapshot: str) -> str:
    return json.loads(snapshot)["generated"][:10]


# -- what the build shows ---------------------------------------------------------------------


@pytest.mark.parametrize("syntax", ["myst", "rst"])
def test_entries_show_what_the_snapshot_says(
    tmp_path: Path, snapshot_text: str, syntax: str
) -> None:
    built = site_with(tmp_path, snapshot_text, syntax).build()
    assert (built.status, built.findings) == (0, []), built.warnings
    as_of = f"upstream, as of {generated_day(snapshot_text)}:"
    multus = entry_text(built, "multus-cni")
    assert (
        f"{as_of} moved to https://github.com/k8snetworkplumbingwg/multus-cni; "
        "latest v4.1.0, 2025-03-02; 2 releases since the version studied"
    ) in multus
    assert (
        f"{as_of} archived upstream; last push 2019-01-14; latest tag 0.1.7, 2018-04-25; "
        "1 release since the version studied"
    ) in entry_text(built, "kube-lego")
    assert f"{as_of} latest v3.17.1, 2025-06-01; 5 releases since" in entry_text(built, "helm")
    assert f"{as_of} not found (404): deleted or private" in entry_text(built, "gone")
    assert "upstream" not in entry_text(built, "portal")  # GitLab: no record
    # the moved-to address is a link
    html = built.page("net.html")
    assert 'href="https://github.com/k8snetworkplumbingwg/multus-cni"' in html
    # the TODO list's upstream column
    todos = rows(listing(built, "todo-list"))
    assert todos["cilium"].endswith(f"{as_of} latest v1.17.2, 2025-03-20")


def test_the_review_queue_gives_upstream_reasons_and_the_threshold_is_a_setting(
    tmp_path: Path, snapshot_text: str
) -> None:
    site = site_with(tmp_path, snapshot_text)
    queue = rows(listing(site.build(), "review-queue"))
    assert queue["multus-cni"].endswith(
        "moved upstream to https://github.com/k8snetworkplumbingwg/multus-cni"
    )
    assert queue["kube-lego"].endswith("archived upstream")
    assert queue["helm"].endswith("5 releases behind upstream")
    assert queue["gone"].endswith("not found upstream (404)")
    assert "portal" not in queue

    queue = rows(listing(site.build(fieldnotes_upstream_behind_threshold=2), "review-queue"))
    assert queue["multus-cni"].endswith(
        "moved upstream to https://github.com/k8snetworkplumbingwg/multus-cni; "
        "2 releases behind upstream"
    )
    assert queue["helm"].endswith("5 releases behind upstream")
    queue = rows(listing(site.build(fieldnotes_upstream_behind_threshold=6), "review-queue"))
    assert "helm" not in queue and set(queue) == {"multus-cni", "kube-lego", "gone"}


def test_archived_projects_are_marked_on_the_map_and_in_the_filterable_index(
    tmp_path: Path, snapshot_text: str
) -> None:
    built = site_with(tmp_path, snapshot_text).build()
    html = built.page("index.html")
    landscape = html[html.index("fieldnotes-landscape") :]
    archived_tiles = re.findall(
        r'<li class="[^"]*"[^>]*>(?:(?!</li>).)*fieldnotes-mark-archived-upstream', landscape, re.S
    )
    assert len(archived_tiles) == 1 and "kube-lego" in archived_tiles[0]
    assert "the repository is archived upstream" in text_of(landscape)  # the key
    index = listing(built, "project-index")
    named = re.findall(r'<td class="fieldnotes-name[^"]*">(.*?)</td>', index, re.S)
    marked = [cell for cell in named if "fieldnotes-archived-upstream" in cell]
    assert len(named) == len(PROJECTS) and len(marked) == 1 and "kube-lego" in marked[0]
    assert "archived upstream" in text_of(marked[0])  # there without JavaScript
    script = (built.outdir / "_static" / "fieldnotes-filter.js").read_text()
    assert 'archived.type = "checkbox"' in script and "fieldnotes-archived-upstream" in script


def test_the_export_carries_the_upstream_blocks(tmp_path: Path, snapshot_text: str) -> None:
    built = site_with(tmp_path, snapshot_text).build()
    export = json.loads(built.page("fieldnotes.json"))
    jsonschema.validate(export, EXPORT_SCHEMA)
    assert export["schema"] == SCHEMA_VERSION == 3
    assert export["upstream_generated"] == json.loads(snapshot_text)["generated"]
    upstream = {p["name"]: p["upstream"] for p in export["projects"]}
    assert upstream["portal"] is None
    assert upstream["gone"]["found"] is False and upstream["gone"]["latest_release"] is None
    lego = upstream["kube-lego"]
    assert (lego["archived"], lego["latest_release"]) == (
        True,
        {"tag": "0.1.7", "date": "2018-04-25T09:00:00Z", "source": "tag"},
    )
    cilium = next(t["upstream"] for t in export["todos"] if t["name"] == "cilium")
    assert cilium["latest_release"]["tag"] == "v1.17.2" and cilium["studied_version"] is None
    multus = upstream["multus-cni"]
    assert multus["moved_to"] == "https://github.com/k8snetworkplumbingwg/multus-cni"
    assert (multus["studied_version"], multus["releases_since"]) == ("v3.1", 2)


def test_without_a_snapshot_the_build_is_as_before(tmp_path: Path) -> None:
    built = site_with(tmp_path, None).build()
    assert (built.status, built.findings) == (0, []), built.warnings
    assert "upstream" not in text_of(built.page("net.html"))
    assert "fieldnotes-archived-upstream" not in built.page("index.html")
    assert "Upstream" not in listing(built, "todo-list")  # no column
    export = json.loads(built.page("fieldnotes.json"))
    jsonschema.validate(export, EXPORT_SCHEMA)
    assert export["upstream_generated"] is None
    assert {e["upstream"] for e in export["projects"] + export["todos"]} == {None}


def test_the_sites_repositories_are_gathered_only_to_compare_with_a_snapshot(
    tmp_path: Path, snapshot_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gathering them is a pass over every entry: at 100,000 entries, seconds of each build."""
    gathered: list[int] = []
    gather = upstream_view.repositories

    def counted(*args: Any) -> Any:
        gathered.append(1)
        return gather(*args)

    monkeypatch.setattr(upstream_view, "repositories", counted)
    without = site_with(tmp_path / "without", None).build()
    assert (without.status, without.findings, gathered) == (0, [], [])
    stale = stale_record(snapshot_text)[0]  # compared with the site: one record is reported
    with_snapshot = site_with(tmp_path / "with", stale).build()
    assert [f.code for f in with_snapshot.findings] == ["upstream-stale"]
    assert gathered == [1]


# -- bad snapshots ------------------------------------------------------------------------------


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def malformed(text: str) -> tuple[str, int, str, str]:
    broken = text.replace('"found": true', '"found": tru', 1)
    return (
        broken,
        line_of(broken, '"found": tru'),
        "upstream-malformed",
        "the snapshot is not valid JSON: Expecting value",
    )


def old_schema(text: str) -> tuple[str, int, str, str]:
    older = text.replace('"schema": 1', '"schema": 0')
    return (
        older,
        line_of(older, '"schema": 0'),
        "upstream-schema",
        "the snapshot has schema 0, older than this fieldnotes reads (1): "
        "run fieldnotes refresh to write it again",
    )


def invalid_field(text: str) -> tuple[str, int, str, str]:
    data = json.loads(text)
    data["repositories"]["https://github.com/helm/helm"]["archived"] = "no"
    bad = json.dumps(data, indent=2, sort_keys=True) + "\n"
    record = bad.index('"https://github.com/helm/helm": {')
    return (
        bad,
        bad[: bad.index('"archived": "no"', record)].count("\n") + 1,
        "upstream-invalid",
        "'archived' of https://github.com/helm/helm is 'no', not true or false; "
        "the record of https://github.com/helm/helm is left out",
    )


def stale_record(text: str) -> tuple[str, int, str, str]:
    data = json.loads(text)
    records = data["repositories"]
    record = dict(records["https://github.com/helm/helm"], repository="helm/old-chart")
    records["https://github.com/helm/old-chart"] = record
    stale = json.dumps(data, indent=2, sort_keys=True) + "\n"
    return (
        stale,
        line_of(stale, '"https://github.com/helm/old-chart": {'),
        "upstream-stale",
        "no project or TODO links to https://github.com/helm/old-chart any more: "
        "run fieldnotes refresh",
    )


BAD_SNAPSHOTS = {
    "malformed JSON": (malformed, "ERROR", 1),
    "an older schema": (old_schema, "ERROR", 1),
    "an invalid field": (invalid_field, "ERROR", 1),
    "a stale record": (stale_record, "WARNING", 0),
}


@pytest.mark.parametrize("case", BAD_SNAPSHOTS)
def test_a_bad_snapshot_is_reported_at_its_line_and_every_entry_is_built(
    tmp_path: Path, snapshot_text: str, case: str
) -> None:
    make, level, status = BAD_SNAPSHOTS[case]
    text, line, code, message = make(snapshot_text)
    site = site_with(tmp_path, text)
    built = site.build()
    findings = [(f.path, f.line, f.level, f.code, f.message) for f in built.findings]
    assert len(findings) == 1 and findings[0][:4] == (SNAPSHOT, line, level, code), findings
    assert findings[0][4].startswith(message)
    assert built.status == status
    assert not any(crash in built.warnings for crash in CRASH)
    for name in PROJECTS:
        assert f'class="fieldnotes-project" id="{name}"' in built.page("net.html")
    assert set(rows(listing(built, "project-index"))) == set(PROJECTS)
    assert "cilium" in rows(listing(built, "todo-list"))
    jsonschema.validate(json.loads(built.page("fieldnotes.json")), EXPORT_SCHEMA)
    shown = entry_text(built, "kube-lego")
    if code in ("upstream-malformed", "upstream-schema"):  # nothing could be read
        assert "upstream" not in shown
    else:  # the other records are shown
        assert "archived upstream" in shown
    # Stored as data: an incremental build that reads nothing again reports it again.
    again = site.build()
    assert "0 changed" in again.log or "no targets are out of date" in again.log
    assert [(f.path, f.line, f.code) for f in again.findings] == [(SNAPSHOT, line, code)]


def test_a_snapshot_that_is_no_json_object_is_reported_at_line_one(tmp_path: Path) -> None:
    built = site_with(tmp_path, "[]\n").build()
    assert built.findings == [
        Finding(SNAPSHOT, 1, "ERROR", "upstream-malformed", "the snapshot is not a JSON object")
    ]
    assert set(rows(listing(built, "project-index"))) == set(PROJECTS)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("fieldnotes_upstream_snapshot", "../upstream.json", "must be a path relative"),
        ("fieldnotes_upstream_snapshot", "/tmp/upstream.json", "must be a path relative"),
        ("fieldnotes_upstream_api_url", "api.github.com", "must be an http(s) URL"),
        ("fieldnotes_upstream_behind_threshold", 0, "must be at least 1"),
    ],
)
def test_a_bad_upstream_setting_falls_back_to_its_default(
    tmp_path: Path, snapshot_text: str, name: str, value: Any, expected: str
) -> None:
    built = site_with(tmp_path, snapshot_text).build(**{name: value})
    assert [(f.code, f.message.split(" must")[0]) for f in built.findings] == [
        ("config", f"{name} = {value!r}")
    ]
    assert expected in built.findings[0].message
    # the default is used: the snapshot is still read, the queue still has its reasons
    assert "5 releases behind upstream" in rows(listing(built, "review-queue"))["helm"]


def test_the_upstream_words_are_in_the_site_language(tmp_path: Path, snapshot_text: str) -> None:
    built = site_with(tmp_path, snapshot_text).build(language="de")
    assert f"Upstream, Stand {generated_day(snapshot_text)}:" in entry_text(built, "multus-cni")
    assert "umgezogen nach https://github.com/k8snetworkplumbingwg/multus-cni" in entry_text(
        built, "multus-cni"
    )
    assert "beim Anbieter archiviert; letzter Push 2019-01-14; neuester Tag 0.1.7" in entry_text(
        built, "kube-lego"
    )
    assert rows(listing(built, "review-queue"))["helm"].endswith("5 Releases hinter dem Anbieter")
    assert "since the version studied" not in built.page("net.html")


def test_the_archived_check_box_filters_the_index_in_a_browser(
    tmp_path: Path, snapshot_text: str
) -> None:
    """``tests/browser/upstream.test.mjs``: Playwright driving Debian's Chromium, as the browser
    suite of :mod:`test_browser` does (and, like it, failing rather than skipping without them)."""
    built = site_with(tmp_path, snapshot_text).build()
    node = shutil.which("node")
    assert node, "node is not on PATH: the browser tests need Node.js 20 or newer"
    assert (BROWSER_TESTS / "node_modules" / "playwright-core").is_dir(), (
        "tests/browser/node_modules is missing: run 'npm ci' in tests/browser (make test does)"
    )
    result = subprocess.run(
        [node, "--test", "--test-reporter=tap", "upstream.test.mjs"],
        cwd=BROWSER_TESTS,
        env={
            **os.environ,
            "FIELDNOTES_SITE": str(built.outdir),
            "FIELDNOTES_ARCHIVED": "kube-lego",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert re.search(r"^# pass 2$", output, re.M) and re.search(r"^# fail 0$", output, re.M)
