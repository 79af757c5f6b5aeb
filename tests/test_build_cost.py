"""What makes builds cheap (issue 5) without changing what they produce.

- Read doctrees hold entries as data; badges are made when a page is written, so ``-b dummy``
  never makes them, while the written pages and linkcheck still get every badge and link.
- ``-b dummy`` reads without smart quotes; a later writing build from the same doctree directory
  reads those pages again and writes exactly what a clean build writes.
- Python's cycle collector skips the doctrees held between reading and writing, and gets them back
  when the build is over.
- A page's records reach the pickled environment as one object, however many entries the page has.

Built with the real Sphinx, MyST and fieldnotes (and the real linkcheck builder, against a closed
port on 127.0.0.1, so no network is used).
"""

from __future__ import annotations

import gc
import json
import pickle
import pickletools
import socket
import sys
from collections import Counter
from typing import Any

import pytest
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st
from myst_parser.parsers.options import options_to_items

from sites import Finding, Site
from sphinx_fieldnotes import gc_freeze
from sphinx_fieldnotes.directives.base import parse_plain_option_lines
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.model import DocumentRecord, Project, Update
from sphinx_fieldnotes.nodes import project_fields, update_fields

QUOTED = 'He said "it works" -- and it\'s fast.'


def corpus(site: Site, url: str = "https://github.com/example/alpha") -> None:
    site.write(
        "index.md",
        """
        # Home

        ```{toctree}
        notes
        list
        ```
    """,
    )
    site.write(
        "notes.md",
        f"""
        # Notes

        :::::{{project}} Alpha
        :url: {url}
        :date: 2018-06-02
        :version: v1.0
        :status: beta
        :vendor: Intel
        :tags: cni
        :replaced-by: Beta

        {QUOTED}

        :::{{update}}
        :date: 2019-01-05
        :version: v1.1

        Faster.
        :::
        :::::

        :::{{project}} Beta
        :url: https://github.com/example/beta
        :date: 2019-02-03
        :version: v2.0
        :::
    """,
    )
    site.write(
        "list.md",
        """
        # List

        :::{project-index}
        :::
    """,
    )


def badges(tree: nodes.Node) -> list[str]:
    return [n.astext() for n in tree.findall(nodes.inline) if "sd-badge" in n["classes"]]


# -- entries are data until written ----------------------------------------------------------------


def test_read_doctree_keeps_fields_as_data_and_no_badges(site: Site) -> None:
    corpus(site)
    built = site.build("html")
    assert built.status == 0, built.warnings
    doctree = built.app.env.get_doctree("notes")
    assert badges(doctree) == []
    alpha = next(iter(doctree.findall(project_fields)))
    assert (alpha["status"], alpha["date"], alpha["version"], alpha["vendor"], alpha["tags"]) == (
        "beta",
        "2018-06-02",
        "v1.0",
        "Intel",
        ["cni"],
    )
    # The links linkcheck and the reference resolver must see are made when the page is read.
    assert [r["refuri"] for r in alpha.findall(nodes.reference)] == [
        "https://github.com/example/alpha"
    ]
    assert len(list(doctree.findall(update_fields))) == 1


def test_written_page_has_every_badge_and_link(site: Site) -> None:
    corpus(site)
    built = site.build("html")
    resolved = built.resolved_doctree("notes")
    assert not list(resolved.findall(project_fields))
    assert not list(resolved.findall(update_fields))
    assert [b for b in badges(resolved) if b != "stale"] == [
        "beta",
        "noted 2018-06-02",
        "version v1.0",
        "by Intel",
        "#cni",
        "version v1.1",
        "noted 2019-02-03",
        "version v2.0",
    ]
    html = built.page("notes.html")
    assert "replaced by" in html and 'href="#beta"' in html
    assert "Update on 2019-01-05" in html
    assert 'href="https://github.com/example/alpha"' in html


@pytest.mark.parametrize("builder", ["text", "latex", "singlehtml"])
def test_other_builders_render_the_summary_too(site: Site, builder: str) -> None:
    corpus(site)
    built = site.build(builder)
    assert built.status == 0, built.warnings
    written = " ".join(
        " ".join(p.read_text(encoding="utf-8").split())  # the text builder wraps lines
        for p in built.outdir.glob("*.*")
        if p.suffix in (".txt", ".tex", ".html")
    )
    for piece in ("noted 2018", "by Intel", "Update on 2019", "version v1.1", "replaced by"):
        assert piece in written, (builder, piece)


def test_linkcheck_still_checks_each_project_url(site: Site) -> None:
    with socket.socket() as probe:  # a port nothing listens on: refused at once, no network
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    corpus(site, url=f"http://127.0.0.1:{port}/alpha")
    built = site.build(
        "linkcheck", linkcheck_ignore=[r"https://github\.com/.*"], linkcheck_retries=1
    )
    results = [json.loads(line) for line in (built.outdir / "output.json").read_text().splitlines()]
    checked = {r["uri"]: r["status"] for r in results}
    assert checked[f"http://127.0.0.1:{port}/alpha"] == "broken"


# -- -b dummy skips typography, and nothing it read leaks into written pages ---------------------


def test_dummy_build_reads_without_smart_quotes(site: Site) -> None:
    corpus(site)
    built = site.build("dummy", outname="shared")
    assert built.status == 0, built.warnings
    assert QUOTED in built.app.env.get_doctree("notes").astext()
    assert built.app.env.settings["smart_quotes"] is True  # put back before the pickle


def test_html_after_dummy_rereads_its_pages_and_matches_a_clean_build(site: Site) -> None:
    corpus(site)
    clean = site.build("html", outname="clean")
    assert "\u201cit works\u201d" in clean.page("notes.html")  # smart quotes in written pages
    site.build("dummy", outname="shared")
    after_dummy = site.build("html", outname="shared")
    assert "3 changed" in after_dummy.log  # every page the dummy build read
    for page in ("notes.html", "list.html", "index.html"):
        assert after_dummy.page(page) == clean.page(page), page
    # Read for output now: the next writing build reads nothing again.
    again = site.build("html", outname="shared")
    assert "0 added, 0 changed, 0 removed" in again.log


def test_a_dummy_build_after_html_reads_nothing_again(site: Site) -> None:
    corpus(site)
    site.build("html", outname="shared")
    dummy = site.build("dummy", outname="shared")
    assert "0 added, 0 changed, 0 removed" in dummy.log
    assert "\u201cit works\u201d" in dummy.app.env.get_doctree("notes").astext()


# -- the cycle collector ---------------------------------------------------------------------------


def _freeze_counts_while_reading(site: Site, **conf: object) -> list[int]:
    """The collector's permanent generation size at each env-updated, via a probe extension."""
    probe = _build_with_probe(
        site,
        "freeze_probe",
        "import gc\n"
        "COUNTS = []\n"
        "def setup(app):\n"
        "    app.connect('env-updated', lambda app, env: COUNTS.append(gc.get_freeze_count()))\n"
        "    return {'parallel_read_safe': True}\n",
        **conf,
    )
    return list(probe.COUNTS)


def _build_with_probe(site: Site, name: str, source: str, **conf: object) -> Any:
    """Build *site* as HTML with one more extension, module *name* written from *source*, and
    return that module (what its handlers recorded)."""
    (site.srcdir / f"{name}.py").write_text(source)
    sys.path.insert(0, str(site.srcdir))
    sys.modules.pop(name, None)
    try:
        built = site.build("html", extensions=[*site.conf["extensions"], name], **conf)
        assert built.status == 0, built.warnings
        return sys.modules[name]
    finally:
        sys.path.remove(str(site.srcdir))


def test_doctrees_are_frozen_while_held_and_thawed_after_the_build(site: Site) -> None:
    corpus(site)
    before = gc.get_freeze_count()
    assert before <= gc_freeze.FROZEN_AT_IMPORT  # nothing frozen by this process
    counts = _freeze_counts_while_reading(site)
    assert counts and counts[0] > before  # what reading left alive is out of the collector's way
    assert gc.get_freeze_count() == 0  # and handed back once the build is over


def test_a_parallel_read_pauses_the_collector_in_the_main_process_only(site: Site) -> None:
    """With ``-j 2`` the main process loads each worker's whole environment to merge it: with the
    collector running, that made a parallel build at 100,000 entries no faster than a serial one.
    It is paused there until every page is merged; the workers read with it running."""
    corpus(site)
    log = site.srcdir / "collector.log"
    source = (
        "import gc, os\n"
        "MAIN = os.getpid()\n"
        "def note(moment):\n"
        f"    with open({str(log)!r}, 'a') as out:\n"
        "        out.write(f'{moment} {os.getpid() == MAIN} {gc.isenabled()}\\n')\n"
        "def setup(app):\n"
        "    app.connect('doctree-read', lambda app, doctree: note('read'))\n"
        "    app.connect('env-merge-info', lambda app, env, names, other: note('merge'))\n"
        "    app.connect('env-updated', lambda app, env: note('updated'), priority=900)\n"
        "    return {'parallel_read_safe': True, 'parallel_write_safe': True}\n"
    )
    _build_with_probe(site, "collector_probe", source, parallel=2)
    moments = Counter(tuple(line.split()) for line in log.read_text().splitlines())
    pages = len(list(site.srcdir.glob("*.md")))
    assert moments.pop(("merge", "True", "False")) >= 2  # main process: paused while merging
    assert moments == {
        ("read", "False", "True"): pages,  # in the workers, collector on
        ("updated", "True", "True"): 1,  # and running again once everything is merged
    }
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_parallel_worker_sends_back_only_the_pages_it_read(site: Site) -> None:
    """A worker is forked with the pages merged so far; its pickle carried all of them back, and
    the main process loaded and collected them again at every merge. Now each worker's tables of
    contents and fieldnotes records are those of its own pages, and the merged environment still
    holds every page's."""
    site.write("index.md", "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n")
    for number in range(6):  # with the index: chunks of 3, 3 and 1, the last forked after a merge
        site.write(
            f"page{number}.md",
            f"# Page {number}\n\n:::{{project}} P{number}\n:url: https://github.com/example/"
            f"p{number}\n:date: 2019-02-03\n:version: v2.0\n:::\n",
        )
    log = site.srcdir / "merges.log"
    source = (
        "import json\n"
        "def merge(app, env, names, other):\n"
        "    sent = {'tocs': sorted(other.tocs),\n"
        "            'records': sorted(other.domaindata['fieldnotes']['documents'])}\n"
        f"    with open({str(log)!r}, 'a') as out:\n"
        "        out.write(json.dumps([sorted(names), sent]) + '\\n')\n"
        "def merged(app, env):\n"
        "    merge(app, env, ['all'], env)\n"
        "def setup(app):\n"
        "    app.connect('env-merge-info', merge)\n"
        "    app.connect('env-updated', merged)\n"
        "    return {'parallel_read_safe': True, 'parallel_write_safe': True}\n"
    )
    _build_with_probe(site, "merge_probe", source, parallel=2)
    *merges, (_, merged) = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(merges) == 3
    for names, sent in merges:
        assert sent["tocs"] == names
        assert sent["records"] == [name for name in names if name != "index"]
    pages = [f"page{number}" for number in range(6)]
    assert merged == {"tocs": ["index", *pages], "records": pages}  # nothing lost in the merge


_LOAD_PROBE = (
    "import gc\n"
    "LOADED = []\n"
    "class Probe:\n"
    "    def __getstate__(self):\n"
    "        return {'loaded': True}  # not empty: pickle calls __setstate__ only for a state\n"
    "    def __setstate__(self, state):\n"
    "        LOADED.append(gc.isenabled())\n"
    "def keep(app, env):\n"
    "    env.load_probe = Probe()  # pickled with the environment, and so loaded with it\n"
    "def setup(app):\n"
    "    app.connect('env-updated', keep)\n"
    "    app.connect('builder-inited', lambda app: LOADED.append(('inited', gc.isenabled())))\n"
    "    return {'parallel_read_safe': True}\n"
)


def _collector_while_the_environment_loads(site: Site, **conf: object) -> list[object]:
    """What a probe pickled with the environment saw when the next build loaded it."""
    _build_with_probe(site, "load_probe", _LOAD_PROBE, **conf)
    notes = site.srcdir / "notes.md"
    notes.write_text(notes.read_text().replace("2019-02-03", "2019-02-04"))
    return _build_with_probe(site, "load_probe", _LOAD_PROBE, **conf).LOADED


def test_the_collector_is_paused_while_the_pickled_environment_loads(site: Site) -> None:
    """At 100,000 entries loading the environment took three times as long with the collector
    running; it is paused until the environment is set up, and runs again for the build."""
    corpus(site)
    assert _collector_while_the_environment_loads(site) == [False, ("inited", True)]
    assert gc.isenabled()


def test_the_collector_runs_while_the_environment_loads_when_freezing_is_off(site: Site) -> None:
    corpus(site)
    loaded = _collector_while_the_environment_loads(site, fieldnotes_freeze_read_doctrees=False)
    assert loaded == [True, ("inited", True)]


def test_freezing_can_be_turned_off(site: Site) -> None:
    corpus(site)
    before = gc.get_freeze_count()
    assert _freeze_counts_while_reading(site, fieldnotes_freeze_read_doctrees=False) == [before]


def test_objects_frozen_by_the_host_process_stay_frozen(site: Site) -> None:
    corpus(site)
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        counts = _freeze_counts_while_reading(site)
        # Reading makes thousands of objects: none joined the host's frozen ones (a few of those
        # may be freed meanwhile), and the host's were not thawed.
        assert 0 < counts[0] <= before
        assert 0 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()


def test_a_bad_setting_is_a_config_error(site: Site) -> None:
    corpus(site)
    built = site.build("html", fieldnotes_freeze_read_doctrees="yes")
    assert built.status != 0
    assert built.findings == [
        Finding(
            "conf.py",
            5,
            "ERROR",
            "config",
            "fieldnotes_freeze_read_doctrees = 'yes' must be True or False; using True",
        )
    ]


def test_nothing_stays_frozen_when_a_build_fails(site: Site) -> None:
    corpus(site)
    site.write("notes.md", "# Notes\n\n:::{project} Broken\n:url: https://a.example\n:::\n")
    built = site.build("html")
    assert built.status != 0
    assert gc.get_freeze_count() == 0


def test_an_edit_checked_with_dummy_still_rewrites_the_index_in_the_next_html_build(
    site: Site,
) -> None:
    corpus(site)
    site.build("html", outname="shared")
    notes = site.srcdir / "notes.md"
    notes.write_text(notes.read_text().replace("2019-02-03", "2019-02-04"))
    site.build("dummy", outname="shared")  # reads the edit, writes nothing
    after = site.build("html", outname="shared")
    clean = site.build("html", outname="clean")
    assert "2019-02-04" in after.page("list.html")
    for page in ("notes.html", "list.html", "index.html"):
        assert after.page(page) == clean.page(page), page


# -- options: plain lines read without MyST's tokenizer, with the same result ----------------------

_KEYS = st.sampled_from(["url", "date", "version", "vendor", "tags", "Url", "my-key", "k.2", "x"])
_VALUE_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cs",),
    exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
)
_LINES = st.lists(
    st.builds(
        lambda indent, key, gap, value: f"{indent}:{key}:{gap}{value}",
        st.sampled_from(["", " ", "  "]),
        _KEYS,
        st.sampled_from(["", " ", "  ", "\t"]),
        st.text(_VALUE_CHARS, max_size=30),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(_LINES)
def test_plain_option_lines_read_as_myst_reads_them(lines: list[str]) -> None:
    fast = parse_plain_option_lines(lines)
    if fast is None:
        return  # left to MyST's tokenizer
    items, _ = options_to_items("\n".join(line.lstrip()[1:] for line in lines))
    assert fast == dict(items)


def test_most_generated_option_lines_take_the_fast_path() -> None:
    lines = [
        ":url: https://github.com/example/alpha",
        ":date: 2018-06-02",
        ":version: v1.0",
        ":vendor: Intel Corporation",
        ":tags: cni, networking",
        ":status:",
    ]
    assert parse_plain_option_lines(lines) == {
        "url": "https://github.com/example/alpha",
        "date": "2018-06-02",
        "version": "v1.0",
        "vendor": "Intel Corporation",
        "tags": "cni, networking",
        "status": "",
    }
    for slow in (':vendor: "quoted"', ":vendor: a # comment", ":url:\thttps://x", ":k: |"):
        assert parse_plain_option_lines([slow]) is None, slow


def test_options_work_in_restructuredtext_pages_too(site: Site) -> None:
    site.write("index.md", "# Home\n\n```{toctree}\nnotes\n```\n")
    site.write(
        "notes.rst",
        """
        Notes
        =====

        .. project:: Alpha
           :url: https://github.com/example/alpha
           :date: 2018-06-02
           :version: v1.0
           :colour: blue

           The notes.

        .. project::
           :url: https://github.com/example/beta
    """,
    )
    built = site.build("html")
    found = {(f.path, f.line, f.code) for f in built.findings}
    assert found == {
        ("notes.rst", 8, "unknown-option"),
        ("notes.rst", 12, "missing-name"),
        ("notes.rst", 12, "missing-date"),
        ("notes.rst", 12, "missing-version"),
    }, built.warnings
    html = built.page("notes.html")
    assert "noted 2018-06-02" in html and "The notes." in html
    assert "<h2>Alpha" in html


def test_pages_read_by_a_parallel_dummy_build_are_read_again_for_output(site: Site) -> None:
    corpus(site)
    extra = [f"more{i}" for i in range(6)]  # Sphinx reads in parallel from six pages on
    site.write("index.md", "# Home\n\n```{toctree}\nnotes\nlist\n" + "\n".join(extra) + "\n```\n")
    for i, name in enumerate(extra):
        site.write(
            f"{name}.md",
            f"""
            # More {i}

            :::{{project}} Extra {i}
            :url: https://github.com/example/extra{i}
            :date: 2018-06-0{i + 1}
            :version: v{i}.0

            {QUOTED}
            :::
        """,
        )
    dummy = site.build("dummy", outname="shared", parallel=2)
    assert dummy.status == 0, dummy.warnings
    merged = get_domain(dummy.app.env).read_without_typography
    assert merged == {"index", "notes", "list", *extra}
    after = site.build("html", outname="shared")
    clean = site.build("html", outname="clean")
    for page in ["notes.html", "list.html", *(f"{name}.html" for name in extra)]:
        assert after.page(page) == clean.page(page), page
    assert "\u201cit works\u201d" in after.page("more0.html")


def _doctrees_alive_at_finish(site: Site, **conf: object) -> tuple[int, int]:
    """(pages resolved, their last elements still alive at build-finished), via a probe."""
    probe = _build_with_probe(
        site,
        "release_probe",
        "import weakref\n"
        "from docutils import nodes\n"
        "REFS = []\n"
        "ALIVE = []\n"
        "def last_paragraph(app, tree, name):\n"
        "    REFS.append(weakref.ref(list(tree.findall(nodes.Element))[-1]))\n"
        "def setup(app):\n"
        "    app.connect('doctree-resolved', last_paragraph)\n"
        "    app.connect('build-finished', lambda app, exc: ALIVE.append(\n"
        "        sum(r() is not None for r in REFS)), priority=100)\n"
        "    return {'parallel_read_safe': True}\n",
        **conf,
    )
    return len(probe.REFS), probe.ALIVE[0]


def test_written_doctrees_are_freed_while_frozen(site: Site) -> None:
    corpus(site)
    for n in range(3):
        site.write(
            f"more{n}.md",
            f"# More {n}\n\n:::{{project}} More{n}\n:url: https://example.org/m{n}"
            f"\n:date: 2019-01-0{n + 1}\n:version: v1.{n}\n\nText.\n:::\n",
        )
    site.write("index.md", "# Home\n\n```{toctree}\nnotes\nlist\nmore0\nmore1\nmore2\n```\n")
    resolved, alive = _doctrees_alive_at_finish(site)
    assert resolved >= 5
    assert alive <= 1  # only the page written last is still held, until the build is over


# -- -j N: the main process resolves, the forked writers render (issue 18) ------------------------

LISTINGS = """
# List

:::{fieldnotes-overview}
:::

:::{project-index}
:group-by: status
:::

:::{timeline}
:::

:::{fieldnotes-landscape}
:::
"""


def _parallel_corpus(site: Site) -> list[str]:
    """The corpus with six more pages (Sphinx reads in parallel from six pages on) and a page of
    every kind of listing, charts included (their ids are numbered in page order)."""
    corpus(site)
    extra = [f"more{i}" for i in range(6)]
    site.write("index.md", "# Home\n\n```{toctree}\nnotes\nlist\n" + "\n".join(extra) + "\n```\n")
    site.write("list.md", LISTINGS)
    for i, name in enumerate(extra):
        site.write(
            f"{name}.md",
            f"# More {i}\n\n:::{{project}} Extra {i}\n:url: https://github.com/example/extra{i}\n"
            f":date: 2018-06-0{i + 1}\n:version: v{i}.0\n:status: beta\n\nText.\n:::\n\n"
            f":::{{update}}\n:project: Extra {i}\n:date: 2020-01-0{i + 1}\n:version: v{i}.1\n:::\n",
        )
    return ["index", "notes", "list", *extra]


def _resolved_in_main(site: Site, parallel: int) -> tuple[Any, dict[str, tuple[int, int]]]:
    """The build, and per page resolved in the main process: (the collector's permanent
    generation, index placeholders left in the resolved doctree), via a probe extension."""
    probe = site.srcdir / "main_probe.py"
    probe.write_text(
        "import gc, os\n"
        "from sphinx_fieldnotes.nodes import index_placeholder\n"
        "MAIN = os.getpid()\n"
        "SEEN = {}\n"
        "def resolved(app, tree, name):\n"
        "    if os.getpid() == MAIN:\n"
        "        left = len(list(tree.findall(index_placeholder)))\n"
        "        SEEN[name] = (gc.get_freeze_count(), left)\n"
        "def setup(app):\n"
        "    app.connect('doctree-resolved', resolved, priority=900)\n"
        "    return {'parallel_read_safe': True, 'parallel_write_safe': True}\n"
    )
    import sys

    sys.path.insert(0, str(site.srcdir))
    sys.modules.pop("main_probe", None)
    try:
        built = site.build(
            "html",
            outname=f"j{parallel}",
            parallel=parallel,
            extensions=[*site.conf["extensions"], "main_probe"],
        )
        assert built.status == 0, built.warnings
        return built, dict(sys.modules["main_probe"].SEEN)
    finally:
        sys.path.remove(str(site.srcdir))


def test_a_parallel_build_leaves_the_listings_to_the_writers_and_writes_the_same(
    site: Site,
) -> None:
    docnames = _parallel_corpus(site)
    serial, _ = _resolved_in_main(site, parallel=1)
    parallel, seen = _resolved_in_main(site, parallel=2)
    assert set(docnames) <= set(seen)  # every page was resolved in the main process
    # The main process did not render the listings: the writers' translator does.
    assert seen["list"][1] == 4
    # What the main process holds is out of the collector's way (it read nothing itself).
    assert all(frozen > gc_freeze.FROZEN_AT_IMPORT for frozen, _ in seen.values())
    assert gc.get_freeze_count() == 0  # and handed back once the build is over
    for name in docnames:
        assert parallel.page(f"{name}.html") == serial.page(f"{name}.html"), name
    listing_page = parallel.page("list.html")
    # The overview's two charts, numbered in page order as when rendered at doctree-resolved.
    assert 'id="fieldnotes-chart-1-title"' in listing_page
    assert 'id="fieldnotes-chart-2-title"' in listing_page
    assert "Extra 5" in listing_page.split("fieldnotes-timeline", 1)[1]


def test_listings_reach_the_page_body_without_going_through_the_writer(site: Site) -> None:
    """Sphinx copies a page's body several times on its way to the file, and at 2,000 journal
    entries those copies of the index page were the build's peak memory. The tables and maps go
    into the body at html-page-context, before any other handler sees it."""
    corpus(site)
    site.write("list.md", LISTINGS)
    source = (
        "SEEN = {}\n"
        "def look(when):\n"
        "    def handler(app, pagename, templatename, context, doctree):\n"
        "        if pagename == 'list':\n"
        "            SEEN[when] = context['body']\n"
        "    return handler\n"
        "def setup(app):\n"
        "    app.connect('html-page-context', look('before'), priority=1)\n"
        "    app.connect('html-page-context', look('after'), priority=11)\n"
        "    app.connect('builder-inited', lambda app: SEEN.update(outdir=app.outdir))\n"
        "    return {'parallel_read_safe': True, 'parallel_write_safe': True}\n"
    )
    seen = _build_with_probe(site, "body_probe", source).SEEN
    body = seen["before"]
    marks = body.count("<!--fieldnotes-block-")
    assert "<table" not in body and "fieldnotes-tile" not in body
    body = seen["after"]
    assert "<!--fieldnotes-block-" not in body
    tables = body.count("<table")
    # One mark per table (the index by status, the timeline by year), chart, and the map.
    assert tables >= 2 and marks == tables + body.count("<svg") + 1
    assert "fieldnotes-tile" in body
    assert (seen["outdir"] / "list.html").read_text(encoding="utf-8").count("<table") == tables


def test_other_builders_get_the_listings_as_nodes_when_resolved(site: Site) -> None:
    corpus(site)
    site.write("list.md", LISTINGS)
    built = site.build("text")
    assert built.status == 0, built.warnings
    text = (built.outdir / "list.txt").read_text(encoding="utf-8")
    assert "Alpha" in text and "2019-01-05" in text  # the timeline's update row, as text


def _memoized(obj: object) -> int:
    data = pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)
    return sum(op.name == "MEMOIZE" for op, _, _ in pickletools.genops(data))


def _page_of(entries: int) -> DocumentRecord:
    record = DocumentRecord()
    for n in range(entries):
        name = f"tool-{n}"
        record.projects.append(Project(name, name, "page", 3 + n, name, date="2020-01-02"))
        record.updates.append(Update("page", 5 + n, f"u-{n}", name, date="2021-03", version="v1"))
    return record


def test_a_pages_records_pickle_as_one_object_however_many_entries() -> None:
    """Sphinx pickles the environment as one object graph whose memo keeps every object it wrote
    until the end; at 10,000 entries the records' objects made that memo the build's peak."""
    one, many = _page_of(1), _page_of(500)
    assert _memoized({"page": many}) == _memoized({"page": one})
    assert pickle.loads(pickle.dumps(many, pickle.HIGHEST_PROTOCOL)) == many


def test_records_read_back_from_the_pickled_environment_are_whole(site: Site) -> None:
    corpus(site)
    first = site.build("html")
    written = get_domain(first.app.env).documents
    again = site.build("html")
    assert "0 added, 0 changed, 0 removed" in again.log  # the records came from the pickle
    assert get_domain(again.app.env).documents == written
