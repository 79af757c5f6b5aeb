"""The shipped site next to other extensions (issue 7): sphinx.ext.todo, sphinx-design,
sphinx-copybutton and intersphinx (empty mapping, so no network), in every builder of the site test.

Each build must be clean: no warning, no error, no traceback, exit status 0, and the fieldnotes
entries still rendered (the other extensions must not swallow them).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import _ANSI, REPO

BUILDERS = ["html", "dirhtml", "singlehtml", "text", "latex", "dummy"]
EXTRA = ["sphinx.ext.todo", "sphinx_design", "sphinx_copybutton", "sphinx.ext.intersphinx"]
OVERRIDES = {
    "extensions": ["myst_parser", "sphinx_design", "sphinx_fieldnotes", *EXTRA],
    "intersphinx_mapping": {},
    "todo_include_todos": True,
}


@pytest.fixture(scope="module", params=BUILDERS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    builder = request.param
    builddir = tmp_path_factory.mktemp(f"interop-{builder}")
    warning = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        app = SphinxTestApp(
            builder, srcdir=REPO, builddir=builddir, status=io.StringIO(), warning=warning,
            confoverrides=dict(OVERRIDES),
        )
        try:
            app.build()
        finally:
            app.cleanup()
    return builder, app, _ANSI.sub("", warning.getvalue())


def test_site_builds_clean_with_other_extensions(built) -> None:
    builder, app, warnings = built
    for name in EXTRA:
        assert name in app.extensions, f"{name} was not loaded"
    problems = [line for line in warnings.splitlines() if "WARNING" in line or "ERROR" in line]
    assert problems == [], f"{builder}:\n" + "\n".join(problems)
    for marker in ("Traceback", "Extension error", "Exception occurred"):
        assert marker not in warnings
    assert app.statuscode == 0


def test_entries_survive_next_to_other_extensions(built) -> None:
    builder, app, _ = built
    catalog = app.env.get_domain("fieldnotes").catalog()
    assert len(catalog.projects) > 20 and catalog.todos
    outdir = Path(app.outdir)
    first = catalog.projects[0]
    if builder == "html":
        page = (outdir / f"{first.docname}.html").read_text(encoding="utf-8")
        assert f'id="{first.anchor}"' in page
        assert "copybutton" in page  # sphinx-copybutton really ran
        assert (outdir / "fieldnotes.json").is_file()
    elif builder == "dirhtml":
        assert (outdir / first.docname / "index.html").is_file()
    elif builder == "singlehtml":
        page = (outdir / "source" / "index.html").read_text(encoding="utf-8")
        assert f'id="{first.anchor}"' in page
    elif builder == "text":
        text = (outdir / f"{first.docname}.txt").read_text(encoding="utf-8")
        assert first.name in text
    elif builder == "latex":
        tex = "".join(p.read_text(encoding="utf-8") for p in outdir.glob("*.tex"))
        assert first.anchor in tex
