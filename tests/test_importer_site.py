"""The importer against the shipped site: same entries as ``fieldnotes.json``, every legacy entry
kept in ``source/``, and imported pages that build with the extension."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sites import LEGACY_TYPOS
from sphinx_fieldnotes.cli.importer.model import LinkEntry, Project
from sphinx_fieldnotes.cli.importer.parse import parse
from sphinx_fieldnotes.cli.importer.render import render
from sphinx_fieldnotes.cli.importer.write import write_pages

ROOT = Path(__file__).resolve().parents[1]
SEED = Path(__file__).resolve().parent / "fixtures" / "importer" / "legacy-seed.md"

# What hand-finishing added to the shipped pages beyond what the importer maps (SPEC §1: a URL the
# notes lack may be filled in with the project's real public repository; a status the prose states).
FILLED_URLS = {
    "addon-resizer": "https://github.com/kubernetes/autoscaler",
    "gpushare (aliyun)": "https://github.com/AliyunContainerService/gpushare-scheduler-extender",
    "helm": "https://github.com/helm/helm",
    "ksonnet": "https://github.com/ksonnet/ksonnet",
}
STATUS_FROM_PROSE = {"service-loadbalancer": "deprecated"}  # "is deprecated in favor of ingress"

# Written by hand from the legacy file, independently of the importer:
# name -> (page, date, version, kubernetes, status, [(update date, update version)])
LEGACY_ENTRIES = {
    "cni-genie": ("networking", "2017-08-19", "unrecorded", None, None, []),
    "multus-cni": ("networking", "2018-06-02", "v0.2", None, None, [("2018-12-13", "v3.1")]),
    "metallb": ("networking", "2018-01-10", "unrecorded", None, None, []),
    "keepalived-vip": ("networking", "2017-04-07", "unrecorded", None, None, []),
    "service-loadbalancer": ("networking", "2017-05-13", "unrecorded", "1.6", "deprecated", []),
    "audit2rbac": ("security", "2018-06-03", "unrecorded", None, None, []),
    "draft": ("developer", "2017-06-06", "unreleased", None, None, []),
    "metacontroller": ("codegen", "2018-06-01", "unrecorded", None, None, []),
    "k8s-prometheus-adaptor": ("insight", "2018-01-14", "unrecorded", None, None, []),
    "addon-resizer": ("insight", "2017-08-06", "unreleased", "1.7", None, []),
    "cluster autoscaler": ("insight", "2017-08-06", "unrecorded", "1.7", "beta", []),
    "gpushare (aliyun)": ("node-resource", "2019-05-02", "unrecorded", None, None, []),
    "node problem detector": ("node-resource", "2017-10-18", "v0.4.1", None, None, []),
    "resorcerer": ("scheduling", "2017-08-06", "unreleased", None, None, []),
    "virtlet": ("virtualization", "2018-10-03", "v1.4.0", None, None, []),
    "kismatic": ("cluster", "2017-04-26", "v1.3.1", None, None, []),
    "kargo": ("cluster", "2017-04-26", "v2.1.1", None, None, [("2018-11-07", "v2.7.0")]),
    "kops": ("cluster", "2017-04-26", "v1.5.3", None, None, []),
    "kaptaind": ("cluster", "2017-09-14", "unrecorded", None, None, []),
    "helm": ("templating", "unrecorded", "unrecorded", None, None, []),
    "ksonnet": ("templating", "2018-02-22", "v0.8.0", None, None, []),
    "virtual-kubelet": ("nodeless", "2018-10-03", "0.6.0", None, None, []),
}
# name -> (page, priority, depth, url)
LEGACY_TODOS = {
    "ip-masq-agent": ("networking", "P3", None, None),
    "ingress": ("networking", "P3", None, None),
    "kube-router": ("networking", "P3", None, None),
    "external-dns": ("networking", "P3", None, None),
    "external-storage": ("storage", "P3", None, None),
    "trident": ("storage", "P3", None, None),
    "service-catalog": ("application", "P3", None, None),
    "kubegpu": ("node-resource", "P3", None, None),
    "kubevirt": ("virtualization", "P3", None, None),
    "k8s-AppController": ("todos", "P2", "basic", "https://github.com/Mirantis/k8s-AppController/"),
    "kube-lego": ("todos", "P1", "basic", "https://github.com/jetstack/kube-lego"),
    "smith": ("todos", "P1", "basic", "https://github.com/atlassian/smith"),
    "kuberesolver": ("todos", "P1", "basic", "https://github.com/sercand/kuberesolver"),
    "rktlet": ("todos", "P2", "basic", None),
    "kubegen": ("todos", "P2", "basic", "https://github.com/errordeveloper/kubegen"),
    "brigade": ("todos", "P2", "basic", None),
}
PROSE_SECTIONS = {"cluster": ["kargo vs. kops"], "templating": ["Templates"]}


def sphinx_build(srcdir: Path, outdir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "extensions"), env.get("PYTHONPATH", "")) if p
    )
    env["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01: the notes are all older
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "--no-color",
            "-d",
            str(outdir / ".doctrees"),
            *extra,
            str(srcdir),
            str(outdir),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """``fieldnotes.json`` of the shipped site, built from the repository as ``make html`` does."""
    out = tmp_path_factory.mktemp("shipped")
    result = sphinx_build(ROOT, out)
    assert result.returncode == 0, result.stderr
    assert "fieldnotes." not in result.stderr, result.stderr  # no fieldnotes diagnostics at all
    return json.loads((out / "fieldnotes.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def legacy():
    return parse(SEED.read_text(encoding="utf-8"))


def test_import_gives_the_same_entries_as_the_shipped_site(shipped, legacy):
    site = {p["name"]: p for p in shipped["projects"]}
    imported = {p.name: p for p in legacy.projects}
    assert sorted(site) == sorted(imported)
    for name, project in imported.items():
        entry = site[name]
        assert entry["date"] == project.date, name
        assert entry["version"] == project.version, name
        assert entry["kubernetes"] == project.kubernetes, name
        assert entry["status"] == STATUS_FROM_PROSE.get(name, project.status), name
        assert [(u["date"], u["version"]) for u in entry["updates"]] == [
            (u.date, u.version) for u in project.updates
        ], name
        assert entry["url"] == (project.url or FILLED_URLS[name]), name
    categories = {
        p.name: c.name for c in legacy.categories for p in c.items if isinstance(p, Project)
    }
    assert {n: p["category"] for n, p in site.items()} == {n: categories[n] for n in site}
    # URLs the importer reported missing are exactly the ones hand-finishing filled in
    assert {p.name for p in legacy.problems if p.kind == "missing-url"} == set(FILLED_URLS)


def test_import_gives_the_same_todos_as_the_shipped_site(shipped, legacy):
    site = {t["name"]: (t["priority"], t["depth"], t["url"]) for t in shipped["todos"]}
    imported = {
        i.name: ("P3", "basic", None)
        for c in legacy.categories
        for i in c.items
        if isinstance(i, LinkEntry)
    }
    imported |= {t.name: (t.priority, t.depth or "basic", t.url) for t in legacy.todos}
    assert site == imported


def _source_blocks(page: str) -> list[tuple[str, str, dict[str, str], list[dict[str, str]]]]:
    """(kind, name, options, updates' options) of each block of a shipped ``source/`` page."""
    lines = (ROOT / "source" / f"{page}.md").read_text(encoding="utf-8").splitlines()
    blocks: list[tuple[str, str, dict[str, str], list[dict[str, str]]]] = []
    for i, line in enumerate(lines):
        m = re.fullmatch(r":{3,}\{(project|todo-item|update)\}\s*(.*)", line)
        if not m:
            continue
        opts = {}
        for opt in lines[i + 1 :]:
            om = re.fullmatch(r":([\w-]+):\s*(.*)", opt)
            if not om:
                break
            opts[om.group(1)] = om.group(2)
        if m.group(1) == "update":
            blocks[-1][3].append(opts)
        else:
            blocks.append((m.group(1), m.group(2), opts, []))
    return blocks


def test_shipped_content_holds_every_legacy_entry(shipped):
    pages = {page for page, *_ in LEGACY_ENTRIES.values()} | {
        page for page, *_ in LEGACY_TODOS.values()
    }
    found = {}
    for page in pages:
        for kind, name, opts, updates in _source_blocks(page):
            found[(kind, name)] = (page, opts, updates)
    for name, (page, date, version, kubernetes, status, updates) in LEGACY_ENTRIES.items():
        where, opts, upd = found.pop(("project", name))
        assert where == page, name
        assert (opts["date"], opts["version"]) == (date, version), name
        assert opts.get("kubernetes") == kubernetes and opts.get("status") == status, name
        assert re.fullmatch(r"https?://\S+", opts["url"]), name
        assert [(u["date"], u["version"]) for u in upd] == updates, name
    for name, (page, priority, depth, url) in LEGACY_TODOS.items():
        where, opts, _ = found.pop(("todo-item", name))
        assert (where, opts["priority"], opts.get("depth"), opts.get("url")) == (
            page,
            priority,
            depth,
            url,
        ), name
    assert found == {}, "entries the legacy file does not have"

    # the same through the built site's export
    site = {p["name"]: p for p in shipped["projects"]}
    assert sorted(site) == sorted(LEGACY_ENTRIES)
    for name, (page, date, version, kubernetes, status, updates) in LEGACY_ENTRIES.items():
        p = site[name]
        assert (p["docname"], p["date"], p["version"], p["kubernetes"], p["status"]) == (
            f"source/{page}",
            date,
            version,
            kubernetes,
            status,
        ), name
        assert [(u["date"], u["version"]) for u in p["updates"]] == updates, name
    assert {t["name"]: t["priority"] for t in shipped["todos"]} == {
        n: v[1] for n, v in LEGACY_TODOS.items()
    }

    # prose sections and the body sub-headings are kept
    for page, titles in PROSE_SECTIONS.items():
        text = (ROOT / "source" / f"{page}.md").read_text(encoding="utf-8")
        for title in titles:
            assert f"\n## {title}\n" in text
    assert "**Local Development**" in (ROOT / "source" / "templating.md").read_text(
        encoding="utf-8"
    )
    for name in ("ip-masq-agent", "kubevirt"):
        page = LEGACY_TODOS[name][0]
        assert f"`./{name}`, not included here" in (ROOT / "source" / f"{page}.md").read_text(
            encoding="utf-8"
        )


def test_shipped_pages_have_no_legacy_date_lines_or_typos():
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "source").glob("*.md")))
    assert not re.search(r"\d{2}/\d{2}/\d{4}", text)
    assert "*Date:" not in text and "Update on" not in text
    for typo in (*LEGACY_TYPOS, "copy/past ", "provider high-available"):
        assert typo not in text.lower(), typo


def _import(tmp_path: Path) -> tuple[Path, str]:
    src = tmp_path / "src"
    notes = parse(SEED.read_text(encoding="utf-8"))
    write_pages(render(notes, with_index=True), src)
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design", "sphinx_fieldnotes"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'root_doc = "index"\n',
        encoding="utf-8",
    )
    missing = sorted(p.name for p in notes.problems if p.kind == "missing-url")
    return src, "\n".join(missing)


def test_imported_pages_build_reports_only_what_the_summary_announced(tmp_path):
    src, missing = _import(tmp_path)
    result = sphinx_build(src, tmp_path / "out", "--keep-going")
    assert result.returncode != 0  # the missing URLs are errors
    reported = re.findall(r"^(\S+\.md):(\d+): (\w+): (.*)$", result.stderr, re.M)
    assert reported, result.stderr
    names = set()
    for path, line, level, message in reported:
        assert level == "ERROR" and message.endswith("[fieldnotes.missing-url]"), message
        name = re.search(r"project '([^']+)'", message).group(1)
        names.add(name)
        page = Path(path).name
        assert (
            (src / page)
            .read_text(encoding="utf-8")
            .splitlines()[int(line) - 1]
            .endswith("{project} " + name)
        )
    assert sorted(names) == missing.splitlines() == sorted(FILLED_URLS)


def test_imported_pages_build_once_the_reported_urls_are_filled_in(tmp_path):
    src, _ = _import(tmp_path)
    for page in src.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        for name, url in FILLED_URLS.items():
            text = re.sub(
                rf"^(:{{3,}}\{{project\}} {re.escape(name)})$",
                rf"\1\n:url: {url}",
                text,
                flags=re.M,
            )
        page.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = sphinx_build(src, out, "-W", "--keep-going")
    assert result.returncode == 0, result.stderr
    export = json.loads((out / "fieldnotes.json").read_text(encoding="utf-8"))
    assert len(export["projects"]) == len(LEGACY_ENTRIES)
    assert len(export["todos"]) == len(LEGACY_TODOS)
    assert sum(len(p["updates"]) for p in export["projects"]) == 2
