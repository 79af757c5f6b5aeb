"""fieldnotes in a site not configured like ours (issue 13), tried as a new user would.

Every test writes a fresh Sphinx project whose ``conf.py`` names only what a new user adds
(``extensions = ["myst_parser", "sphinx_fieldnotes"]``, nothing of MyST's configured) and builds it
with the real ``sphinx-build`` command line in a child process (``-W --keep-going`` where a
correct site must pass, ``-n`` where it matters). Diagnostics are compared exactly, as a multiset
of (file, line, level, code), files relative to the source directory.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sites import REPO

FINDING = re.compile(
    r"^(?P<path>\S+?):(?P<line>\d+): (?P<level>WARNING|ERROR): (?P<message>.*?)"
    r"(?: \[(?P<code>[\w.-]+)\])?$",
    re.MULTILINE,
)
PROBLEM = re.compile(r"WARNING|ERROR|Traceback|Exception occurred|Extension error")
NEW_USER = {"extensions": ["myst_parser", "sphinx_fieldnotes"], "fieldnotes_today": "2026-01-01"}


@dataclass
class Built:
    status: int
    stderr: str
    stdout: str
    outdir: Path
    srcdir: Path

    @property
    def findings(self) -> Counter[tuple[str, int, str, str]]:
        """(file relative to the source directory, line, level, code) of every problem."""
        found: Counter[tuple[str, int, str, str]] = Counter()
        for match in FINDING.finditer(self.stderr):
            path = Path(match["path"])
            path = path if path.is_absolute() else self.srcdir / path
            relative = Path(os.path.relpath(path, self.srcdir)).as_posix()
            found[(relative, int(match["line"]), match["level"], match["code"] or "-")] += 1
        return found

    @property
    def problems(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if PROBLEM.search(line)]

    def page(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def export(self) -> dict[str, Any]:
        return json.loads(self.page("fieldnotes.json"))

    def projects(self) -> dict[str, dict[str, Any]]:
        return {p["name"]: p for p in self.export()["projects"]}


@dataclass
class NewSite:
    """A Sphinx project in a temporary directory, built with ``python -m sphinx``."""

    root: Path
    conf: dict[str, Any] = field(default_factory=lambda: dict(NEW_USER))

    @property
    def srcdir(self) -> Path:
        return self.root / "src"

    def write(self, name: str, text: str) -> Path:
        path = self.srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def at(self, path: Path, marker: str, level: str, code: str) -> tuple[str, int, str, str]:
        """The finding expected at the line of *path* that holds *marker*."""
        return (path.relative_to(self.srcdir).as_posix(), line_of(path, marker), level, code)

    def build(
        self, builder: str = "html", *options: str, out: str | None = None, env: dict | None = None
    ) -> Built:
        self.srcdir.mkdir(parents=True, exist_ok=True)
        conf = "".join(f"{key} = {value!r}\n" for key, value in self.conf.items())
        (self.srcdir / "conf.py").write_text(conf, encoding="utf-8")
        outdir = self.root / "_build" / (out or builder)
        command = [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(self.root / "_dt")]
        command += [*options, str(self.srcdir), str(outdir)]
        environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        run = subprocess.run(
            command,
            cwd=self.srcdir,
            capture_output=True,
            text=True,
            env={**environment, "NO_COLOR": "1", **(env or {})},
            check=False,
        )
        return Built(run.returncode, run.stderr, run.stdout, outdir, self.srcdir)


@pytest.fixture
def new_site(tmp_path: Path) -> NewSite:
    return NewSite(tmp_path)


def line_of(path: Path, marker: str, occurrence: int = 1) -> int:
    """The line of *path* holding the *occurrence*-th *marker*."""
    lines = [i for i, text in enumerate(path.read_text("utf-8").split("\n"), 1) if marker in text]
    return lines[occurrence - 1]


def ids_of(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def toc(pages: str) -> str:
    return "# Home\n\n```{toctree}\n" + "\n".join(pages.split()) + "\n```\n"


# -- 1. colon_fence off, as MyST ships -------------------------------------------------------------


def _readme_example() -> str:
    """The example of the README's "Writing a note", as a new user copies it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("`````markdown\n", 1)[1].split("`````", 1)[0]


def test_the_readme_example_builds_entries_without_colon_fence_configured(
    new_site: NewSite,
) -> None:
    new_site.write("index.md", "# Networking\n\n" + _readme_example())
    built = new_site.build("html", "-W", "--keep-going")
    assert built.status == 0, built.stderr
    assert built.problems == []
    projects = built.projects()
    assert list(projects) == ["multus-cni"]
    assert [u["date"] for u in projects["multus-cni"]["updates"]] == ["2018-12-13"]
    assert [t["name"] for t in built.export()["todos"]] == ["kube-lego"]
    assert ":::{project}" not in built.page("index.html")


def test_a_bad_value_in_the_readme_syntax_fails_at_its_line(new_site: NewSite) -> None:
    page = new_site.write(
        "index.md", "# Networking\n\n" + _readme_example().replace("2018-06-02", "2018-06-31")
    )
    built = new_site.build("html")
    assert built.status != 0
    assert built.findings == Counter(
        {new_site.at(page, "2018-06-31", "ERROR", "fieldnotes.bad-date"): 1}
    )


@pytest.mark.parametrize("configured", [["deflist"], {"deflist"}, ("deflist",)])
def test_colon_fence_joins_the_site_s_own_extensions(new_site: NewSite, configured: Any) -> None:
    new_site.conf["myst_enable_extensions"] = configured
    new_site.write("index.md", "# Home\n\nTerm\n: Its definition.\n\n" + _readme_example())
    built = new_site.build("html", "-W")
    assert built.status == 0, built.stderr
    assert "<dl" in built.page("index.html")  # deflist still on
    assert list(built.projects()) == ["multus-cni"]


def test_turning_colon_fence_on_does_not_invalidate_the_environment(new_site: NewSite) -> None:
    """A set of extensions stays a set: made into a list its order would follow the hash seed, and
    every build would see a changed configuration and read every page again."""
    new_site.conf["myst_enable_extensions"] = {"deflist", "dollarmath", "tasklist"}
    new_site.write("index.md", "# Home\n\n" + _readme_example())
    first = new_site.build("html", env={"PYTHONHASHSEED": "1"})
    again = new_site.build("html", env={"PYTHONHASHSEED": "2"})
    assert first.status == again.status == 0, first.stderr + again.stderr
    assert "0 added, 0 changed, 0 removed" in again.stdout, again.stdout


def test_a_page_that_turns_colon_fence_off_loses_no_entry_silently(new_site: NewSite) -> None:
    new_site.write("index.md", toc("dollars"))
    page = new_site.write(
        "dollars.md",
        "---\nmyst:\n  enable_extensions: [dollarmath]\n---\n# Maths\n\n"
        + _readme_example()
        + "\n```markdown\n:::{project} an-example-in-a-code-block\n```\n",
    )
    lost = Counter(
        {
            new_site.at(page, "{project} multus-cni", "ERROR", "fieldnotes.colon-fence-off"): 1,
            new_site.at(page, "{update}", "ERROR", "fieldnotes.colon-fence-off"): 1,
            new_site.at(page, "{todo-item}", "ERROR", "fieldnotes.colon-fence-off"): 1,
        }
    )
    built = new_site.build("html")
    assert built.status != 0
    assert built.findings == lost, built.stderr
    # Stored with the page: reported again by a build that does not read it again.
    again = new_site.build("html")
    assert "0 changed" in again.stdout and again.findings == lost


# -- 2. reStructuredText pages, rst_prolog, containers ---------------------------------------------

RST_PAGE = """
Networking
==========

.. project:: alpha
   :url: https://example.com/alpha
   :date: 2018-01-01
   :version: v1

.. project:: beta
   :url: https://example.com/beta
   :date: 2019-01-01
   :version: v2
   :status: beta
   :vendor: Acme

.. project:: gamma
   :url: https://example.com/gamma
   :date: 2019-13-01
   :version: v3
   :status: shiny

   Its notes.

      .. project:: in-a-block-quote
         :url: not-a-url
         :date: 2019-01-01
         :version: v1

.. note::

   .. todo-item:: in-a-note
      :priority: P9

- .. project:: in-a-list
     :url: https://example.com/list
     :date: 2019-01-01
     :version: v 1

.. project-index::
   :group-by: status

See :project:`nowhere`.
"""


@pytest.mark.parametrize("prolog_lines", [0, 1, 3, 9])
def test_rst_options_and_lines_come_from_the_parser(new_site: NewSite, prolog_lines: int) -> None:
    """With an rst_prolog every line docutils counts moves down; each option must still be read
    from its own block and reported at its own line."""
    if prolog_lines:
        new_site.conf["rst_prolog"] = "\n".join(
            f".. |s{i}| replace:: S{i}" for i in range(prolog_lines)
        )
    new_site.write("index.md", toc("networking"))
    page = new_site.write("networking.rst", RST_PAGE)
    built = new_site.build("html", "--keep-going")
    projects = built.projects()
    assert {n: (p["status"], p["vendor"], p["date"]) for n, p in projects.items()} == {
        "alpha": (None, None, "2018-01-01"),
        "beta": ("beta", "Acme", "2019-01-01"),
        "gamma": (None, None, None),
        "in-a-block-quote": (None, None, "2019-01-01"),
        "in-a-list": (None, None, "2019-01-01"),
    }
    assert built.findings == Counter(
        {
            new_site.at(page, "2019-13-01", "ERROR", "fieldnotes.bad-date"): 1,
            new_site.at(page, ":status: shiny", "WARNING", "fieldnotes.bad-status"): 1,
            new_site.at(page, "not-a-url", "ERROR", "fieldnotes.bad-url"): 1,
            new_site.at(page, "P9", "ERROR", "fieldnotes.bad-priority"): 1,
            new_site.at(page, "v 1", "ERROR", "fieldnotes.bad-version"): 1,
            new_site.at(page, ":project:`nowhere`", "WARNING", "fieldnotes.unknown-project"): 1,
        }
    ), built.stderr
    assert "Its notes." in built.page("networking.html")


MD_CONTAINERS = """
# Containers

> :::{project} quoted
> :url: https://example.com/q
> :date: 2018-13-01
> :version: v1
> :::

- :::{project} listed
  :url: https://example.com/l
  :date: 2018-06-01
  :version: v 1
  :::

::::{note}

:::{project} admonished
:url: bad
:date: 2018-06-01
:version: v1
:::
::::

> - ::::{project} deep
>   :url: https://example.com/d
>   :date: 2018-06-01
>   :version: v1
>   :status: shiny
>
>   :::{update}
>   :date: 2018-06-32
>   :version: v2
>   :::
>   ::::

```{eval-rst}
.. project:: from-rst
   :url: https://example.com/r
   :date: 2018-06-01
   :version: bad version
```
"""


def test_myst_options_in_containers_are_read_at_their_lines(new_site: NewSite) -> None:
    page = new_site.write("index.md", MD_CONTAINERS)
    built = new_site.build("html", "--keep-going")
    assert set(built.projects()) == {"quoted", "listed", "admonished", "deep", "from-rst"}
    assert built.findings == Counter(
        {
            new_site.at(page, "2018-13-01", "ERROR", "fieldnotes.bad-date"): 1,
            new_site.at(page, "v 1", "ERROR", "fieldnotes.bad-version"): 1,
            new_site.at(page, ":url: bad", "ERROR", "fieldnotes.bad-url"): 1,
            new_site.at(page, ":status: shiny", "WARNING", "fieldnotes.bad-status"): 1,
            new_site.at(page, "2018-06-32", "ERROR", "fieldnotes.bad-date"): 1,
            new_site.at(page, "bad version", "ERROR", "fieldnotes.bad-version"): 1,
        }
    ), built.stderr


def test_the_tokenizer_s_fallback_reads_the_block_not_the_file(new_site: NewSite) -> None:
    """A block MyST's option tokenizer rejects (a lone quote) inside a block quote: the options
    come from the block's own lines, which the file holds behind ``> ``."""
    page = new_site.write(
        "index.md",
        """
        # Quoted

        > :::{project} quoted
        > :url: https://example.com/q
        > :date: 2018-06-02
        > :version: v1
        > :vendor: "O'Brien and sons
        > :::
        """,
    )
    built = new_site.build("html", "--keep-going")
    assert built.findings == Counter(
        {new_site.at(page, "{project}", "WARNING", "myst.directive_option"): 1}
    ), built.stderr
    quoted = built.projects()["quoted"]
    assert (quoted["date"], quoted["version"], quoted["vendor"]) == (
        "2018-06-02",
        "v1",
        "\"O'Brien and sons",
    )


# -- 3. included files -----------------------------------------------------------------------------


def test_diagnostics_in_included_files_name_the_included_file(new_site: NewSite) -> None:
    new_site.conf["exclude_patterns"] = ["parts"]
    new_site.write("index.md", toc("notes legacy"))
    new_site.write(
        "notes.md",
        """
        # Notes

        Text above the include.

        ```{include} parts/shared.md
        ```

        :::{project} alpha
        :url: https://example.com/a2
        :date: 2018-06-02
        :version: v1
        :::
        """,
    )
    shared = new_site.write(
        "parts/shared.md",
        """
        A paragraph first.

        :::{project} alpha
        :url: https://example.com/a
        :date: 2018-02-30
        :version: v1
        :status: shiny
        :::

        See {project}`nowhere`.
        """,
    )
    new_site.write(
        "legacy.rst",
        """
        Legacy
        ======

        .. include:: parts/old.rst

        .. project:: after-the-include
           :url: https://example.com/b
           :date: 2018-06-02
           :version: wrong
        """,
    )
    old = new_site.write(
        "parts/old.rst",
        """
        .. project:: included-rst
           :url: https://example.com/c
           :date: 2018-06-02
           :version: v1
           :tags: a

        Unknown :project:`nowhere-rst`.
        """,
    )
    new_site.conf["rst_prolog"] = ".. |a| replace:: A\n.. |b| replace:: B"
    built = new_site.build("html", "--keep-going")
    legacy = new_site.srcdir / "legacy.rst"
    notes = new_site.srcdir / "notes.md"
    assert built.findings == Counter(
        {
            new_site.at(shared, "2018-02-30", "ERROR", "fieldnotes.bad-date"): 1,
            new_site.at(shared, "shiny", "WARNING", "fieldnotes.bad-status"): 1,
            new_site.at(shared, "nowhere", "WARNING", "fieldnotes.unknown-project"): 1,
            new_site.at(notes, "{project} alpha", "ERROR", "fieldnotes.duplicate-project"): 1,
            new_site.at(old, "nowhere-rst", "WARNING", "fieldnotes.unknown-project"): 1,
            new_site.at(legacy, "wrong", "ERROR", "fieldnotes.bad-version"): 1,
        }
    ), built.stderr
    assert (
        f"already defined at parts/shared.md:{line_of(shared, '{project} alpha')}" in built.stderr
    )
    # The entries belong to the including pages.
    projects = built.projects()
    assert projects["included-rst"]["docname"] == "legacy"
    assert projects["alpha"]["docname"] == "notes"


def test_an_edit_to_an_included_file_is_reported_at_its_new_line(new_site: NewSite) -> None:
    new_site.conf["exclude_patterns"] = ["parts"]
    new_site.write("index.md", "# Home\n\n```{include} parts/part.md\n```\n")
    body = ":::{project} p\n:url: https://example.com/p\n:date: 2018-02-30\n:version: v1\n:::\n"
    part = new_site.write("parts/part.md", body)
    first = new_site.build("dummy")
    new_site.write("parts/part.md", "Two\n\nnew paragraphs.\n\n" + body)
    second = new_site.build("dummy")
    assert first.findings == Counter({("parts/part.md", 3, "ERROR", "fieldnotes.bad-date"): 1})
    assert second.findings == Counter(
        {new_site.at(part, "2018-02-30", "ERROR", "fieldnotes.bad-date"): 1}
    )
    assert line_of(part, "2018-02-30") == 7


# -- 4. anchors ------------------------------------------------------------------------------------

ALIKE = ("x y", "x-y", "X_Y")


def _alike_page(names: tuple[str, ...]) -> str:
    blocks = []
    for name in names:
        update = ":::{update}\n:date: 2019-01-01\n:version: v2\n:::\n" if name == "x y" else ""
        blocks.append(
            f"::::{{project}} {name}\n:url: https://example.com/p\n:date: 2018-06-02\n"
            f":version: v1\n\n{update}::::\n"
        )
    return "# Alike\n\n" + "\n".join(blocks) + "\n:::{project-index}\n:::\n"


def _anchors(built: Built) -> dict[str, str]:
    return {name: p["anchor"] for name, p in built.projects().items()}


def test_names_that_slug_alike_get_unique_anchors_that_follow_the_name(
    new_site: NewSite,
) -> None:
    new_site.write("index.md", _alike_page(ALIKE))
    built = new_site.build("html", "-W")
    assert built.status == 0, built.stderr
    anchors = _anchors(built)
    assert anchors["x-y"] == "x-y"  # the name that is its own slug keeps it
    assert re.fullmatch(r"x-y-[0-9a-f]{8}", anchors["x y"])
    assert re.fullmatch(r"x-y-[0-9a-f]{8}", anchors["X_Y"])
    assert len(set(anchors.values())) == 3
    html = built.page("index.html")
    ids = ids_of(html)
    assert len(ids) == len(set(ids)), "duplicate HTML ids"
    # The index links each name to its own entry, and the update belongs to "x y" only.
    for name, anchor in anchors.items():
        assert f'href="#{anchor}" title="{name}"' in html
    update = built.projects()["x y"]["updates"][0]["anchor"]
    assert update.startswith(anchors["x y"] + "-update-")
    section = html.split(f'id="{anchors["x y"]}"', 1)[1].split("</section>", 1)[0]
    assert f'href="#{update}"' in section
    for other in ("x-y", "X_Y"):
        section = html.split(f'id="{anchors[other]}"', 1)[1].split("</section>", 1)[0]
        assert "update-" not in section
    # Feed ids follow the anchors: one per note and update, all distinct.
    feed_ids = re.findall(r"<entry>.*?<id>([^<]+)</id>", built.page("feed.xml"), re.S)
    assert len(feed_ids) == len(set(feed_ids)) == 4


def test_anchors_do_not_depend_on_the_order_of_the_names(new_site: NewSite) -> None:
    new_site.write("index.md", _alike_page(ALIKE))
    forward = _anchors(new_site.build("html", out="forward"))
    new_site.write("index.md", _alike_page(tuple(reversed(ALIKE))))
    backward = _anchors(new_site.build("html", out="backward"))
    assert forward == backward


def test_a_non_latin_name_keeps_its_anchor_when_text_is_added_above(new_site: NewSite) -> None:
    entry = ":::{project} 名前\n:url: https://example.com/k\n:date: 2018-06-02\n:version: v1\n:::\n"
    new_site.write("index.md", "# Names\n\n" + entry)
    before = new_site.build("html", "-W")
    new_site.write("index.md", "# Names\n\nA new paragraph.\n\nAnd another.\n\n" + entry)
    after = new_site.build("html", "-W")
    anchor = _anchors(before)["名前"]
    assert re.fullmatch(r"project-[0-9a-f]{8}", anchor)
    assert _anchors(after)["名前"] == anchor
    assert f'id="{anchor}"' in after.page("index.html")


def test_a_slug_that_drops_letters_gets_the_name_s_hash(new_site: NewSite) -> None:
    new_site.write(
        "index.md",
        "# Names\n\n"
        + "".join(
            f":::{{project}} {name}\n:url: https://example.com/a\n:date: 2018-06-02\n"
            ":version: v1\n:::\n\n"
            for name in ("3scale", "scale", "Multus CNI", "café")
        ),
    )
    anchors = _anchors(new_site.build("html", "-W"))
    assert anchors["scale"] == "scale"
    assert re.fullmatch(r"scale-[0-9a-f]{8}", anchors["3scale"])
    # Unchanged where the slug keeps every letter: separators, case and accents do not count.
    assert anchors["Multus CNI"] == "multus-cni"
    assert anchors["café"] == "cafe"


# -- 5. builders and only --------------------------------------------------------------------------

ONLY_PAGE = """
# Conditional

:::{project} everywhere
:url: https://example.com/e
:date: 2018-06-02
:version: v1
:::

::::{only} latex
:::{project} print-only
:url: https://example.com/p
:date: 2018-06-03
:version: v1
:::

In print, see {project}`print-only`.
::::

::::{only} html
:::{project} twin
:url: https://example.com/web
:date: 2018-06-04
:version: v1
:::
::::

::::{only} latex
:::{project} twin
:url: https://example.com/print
:date: 2018-06-04
:version: v1
:::
::::

::::{only} draft
:::{todo-item} drafted
:priority: P1
:::
::::

:::{project-index}
:::

:::{todo-list}
:::
"""


def test_only_is_evaluated_for_each_builder_like_sphinx_does(new_site: NewSite) -> None:
    new_site.write("index.md", toc("conditional"))
    new_site.write("conditional.md", ONLY_PAGE)
    html = new_site.build("html", "-W", "-n")
    assert html.status == 0, html.stderr
    assert html.problems == []
    projects = html.projects()
    assert set(projects) == {"everywhere", "twin"}
    assert projects["twin"]["url"] == "https://example.com/web"
    assert html.export()["todos"] == []
    page = html.page("conditional.html")
    assert "print-only" not in page and "drafted" not in page
    assert "print-only" not in html.page("feed.xml")
    assert b"print-only" not in zlib.decompress(
        (html.outdir / "objects.inv").read_bytes().split(b"zlib.\n", 1)[1]
    )
    # The same doctrees, written by LaTeX: the print entries are listed, the web one is not.
    latex = new_site.build("latex", "-W", "-n")
    assert latex.status == 0, latex.stderr
    tex = "".join(p.read_text(encoding="utf-8") for p in latex.outdir.glob("*.tex"))
    assert "print-only" in tex and "https://example.com/print" in tex
    assert "https://example.com/web" not in tex
    # A tag of one's own.
    drafted = new_site.build("html", "-W", "-t", "draft", out="draft")
    assert drafted.status == 0, drafted.stderr
    assert [t["name"] for t in drafted.export()["todos"]] == ["drafted"]


def test_only_in_restructuredtext_too(new_site: NewSite) -> None:
    new_site.write(
        "index.rst",
        """
        Home
        ====

        .. only:: latex

           .. project:: print-only
              :url: https://example.com/p
              :date: 2018-06-03
              :version: v1

           See :project:`print-only`.

        .. project-index::
        """,
    )
    built = new_site.build("html", "-W", "-n")
    assert built.status == 0, built.stderr
    assert built.export()["projects"] == []


def test_epub_pages_link_no_feed_and_the_book_builds_clean(new_site: NewSite) -> None:
    new_site.conf.update(version="1", epub_copyright="2026, us")
    new_site.write(
        "index.md", "# Home\n\n" + _readme_example() + "\n:::{fieldnotes-overview}\n:::\n"
    )
    built = new_site.build("epub", "-W")
    assert built.status == 0, built.stderr
    pages = [p.read_text(encoding="utf-8") for p in built.outdir.rglob("*.xhtml")]
    assert pages and not any("feed.xml" in page for page in pages)
    assert not (built.outdir / "feed.xml").exists()
    assert not (built.outdir / "fieldnotes.json").exists()
    # An HTML build of the same site still has both.
    html = new_site.build("html", "-W")
    assert 'href="feed.xml"' in html.page("index.html")
    assert (html.outdir / "feed.xml").is_file() and (html.outdir / "fieldnotes.json").is_file()


# -- 6. cross-site links ---------------------------------------------------------------------------

# Two projects whose anchors other pages and sites link to.
NETWORKING = """\
# Networking

:::{project} multus-cni
:url: https://github.com/intel/multus-cni
:date: 2018-06-02
:version: v0.2
:::

:::{project} Cluster CNI
:url: https://example.com/cluster
:date: 2018-06-02
:version: v1
:::
"""


@pytest.fixture(scope="module")
def notes_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A fieldnotes site whose objects.inv the other sites link to."""
    site = NewSite(tmp_path_factory.mktemp("notes"))
    site.write("index.md", toc("networking"))
    site.write("networking.md", NETWORKING)
    built = site.build("html", "-W")
    assert built.status == 0, built.stderr
    return built


def _mapping(notes: Built) -> dict[str, tuple[str, str]]:
    return {"notes": ("https://notes.example.org/", str(notes.outdir / "objects.inv"))}


def test_a_fieldnotes_site_names_projects_of_another_one(
    notes_site: Built, new_site: NewSite
) -> None:
    new_site.conf["extensions"] = [*NEW_USER["extensions"], "sphinx.ext.intersphinx"]
    new_site.conf["intersphinx_mapping"] = _mapping(notes_site)
    page = new_site.write(
        "index.md",
        """
        # Ours

        :::{project} local-thing
        :url: https://example.com/local
        :date: 2019-01-01
        :version: v1
        :replaced-by: Cluster CNI
        :::

        See {project}`multus-cni`, {project}`notes:cluster cni` and {project}`nowhere`.
        """,
    )
    built = new_site.build("html", "-n", "--keep-going")
    assert built.findings == Counter(
        {new_site.at(page, "nowhere", "WARNING", "fieldnotes.unknown-project"): 1}
    ), built.stderr
    html = built.page("index.html")
    assert html.count('href="https://notes.example.org/networking.html#multus-cni"') == 1
    assert html.count('href="https://notes.example.org/networking.html#cluster-cni"') == 2


def test_a_site_without_fieldnotes_links_with_ref_and_inv(
    notes_site: Built, new_site: NewSite
) -> None:
    new_site.conf = {
        "extensions": ["myst_parser", "sphinx.ext.intersphinx"],
        "intersphinx_mapping": _mapping(notes_site),
    }
    new_site.write(
        "index.rst",
        """
        Plain site
        ==========

        .. toctree::

           markdown

        * :ref:`notes:multus-cni`
        * :ref:`the cluster one <notes:cluster cni>`
        * :external+notes:ref:`multus-cni`
        """,
    )
    new_site.write(
        "markdown.md",
        """
        # Markdown

        [plugin](inv:notes:std:label#multus-cni), {external+notes:ref}`Cluster CNI`,
        [by its name](inv:notes:fieldnotes:project#multus-cni).
        """,
    )
    built = new_site.build("html", "-W", "-n")
    assert built.status == 0, built.stderr
    uri = "https://notes.example.org/networking.html#"
    index = built.page("index.html")
    assert index.count(f'href="{uri}multus-cni"') == 2
    assert index.count(f'href="{uri}cluster-cni"') == 1
    assert "the cluster one" in index
    markdown = built.page("markdown.html")
    assert markdown.count(f'href="{uri}multus-cni"') == 2
    assert markdown.count(f'href="{uri}cluster-cni"') == 1


def test_projects_are_std_labels_unless_the_site_has_that_label(new_site: NewSite) -> None:
    new_site.write("index.md", toc("networking other"))
    new_site.write(
        "networking.md",
        """
        # Networking

        :::{project} multus-cni
        :url: https://example.com/m
        :date: 2018-06-02
        :version: v1
        :::

        :::{project} calico
        :url: https://example.com/c
        :date: 2018-06-02
        :version: v1
        :::
        """,
    )
    new_site.write(
        "other.md",
        """
        # Other

        (calico)=
        ## The site's own section

        {ref}`multus-cni`, {ref}`calico`, {any}`multus-cni` and [here](#calico).
        """,
    )
    built = new_site.build("html", "-W", "-n")
    assert built.status == 0, built.stderr
    other = built.page("other.html")
    assert 'href="networking.html#multus-cni"' in other
    # The site's own label wins: {ref} and the Markdown link go to its section.
    assert 'href="#calico"' in other and "networking.html#calico" not in other
    # Built again with the label gone and back: no "duplicate label" from a label fieldnotes gave.
    new_site.write("other.md", "# Other\n\n{ref}`calico`\n")
    assert new_site.build("html", "-W").status == 0
    new_site.write("other.md", "# Other\n\n(calico)=\n## Own\n\n{ref}`calico`\n")
    again = new_site.build("html", "-W")
    assert again.status == 0, again.stderr
    assert 'href="#calico"' in again.page("other.html")


# -- 7. warnings that are not ours to give ---------------------------------------------------------


def test_a_correct_site_passes_w_and_n(new_site: NewSite) -> None:
    new_site.write("index.md", toc("networking listing"))
    new_site.write(
        "networking.md",
        NETWORKING
        + "\nOn this page: [the plugin](#multus-cni), [the cluster one](#cluster-cni).\n",
    )
    new_site.write(
        "listing.rst",
        """
        Listing
        =======

        .. project-index::
           :group-by: status

        .. timeline::

        .. fieldnotes-overview::

        Elsewhere: `the plugin <networking.html#multus-cni>`_.
        """,
    )
    new_site.write(
        "links.md",
        """
        # Links

        [the plugin](networking.md#multus-cni), [the cluster one](networking.md#cluster-cni),
        [by path](./networking.md#multus-cni).
        """,
    )
    new_site.write("index.md", toc("networking listing links"))
    built = new_site.build("html", "-W", "-n", "--keep-going")
    assert built.status == 0, built.stderr
    assert built.problems == []
    links = built.page("links.html")
    assert links.count('href="networking.html#multus-cni"') == 2
    assert links.count('href="networking.html#cluster-cni"') == 1
    networking = built.page("networking.html")
    assert 'href="#multus-cni"' in networking and 'href="#cluster-cni"' in networking


def test_an_unknown_name_is_reported_once_under_n(new_site: NewSite) -> None:
    page = new_site.write(
        "index.md",
        """
        # Home

        :::{project} alpha
        :url: https://example.com/a
        :date: 2018-06-02
        :version: v1
        :replaced-by: ghost
        :::

        {project}`nowhere`
        """,
    )
    built = new_site.build("html", "-n")
    assert built.findings == Counter(
        {
            new_site.at(page, "ghost", "WARNING", "fieldnotes.unknown-project"): 1,
            new_site.at(page, "nowhere", "WARNING", "fieldnotes.unknown-project"): 1,
        }
    ), built.stderr
    assert "not found" not in built.stderr


def test_myst_links_to_an_update_or_todo_anchor_resolve(new_site: NewSite) -> None:
    new_site.write("index.md", toc("notes links"))
    new_site.write(
        "notes.md",
        """
        # Notes

        ::::{project} alpha
        :url: https://example.com/a
        :date: 2018-06-02
        :version: v1

        :::{update}
        :date: 2019-01-01
        :version: v2
        :::
        ::::

        :::{todo-item} beta
        :priority: P1
        :::
        """,
    )
    new_site.write(
        "links.md",
        "# Links\n\n[update](notes.md#alpha-update-2019-01-01), [todo](notes.md#todo-beta)\n",
    )
    built = new_site.build("html", "-W", "-n")
    assert built.status == 0, built.stderr
    links = built.page("links.html")
    assert 'href="notes.html#alpha-update-2019-01-01"' in links
    assert 'href="notes.html#todo-beta"' in links
