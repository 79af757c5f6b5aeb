"""The shipped site next to other extensions (issue 7): sphinx.ext.todo, sphinx-design,
sphinx-copybutton and intersphinx (empty mapping, so no network), in every builder of the site test.

Each build must be clean: no warning, no error, no traceback, exit status 0, and the fieldnotes
entries still rendered (the other extensions must not swallow them).
"""

from __future__ import annotations

import pytest

from sites import REPO, BuildResult, Site

BUILDERS = ["html", "dirhtml", "singlehtml", "text", "latex", "dummy"]
EXTRA = ["sphinx.ext.todo", "sphinx_design", "sphinx_copybutton", "sphinx.ext.intersphinx"]
OVERRIDES = {
    "extensions": ["myst_parser", "sphinx_design", "sphinx_fieldnotes", *EXTRA],
    "intersphinx_mapping": {},
    "todo_include_todos": True,
}


@pytest.fixture(scope="module", params=BUILDERS)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, BuildResult]:
    builder = request.param
    site = Site(tmp_path_factory.mktemp(f"interop-{builder}"), srcdir=REPO, conf=None)
    return builder, site.build(builder, **OVERRIDES)


def test_site_builds_clean_with_other_extensions(built: tuple[str, BuildResult]) -> None:
    builder, result = built
    for name in EXTRA:
        assert name in result.app.extensions, f"{name} was not loaded"
    lines = result.warnings.splitlines()
    problems = [line for line in lines if "WARNING" in line or "ERROR" in line]
    assert problems == [], f"{builder}:\n" + "\n".join(problems)
    for marker in ("Traceback", "Extension error", "Exception occurred"):
        assert marker not in result.warnings
    assert result.status == 0


def test_entries_survive_next_to_other_extensions(built: tuple[str, BuildResult]) -> None:
    builder, result = built
    catalog = result.app.env.get_domain("fieldnotes").catalog()
    assert len(catalog.projects) > 20 and catalog.todos
    outdir = result.outdir
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
