"""The diagnostic codes and records (``sphinx_fieldnotes.codes``), and the build state that
replaced the extension's attributes on the Sphinx application."""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest
from sphinx.environment import BuildEnvironment

from sites import REPO, Site
from sphinx_fieldnotes.codes import Code, Diagnostic, Level


def test_diagnostics_on_one_line_sort_by_code_then_message() -> None:
    expected = [
        Diagnostic("a", 2, Code.UNKNOWN_OPTION, "x"),
        Diagnostic("a", 7, Code.BAD_DATE, "z"),
        Diagnostic("a", 7, Code.BAD_URL, "x"),
        Diagnostic("a", 7, Code.BAD_URL, "y"),
        Diagnostic("a", 7, Code.MISSING_URL, "x"),
        Diagnostic("b", 1, Code.BAD_DATE, "x"),
    ]
    shuffled = list(expected)
    for seed in range(20):
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled) == expected
    # Every comparison is defined, not only the ``<`` that sorted() uses.
    assert Code.BAD_DATE < Code.BAD_URL <= Code.BAD_URL < Code.MISSING_URL
    assert Code.MISSING_URL > Code.BAD_URL >= Code.BAD_DATE
    with pytest.raises(TypeError):
        _ = Code.BAD_DATE < "bad-url"  # type: ignore[operator]


def test_every_code_has_a_level_and_a_meaning() -> None:
    for code in Code:
        assert isinstance(code.level, Level)
        assert code.__doc__ and code.__doc__ != Code.__doc__, code
    assert Code.CONFIG.level is Level.ERROR
    assert Code.LINT_BACKTICK_FENCE.level is Level.WARNING


def test_the_codes_load_without_sphinx() -> None:
    probe = (
        "import sys, sphinx_fieldnotes.codes\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils',"
        " 'myst_parser')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "[]"


PAGES = {
    "index.md": "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n\n:::{project-index}\n:::\n",
    "notes.md": (
        "# Notes\n\n:::{project} alpha\n:url: https://example.com/a\n:date: 2018-06-02\n"
        ":version: v1\n:status: gamma\n:::\n\n:::{todo-item} beta\n:priority: later\n:::\n"
    ),
}


def test_fieldnotes_never_reaches_the_application_through_the_environment(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``env.app`` is deprecated (Sphinx 9, RemovedInSphinx11Warning): every reader of it from
    fieldnotes' code is recorded, on Sphinx versions that still have it as a plain attribute."""
    readers: list[str] = []

    def read(env: BuildEnvironment) -> object:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller.split(".")[0] == "sphinx_fieldnotes":
            readers.append(caller)
        return env.__dict__["app"]

    def write(env: BuildEnvironment, app: object) -> None:
        env.__dict__["app"] = app

    monkeypatch.setattr(BuildEnvironment, "app", property(read, write), raising=False)
    for name, text in PAGES.items():
        site.write(name, text)
    conf = {"fieldnotes_statuses": ["gamma"], "fieldnotes_priorities": ["now", "later"]}
    for builder in ("dummy", "html"):  # a dummy build saves smart quotes; html writes everything
        built = site.build(builder, **conf)
        assert (built.status, built.findings) == (0, [])
    assert readers == []


def test_builds_in_one_process_keep_their_own_settings(site: Site) -> None:
    for name, text in PAGES.items():
        site.write(name, text)
    custom = site.build(
        outname="custom", fieldnotes_statuses=["gamma"], fieldnotes_priorities=["later"]
    )
    default = site.build(outname="default")
    assert custom.codes == []
    assert sorted(default.codes) == ["bad-priority", "bad-status"]


def test_directives_in_parallel_workers_read_the_settings(site: Site) -> None:
    site.write("index.md", "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n")
    for n in range(12):
        page = PAGES["notes.md"].replace("alpha", f"alpha{n}").replace("beta", f"beta{n}")
        site.write(f"p{n}.md", page)
    built = site.build(parallel=2, fieldnotes_statuses=["gamma"], fieldnotes_priorities=["later"])
    # Sphinx read in worker processes: its progress names chunks of pages ("[ 50%] p0 .. p5").
    progress = re.sub(r"\x1b\[[0-9;]*m", "", built.app.status.getvalue())
    assert re.search(r"reading sources\.\.\. \[ *\d+%\] \S+ \.\. \S+", progress)
    assert (built.status, built.codes) == (0, [])
