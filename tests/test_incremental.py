"""Incremental and parallel builds write the same site as a clean serial build (SPEC §5).

The differential test edits a corpus step by step (``index_corpus.EDITS``), rebuilds incrementally
in one output/doctree directory after each edit, builds the same sources from scratch in another,
and compares every file byte for byte, plus the fieldnotes diagnostics of both builds.

Why it has teeth: Sphinx rewrites only the pages it read again. The index pages (``all``,
``timeline``, ``queue``, ``index``) and the pages that link to a moved project are not read again
after an edit elsewhere; only the page list fieldnotes returns from ``env-updated`` gets them
rewritten. Without that hook every step but the prose edit leaves a stale listing behind and the
comparison fails; ``test_differential_catches_a_missing_env_updated_hook`` proves it by running a
step with the hook's return value dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index_corpus import EDITS, Pages, corpus, listings, outputs, search_index, sync
from sites import BuildResult, Site
from sphinx_fieldnotes import incremental
from sphinx_fieldnotes.upstream.snapshot import (
    EntryState,
    LatestRelease,
    Record,
    Snapshot,
    write_snapshot,
)

INDEX_PAGES = {"index", "all", "timeline", "queue"}


def compare(incremental_build: BuildResult, clean: BuildResult, removed: set[str]) -> list[str]:
    """Paths whose content differs, or that one build lacks (leftovers of removed pages aside)."""
    mine, theirs = outputs(incremental_build.outdir), outputs(clean.outdir)
    # Sphinx never deletes the output of a page whose source was removed; nothing links to it.
    leftovers = {f"{d}.html" for d in removed} | {f"_sources/{d}.md.txt" for d in removed}
    assert leftovers <= set(mine)
    problems = sorted((set(mine) - leftovers) ^ set(theirs))
    for path in sorted(set(mine) & set(theirs)):
        if path == "searchindex.js":
            if search_index(mine[path]) != search_index(theirs[path]):
                problems.append(path)
        elif mine[path] != theirs[path]:
            problems.append(path)
    return problems


def page_stamps(outdir: Path, docnames: set[str]) -> dict[str, int]:
    return {
        d: (outdir / f"{d}.html").stat().st_mtime_ns
        for d in docnames
        if (outdir / f"{d}.html").exists()
    }


def rewritten(outdir: Path, before: dict[str, int], docnames: set[str]) -> set[str]:
    after = page_stamps(outdir, docnames)
    return {d for d in docnames if after.get(d) != before.get(d)}


# Pages each step must rewrite: the pages edited, plus fieldnotes' own choice. Index pages are
# rewritten when any listed field changes; pages that link to projects (roles, :replaced-by:,
# an update naming its project) when a project's name or page changes. Nothing else, ever.
EXPECTED_WRITES = {
    "change a date": {"networking"} | INDEX_PAGES,
    "rename a project": {"storage", "security", "monitoring"} | INDEX_PAGES,
    "delete an entry": {"networking"} | INDEX_PAGES | {"security", "monitoring", "storage"},
    "add an entry and a todo-item on another page": {"security", "storage", "monitoring"}
    | INDEX_PAGES,
    "move a project to another page": {"networking", "storage", "security", "monitoring"}
    | INDEX_PAGES,
    "delete a page": INDEX_PAGES,
    "add a page": {"cluster"} | INDEX_PAGES | {"security", "monitoring", "storage"},
    # No listing changes, though every entry below the edit moved down two lines. ``index`` is
    # rewritten by Sphinx itself (it holds the toctree that lists ``storage``: Sphinx rewrites a
    # toctree's page whenever a page it lists is read again), not by fieldnotes; ``all``,
    # ``timeline`` and ``queue`` must stay untouched.
    "edit only prose": {"storage", "index"},
    "change a status": {"networking"} | INDEX_PAGES,
    # flannel lives on storage by now (moved above): its history lists every update, wherever
    # that is written.
    "add a recent update on another page": {"security", "storage"} | INDEX_PAGES,
    "change an update's version on another page": {"monitoring", "storage"} | INDEX_PAGES,
}


def build_pair(site: Site, parallel: int) -> tuple[BuildResult, BuildResult]:
    """An incremental build with *parallel* workers, and the reference: a clean serial build."""
    incremental_build = site.build(outname="incremental", parallel=parallel)
    clean = site.build(outname="clean", parallel=1, fresh=True)
    return incremental_build, clean


@pytest.mark.parametrize("parallel", [1, 2], ids=["j1", "j2"])
def test_incremental_builds_equal_clean_builds_after_every_edit(site: Site, parallel: int) -> None:
    pages: Pages = corpus()
    sync(site.srcdir, pages)
    first = site.build(outname="incremental", parallel=parallel)
    assert {f.code for f in first.findings} == {"unknown-project", "bad-version"}
    outdir = first.outdir
    removed: set[str] = set()

    for step, edit in EDITS:
        previous = dict(pages)
        edit(pages)
        changed = sync(site.srcdir, pages, previous)
        docnames = set(pages) | set(previous)
        before = page_stamps(outdir, docnames)

        incremental_build, clean = build_pair(site, parallel)

        assert incremental_build.outdir == outdir
        removed |= set(previous) - set(pages)
        assert compare(incremental_build, clean, removed) == [], step
        assert incremental_build.findings == clean.findings, step
        assert incremental_build.status == clean.status == 1, step  # the bad-version error stays
        written = rewritten(outdir, before, set(pages))
        assert written == EXPECTED_WRITES[step], step
        assert changed - set(previous) <= written  # an added page is written, of course
        assert "plain" not in written


def test_unchanged_sources_rewrite_nothing_and_report_the_same(site: Site) -> None:
    """fieldnotes re-reports stored diagnostics on every build, even when nothing was read."""
    sync(site.srcdir, corpus())
    first = site.build()
    before = page_stamps(first.outdir, set(corpus()))
    json_stamp = (first.outdir / "fieldnotes.json").stat().st_mtime_ns
    again = site.build()
    assert again.findings == first.findings and len(again.findings) == 2
    assert again.status == 1
    assert rewritten(again.outdir, before, set(corpus())) == set()
    assert (again.outdir / "fieldnotes.json").stat().st_mtime_ns == json_stamp


def test_differential_catches_a_missing_env_updated_hook(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: run the hook but drop the pages it asks Sphinx to rewrite.

    Then the date change on ``networking`` leaves ``all`` and ``timeline`` stale, so the same
    comparison that passes above must fail: the differential test can see the bug it is there to
    prevent.
    """
    real = incremental.on_env_updated

    def without_rewrites(app, env):  # type: ignore[no-untyped-def]
        real(app, env)
        return []

    monkeypatch.setattr(incremental, "on_env_updated", without_rewrites)  # read again at setup()
    pages = corpus()
    sync(site.srcdir, pages)
    site.build(outname="incremental")
    previous = dict(pages)
    EDITS[0][1](pages)  # change a date
    sync(site.srcdir, pages, previous)
    incremental_build, clean = build_pair(site, 1)
    stale = compare(incremental_build, clean, set())
    # (``index`` is rewritten anyway, as the toctree parent of ``networking``; ``queue`` lists
    # flannel by its newer update, which did not change.)
    assert {"all.html", "timeline.html"} <= set(stale)


def test_parallel_build_equals_serial_build(site: Site) -> None:
    sync(site.srcdir, corpus())
    serial = site.build(outname="j1", parallel=1)
    parallel = site.build(outname="j2", parallel=2)
    # Sphinx reads in worker processes only above a handful of pages; make sure it did. Its
    # progress then names chunks of pages ("reading sources... [ 50%] all .. plain").
    for phase in ("reading sources", "writing output"):
        assert re.search(rf"{phase}\.\.\. \[ *\d+%\] \S+ \.\. \S+", parallel.log), phase
        assert not re.search(rf"{phase}\.\.\. \[ *\d+%\] \S+ \.\. \S+", serial.log), phase

    assert compare(parallel, serial, set()) == []
    assert (parallel.outdir / "fieldnotes.json").read_bytes() == (
        serial.outdir / "fieldnotes.json"
    ).read_bytes()
    assert parallel.findings == serial.findings  # same diagnostics, same order
    assert [f.level for f in serial.findings] == ["WARNING", "ERROR"]
    assert parallel.status == serial.status == 1


def _calico(version: str) -> str:
    return (
        f"::::{{project}} calico\n:url: https://example.com/{version}\n:date: 2025-01-01\n"
        f":version: {version}\n::::\n"
    )


def test_an_edit_in_an_included_file_that_reorders_entries_rewrites_the_listings(
    site: Site,
) -> None:
    """Found by the state machine (test_incremental_machine.py): entries of an included file have
    its line numbers, and the catalog breaks ties between a page's entries by line. Prose added to
    the included file moves its ``calico`` from line 1 to line 11, past the page's ``calico`` at
    line 3: the listing's rows swap, though the page's entries, read in the same order with the
    same fields, did not change. The content fingerprint must see that order, by line."""
    site.conf = {**(site.conf or {}), "exclude_patterns": ["_include"]}
    (site.srcdir / "_include").mkdir()
    pages: Pages = {
        # the listing is not on the toctree's page, which Sphinx rewrites whenever ``notes`` is read
        "index": "# Home\n\n```{toctree}\nnotes\nlistings\n```\n",
        "listings": "# Listings\n\n:::{project-index}\n:::\n",
        "notes": f"# Notes\n\n{_calico('v1')}\n```{{include}} _include/shared.md\n```\n",
        "_include/shared": _calico("v2"),
    }
    sync(site.srcdir, pages)
    first = site.build(outname="incremental")
    assert listings(first.page("listings.html"))[0].column(3) == ["v2", "v1"]
    assert [(f.path, f.line, f.code) for f in first.findings] == [
        ("notes.md", 3, "duplicate-project")
    ]

    previous = dict(pages)
    pages["_include/shared"] = "Prose.\n\n" * 5 + _calico("v2")
    sync(site.srcdir, pages, previous)
    incremental_build, clean = build_pair(site, 1)

    assert listings(clean.page("listings.html"))[0].column(3) == ["v1", "v2"]
    assert compare(incremental_build, clean, set()) == []
    assert [(f.path, f.line, f.code) for f in incremental_build.findings] == [
        ("_include/shared.md", 11, "duplicate-project")
    ]


def _upstream_snapshot(beta_archived: bool, etag: str = '"1"') -> Snapshot:
    def record(name: str, archived: bool) -> Record:
        return Record(
            url=f"https://github.com/example/{name}",
            host="github.com",
            repository=f"example/{name}",
            found=True,
            fetched_at="2026-03-01T09:30:00Z",
            archived=archived,
            latest_release=LatestRelease("v2", "2025-03-02T10:00:00Z", "release", "published"),
            entries={name: EntryState("v1", 1)},
            etags={"repository": etag},
        )

    records = [record("alpha", False), record("beta", beta_archived)]
    return Snapshot(generated="2026-03-01T09:30:00Z", records={r.url: r for r in records})


def test_a_changed_upstream_snapshot_rewrites_exactly_the_pages_that_show_it(site: Site) -> None:
    """Only the snapshot changes (no page is read again): the listings and the page of the entry
    whose record changed are rewritten, nothing else; an ETag the pages do not show rewrites
    nothing; removing the snapshot rewrites every page that showed it."""
    project = (
        ":::{{project}} {0}\n:url: https://github.com/example/{0}\n:date: 2025-06-01\n"
        ":version: v1\n:::\n"
    )
    pages: Pages = {
        "index": "# Home\n\n```{toctree}\nalpha\nbeta\nlistings\n```\n",
        "alpha": "# Alpha\n\n" + project.format("alpha"),
        "beta": "# Beta\n\n" + project.format("beta"),
        "listings": "# Listings\n\n:::{project-index}\n:filter:\n:::\n\n:::{review-queue}\n:::\n",
    }
    sync(site.srcdir, pages)
    path = site.srcdir / "_data" / "upstream.json"
    write_snapshot(path, _upstream_snapshot(beta_archived=False))
    first = site.build(outname="incremental")
    assert "archived upstream" not in first.page("beta.html")

    # (``index`` is Sphinx's own choice: it rewrites the toctree page of every page it writes.)
    steps = [
        (_upstream_snapshot(beta_archived=True), {"beta", "listings", "index"}),
        (_upstream_snapshot(beta_archived=True, etag='"2"'), set()),
        (None, {"alpha", "beta", "listings", "index"}),
    ]
    for snapshot, expected in steps:
        before = page_stamps(first.outdir, set(pages))
        if snapshot is None:
            path.unlink()
        else:
            write_snapshot(path, snapshot)
        incremental_build, clean = build_pair(site, 1)
        assert "0 changed" in incremental_build.log  # no page was read again
        assert rewritten(first.outdir, before, set(pages)) == expected
        assert compare(incremental_build, clean, set()) == []
    assert "upstream" not in first.page("beta.html")
