"""Incremental builds, tested by chance (issue 13): a state machine edits a site at random and,
after every edit, compares the incremental build with a clean one.

The machine holds a small site on disk: a home page with the toctree, a page with every listing,
a fixed page ``notes`` that includes ``_include/shared.md`` (MyST ``{include}``), and up to four
more pages. Its rules add, remove, rename and reorder entries (``project`` with nested updates,
``todo-item``, a top-level ``update`` naming its project, a ``{project}`` reference, prose), move
them to another page or into or out of the included file, edit an update's or a note's date,
add and remove pages (and their toctree line), change the fieldnotes settings in ``conf.py`` that
listings depend on (today, the stale and recent thresholds), and let time pass
(``SOURCE_DATE_EPOCH``, for which Sphinx reads no page again).

After each step (the invariant) the same sources are built twice with the real Sphinx: once into
the output and doctree directories of every earlier step, read again by a fresh application, as
``sphinx-build`` does; once from scratch. Every output file must be the same (``fieldnotes.json``,
the feed and every HTML page included), and so must the diagnostics and the exit status.

Profiles (``profiles.py``): ``ci`` in ``make test``, ``long`` in ``make fuzz``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from index_corpus import Pages, outputs, search_index, sync
from profiles import scaled
from sites import BASE_CONF, BuildResult, Site
from sphinx_fieldnotes import incremental

INCLUDED = "_include/shared"
HOME, LISTINGS, NOTES = "index", "listings", "notes"
EXTRA_PAGES = ("alpha", "beta", "gamma", "delta")
# "Calico" and "calico" are one key: a duplicate now and then, on one page or two.
PROJECT_NAMES = ("calico", "Calico", "cilium", "flannel", "multus cni", "weave")
TODO_NAMES = ("try ebpf", "Try eBPF", "read the docs", "benchmark")
# Around the possible todays: new, updated, stale or neither depending on the settings.
DATES = ("2023-01-05", "2024-06", "2025", "2025-10-20", "2025-12-31", "unrecorded")
VERSIONS = ("v1.0", "2.3.4", "unreleased")
PRIORITIES = ("P0", "P1", "P2")
SETTINGS = {  # the first value of each is the one the site starts with
    "fieldnotes_today": ("2026-01-01", "2025-11-01", "2027-06-30"),
    "fieldnotes_stale_after_days": (730, 365, 60),
    "fieldnotes_recent_days": (90, 400, 0),
}
# SOURCE_DATE_EPOCH, when set, is today instead of fieldnotes_today (None: unset).
EPOCHS = (
    None,
    *(
        str(int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp()))
        for day in ("2025-12-01", "2026-03-15", "2028-01-01")
    ),
)

# Sphinx never rewrites a page's neighbours when the toctree changes, so the previous/next links of
# the relation bars would go stale (a Sphinx limitation with or without fieldnotes; see
# index_corpus). The site's theme leaves them out, so every page is compared whole all the same.
LAYOUT = """\
{% extends "!layout.html" %}
{% block linktags %}{% endblock %}
{% block relbar1 %}{% endblock %}
{% block relbar2 %}{% endblock %}
"""
# Every listing, on a page of its own that never changes: Sphinx rewrites it only when fieldnotes
# asks. (Sphinx itself rewrites the home page, the toctree parent of every page, whenever any page
# is read again: listings there would be rewritten by chance.)
LISTINGS_PAGE = "# Listings\n\n" + "\n".join(
    f":::{{{name}}}\n:::\n"
    for name in ("project-index", "timeline", "todo-list", "review-queue", "fieldnotes-overview")
)
CONF = {
    **BASE_CONF,
    "exclude_patterns": ["_include", "_templates"],
    "templates_path": ["_templates"],
    "html_sidebars": {"**": ["localtoc.html", "sourcelink.html", "searchbox.html"]},
}


# -- the site, as data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    name: str
    date: str
    version: str
    updates: tuple[tuple[str, str], ...] = ()  # nested updates: (date, version)

    def render(self) -> str:
        slug = self.name.replace(" ", "-").lower()
        updates = "".join(
            f"\n:::{{update}}\n:date: {date}\n:version: {version}\n:::\n"
            for date, version in self.updates
        )
        return (
            f"::::{{project}} {self.name}\n:url: https://example.com/{slug}\n"
            f":date: {self.date}\n:version: {self.version}\n\nNotes on {self.name}.\n"
            f"{updates}::::\n"
        )


@dataclass(frozen=True)
class Todo:
    name: str
    priority: str

    def render(self) -> str:
        return f":::{{todo-item}} {self.name}\n:priority: {self.priority}\n\nTo do.\n:::\n"


@dataclass(frozen=True)
class Update:
    """A top-level update: it names its project, which may live elsewhere (or nowhere)."""

    project: str
    date: str
    version: str

    def render(self) -> str:
        return (
            f":::{{update}}\n:project: {self.project}\n:date: {self.date}\n"
            f":version: {self.version}\n:::\n"
        )


@dataclass(frozen=True)
class Reference:
    project: str

    def render(self) -> str:
        return f"See {{project}}`{self.project}`.\n"


@dataclass(frozen=True)
class Prose:
    lines: int  # how many lines it takes: moves every entry below it

    def render(self) -> str:
        return "".join(f"Prose line {n}.\n" for n in range(self.lines))


Block = Project | Todo | Update | Reference | Prose
Named = Project | Todo

projects = st.builds(
    Project,
    st.sampled_from(PROJECT_NAMES),
    st.sampled_from(DATES),
    st.sampled_from(VERSIONS),
    st.lists(st.tuples(st.sampled_from(DATES), st.sampled_from(VERSIONS)), max_size=2).map(tuple),
)
blocks: st.SearchStrategy[Block] = st.one_of(
    projects,
    st.builds(Todo, st.sampled_from(TODO_NAMES), st.sampled_from(PRIORITIES)),
    st.builds(
        Update,
        st.sampled_from(PROJECT_NAMES),
        st.sampled_from(DATES),
        st.sampled_from(VERSIONS),
    ),
    st.builds(Reference, st.sampled_from(PROJECT_NAMES)),
    st.builds(Prose, st.integers(1, 3)),
)


@dataclass
class Sources:
    """What the site's files hold: the blocks of each page (and of the included file)."""

    blocks: dict[str, list[Block]] = field(default_factory=dict)
    toctree: list[str] = field(default_factory=list)  # the extra pages, in toctree order

    def pages(self) -> Pages:
        pages = {HOME: self._home(), LISTINGS: LISTINGS_PAGE}
        for docname, content in self.blocks.items():
            text = "\n".join(block.render() for block in content)
            if docname == INCLUDED:
                pages[docname] = text
            elif docname == NOTES:
                pages[docname] = f"# Notes\n\n{text}\n```{{include}} {INCLUDED}.md\n```\n"
            else:
                pages[docname] = f"# {docname.title()}\n\n{text}"
        return pages

    def _home(self) -> str:
        toctree = "\n".join([LISTINGS, NOTES, *self.toctree])
        return f"# Home\n\n```{{toctree}}\n{toctree}\n```\n"

    def places(self, kinds: tuple[type, ...] = (object,)) -> list[tuple[str, int]]:
        """(docname, index) of every block of one of *kinds*."""
        return [
            (docname, index)
            for docname, content in self.blocks.items()
            for index, block in enumerate(content)
            if isinstance(block, kinds)
        ]


# -- comparing builds ---------------------------------------------------------------------------


def _page_of(path: str) -> str | None:
    """The docname whose page or copied source *path* is, else ``None``."""
    match = re.fullmatch(r"(\w+)\.html|_sources/(\w+)\.md\.txt", path)
    return (match[1] or match[2]) if match else None


def differences(incremental: BuildResult, clean: BuildResult, docnames: set[str]) -> list[str]:
    """Output files that differ between the builds, or that only one of them has."""
    mine, theirs = outputs(incremental.outdir), outputs(clean.outdir)
    # Sphinx never deletes the output of a page whose source was removed; nothing links to it.
    leftovers = {
        path for path in set(mine) - set(theirs) if _page_of(path) not in {*docnames, None}
    }
    problems = sorted((set(mine) - leftovers) ^ set(theirs))
    for path in sorted(set(mine) & set(theirs)):
        # searchindex.js: only the empty terms an incremental build keeps may differ (see
        # index_corpus.search_index). Nothing else is normalised.
        same = (
            search_index(mine[path]) == search_index(theirs[path])
            if path == "searchindex.js"
            else mine[path] == theirs[path]
        )
        if not same:
            problems.append(path)
    return problems


class IncrementalSite(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="fieldnotes-machine-"))
        self.site = Site(self.root, conf=CONF)
        self.site.write("_templates/layout.html", LAYOUT)
        (self.site.srcdir / "_include").mkdir()
        self.sources = Sources()
        self.written: Pages = {}

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    @initialize(
        notes=st.lists(blocks, min_size=1, max_size=4),
        shared=st.lists(blocks, min_size=1, max_size=3),
    )
    def start(self, notes: list[Block], shared: list[Block]) -> None:
        self.sources.blocks = {NOTES: notes, INCLUDED: shared}

    # -- entries ------------------------------------------------------------------------------

    @rule(data=st.data(), block=blocks)
    def add_block(self, data: st.DataObject, block: Block) -> None:
        content = self.sources.blocks[data.draw(st.sampled_from(sorted(self.sources.blocks)))]
        content.insert(data.draw(st.integers(0, len(content))), block)

    @precondition(lambda self: self.sources.places())
    @rule(data=st.data())
    def remove_block(self, data: st.DataObject) -> None:
        docname, index = data.draw(st.sampled_from(self.sources.places()))
        del self.sources.blocks[docname][index]

    @precondition(lambda self: self.sources.places((Project, Todo)))
    @rule(data=st.data())
    def rename_entry(self, data: st.DataObject) -> None:
        docname, index = data.draw(st.sampled_from(self.sources.places((Project, Todo))))
        entry = self.sources.blocks[docname][index]
        names = PROJECT_NAMES if isinstance(entry, Project) else TODO_NAMES
        new = replace(entry, name=data.draw(st.sampled_from(names)))
        self.sources.blocks[docname][index] = new

    @precondition(lambda self: self.sources.places())
    @rule(data=st.data())
    def move_block(self, data: st.DataObject) -> None:
        """To another page, into or out of the included file, or elsewhere on its page."""
        docname, index = data.draw(st.sampled_from(self.sources.places()))
        block = self.sources.blocks[docname].pop(index)
        target = self.sources.blocks[data.draw(st.sampled_from(sorted(self.sources.blocks)))]
        target.insert(data.draw(st.integers(0, len(target))), block)

    @precondition(lambda self: self.sources.places((Project,)))
    @rule(data=st.data(), date=st.sampled_from(DATES), version=st.sampled_from(VERSIONS))
    def add_update(self, data: st.DataObject, date: str, version: str) -> None:
        docname, index = data.draw(st.sampled_from(self.sources.places((Project,))))
        project = self.sources.blocks[docname][index]
        assert isinstance(project, Project)
        updates = (*project.updates, (date, version))
        self.sources.blocks[docname][index] = replace(project, updates=updates)

    @precondition(lambda self: self.sources.places((Project, Update)))
    @rule(data=st.data(), date=st.sampled_from(DATES), version=st.sampled_from(VERSIONS))
    def edit_dates(self, data: st.DataObject, date: str, version: str) -> None:
        """A note's or an update's date and version (a nested update's, when it has some)."""
        docname, index = data.draw(st.sampled_from(self.sources.places((Project, Update))))
        entry = self.sources.blocks[docname][index]
        if isinstance(entry, Project) and entry.updates:
            which = data.draw(st.integers(0, len(entry.updates) - 1))
            updates = list(entry.updates)
            updates[which] = (date, version)
            entry = replace(entry, updates=tuple(updates))
        else:
            entry = replace(entry, date=date, version=version)
        self.sources.blocks[docname][index] = entry

    # -- pages and settings -------------------------------------------------------------------

    @precondition(lambda self: len(self.sources.toctree) < len(EXTRA_PAGES))
    @rule(data=st.data(), content=st.lists(blocks, max_size=3))
    def add_page(self, data: st.DataObject, content: list[Block]) -> None:
        free = [name for name in EXTRA_PAGES if name not in self.sources.blocks]
        docname = data.draw(st.sampled_from(free))
        toctree = self.sources.toctree
        toctree.insert(data.draw(st.integers(0, len(toctree))), docname)
        self.sources.blocks[docname] = content

    @precondition(lambda self: self.sources.toctree)
    @rule(data=st.data())
    def remove_page(self, data: st.DataObject) -> None:
        docname = data.draw(st.sampled_from(self.sources.toctree))
        self.sources.toctree.remove(docname)
        del self.sources.blocks[docname]

    @rule(data=st.data())
    def change_setting(self, data: st.DataObject) -> None:
        conf = self.site.conf
        assert conf is not None
        name = data.draw(st.sampled_from(sorted(SETTINGS)))
        current = conf.get(name, SETTINGS[name][0])
        conf[name] = data.draw(st.sampled_from([v for v in SETTINGS[name] if v != current]))

    @rule(data=st.data())
    def time_passes(self, data: st.DataObject) -> None:
        """Today from ``SOURCE_DATE_EPOCH``: unlike conf.py, Sphinx reads no page again for it."""
        current = self.site.env.get("SOURCE_DATE_EPOCH")
        epoch = data.draw(st.sampled_from([e for e in EPOCHS if e != current]))
        if epoch is None:
            del self.site.env["SOURCE_DATE_EPOCH"]
        else:
            self.site.env["SOURCE_DATE_EPOCH"] = epoch

    # -- after every step ---------------------------------------------------------------------

    @invariant()
    def incremental_build_equals_clean_build(self) -> None:
        pages = self.sources.pages()
        sync(self.site.srcdir, pages, self.written)
        self.written = pages
        incremental = self.site.build(outname="incremental")
        clean = self.site.build(outname="clean", fresh=True)
        for marker in ("Traceback", "Extension error", "Exception occurred"):
            assert marker not in incremental.warnings + clean.warnings
        docnames = {d for d in pages if d != INCLUDED}
        assert differences(incremental, clean, docnames) == []
        assert incremental.findings == clean.findings
        assert incremental.status == clean.status


# A run is 1 + stateful_step_count build pairs: ci, 5 runs of 10 edits (55 pairs); long, 80 of 25.
IncrementalSite.TestCase.settings = scaled(5)
test_incremental_builds_equal_clean_builds = IncrementalSite.TestCase


def test_the_machine_catches_a_missing_env_updated_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection: fieldnotes' hook runs but its pages to rewrite are dropped, so listings go
    stale after an edit elsewhere; the machine must fail on it (within its first few edits)."""
    real = incremental.on_env_updated

    def without_rewrites(app, env):  # type: ignore[no-untyped-def]
        real(app, env)
        return []

    monkeypatch.setattr(incremental, "on_env_updated", without_rewrites)  # read at setup()
    # the same few runs under any profile: the ci one fails on its fourth edit
    few = settings(scaled(5), max_examples=3, stateful_step_count=8, derandomize=True)
    with pytest.raises(AssertionError, match=r"listings\.html"):
        run_state_machine_as_test(IncrementalSite, settings=few)
