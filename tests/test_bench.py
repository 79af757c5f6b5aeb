"""The benchmark harness (tests/benchmarks/run.py): its corpora and its report, not its timings."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

RUN_PY = Path(__file__).parent / "benchmarks" / "run.py"


def _load():
    spec = importlib.util.spec_from_file_location("fieldnotes_bench_run", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


bench = _load()

N = 120  # N // 50 = 2 pages of 60 entries, 12 TODOs


def _pages(src: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(src.glob("page-*.md"))]


def _fields(block: str, names: tuple[str, ...]) -> tuple[str, ...]:
    found = dict(re.findall(r"^:([\w-]+): (.*)$", block, flags=re.M))
    return tuple(found.get(n, "") for n in names)


def parse_plain(src: Path):
    projects, todos = {}, {}
    for text in _pages(src):
        for section in re.split(r"^## ", text, flags=re.M)[1:]:
            head, _, body = section.partition("\n")
            if head.startswith("TODO "):
                todos[head[5:]] = _fields(body, ("priority",))
                continue
            projects[head] = _fields(
                body, ("url", "date", "version", "status", "update-date", "update-version")
            )
    return projects, todos


def parse_fieldnotes(src: Path):
    projects, todos = {}, {}
    for text in _pages(src):
        for name, body in re.findall(r"^::::\{project\} (\S+)\n(.*?)^::::$", text, re.M | re.S):
            main, _, update = body.partition(":::{update}")
            projects[name] = (
                _fields(main, ("url", "date", "version", "status"))
                + _fields(update, ("date", "version"))
            )
        for name, body in re.findall(r"^:::\{todo-item\} (\S+)\n(.*?)^:::$", text, re.M | re.S):
            todos[name] = _fields(body, ("priority",))
    return projects, todos


def parse_needs(src: Path):
    projects, todos = {}, {}
    for text in _pages(src):
        for name, body in re.findall(r"^::::\{need\} (\S+)\n(.*?)^::::$", text, re.M | re.S):
            main, _, update = body.partition(":::{need} Update of")
            assert _fields(main, ("tags",)) == ("project",)
            assert _fields(update, ("tags",)) == ("update",)
            projects[name] = (
                _fields(main, ("url", "date", "version", "status"))
                + _fields(update, ("date", "version"))
            )
        for name, body in re.findall(r"^:::\{need\} (\S+)\n(.*?)^:::$", text, re.M | re.S):
            if _fields(body, ("tags",)) == ("todo",):
                todos[name] = _fields(body, ("priority",))
    return projects, todos


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpora")
    return {d: bench.generate(d, N, base / d) for d in bench.DIALECTS}


def test_three_dialects_hold_the_same_entries(corpora):
    parsed = {
        "plain": parse_plain(corpora["plain"]),
        "fieldnotes": parse_fieldnotes(corpora["fieldnotes"]),
        "needs": parse_needs(corpora["needs"]),
    }
    projects, todos = parsed["plain"]
    assert len(projects) == N
    assert len(todos) == N // bench.TODO_EVERY
    for dialect, (p, t) in parsed.items():
        assert p == projects, dialect
        assert t == todos, dialect
    # every field is filled in, and the prose is the same in every dialect
    assert all(all(values) for values in projects.values())
    for entry in bench.make_entries(N):
        for src in corpora.values():
            assert any(entry.text in page for page in _pages(src))


def test_same_pages_split_and_index(corpora):
    for dialect, src in corpora.items():
        pages = sorted(p.name for p in src.glob("page-*.md"))
        assert pages == [f"{bench.page_name(i)}.md" for i in range(N // 50)], dialect
        index = (src / "index.md").read_text(encoding="utf-8")
        assert all(p.removesuffix(".md") in index for p in pages)
        assert "extensions" in (src / "conf.py").read_text(encoding="utf-8")
    index = (corpora["fieldnotes"] / "index.md").read_text(encoding="utf-8")
    for directive in ("project-index", "timeline", "todo-list"):
        assert f":::{{{directive}}}\n:::" in index
    assert "{needtable}" in (corpora["needs"] / "index.md").read_text(encoding="utf-8")


def test_edit_changes_one_date_on_one_page(tmp_path):
    src = bench.generate("fieldnotes", N, tmp_path / "src")
    before = {p.name: p.read_text(encoding="utf-8") for p in src.glob("*.md")}
    original, page = bench.apply_edit(src, N)
    after = {p.name: p.read_text(encoding="utf-8") for p in src.glob("*.md")}
    assert [name for name in before if before[name] != after[name]] == [page]
    assert original == before[page]
    assert after[page].count(bench.EDITED_DATE) == 1
    assert all(bench.EDITED_DATE not in text for text in before.values())


def _fake_results(corpus="standard"):
    rows = []
    for size, scale in ((2000, 1), (10000, 5)):
        for dialect, factor in (("plain", 1.0), ("fieldnotes", 1.1), ("needs", 3.0)):
            rows.append({
                "size": size, "pages": size // 50, "dialect": dialect,
                "full_html": 6.0 * scale * factor, "incremental": 1.0 * scale * factor,
                "dummy": 2.0 * scale * factor, "j2_html": 5.0 * scale * factor,
                "full_html_cpu": 5.5 * scale * factor, "incremental_cpu": 0.9 * scale * factor,
                "dummy_cpu": 1.9 * scale * factor, "j2_html_cpu": 6.0 * scale * factor,
                "peak_rss_mb": 100.0 * scale * factor, "j2_peak_rss_mb": 90.0 * scale,
                "warnings": 0, "failures": [], "index_rewritten": dialect != "plain" or None,
                "incremental_matches_clean": True, "corpus": corpus,
            })
    return rows


def test_report_targets_and_plot(tmp_path):
    results = _fake_results()
    checks = bench.check_targets(results)
    verdicts = {c["target"]: c["pass"] for c in checks}
    # fieldnotes at 1.1x plain MyST passes issue 5's targets, not issue 18's memory target;
    # -j 2 at 5/6 of -j 1 misses 0.75x
    assert verdicts == {
        "full html / plain": True, "incremental / plain, index rewritten": True,
        "peak memory / plain": True, "-b dummy / fieldnotes full html": True,
        "full html ratio at 10,000 vs 2,000 (no growth)": True,
        "incremental and -j 2 index identical": True,
        "peak memory / plain at every size (highest at 2,000)": False,
        "fieldnotes -j 2 / -j 1": False,
    }
    results[4]["full_html"] = 6.0 * 5 * 1.3  # fieldnotes at 10,000: 1.3x, over 1.15x
    results[4]["peak_rss_mb"] = 100.0 * 5 * 0.9  # 0.9x at 10,000
    results[1]["peak_rss_mb"] = 100.0 * 0.95  # 0.95x at 2,000
    results[4]["j2_html"] = 6.0 * 5 * 1.3 * 0.7  # 0.7x of -j 1
    verdicts = {c["target"]: c["pass"] for c in bench.check_targets(results)}
    assert verdicts["full html / plain"] is False
    assert verdicts["peak memory / plain at every size (highest at 2,000)"] is True
    assert verdicts["fieldnotes -j 2 / -j 1"] is True
    table = bench.format_table(results, markdown=True)
    assert "| 10,000 (200) | full HTML (-j 1) |" in table
    assert "1.30x" in table

    data = {"results": results, "repeat": 1, "versions": {}, "machine": {}}
    (tmp_path / "r.json").write_text(json.dumps(data), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(RUN_PY), "--from-json", str(tmp_path / "r.json"),
         "--plot", str(tmp_path / "plot.svg"), "--markdown", str(tmp_path / "t.md")],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "FAIL  full html / plain: 1.30x" in out
    svg = ElementTree.parse(tmp_path / "plot.svg").getroot()
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    for label in ("plain MyST", "fieldnotes", "sphinx-needs", "wall-clock time (s)",
                  "peak memory (MB)", "standard corpus"):
        assert label in texts
    # three panels (full build, edit, memory), a line per dialect in each
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}polyline"))) == 9


def test_two_corpora_in_one_run_report_and_plot_each(tmp_path):
    results = _fake_results("standard") + _fake_results("journal")
    results[10]["peak_rss_mb"] = 100.0 * 5 * 1.3  # journal fieldnotes at 10,000: 1.3x
    checks = bench.check_targets(results)
    assert {c["corpus"] for c in checks} == {"standard", "journal"}
    memory = {c["corpus"]: c for c in checks if c["target"].startswith("peak memory / plain at")}
    assert memory["journal"]["target"].endswith("(highest at 10,000)")
    assert round(memory["journal"]["value"], 2) == 1.3
    assert "FAIL  [journal]  peak memory / plain at every size" in bench.format_checks(checks)
    table = bench.format_table(results, markdown=True)
    assert table.splitlines()[0].startswith("| corpus | entries (pages) |")
    assert "| journal | 10,000 (200) | peak memory (-j 1) | 500 MB | 650 MB |" in table

    data = {"results": results, "repeat": 1, "versions": {}, "machine": {}}
    (tmp_path / "r.json").write_text(json.dumps(data), encoding="utf-8")
    subprocess.run([sys.executable, str(RUN_PY), "--from-json", str(tmp_path / "r.json"),
                    "--plot", str(tmp_path / "plot.svg")], capture_output=True, check=True)
    svg = ElementTree.parse(tmp_path / "plot.svg").getroot()
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "standard corpus" in texts and "journal corpus" in texts
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}polyline"))) == 18
    caption = next(t for t in texts if t and t.startswith("standard and journal corpora, "))
    assert "sphinx-needs" in caption
    # Without sphinx-needs in the run, the caption does not name its release.
    data["results"] = [r for r in results if r["dialect"] != "needs"]
    (tmp_path / "r.json").write_text(json.dumps(data), encoding="utf-8")
    subprocess.run([sys.executable, str(RUN_PY), "--from-json", str(tmp_path / "r.json"),
                    "--plot", str(tmp_path / "plot.svg")], capture_output=True, check=True)
    svg = ElementTree.parse(tmp_path / "plot.svg").getroot()
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    caption = next(t for t in texts if t and t.startswith("standard and journal corpora, "))
    assert "sphinx-needs" not in caption and "sphinx-needs" not in texts


def _build(src: Path, out: Path, *opts: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "--no-color", *opts,
         str(src), str(out)],
        capture_output=True, text=True,
    )


def test_plain_dialect_builds_without_warnings(tmp_path):
    src = bench.generate("plain", 20, tmp_path / "src")
    proc = _build(src, tmp_path / "out", "-W", "--keep-going")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ""


def test_fieldnotes_dialect_builds_without_warnings(tmp_path):
    src = bench.generate("fieldnotes", 20, tmp_path / "src")
    proc = _build(src, tmp_path / "out", "-W", "--keep-going")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ""
    data = json.loads((tmp_path / "out" / "fieldnotes.json").read_text(encoding="utf-8"))
    assert len(data["projects"]) == 20
    assert len(data["todos"]) == 2
    assert all(len(p["updates"]) == 1 for p in data["projects"])


def test_needs_dialect_builds_without_warnings(tmp_path):
    # sphinx-needs is in the bench extra, which `make test` installs too.
    src = bench.generate("needs", 20, tmp_path / "src")
    proc = _build(src, tmp_path / "out", "-W", "--keep-going")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ""


# The second corpus (--corpus journal): fewer fields, three updates per entry, bold paragraphs.

JOURNAL_FIELDS = ("url", "date", "version")


def _journal_plain(src: Path) -> dict[str, tuple]:
    projects = {}
    for text in _pages(src):
        for section in re.split(r"^## ", text, flags=re.M)[1:]:
            head, _, body = section.partition("\n")
            updates = tuple(re.findall(r"^\*\*(\S+), (\S+)\.\*\* ", body, flags=re.M))
            projects[head] = (_fields(body, JOURNAL_FIELDS), updates)
    return projects


def _journal_directives(src: Path, opener: str, update: str) -> dict[str, tuple]:
    projects = {}
    for text in _pages(src):
        for name, body in re.findall(rf"^::::\{{{opener}\}} (\S+)\n(.*?)^::::$", text, re.M | re.S):
            main, *updates = body.split(update)
            projects[name] = (
                _fields(main, JOURNAL_FIELDS),
                tuple(_fields(u, ("date", "version")) for u in updates),
            )
    return projects


def test_journal_corpus_holds_the_same_entries_in_every_dialect(tmp_path):
    src = {d: bench.generate(d, N, tmp_path / d, corpus="journal") for d in bench.DIALECTS}
    plain = _journal_plain(src["plain"])
    assert plain == _journal_directives(src["fieldnotes"], "project", ":::{update}")
    assert plain == _journal_directives(src["needs"], "need", ":::{need} Update")
    assert len(plain) == N
    for fields, updates in plain.values():
        assert all(fields) and len(updates) == bench.JOURNAL_UPDATES
        # updates are in order and come after the entry's own date and version
        dates = [fields[1], *(d for d, _ in updates)]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
    # a different shape from the standard corpus: no status, no TODOs, bold-paragraph updates
    text = "".join(_pages(src["plain"]))
    assert ":status:" not in text and "TODO" not in text and ":update-date:" not in text
    assert "todo-list" not in (src["fieldnotes"] / "index.md").read_text(encoding="utf-8")
    original, page = bench.apply_edit(src["fieldnotes"], N, "journal")
    edited = (src["fieldnotes"] / page).read_text(encoding="utf-8")
    assert edited.count(bench.EDITED_DATE) == 1 and edited != original


def test_journal_corpus_builds_without_warnings(tmp_path):
    for dialect in ("plain", "fieldnotes"):
        src = bench.generate(dialect, 20, tmp_path / dialect, corpus="journal")
        proc = _build(src, tmp_path / f"out-{dialect}", "-W", "--keep-going")
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.strip() == ""
    data = json.loads((tmp_path / "out-fieldnotes" / "fieldnotes.json").read_text("utf-8"))
    assert len(data["projects"]) == 20 and data["todos"] == []
    assert all(len(p["updates"]) == bench.JOURNAL_UPDATES for p in data["projects"])
    html = (tmp_path / "out-plain" / "page-0000.html").read_text(encoding="utf-8")
    assert html.count("<strong>") == 20 * bench.JOURNAL_UPDATES


def test_corpus_option_is_recorded(tmp_path):
    out = subprocess.run(
        [sys.executable, str(RUN_PY), "--corpus", "journal", "--generate-only",
         "--workdir", str(tmp_path), "--sizes", "50"],
        capture_output=True, text=True, check=True,
    )
    assert "corpora written" in out.stdout
    assert "tool-00049" in (tmp_path / "50" / "plain" / "page-0000.md").read_text("utf-8")
    bad = subprocess.run([sys.executable, str(RUN_PY), "--corpus", "standard,nope"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice: 'nope'" in bad.stderr
    both = subprocess.run(
        [sys.executable, str(RUN_PY), "--corpus", "all", "--generate-only",
         "--workdir", str(tmp_path / "both"), "--sizes", "50", "--dialects", "plain"],
        capture_output=True, text=True, check=True,
    )
    assert "corpora written" in both.stdout
    assert sorted(p.name for p in (tmp_path / "both").iterdir()) == ["journal", "standard"]
    journal = (tmp_path / "both" / "journal" / "50" / "plain" / "page-0000.md").read_text("utf-8")
    assert "**" in journal  # the journal shape: updates as bold paragraphs


def test_large_sizes_need_the_option_and_needs_is_capped(tmp_path):
    assert bench.size_problem([200, 10000], large=False) is None
    assert "--large" in bench.size_problem([100000], large=False)
    assert bench.size_problem([100000], large=True) is None
    assert "largest allowed" in bench.size_problem([100001], large=True)
    refused = subprocess.run([sys.executable, str(RUN_PY), "--sizes", "100000"],
                             capture_output=True, text=True)
    assert refused.returncode == 2 and "--large" in refused.stderr
    # above the cap sphinx-needs is skipped with its reason; the other dialects still run
    run = subprocess.run(
        [sys.executable, str(RUN_PY), "--sizes", "50", "--dialects", "plain,needs",
         "--needs-cap", "40", "--json", str(tmp_path / "r.json")],
        capture_output=True, text=True, check=True,
    )
    assert "skipping sphinx-needs at n=50: above --needs-cap 40" in run.stdout
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [r["dialect"] for r in data["results"]] == ["plain"]
    assert "needs@50" in data["skipped"]


def test_the_results_record_the_releases_measured():
    releases = bench.versions()
    assert "not installed" not in (releases["sphinx"], releases["myst-parser"], releases["fieldnotes"])
