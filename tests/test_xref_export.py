"""The ``project`` role, ``objects.inv`` and ``fieldnotes.json`` (SPEC §3 role, §6 export)."""

from __future__ import annotations

import json
import posixpath
import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sphinx.util.inventory import InventoryFile

from sites import REPO, BuildResult, Site

SCHEMA = REPO / "extensions" / "sphinx_fieldnotes" / "fieldnotes.schema.json"

PAGES = {
    "index": """
        # Home

        ```{toctree}
        alpha
        beta
        gamma
        ```
        """,
    "alpha": """
        ---
        category: Networking Stuff
        ---
        # Alpha page

        ::::{project} Multus CNI
        :url: https://github.com/intel/multus-cni
        :date: 2018-06-02
        :version: v0.2
        :status: Beta
        :kubernetes: v1.7
        :vendor: Intel
        :tags: cni, networking, cni
        :replaced-by: metallb

        Notes.

        :::{update}
        :date: 2018-12-13
        :version: v3.1
        :::
        ::::

        :::{project} MetalLB
        :url: https://github.com/google/metallb
        :date: unrecorded
        :version: unreleased
        :category: Load balancing
        :::

        :::{todo-item} kube-router
        :priority: p1
        :depth: deep
        :url: https://github.com/cloudnativelabs/kube-router
        :::
        """,
    "beta": """
        # Beta page

        :::{project} Local Thing
        :url: https://example.com/local
        :date: 2017-01-02
        :version: 1.5.3
        :::

        Across pages: {project}`multus cni`.

        Upper case: {project}`METALLB`.

        With a title: {project}`the multi-network plugin <Multus  CNI>`.

        Same page: {project}`local thing`.

        Unknown: {project}`no such thing`.

        :::{update}
        :project: MULTUS CNI
        :date: 2019-01-01
        :version: v3.2
        :::

        :::{todo-item} ingress
        :priority: P3
        :::
        """,
    "gamma": """
        # Gamma page

        See {project}`Local Thing` and {project}`multus-cni-typo`.
        """,
}


def _text(page: str) -> str:
    return textwrap.dedent(PAGES[page]).lstrip("\n")


def _line_of(page: str, marker: str) -> int:
    text = _text(page)
    return text[: text.index(marker)].count("\n") + 1


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = Site(tmp_path_factory.mktemp("xref"))
    for name in PAGES:
        site.write(f"{name}.md", _text(name), verbatim=True)
    return site.build("html")


def _links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every internal link."""
    return [
        (m["href"], re.sub(r"<[^>]+>", "", m["text"]).strip())
        for m in re.finditer(
            r'<a class="reference internal" href="(?P<href>[^"]*)"[^>]*>(?P<text>.*?)</a>',
            html,
            re.S,
        )
    ]


# -- the role ------------------------------------------------------------------------------------


def test_role_resolves_across_pages_case_insensitively(built: BuildResult) -> None:
    links = _links((built.outdir / "beta.html").read_text(encoding="utf-8"))
    assert ("alpha.html#multus-cni", "multus cni") in links
    assert ("alpha.html#metallb", "METALLB") in links
    assert ("alpha.html#multus-cni", "the multi-network plugin") in links
    assert ("#local-thing", "local thing") in links


def test_role_resolves_to_the_entry_anchor(built: BuildResult) -> None:
    alpha = (built.outdir / "alpha.html").read_text(encoding="utf-8")
    for anchor in ("multus-cni", "metallb"):
        assert f'id="{anchor}"' in alpha
    gamma = _links((built.outdir / "gamma.html").read_text(encoding="utf-8"))
    assert ("beta.html#local-thing", "Local Thing") in gamma


def test_unknown_names_warn_at_their_line(built: BuildResult) -> None:
    unknown = sorted(
        (f.path, f.line, f.level) for f in built.findings if f.code == "unknown-project"
    )
    assert unknown == [
        ("beta.md", _line_of("beta", "{project}`no such thing`"), "WARNING"),
        ("gamma.md", _line_of("gamma", "{project}`multus-cni-typo`"), "WARNING"),
    ]
    # Reported once, by fieldnotes, not again by Sphinx's own missing-reference machinery.
    assert built.warnings.count("no such thing") == 1
    # Nothing else is wrong with these pages.
    assert {f.code for f in built.findings} == {"unknown-project"}
    assert built.status == 0


def test_unknown_name_is_rendered_as_text(built: BuildResult) -> None:
    beta = (built.outdir / "beta.html").read_text(encoding="utf-8")
    assert "no such thing" in beta
    assert not any(text == "no such thing" for _, text in _links(beta))


# -- objects.inv ---------------------------------------------------------------------------------


def _inventory(built: BuildResult) -> dict[str, dict[str, Any]]:
    with (built.outdir / "objects.inv").open("rb") as stream:
        return InventoryFile.load(stream, "https://notes.example.org/", posixpath.join)


def test_objects_inv_lists_every_project(built: BuildResult) -> None:
    projects = _inventory(built)["fieldnotes:project"]
    uris = {}
    for name, item in projects.items():
        uri = item.uri if hasattr(item, "uri") else item[2]
        display = item.display_name if hasattr(item, "display_name") else item[3]
        uris[name.casefold()] = (uri, display)
    assert set(uris) == {"multus cni", "metallb", "local thing"}
    assert uris["multus cni"] == ("https://notes.example.org/alpha.html#multus-cni", "Multus CNI")
    assert uris["metallb"] == ("https://notes.example.org/alpha.html#metallb", "MetalLB")
    assert uris["local thing"][0] == "https://notes.example.org/beta.html#local-thing"


def test_another_site_links_through_intersphinx(built: BuildResult, tmp_path: Path) -> None:
    inv = str(built.outdir / "objects.inv")
    other = Site(
        tmp_path,
        conf={
            "extensions": ["myst_parser", "sphinx.ext.intersphinx"],
            "intersphinx_mapping": {"notes": ("https://notes.example.org/", inv)},
        },
    )
    other.write(
        "index.md", "# Other site\n\nSee [the plugin](<inv:notes:fieldnotes:project#multus cni>).\n"
    )
    result = other.build("html")
    html = result.page("index.html")
    assert 'href="https://notes.example.org/alpha.html#multus-cni"' in html, result.warnings


# -- fieldnotes.json -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def export(built: BuildResult) -> dict[str, Any]:
    return json.loads((built.outdir / "fieldnotes.json").read_text(encoding="utf-8"))


def test_export_validates_against_its_schema(export: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(export)


def test_schema_rejects_what_the_spec_forbids(export: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    broken = json.loads(json.dumps(export))
    del broken["projects"][0]["anchor"]
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(export))
    broken["projects"][0]["date"] = "06/02/2018"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(export))
    broken["todos"][0]["depth"] = "shallow"
    assert not validator.is_valid(broken)


# SPEC §6, field by field.
SPEC_PROJECT_FIELDS = {
    "name",
    "url",
    "date",
    "version",
    "status",
    "category",
    "tags",
    "kubernetes",
    "vendor",
    "replaced_by",
    "docname",
    "anchor",
    "updates",
}
SPEC_UPDATE_FIELDS = {"date", "version"}
SPEC_TODO_FIELDS = {"name", "priority", "depth", "url", "category", "docname"}


def test_export_holds_the_spec_fields(export: dict[str, Any]) -> None:
    assert isinstance(export["schema"], int)
    assert export["projects"] and export["todos"]
    for project in export["projects"]:
        assert set(project) >= SPEC_PROJECT_FIELDS
        for update in project["updates"]:
            assert set(update) >= SPEC_UPDATE_FIELDS
    for todo in export["todos"]:
        assert set(todo) >= SPEC_TODO_FIELDS


def test_export_values(export: dict[str, Any]) -> None:
    projects = {p["name"]: p for p in export["projects"]}
    assert set(projects) == {"Multus CNI", "MetalLB", "Local Thing"}
    multus = projects["Multus CNI"]
    assert {k: multus[k] for k in SPEC_PROJECT_FIELDS - {"updates"}} == {
        "name": "Multus CNI",
        "url": "https://github.com/intel/multus-cni",
        "date": "2018-06-02",
        "version": "v0.2",
        "status": "beta",
        "category": "Networking Stuff",  # the page's front matter
        "tags": ["cni", "networking"],
        "kubernetes": "1.7",
        "vendor": "Intel",
        "replaced_by": "metallb",
        "docname": "alpha",
        "anchor": "multus-cni",
    }
    # The nested update and the one on another page that names it, oldest first.
    assert [(u["date"], u["version"], u["docname"]) for u in multus["updates"]] == [
        ("2018-12-13", "v3.1", "alpha"),
        ("2019-01-01", "v3.2", "beta"),
    ]
    metallb = projects["MetalLB"]
    assert (metallb["date"], metallb["version"], metallb["category"]) == (
        "unrecorded",
        "unreleased",
        "Load balancing",  # :category: overrides the page's
    )
    assert (metallb["status"], metallb["tags"], metallb["kubernetes"], metallb["vendor"]) == (
        None,
        [],
        None,
        None,
    )
    assert projects["Local Thing"]["category"] == "Beta page"  # the page title
    todos = {t["name"]: t for t in export["todos"]}
    assert {k: todos["kube-router"][k] for k in SPEC_TODO_FIELDS} == {
        "name": "kube-router",
        "priority": "P1",
        "depth": "deep",
        "url": "https://github.com/cloudnativelabs/kube-router",
        "category": "Networking Stuff",
        "docname": "alpha",
    }
    assert {k: todos["ingress"][k] for k in SPEC_TODO_FIELDS} == {
        "name": "ingress",
        "priority": "P3",
        "depth": "basic",
        "url": None,
        "category": "Beta page",
        "docname": "beta",
    }


def test_export_is_written_by_html_builders_only(built: BuildResult, tmp_path: Path) -> None:
    assert (built.outdir / "fieldnotes.json").is_file()
    site = Site(tmp_path)
    site.write("index.md", _text("beta").replace("{project}`", "`"), verbatim=True)
    result = site.build("text")
    assert (result.outdir / "index.txt").is_file()
    assert not (result.outdir / "fieldnotes.json").exists()
