"""The shipped site, built from the repository root exactly as ``make html`` builds it (SPEC §2).

One build per builder, each checked like ``-W``: no warning or error at all. Then a copy of the site
with a broken date in every page must fail, naming each file and line.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from sites import DIAGNOSTIC, REPO, BuildResult, Site

BUILDERS = ["html", "dirhtml", "singlehtml", "text", "latex", "dummy"]
SEED = REPO / "tests" / "fixtures" / "importer" / "legacy-seed.md"
SCHEMA = REPO / "extensions" / "sphinx_fieldnotes" / "fieldnotes.schema.json"


@pytest.fixture(scope="module")
def site_build(tmp_path_factory: pytest.TempPathFactory):
    """Build the shipped site once per builder (lazily) and keep the result for the module."""
    cache: dict[str, BuildResult] = {}

    def get(builder: str) -> BuildResult:
        if builder not in cache:
            site = Site(tmp_path_factory.mktemp(f"site-{builder}"), srcdir=REPO, conf=None)
            cache[builder] = site.build(builder)
        return cache[builder]

    return get


@pytest.fixture(params=BUILDERS)
def shipped(request: pytest.FixtureRequest, site_build) -> tuple[str, BuildResult]:
    return request.param, site_build(request.param)


def test_shipped_site_builds_without_any_warning(shipped) -> None:
    builder, result = shipped
    lines = result.warnings.splitlines()
    problems = [line for line in lines if "WARNING" in line or "ERROR" in line]
    assert problems == [], f"{builder}:\n" + "\n".join(problems)
    assert "Traceback" not in result.warnings
    assert result.status == 0


def test_only_source_pages_are_read(shipped) -> None:
    _, result = shipped
    docs = set(result.app.env.found_docs)
    assert docs, "no pages found"
    assert all(doc.startswith("source/") for doc in docs), sorted(docs)
    assert "source/index" in docs
    # README.md, tests/ (and their fixtures) are not pages.
    assert not any(doc.startswith(("tests/", "README", "linters/", "extensions/")) for doc in docs)


@pytest.fixture
def html(site_build):
    return site_build("html")


def _seed_categories() -> list[str]:
    return [
        line[2:].strip()
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if line.startswith("# ")
    ]


def test_every_category_page_is_written(html: BuildResult) -> None:
    app, outdir = html.app, html.outdir
    titles = {app.env.titles[doc].astext(): doc for doc in app.env.found_docs}
    categories = _seed_categories()
    assert len(categories) >= 10
    for category in categories:
        assert category in titles, f"no page titled {category!r}"
        page = outdir / f"{titles[category]}.html"
        assert page.is_file(), page
    # Every page found was written.
    for doc in app.env.found_docs:
        assert (outdir / f"{doc}.html").is_file(), doc


def test_html_writes_export_and_inventory(html: BuildResult) -> None:
    outdir = html.outdir
    assert (outdir / "objects.inv").is_file()
    data = json.loads((outdir / "fieldnotes.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(data)
    assert len(data["projects"]) >= 20 and data["todos"]
    # Every exported project lives on a category page of the site, at an anchor that exists.
    for project in data["projects"]:
        page = (outdir / f"{project['docname']}.html").read_text(encoding="utf-8")
        assert f'id="{project["anchor"]}"' in page, project["name"]


def test_index_html_redirects_or_exists(html: BuildResult) -> None:
    assert (html.outdir / "source" / "index.html").is_file()


# -- a broken date fails the build, naming file and line -------------------------------------------

_DATE_LINE = re.compile(r"^:date: \d{4}-\d{2}-\d{2}$", re.MULTILINE)


def test_breaking_a_date_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(REPO / "source", root / "source")
    shutil.copy(REPO / "conf.py", root / "conf.py")
    broken: set[tuple[str, int]] = set()
    categories = set(_seed_categories())
    for page in sorted((root / "source").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        if text.partition("\n")[0].removeprefix("# ").strip() not in categories:
            continue  # only category pages (the authoring guide shows dates in code examples)
        match = _DATE_LINE.search(text)
        if match is None:
            continue
        # 2018-02-30 does not exist; keep everything else of the page as shipped.
        page.write_text(
            text[: match.start()] + ":date: 2018-02-30" + text[match.end() :], encoding="utf-8"
        )
        broken.add((f"source/{page.name}", text[: match.start()].count("\n") + 1))
    assert len(broken) >= 10
    result = Site(tmp_path, srcdir=root, conf=None).build("html")
    found = {
        (m["path"], int(m["line"]))
        for m in DIAGNOSTIC.finditer(result.warnings)
        if m["code"] == "bad-date" and m["level"] == "ERROR"
    }
    assert found == broken
    assert result.status != 0
    assert "Traceback" not in result.warnings
