"""The directives and their diagnostics, built with the real Sphinx and MyST (SPEC §3 and §4).

The table ``CASES`` holds one MyST snippet per option rule and per diagnostic code, written with
colon fences. Every case becomes a page of one site; the site is built twice, once as written and
once with every colon fence turned into a backtick fence, and each page must report exactly its
expected findings (code, level, file and line) in both builds.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from docutils import nodes

from sites import BASE_CONF, DIAGNOSTIC, BuildResult, Site, strip_ansi
from sphinx_fieldnotes.codes import Code
from sphinx_fieldnotes.directives.project import ProjectDirective, UpdateDirective
from sphinx_fieldnotes.directives.todo import TodoItemDirective

# SPEC §4, typed from the contract (not read from the code under test).
SPEC_ERRORS = {
    "missing-date",
    "missing-version",
    "missing-url",
    "missing-name",
    "missing-priority",
    "bad-date",
    "bad-version",
    "bad-url",
    "bad-priority",
    "duplicate-project",
    "config",
}
SPEC_WARNINGS = {
    "future-date",
    "bad-status",
    "unknown-project",
    "update-before-project",
    "update-order",
    "orphan-update",
    "unknown-option",
    "bad-depth",
    "lint-backtick-fence",  # README, "Installing Vale": make lint's finding
}
# Codes of their own (SPEC §4's last row): not in the table, and each covered elsewhere.
OWN_CODES = {
    "colon-fence-off": "error",
    "duplicate-todo": "warning",
    "todo-already-noted": "warning",
    "upstream-malformed": "error",
    "upstream-schema": "error",
    "upstream-invalid": "error",
    "upstream-stale": "warning",
}
# Needs front matter, which a case page (headed "# Case ...") cannot have; the catalog page
# tests/fixtures/catalog/53-colon-fence-off-in-front-matter.md covers it.
NO_CASE = {"colon-fence-off"}
# Not reported from a page: a bad setting (test_config.py), lint's own code (test_lint.py) and
# the upstream snapshot's (at the snapshot file: test_upstream_build.py).
NOT_FROM_PAGES = {
    "config",
    "lint-backtick-fence",
    "upstream-malformed",
    "upstream-schema",
    "upstream-invalid",
    "upstream-stale",
}
TODAY = "2026-01-01"  # BASE_CONF's fieldnotes_today


@dataclass(frozen=True)
class Case:
    """A snippet (colon fences) and what it must report: ``(code, marker)`` pairs, where the
    finding's line is the first line of the page that contains *marker*."""

    id: str
    snippet: str
    expected: tuple[tuple[str, str], ...] = ()
    other_page: str | None = None  # a second page the snippet relies on (no findings of its own)


def case(id: str, snippet: str, *expected: tuple[str, str], other_page: str | None = None) -> Case:
    # "␠" marks a trailing space that editors would strip.
    text = textwrap.dedent(snippet).strip("\n").replace("␠", " ")
    return Case(id, text, expected, other_page)


PROJECT_OK = ":url: https://example.com/{n}\n:date: 2018-06-02\n:version: v0.2"

CASES = [
    # -- project: a complete, valid entry ------------------------------------------------------
    case(
        "project-valid",
        """
        ::::{project} Valid Full
        :url: https://github.com/intel/multus-cni
        :date: 2018-06-02
        :version: v1.0.0-rc.1
        :status: Beta
        :kubernetes: v1.7
        :vendor: Intel
        :tags: cni, networking
        :category: Networking
        :replaced-by: valid successor

        Multi-network pods.

        :::{update}
        :date: 2018-12-13
        :version: v3.1

        The standard is agreed.
        :::
        ::::

        :::{project} Valid Successor
        :url: http://example.com
        :date: unrecorded
        :version: unreleased
        :::
        """,
    ),
    case(
        "project-keywords",
        """
        :::{project} keywords
        :url: https://example.com
        :date: Unrecorded
        :version: UNRECORDED
        :::
        """,
    ),
    case(
        "project-today-is-not-future",
        f"""
        :::{{project}} today
        :url: https://example.com
        :date: {TODAY}
        :version: 1.5.3
        :::
        """,
    ),
    # -- project: name -------------------------------------------------------------------------
    case(
        "missing-name",
        """
        :::{project}
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2
        :::
        """,
        ("missing-name", ":::{project}"),
    ),
    # -- project: url --------------------------------------------------------------------------
    case(
        "missing-url",
        """
        :::{project} no url
        :date: 2018-06-02
        :version: v0.2
        :::
        """,
        ("missing-url", "{project} no url"),
    ),
    case(
        "bad-url-ftp",
        """
        :::{project} ftp url
        :date: 2018-06-02
        :url: ftp://example.com/x
        :version: v0.2
        :::
        """,
        ("bad-url", ":url: ftp://"),
    ),
    case(
        "bad-url-relative",
        """
        :::{project} relative url
        :url: github.com/intel/multus-cni
        :date: 2018-06-02
        :version: v0.2
        :::
        """,
        ("bad-url", ":url:"),
    ),
    case(
        "bad-url-no-host",
        """
        :::{project} hostless url
        :url: https://
        :date: 2018-06-02
        :version: v0.2
        :::
        """,
        ("bad-url", ":url:"),
    ),
    case(
        "bad-url-javascript",
        """
        :::{project} script url
        :url: javascript:alert(1)
        :date: 2018-06-02
        :version: v0.2
        :::
        """,
        ("bad-url", ":url:"),
    ),
    # -- project: date -------------------------------------------------------------------------
    case(
        "missing-date",
        """
        :::{project} no date
        :url: https://example.com
        :version: v0.2
        :::
        """,
        ("missing-date", "{project} no date"),
    ),
    case(
        "empty-date",
        """
        :::{project} empty date
        :url: https://example.com
        :version: v0.2
        :date:
        :::
        """,
        ("missing-date", ":date:"),
    ),
    case(
        "bad-date-not-a-day",
        """
        :::{project} feb 30
        :url: https://example.com
        :date: 2018-02-30
        :version: v0.2
        :::
        """,
        ("bad-date", ":date: 2018-02-30"),
    ),
    case(
        "bad-date-month-13",
        """
        :::{project} month 13
        :url: https://example.com
        :version: v0.2
        :date: 2018-13-01
        :::
        """,
        ("bad-date", ":date: 2018-13-01"),
    ),
    case(
        "bad-date-legacy",
        """
        :::{project} legacy date
        :url: https://example.com
        :date: 06/02/2018
        :version: v0.2
        :::
        """,
        ("bad-date", ":date: 06/02/2018"),
    ),
    case(
        "bad-date-unpadded",
        """
        :::{project} unpadded date
        :url: https://example.com
        :date: 2018-6-2
        :version: v0.2
        :::
        """,
        ("bad-date", ":date: 2018-6-2"),
    ),
    case(
        "future-date",
        """
        :::{project} from the future
        :url: https://example.com
        :date: 2030-01-01
        :version: v0.2
        :::
        """,
        ("future-date", "{project} from the future"),
    ),
    # -- project: version ----------------------------------------------------------------------
    case(
        "missing-version",
        """
        :::{project} no version
        :url: https://example.com
        :date: 2018-06-02
        :::
        """,
        ("missing-version", "{project} no version"),
    ),
    case(
        "bad-version-prefixed",
        """
        :::{project} prefixed version
        :url: https://example.com
        :date: 2018-06-02
        :version: kops v1.5.3
        :::
        """,
        ("bad-version", ":version: kops"),
    ),
    case(
        "bad-version-space",
        """
        :::{project} spaced version
        :url: https://example.com
        :date: 2018-06-02
        :version: v 1.3.1
        :::
        """,
        ("bad-version", ":version: v 1.3.1"),
    ),
    case(
        "bad-kubernetes",
        """
        :::{project} bad kubernetes
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2
        :kubernetes: 1.x
        :::
        """,
        ("bad-version", ":kubernetes: 1.x"),
    ),
    # -- project: status, replaced-by ----------------------------------------------------------
    case(
        "bad-status",
        """
        :::{project} odd status
        :url: https://example.com
        :date: 2018-06-02
        :status: gamma
        :version: v0.2
        :::
        """,
        ("bad-status", ":status: gamma"),
    ),
    case(
        "replaced-by-unknown",
        """
        :::{project} replaced
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2
        :replaced-by: nothing such
        :::
        """,
        ("unknown-project", ":replaced-by: nothing such"),
    ),
    case(
        "replaced-by-other-page",
        """
        :::{project} replaced across pages
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2
        :replaced-by: ELSEWHERE PROJECT
        :::
        """,
        other_page="""
        :::{project} elsewhere project
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2
        :::
        """,
    ),
    # -- names compare case-insensitively after trimming ---------------------------------------
    case(
        "duplicate-project",
        """
        :::{project} Dup Foo
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2
        :::

        :::{project}   dup   foo  ␠
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2
        :::
        """,
        ("duplicate-project", "{project}   dup   foo"),
    ),
    case(
        "duplicate-todo",
        """
        :::{todo-item} Study Twice
        :priority: P1
        :::

        :::{todo-item}   study   TWICE
        :priority: P2
        :::
        """,
        ("duplicate-todo", "{todo-item}   study   TWICE"),
    ),
    case(
        "todo-already-noted",
        """
        :::{todo-item} NOTED ELSEWHERE
        :priority: P1
        :::
        """,
        ("todo-already-noted", "{todo-item} NOTED ELSEWHERE"),
        other_page="""
        :::{project} noted elsewhere
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2
        :::
        """,
    ),
    # -- unknown options and arguments ---------------------------------------------------------
    case(
        "unknown-option-project",
        """
        :::{project} colourful
        :url: https://example.com
        :date: 2018-06-02
        :colour: red
        :version: v0.2
        :::
        """,
        ("unknown-option", ":colour: red"),
    ),
    case(
        "unknown-option-update",
        """
        ::::{project} update with colour
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2

        :::{update}
        :date: 2018-07-01
        :version: v0.3
        :colour: blue
        :::
        ::::
        """,
        ("unknown-option", ":colour: blue"),
    ),
    case(
        "update-argument",
        """
        ::::{project} update with argument
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2

        :::{update} stray argument
        :date: 2018-07-01
        :version: v0.3
        :::
        ::::
        """,
        ("unknown-option", "{update} stray argument"),
    ),
    case(
        "unknown-option-todo",
        """
        :::{todo-item} todo with colour
        :priority: P1
        :colour: green
        :::
        """,
        ("unknown-option", ":colour: green"),
    ),
    case(
        "unknown-group-by",
        """
        :::{project-index}
        :group-by: colour
        :::
        """,
        ("unknown-option", ":group-by: colour"),
    ),
    # -- update --------------------------------------------------------------------------------
    case(
        "update-nested",
        """
        ::::{project} nested updates
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2

        :::{update}
        :date: 2018-07-01
        :version: v0.3
        :::

        :::{update}
        :date: 2018-07-01
        :version: unrecorded
        :::

        :::{update}
        :date: unrecorded
        :version: unreleased
        :::
        ::::
        """,
    ),
    case(
        "update-other-page",
        """
        :::{update}
        :project: Remote Project
        :date: 2019-01-01
        :version: v2.0
        :::
        """,
        other_page="""
        :::{project} remote project
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2
        :::
        """,
    ),
    case(
        "update-missing-date",
        """
        ::::{project} update without date
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2

        :::{update}
        :version: v0.3
        :::
        ::::
        """,
        ("missing-date", ":::{update}"),
    ),
    case(
        "update-missing-version",
        """
        ::::{project} update without version
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2

        :::{update}
        :date: 2018-07-01
        :::
        ::::
        """,
        ("missing-version", ":::{update}"),
    ),
    case(
        "update-bad-fields",
        """
        ::::{project} update with bad fields
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2

        :::{update}
        :date: 2018-07-32
        :version: latest
        :::
        ::::
        """,
        ("bad-date", ":date: 2018-07-32"),
        ("bad-version", ":version: latest"),
    ),
    case(
        "orphan-update",
        """
        :::{update}
        :date: 2018-07-01
        :version: v0.3
        :::
        """,
        ("orphan-update", ":::{update}"),
    ),
    case(
        "update-unknown-project",
        """
        :::{update}
        :project: no such project
        :date: 2018-07-01
        :version: v0.3
        :::
        """,
        ("unknown-project", ":project: no such project"),
    ),
    case(
        "update-before-project",
        """
        ::::{project} updated too early
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2

        :::{update}
        :date: 2018-06-01
        :version: v0.3
        :::
        ::::
        """,
        ("update-before-project", ":::{update}"),
    ),
    case(
        "update-order",
        """
        ::::{project} updates out of order
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2

        :::{update}
        :date: 2019-01-01
        :version: v0.4
        :::

        :::{update}
        :date: 2018-12-01
        :version: v0.3
        :::
        ::::
        """,
        ("update-order", ":::{update}\n:date: 2018-12-01"),
    ),
    case(
        "update-future",
        """
        ::::{project} updated in the future
        :url: https://example.com
        :date: 2018-06-02
        :version: v0.2

        :::{update}
        :date: 2031-05-05
        :version: v9
        :::
        ::::
        """,
        ("future-date", ":::{update}"),
    ),
    # -- todo-item -----------------------------------------------------------------------------
    case(
        "todo-valid",
        """
        :::{todo-item} study me
        :priority: p2
        :depth: DEEP
        :url: https://example.com/todo
        :category: Networking

        Notes were kept elsewhere.
        :::

        :::{todo-item} study me later
        :priority: P3
        :::
        """,
    ),
    case(
        "todo-missing-name",
        """
        :::{todo-item}
        :priority: P1
        :::
        """,
        ("missing-name", ":::{todo-item}"),
    ),
    case(
        "todo-missing-priority",
        """
        :::{todo-item} unprioritised
        :depth: deep
        :::
        """,
        ("missing-priority", "{todo-item} unprioritised"),
    ),
    case(
        "todo-bad-priority",
        """
        :::{todo-item} badly prioritised
        :priority: P9
        :::
        """,
        ("bad-priority", ":priority: P9"),
    ),
    case(
        "todo-bad-depth",
        """
        :::{todo-item} shallow study
        :priority: P0
        :depth: shallow
        :::
        """,
        ("bad-depth", ":depth: shallow"),
    ),
    case(
        "todo-bad-url",
        """
        :::{todo-item} todo ftp
        :priority: P0
        :url: ftp://example.com
        :::
        """,
        ("bad-url", ":url: ftp"),
    ),
    # -- the role ------------------------------------------------------------------------------
    case(
        "role-unknown",
        """
        A paragraph.

        See {project}`not a project` for details.
        """,
        ("unknown-project", "{project}`not a project`"),
    ),
    # -- several problems in one block and one page: all reported, sorted ----------------------
    case(
        "many-errors",
        """
        :::{project}
        :url: ftp://example.com
        :date: 2018-02-30
        :version: kops v1.5.3
        :status: gamma
        :kubernetes: 1.x
        :colour: red
        :::

        :::{todo-item}
        :depth: shallow
        :::

        :::{update}
        :::
        """,
        ("missing-name", ":::{project}"),
        ("bad-url", ":url: ftp"),
        ("bad-date", ":date: 2018-02-30"),
        ("bad-version", ":version: kops"),
        ("bad-status", ":status: gamma"),
        ("bad-version", ":kubernetes: 1.x"),
        ("unknown-option", ":colour: red"),
        ("missing-name", ":::{todo-item}"),
        ("missing-priority", ":::{todo-item}"),
        ("bad-depth", ":depth: shallow"),
        ("orphan-update", ":::{update}"),
        ("missing-date", ":::{update}"),
        ("missing-version", ":::{update}"),
    ),
]
CASES_BY_ID = {c.id: c for c in CASES}
VALID_CASES = [c.id for c in CASES if not c.expected]

# -- fences ----------------------------------------------------------------------------------------

_COLON_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>:{3,})(?=\{|[ \t]*$)", re.MULTILINE)


def to_backticks(text: str) -> str:
    """The same snippet with backtick fences: ``:::{x}`` -> ````` ```{x} `````, nesting kept."""
    return _COLON_FENCE.sub(lambda m: m["indent"] + "`" * len(m["fence"]), text)


def test_to_backticks_converts_every_fence() -> None:
    converted = to_backticks(CASES_BY_ID["project-valid"].snippet)
    assert ":::" not in converted
    assert "````{project} Valid Full" in converted and "```{update}" in converted
    assert ":date: 2018-06-02" in converted  # option lines untouched


# -- the two builds ----------------------------------------------------------------------------


def page_name(case_id: str) -> str:
    return f"c-{case_id}"


def page_text(c: Case, fence: str) -> str:
    text = f"# Case {c.id}\n\n{c.snippet}\n"
    return to_backticks(text) if fence == "backtick" else text


def expected_findings(c: Case, fence: str) -> list[tuple[int, str, str]]:
    text = page_text(c, fence)
    result = []
    for code, marker in c.expected:
        marker = to_backticks(marker) if fence == "backtick" else marker
        assert marker in text, f"{c.id}: marker {marker!r} not on the page"
        line = text[: text.index(marker)].count("\n") + 1
        level = "ERROR" if code in SPEC_ERRORS else "WARNING"
        result.append((line, level, code))
    return sorted(result)


def pages_site(root: Path, pages: dict[str, str]) -> Site:
    """A site in *root* of *pages* (docname -> MyST source, written as is)."""
    site = Site(root)
    for name, text in pages.items():
        site.write(f"{name}.md", text, verbatim=True)
    return site


INDEX_PAGE = """# Cases

```{toctree}
:glob:

c-*
indexes
```
"""
INDEXES_PAGE = """# Indexes

:::{project-index}
:::

:::{timeline}
:::

:::{todo-list}
:::

:::{review-queue}
:::
"""


def build_cases(root: Path, fence: str) -> BuildResult:
    """One site holding every case (one page each) written with *fence* fences."""
    pages = {"index": INDEX_PAGE, "indexes": INDEXES_PAGE}
    for c in CASES:
        pages[page_name(c.id)] = page_text(c, fence)
        if c.other_page:
            other = f"# Other page of {c.id}\n\n{textwrap.dedent(c.other_page).strip()}\n"
            pages[page_name(c.id) + "-other"] = (
                to_backticks(other) if fence == "backtick" else other
            )
    built = pages_site(root, pages).build()
    built.fence = fence  # type: ignore[attr-defined]
    return built


@pytest.fixture(scope="module")
def colon_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_cases(tmp_path_factory.mktemp("cases-colon"), "colon")


@pytest.fixture(scope="module")
def backtick_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_cases(tmp_path_factory.mktemp("cases-backtick"), "backtick")


@pytest.fixture(params=["colon", "backtick"])
def cases_build(request: pytest.FixtureRequest) -> BuildResult:
    """Each fence's build in turn."""
    return request.getfixturevalue(f"{request.param}_build")


# -- the table covers the contract ---------------------------------------------------------------


def test_spec_levels_match_the_code_definitions() -> None:
    own = {
        level: {c for c, lv in OWN_CODES.items() if lv == level} for level in ("error", "warning")
    }
    assert {c.value for c in Code if c.level.value == "error"} == SPEC_ERRORS | own["error"]
    assert {c.value for c in Code if c.level.value == "warning"} == SPEC_WARNINGS | own["warning"]


def test_every_code_has_a_case() -> None:
    covered = {code for c in CASES for code, _ in c.expected}
    expected = {code.value for code in Code} - NO_CASE - NOT_FROM_PAGES
    assert covered == expected, "add a case for every diagnostic code"


@pytest.mark.parametrize(
    ("directive", "fence"),
    [
        (ProjectDirective, "{project}"),
        (UpdateDirective, "{update}"),
        (TodoItemDirective, "{todo-item}"),
    ],
)
def test_every_option_has_a_case(directive: type, fence: str) -> None:
    snippets = [
        c.snippet + (c.other_page or "") for c in CASES if fence in c.snippet + (c.other_page or "")
    ]
    for option in directive.known_options:
        assert any(f":{option}:" in s for s in snippets), f"{fence} :{option}: has no case"


def test_case_ids_are_unique() -> None:
    assert len(CASES_BY_ID) == len(CASES)


# -- every case, both fences -----------------------------------------------------------------------


@pytest.mark.parametrize("case_id", list(CASES_BY_ID))
def test_case_reports_exactly_its_findings(cases_build: BuildResult, case_id: str) -> None:
    c = CASES_BY_ID[case_id]
    fence = cases_build.fence  # type: ignore[attr-defined]
    found = [(f.line, f.level, f.code) for f in cases_build.findings_of(page_name(case_id))]
    assert sorted(found) == expected_findings(c, fence)
    # Reported in sorted order (line, then code).
    assert found == sorted(found, key=lambda f: (f[0], f[2]))
    if c.other_page:
        assert cases_build.findings_of(page_name(case_id) + "-other") == []


def test_no_findings_outside_the_cases(cases_build: BuildResult) -> None:
    pages = {f"{page_name(c.id)}.md" for c in CASES if c.expected}
    assert {f.path for f in cases_build.findings} == pages
    assert "Traceback" not in cases_build.warnings
    assert "Extension error" not in cases_build.warnings


def test_all_findings_are_sorted_by_file_and_line(cases_build: BuildResult) -> None:
    keys = [(f.path, f.line, f.code, f.message) for f in cases_build.findings]
    assert len(keys) == sum(len(c.expected) for c in CASES)
    assert keys == sorted(keys)


def test_errors_fail_the_build_without_dash_w(cases_build: BuildResult) -> None:
    assert cases_build.status != 0


def test_messages_name_the_subject(colon_build: BuildResult) -> None:
    by_page = {f.path: f for f in colon_build.findings}
    assert "'no date' has no :date:" in by_page["c-missing-date.md"].message
    assert "2018-02-30" in by_page["c-bad-date-not-a-day.md"].message
    first = "already defined at c-duplicate-project.md:3"  # the first one, as a file
    assert first in by_page["c-duplicate-project.md"].message
    assert f"after today ({TODAY})" in by_page["c-future-date.md"].message


# -- hints ("did you mean ...?") and duplicate TODOs: the exact lines ------------------------------

HINTS_MD = """# Hints

:::{project} Multus CNI
:url: https://example.com
:dat: 2018-06-02
:date: 2018-06-02
:version: v1
:status: betta
:replaced-by: multus  cnii
:::

:::{todo-item} shallow
:priority: P 1
:depth: depp
:colour: red
:::

See {project}`MULTIS CNI` and {project}`nothing like it`.
"""
HINTS_RST = """Hints in reStructuredText
=========================

.. project:: kube router
   :url: https://example.com
   :date: 2018-06-02
   :version: v1
   :status: Alpah

.. update::
   :project: kube routr
   :date: 2019-01-01
   :versoin: v2

.. todo-item:: MULTUS CNI
   :priority: P2
   :deph: deep

.. todo-item:: Shallow
   :priority: P3

See :project:`kube-router`.
"""
STATUSES = "released, beta, alpha, experimental, unreleased, deprecated, archived"
HINT_LINES = [
    "hints.md:5: WARNING: project: unknown option ':dat:'; did you mean ':date:'?"
    " [fieldnotes.unknown-option]",
    f"hints.md:8: WARNING: project 'Multus CNI': :status: 'betta' is not one of {STATUSES};"
    " did you mean 'beta'? [fieldnotes.bad-status]",
    "hints.md:9: WARNING: project 'Multus CNI': :replaced-by: names no project 'multus  cnii';"
    " did you mean 'Multus CNI'? [fieldnotes.unknown-project]",
    "hints.md:13: ERROR: todo-item 'shallow': :priority: 'P 1' is not one of P0, P1, P2, P3;"
    " did you mean 'P1'? [fieldnotes.bad-priority]",
    "hints.md:14: WARNING: todo-item 'shallow': :depth: 'depp' is not one of basic, deep;"
    " 'basic' is used; did you mean 'deep'? [fieldnotes.bad-depth]",
    "hints.md:15: WARNING: todo-item: unknown option ':colour:' (known: priority, depth, url,"
    " category); it is ignored [fieldnotes.unknown-option]",
    "hints.md:18: WARNING: {project} role: no project named 'MULTIS CNI';"
    " did you mean 'Multus CNI'? [fieldnotes.unknown-project]",
    "hints.md:18: WARNING: {project} role: no project named 'nothing like it'"
    " [fieldnotes.unknown-project]",
    f"notes.rst:8: WARNING: project 'kube router': :status: 'Alpah' is not one of {STATUSES};"
    " did you mean 'alpha'? [fieldnotes.bad-status]",
    "notes.rst:10: ERROR: update of project 'kube routr' has no :version:"
    " [fieldnotes.missing-version]",
    "notes.rst:11: WARNING: update: :project: names no project 'kube routr';"
    " did you mean 'kube router'? [fieldnotes.unknown-project]",
    "notes.rst:13: WARNING: update: unknown option ':versoin:'; did you mean ':version:'?"
    " [fieldnotes.unknown-option]",
    "notes.rst:15: WARNING: todo-item 'MULTUS CNI': project 'Multus CNI' is already noted at"
    " hints.md:3 [fieldnotes.todo-already-noted]",
    "notes.rst:17: WARNING: todo-item: unknown option ':deph:'; did you mean ':depth:'?"
    " [fieldnotes.unknown-option]",
    "notes.rst:19: WARNING: todo-item 'Shallow' is already listed at hints.md:12"
    " [fieldnotes.duplicate-todo]",
    "notes.rst:22: WARNING: {project} role: no project named 'kube-router';"
    " did you mean 'kube router'? [fieldnotes.unknown-project]",
]


def diagnostic_lines(built: BuildResult) -> list[str]:
    """The fieldnotes diagnostics as Sphinx printed them, one line each."""
    return [m[0] for m in DIAGNOSTIC.finditer(built.warnings)]


def test_hints_and_duplicate_todos_in_myst_and_rst(site: Site) -> None:
    site.write("index.md", "# Home\n\n```{toctree}\nhints\nnotes\n```\n")
    site.write("hints.md", HINTS_MD, verbatim=True)
    site.write("notes.rst", HINTS_RST, verbatim=True)
    built = site.build("dummy")
    assert diagnostic_lines(built) == HINT_LINES, built.warnings
    # The entry with a misspelt option still builds, and its other options are kept.
    assert "Traceback" not in built.warnings and built.status == 1


def test_a_hint_only_when_a_value_is_close(site: Site) -> None:
    site.write("index.md", HINTS_MD.replace("betta", "shiny").replace(":dat:", ":colour:"))
    messages = {f.code: f.message for f in site.build("dummy").findings}
    assert messages["bad-status"].endswith(f"is not one of {STATUSES}")
    assert "did you mean" not in messages["unknown-option"]


# Pages enough that Sphinx reads them in worker processes with -j 2 (more than five).
def duplicate_pages(first_todo: bool = True) -> dict[str, str]:
    pages = {"index": "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n"}
    for n in range(8):
        pages[f"p{n}"] = f"# Page {n}\n\n:::{{todo-item}} own {n}\n:priority: P3\n:::\n"
    todo = ":::{todo-item} Alpha\n:priority: P1\n:::\n"
    pages["p1"] += f"\n{todo}" if first_todo else ""
    pages["p4"] += "\n" + todo.replace("Alpha", "ALPHA")
    pages["p6"] += "\n" + todo.replace("Alpha", "alpha")
    project = (
        ":::{project} alpha\n:url: https://example.com\n:date: 2018-06-02\n:version: v1\n:::\n"
    )
    pages["p7"] += f"\n{project}"
    return pages


DUPLICATE_LINES = [
    "p1.md:7: WARNING: todo-item 'Alpha': project 'alpha' is already noted at p7.md:7"
    " [fieldnotes.todo-already-noted]",
    "p4.md:7: WARNING: todo-item 'ALPHA' is already listed at p1.md:7 [fieldnotes.duplicate-todo]",
    "p4.md:7: WARNING: todo-item 'ALPHA': project 'alpha' is already noted at p7.md:7"
    " [fieldnotes.todo-already-noted]",
    "p6.md:7: WARNING: todo-item 'alpha' is already listed at p1.md:7 [fieldnotes.duplicate-todo]",
    "p6.md:7: WARNING: todo-item 'alpha': project 'alpha' is already noted at p7.md:7"
    " [fieldnotes.todo-already-noted]",
]


def write_pages(site: Site, pages: dict[str, str]) -> None:
    for name, text in pages.items():
        site.write(f"{name}.md", text, verbatim=True)


def test_duplicate_todos_are_the_same_with_dash_j_2_and_incrementally(site: Site) -> None:
    write_pages(site, duplicate_pages())
    serial = site.build("dummy", outname="j1", parallel=1)
    parallel = site.build("dummy", outname="j2", parallel=2)
    assert re.search(r"reading sources\.\.\. \[ *\d+%\] \S+ \.\. \S+", parallel.log)
    assert diagnostic_lines(serial) == diagnostic_lines(parallel) == DUPLICATE_LINES
    # Nothing read again: the same, from the stored data.
    assert diagnostic_lines(site.build("dummy", outname="j2", parallel=2)) == DUPLICATE_LINES
    # The first todo-item goes: p4's is now the first, and only p6's a duplicate of it.
    write_pages(site, {"p1": duplicate_pages(first_todo=False)["p1"]})
    incremental = site.build("dummy", outname="j2", parallel=2)
    clean = site.build("dummy", outname="clean", parallel=1, fresh=True)
    assert (
        diagnostic_lines(incremental)
        == diagnostic_lines(clean)
        == [
            DUPLICATE_LINES[2],
            "p6.md:7: WARNING: todo-item 'alpha' is already listed at p4.md:7"
            " [fieldnotes.duplicate-todo]",
            DUPLICATE_LINES[4],
        ]
    )


# -- both fences give the same document --------------------------------------------------------


def _doctree_text(built: BuildResult, docname: str) -> str:
    text = built.app.env.get_doctree(docname).pformat()
    return text.replace(str(built.srcdir), "<srcdir>")


@pytest.mark.parametrize("case_id", VALID_CASES)
def test_valid_snippets_give_the_same_doctree_in_both_fences(
    colon_build: BuildResult, backtick_build: BuildResult, case_id: str
) -> None:
    assert backtick_build.findings_of(page_name(case_id)) == []
    assert _doctree_text(colon_build, page_name(case_id)) == _doctree_text(
        backtick_build, page_name(case_id)
    )


@pytest.mark.parametrize("which", ["colon", "backtick"])
def test_valid_entry_renders_one_expected_structure(
    colon_build: BuildResult, backtick_build: BuildResult, which: str
) -> None:
    built = colon_build if which == "colon" else backtick_build
    # Badges are made when the page is written (doctree-resolved), not kept in the read doctree.
    doctree = built.resolved_doctree(page_name("project-valid"))
    sections = [s for s in doctree.findall(nodes.section) if "fieldnotes-project" in s["classes"]]
    assert [s["ids"] for s in sections] == [["valid-full"], ["valid-successor"]]
    first = sections[0]
    assert first[0].astext() == "Valid Full"
    summary = first[1].astext()
    for piece in (
        "beta",
        "noted 2018-06-02",
        "version v1.0.0-rc.1",
        "Kubernetes 1.7",
        "by Intel",
        "#cni",
        "#networking",
        "repository",
        "replaced by valid successor",
    ):
        assert piece in summary
    updates = [c for c in first.findall(nodes.container) if "fieldnotes-update" in c["classes"]]
    assert len(updates) == 1
    assert "Update on 2018-12-13" in updates[0].astext()
    assert "The standard is agreed." in updates[0].astext()
    assert "Multi-network pods." in first.astext()
    html = (built.outdir / f"{page_name('project-valid')}.html").read_text(encoding="utf-8")
    assert 'id="valid-full"' in html and "https://github.com/intel/multus-cni" in html


# -- entries with bad fields are kept ----------------------------------------------------------


def test_entry_with_a_bad_field_is_exported_and_indexed(colon_build: BuildResult) -> None:
    import json

    data = json.loads((colon_build.outdir / "fieldnotes.json").read_text(encoding="utf-8"))
    projects = {p["name"]: p for p in data["projects"]}
    assert projects["feb 30"]["date"] is None
    assert projects["feb 30"]["url"] == "https://example.com"
    assert projects["prefixed version"]["version"] is None
    assert projects["odd status"]["status"] is None
    assert projects["ftp url"]["url"] is None
    todos = {t["name"]: t for t in data["todos"]}
    assert todos["badly prioritised"]["priority"] is None
    assert todos["shallow study"]["depth"] == "basic"
    index = (colon_build.outdir / "indexes.html").read_text(encoding="utf-8")
    for name in (
        "feb 30",
        "prefixed version",
        "odd status",
        "ftp url",
        "badly prioritised",
        "shallow study",
        "Valid Full",
    ):
        assert f">{name}<" in index, name


def test_duplicate_keeps_first_and_names_compare_case_insensitively(
    colon_build: BuildResult,
) -> None:
    import json

    data = json.loads((colon_build.outdir / "fieldnotes.json").read_text(encoding="utf-8"))
    dups = [p for p in data["projects"] if p["name"].casefold() == "dup foo"]
    assert len(dups) == 2  # both kept in the export
    assert len({p["anchor"] for p in dups}) == 2  # with distinct anchors


# -- table of contents and anchors -----------------------------------------------------------------


def _toc_refs(built: BuildResult, docname: str) -> list[tuple[str, str]]:
    toc = built.app.env.tocs[docname]
    return [(r.astext(), r["anchorname"]) for r in toc.findall(nodes.reference)]


def test_entry_heading_is_in_the_page_toc_with_a_stable_anchor(colon_build: BuildResult) -> None:
    refs = _toc_refs(colon_build, page_name("project-valid"))
    assert ("Valid Full", "#valid-full") in refs
    assert ("Valid Successor", "#valid-successor") in refs
    # The anchor comes from the name, not the position: a project elsewhere on a page has the
    # same anchor as when it is alone.
    assert ("nested updates", "#nested-updates") in _toc_refs(
        colon_build, page_name("update-nested")
    )
    assert ("keywords", "#keywords") in _toc_refs(colon_build, page_name("project-keywords"))


# -- exit status, -W and suppress_warnings ------------------------------------------------------

WARNINGS_ONLY = """# Warnings only

:::{project} future thing
:url: https://example.com
:date: 2027-03-04
:version: v1
:status: gamma
:::
"""


@pytest.fixture(scope="module")
def warnings_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return pages_site(tmp_path_factory.mktemp("warnings"), {"index": WARNINGS_ONLY})


def test_warnings_alone_exit_zero(warnings_site: Site) -> None:
    built = warnings_site.build("dummy")
    assert [(f.line, f.level, f.code) for f in built.findings] == [
        (3, "WARNING", "future-date"),
        (7, "WARNING", "bad-status"),
    ]
    assert built.status == 0


def test_warnings_fail_under_dash_w(warnings_site: Site) -> None:
    built = warnings_site.build("dummy", warningiserror=True)
    assert {f.code for f in built.findings} == {"future-date", "bad-status"}
    assert built.status != 0


def test_suppress_warnings_silences_a_code(warnings_site: Site) -> None:
    built = warnings_site.build("dummy", suppress_warnings=["fieldnotes.future-date"])
    assert [f.code for f in built.findings] == ["bad-status"]
    built = warnings_site.build("dummy", suppress_warnings=["fieldnotes"], warningiserror=True)
    assert built.findings == []
    assert built.status == 0


def test_suppress_warnings_does_not_silence_errors(tmp_path: Path) -> None:
    site = pages_site(
        tmp_path, {"index": "# Home\n\n:::{project} x\n:url: https://e.com\n:version: v1\n:::\n"}
    )
    built = site.build("dummy", suppress_warnings=["fieldnotes", "fieldnotes.missing-date"])
    assert built.status != 0


# -- today: SOURCE_DATE_EPOCH, else fieldnotes_today, else the clock -------------------------------


def _epoch(day: str) -> str:
    return str(int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp()))


DATED_PAGE = (
    "# Dated\n\n:::{{project}} dated\n:url: https://example.com\n:date: {date}\n:version: v1\n:::\n"
)


@pytest.mark.parametrize(
    ("env", "today", "future"),
    [
        ({}, "2025-06-01", True),  # fieldnotes_today before the date
        ({}, "2025-06-02", False),  # ... on the date
        ({"SOURCE_DATE_EPOCH": _epoch("2025-06-03")}, "2025-01-01", False),  # epoch wins
        ({"SOURCE_DATE_EPOCH": _epoch("2025-01-01")}, "2030-01-01", True),  # epoch wins
    ],
)
def test_today_comes_from_source_date_epoch_then_config(
    tmp_path: Path, env: dict[str, str], today: str, future: bool
) -> None:
    site = pages_site(tmp_path, {"index": DATED_PAGE.format(date="2025-06-02")})
    site.env.update(env)
    built = site.build("dummy", fieldnotes_today=today)
    assert [f.code for f in built.findings] == (["future-date"] if future else [])


@pytest.mark.parametrize(("offset", "future"), [(1, True), (0, False)])
def test_today_falls_back_to_the_clock(tmp_path: Path, offset: int, future: bool) -> None:
    day = (dt.date.today() + dt.timedelta(days=offset)).isoformat()
    site = pages_site(tmp_path, {"index": DATED_PAGE.format(date=day)})
    built = site.build("dummy", fieldnotes_today=None)
    assert [f.code for f in built.findings] == (["future-date"] if future else [])


def _sphinx_cli(srcdir: Path, outdir: Path, *args: str, env: dict[str, str] | None = None):
    environ = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environ.update(env or {})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "dummy",
            "-q",
            "--no-color",
            *args,
            str(srcdir),
            str(outdir),
        ],
        capture_output=True,
        text=True,
        cwd=srcdir,
        env=environ,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("conf", "env", "message"),
    [
        ({"fieldnotes_today": "01/02/2026"}, {}, "fieldnotes_today"),
        ({"fieldnotes_today": "2026-02-30"}, {}, "fieldnotes_today"),
        ({"fieldnotes_priorities": []}, {}, "fieldnotes_priorities"),
        ({"fieldnotes_stale_after_days": "two years"}, {}, "fieldnotes_stale_after_days"),
    ],
)
def test_bad_today_is_a_configuration_error(
    tmp_path: Path, conf: dict[str, str], env: dict[str, str], message: str
) -> None:
    site = pages_site(tmp_path, {"index": DATED_PAGE.format(date="2018-01-01")})
    site.write_conf(**conf)
    result = _sphinx_cli(site.srcdir, tmp_path / "out", env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    lineno = list({**BASE_CONF, **conf}).index(message) + 1  # conf.py: one setting a line
    assert re.search(
        rf"^conf\.py:{lineno}: ERROR: {message} = .* \[fieldnotes\.config\]$", output, re.M
    )
    assert "Traceback" not in output and "Extension error" not in output


# -- hostile input: never a traceback ----------------------------------------------------------

HOSTILE = {
    "index": "# Hostile\n\n```{toctree}\n:glob:\n\n*\n```\n",
    "names": """# Names

:::{project} ✓✓✓
:url: https://example.com
:date: 2018-01-01
:version: v1
:::

:::{project} ✗✗✗
:url: https://example.com
:date: 2018-01-01
:version: v1
:::

:::{project} <script>alert(1)</script>
:url: https://example.com/"><script>
:date: 2018-01-01
:version: v1
:::

:::{project} Names
:url: http://[::1
:date: 9999-99-99
:version: v1.0.0-
:::

:::{todo-item} ✓✓✓
:priority:
:depth:
:::
""",
    "structure": """# Structure

- a list item

  :::{project} in a list
  :url: https://example.com
  :date: 2018-01-01
  :version: v1
  :::

:::{note}
:::{project} in a note
:url: https://example.com
:date: 2018-01-01
:version: v1
:::
:::

:::::{project} outer
:url: https://example.com
:date: 2018-01-01
:version: v1

::::{project} inner
:url: https://example.com
:date: 2018-01-01
:version: v1

:::{update}
:date: 2018-02-01
:version: v2
:::
::::
:::::

:::{todo-item} with update inside
:priority: P1

```{update}
:date: 2018-01-01
:version: v1
```
:::

:::{update}
:project:
:date: unrecorded
:version: unrecorded
:::

:::{project-index}
:group-by:
:::

:::{timeline}
:::

{project}`` {project}`   ` {project}`title <in a list>` {project}`IN A NOTE`
""",
    "empty": "",
    "options-only": ":::{project} a\n:url:\n:date:\n:version:\n:tags: ,,,\n:status:\n:::\n",
}


def test_hostile_input_never_gives_a_traceback(tmp_path: Path) -> None:
    site = pages_site(tmp_path, HOSTILE)
    site.write_conf()
    result = _sphinx_cli(site.srcdir, tmp_path / "out", "-b", "html", "--keep-going")
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Extension error" not in output, output
    assert "Exception occurred" not in output, output
    assert result.returncode == 1, output  # errors were reported, the build completed
    codes = {m["code"] for m in DIAGNOSTIC.finditer(strip_ansi(output))}
    assert {"bad-url", "bad-date", "bad-version", "missing-priority", "orphan-update"} <= codes
