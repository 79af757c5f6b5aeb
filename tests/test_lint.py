"""`fieldnotes lint` (what `make lint` runs): Vale plus a dummy Sphinx build, one report.

The Vale parts use the real vale binary found on PATH (`make test` puts .tools/bin first); without
it they fail, telling you to run `make vale`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sites import LINT_CONF, lint_site, run_command, vale_dir
from sphinx_fieldnotes.cli import lint

REPO = Path(__file__).resolve().parents[1]
LINE = re.compile(
    r"^(?P<path>[^:\s]+)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: "
    r"(?P<level>ERROR|WARNING|SUGGESTION): (?P<message>.+) \[(?P<code>[\w.-]+)\]$"
)
SUMMARY = re.compile(
    r"^fieldnotes lint: (?P<n>\d+) findings? \((?P<e>\d+) errors?, (?P<w>\d+) warnings?, "
    r"(?P<s>\d+) suggestions?\) in [\d.]+s$"
)


def run_lint(*args: str, cwd: Path, path: str | None = None) -> subprocess.CompletedProcess[str]:
    """``fieldnotes lint ARGS``, finding vale on *path* (default: this PATH), never $VALE."""
    return run_command(
        "lint", *args, cwd=cwd, unset=("VALE",), env=None if path is None else {"PATH": path}
    )


def first_project_outside_code(lines: list[str]) -> int | None:
    """Index of the first colon-fenced project opener that is not inside a code block."""
    fence = ""
    for i, line in enumerate(lines):
        m = re.match(r"^(`{3,}|~{3,})(.*)$", line)
        if fence:
            if m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and not m[2].strip():
                fence = ""
        elif m and not m[2].lstrip().startswith("{"):
            fence = m[1]
        elif re.match(r"^:{3,}\{project\}", line):
            return i
    return None


def parse(out: str) -> tuple[list[dict], dict]:
    lines = out.rstrip("\n").splitlines()
    assert lines, "lint printed nothing"
    summary = SUMMARY.match(lines[-1])
    assert summary, f"no summary line: {lines[-1]!r}"
    findings = []
    for line in lines[:-1]:
        m = LINE.match(line)
        assert m, f"finding not as path:line[:col]: LEVEL: message [code]: {line!r}"
        findings.append(m.groupdict())
    return findings, summary.groupdict()




INDEX = """\
# Test notes

```{toctree}
networking
```
"""

NETWORKING = """\
# Networking

::::{project} metallb
:url: https://github.com/google/metallb
:version: v0.1

A load balancer for clusters on baremtal.

:::{update}
:date: 2018-12-13
:version: v0.7

It now speaks BGP to a servcie router.
:::
::::

```{project} kube-router
:url: https://github.com/cloudnativelabs/kube-router
:date: 2018-01-01
:version: v0.1

A router in a backtick fence, with a senario.
```
"""


# --------------------------------------------------------------------------------------------
# The shipped site


def test_make_lint_passes_on_the_shipped_site():
    proc = run_lint("source", cwd=REPO, path=f"{vale_dir()}{os.pathsep}{os.environ['PATH']}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    findings, summary = parse(proc.stdout)
    assert findings == [] and summary["n"] == "0", proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_typo_in_any_project_body_fails_with_its_file_and_line(tmp_path):
    # A copy of the shipped site, with a typo added to the first body of every page that has one.
    site = tmp_path / "site"
    shutil.copytree(REPO / "source", site / "source")
    shutil.copy(REPO / "conf.py", site / "conf.py")
    shutil.copytree(
        REPO / "extensions", site / "extensions", ignore=shutil.ignore_patterns("*.pyc")
    )
    shutil.copy(REPO / ".vale.ini", site / ".vale.ini")
    expected = set()
    for page in sorted((site / "source").glob("*.md")):
        lines = page.read_text().splitlines()
        opener = first_project_outside_code(lines)
        if opener is None:
            continue
        body = next(i for i in range(opener + 1, len(lines)) if not lines[i].startswith(":"))
        lines.insert(body + 1, "A chanages typo sits in this body.")
        page.write_text("\n".join(lines) + "\n")
        expected.add((f"source/{page.name}", body + 2, 3))
    assert len(expected) >= 5, "the shipped pages hold project blocks"
    proc = run_lint("source", cwd=site, path=f"{vale_dir()}{os.pathsep}{os.environ['PATH']}")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    findings, summary = parse(proc.stdout)
    got = {
        (f["path"], int(f["line"]), int(f["col"]))
        for f in findings
        if f["code"] == "Vale.Spelling" and "'chanages'" in f["message"]
    }
    assert got == expected, proc.stdout
    assert all(f["level"] == "ERROR" for f in findings), proc.stdout
    assert int(summary["e"]) == len(findings) == len(expected), proc.stdout


# --------------------------------------------------------------------------------------------
# A site with problems of every kind


def test_findings_from_vale_sphinx_and_the_fence_check_in_one_sorted_report(tmp_path):
    site = lint_site(tmp_path / "site", {"index.md": INDEX, "networking.md": NETWORKING})
    proc = run_lint("source", cwd=site, path=f"{vale_dir()}{os.pathsep}{os.environ['PATH']}")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    findings, summary = parse(proc.stdout)
    got = [(f["path"], int(f["line"]), f["col"], f["level"], f["code"]) for f in findings]
    lines = NETWORKING.splitlines()

    def at(word: str) -> tuple[int, str]:
        n = next(i for i, line in enumerate(lines, 1) if word in line)
        return n, str(lines[n - 1].index(word) + 1)

    page = "source/networking.md"
    assert got == [
        (page, 3, None, "ERROR", "fieldnotes.missing-date"),
        (page, *at("baremtal"), "ERROR", "Vale.Spelling"),
        (page, *at("servcie"), "ERROR", "Vale.Spelling"),
        (page, 17, "1", "WARNING", "fieldnotes.lint-backtick-fence"),
        (page, *at("senario"), "ERROR", "Vale.Spelling"),
    ], proc.stdout
    messages = [f["message"] for f in findings]
    assert "project 'metallb' has no :date:" in messages[0]
    assert [m.split("'")[1] for m in messages if "really mean" in m] == [
        "baremtal",
        "servcie",
        "senario",
    ]
    assert "colon fence (:::{project})" in messages[3]
    assert summary == {"n": "5", "e": "4", "w": "1", "s": "0"}


def test_warnings_alone_do_not_fail(tmp_path):
    page = "# Networking\n\n```{project} kube-router\n:url: https://example.com\n" \
           ":date: 2018-01-01\n:version: v0.1\n\nA router.\n```\n"  # fmt: skip
    site = lint_site(tmp_path / "site", {"index.md": INDEX, "networking.md": page})
    proc = run_lint("source", cwd=site, path=f"{vale_dir()}{os.pathsep}{os.environ['PATH']}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    findings, summary = parse(proc.stdout)
    assert [f["code"] for f in findings] == ["fieldnotes.lint-backtick-fence"]
    assert summary["w"] == "1" and summary["e"] == "0"


def test_linting_one_page_reports_only_that_page(tmp_path):
    other = NETWORKING.replace("# Networking", "# Other").replace("metallb", "other-lb")
    other = other.replace("kube-router", "other-router")
    site = lint_site(
        tmp_path / "site",
        {
            "index.md": INDEX.replace("networking\n", "networking\nother\n"),
            "networking.md": NETWORKING,
            "other.md": other,
        },
    )
    proc = run_lint(
        "source/other.md", cwd=site, path=f"{vale_dir()}{os.pathsep}{os.environ['PATH']}"
    )
    findings, _ = parse(proc.stdout)
    assert findings and {f["path"] for f in findings} == {"source/other.md"}, proc.stdout
    assert proc.returncode == 1


# --------------------------------------------------------------------------------------------
# Failures are reported, never a traceback


def test_a_broken_sphinx_build_is_reported_not_a_traceback(tmp_path):
    conf = LINT_CONF + 'raise RuntimeError("boom in conf.py")\n'
    site = lint_site(tmp_path / "site", {"index.md": "# Title\n\nFine prose.\n"}, conf=conf)
    proc = run_lint("source", cwd=site, path=f"{vale_dir()}{os.pathsep}{os.environ['PATH']}")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    findings, _ = parse(proc.stdout)
    assert [(f["path"], f["code"]) for f in findings] == [("conf.py", "lint.sphinx-failed")]
    assert "RuntimeError: boom in conf.py" in findings[0]["message"]


def test_a_missing_extension_is_reported(tmp_path):
    conf = LINT_CONF.replace('"sphinx_fieldnotes"]', '"sphinx_fieldnotes", "no_such_extension_here"]')
    site = lint_site(tmp_path / "site", {"index.md": "# Title\n\nFine prose.\n"}, conf=conf)
    proc = run_lint("--no-vale", "source", cwd=site)
    assert proc.returncode == 1
    findings, _ = parse(proc.stdout)
    assert findings[0]["code"] == "lint.sphinx-failed"
    assert "no_such_extension_here" in findings[0]["message"]


def test_missing_vale_says_to_run_make_vale(tmp_path):
    site = lint_site(tmp_path / "site", {"index.md": "# Title\n\nFine prose.\n"})
    # A PATH without vale (the site has no .tools/bin either).
    path = os.pathsep.join(
        d for d in os.environ["PATH"].split(os.pathsep) if d and not (Path(d) / "vale").exists()
    )
    proc = run_lint("--no-sphinx", "source", cwd=site, path=path)
    assert proc.returncode == 1
    out = proc.stdout
    assert "make vale" in out and "[lint.vale-missing]" in out, out
    assert "Traceback" not in out + proc.stderr


def test_a_vale_too_old_for_the_configuration_is_refused(tmp_path):
    site = lint_site(tmp_path / "site", {"index.md": "# Title\n\nFine prose.\n"})
    old = tmp_path / "old-vale"
    old.write_text("#!/bin/sh\necho 'vale version 2.29.0'\n")
    old.chmod(0o755)
    proc = run_lint("--no-sphinx", f"--vale={old}", "source", cwd=site)
    assert proc.returncode == 1
    findings, _ = parse(proc.stdout)
    assert [f["code"] for f in findings] == ["lint.vale-version"], proc.stdout
    assert "make vale" in findings[0]["message"] and "2.29" in findings[0]["message"]


def test_a_vale_configuration_error_is_reported(tmp_path):
    site = lint_site(tmp_path / "site", {"index.md": "# Title\n\nFine prose.\n"})
    ini = site / ".vale.ini"
    ini.write_text(ini.read_text() + "\nMinAlertLevel = suggestion\n")  # a core option too late
    proc = run_lint(
        "--no-sphinx", "source", cwd=site, path=f"{vale_dir()}{os.pathsep}{os.environ['PATH']}"
    )
    assert proc.returncode == 1
    findings, _ = parse(proc.stdout)
    assert [f["code"] for f in findings] == ["lint.vale-failed"], proc.stdout
    assert "core option" in findings[0]["message"]


def test_a_path_that_does_not_exist_is_an_error(tmp_path):
    site = lint_site(tmp_path / "site", {"index.md": "# Title\n\nFine prose.\n"})
    proc = run_lint("--no-sphinx", "--no-vale", "nowhere", cwd=site)
    assert proc.returncode == 1
    findings, _ = parse(proc.stdout)
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [
        ("nowhere", None, "lint.no-such-path")
    ]


def test_help_is_the_module_docstring():
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx_fieldnotes", "lint", "--help"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    assert "validation-only Sphinx build" in proc.stdout
    assert "path:line[:col]: LEVEL: message [code]" in proc.stdout


# --------------------------------------------------------------------------------------------
# The pieces


def test_sphinx_log_lines_are_parsed(tmp_path):
    log = (
        f"{tmp_path}/source/a.md:42: ERROR: project 'metallb' has no :date: "
        "[fieldnotes.missing-date]\n"
        f"{tmp_path}/source/a.md:7: WARNING: unknown project 'nope' [fieldnotes.unknown-project]\n"
        f"{tmp_path}/source/b.md: WARNING: not included in any toctree [toc.not_included]\n"
        "\x1b[91mWARNING: a problem without a place\x1b[39;49;00m\n"
        f"{tmp_path}/source/c.md:3: CRITICAL: Unexpected section title.\n"
        "   continuation of the previous message\n"
        f"{tmp_path}/source/d.md:9: INFO: a note\n"
    )
    got = lint.parse_sphinx_log(log, tmp_path)
    assert [(f.path, f.line, f.level, f.code) for f in got] == [
        ("source/a.md", 42, "ERROR", "fieldnotes.missing-date"),
        ("source/a.md", 7, "WARNING", "fieldnotes.unknown-project"),
        ("source/b.md", 0, "WARNING", "toc.not_included"),
        ("", 0, "WARNING", "sphinx"),
        ("source/c.md", 3, "ERROR", "sphinx"),
        ("source/d.md", 9, "SUGGESTION", "sphinx"),
    ]
    assert got[0].format() == (
        "source/a.md:42: ERROR: project 'metallb' has no :date: [fieldnotes.missing-date]"
    )


def test_vale_json_is_parsed(tmp_path):
    data = (
        '{"source/a.md": [{"Check": "Vale.Spelling", "Line": 3, "Span": [5, 12], '
        '"Message": "Did you really mean \'servcie\'?", "Severity": "error"}, '
        '{"Check": "FieldNotes.Acronyms", "Line": 1, "Span": [2, 4], "Message": "Use \'API\'", '
        '"Severity": "warning"}]}'
    )
    got = lint.parse_vale_json(data, tmp_path)
    assert [f.format() for f in sorted(got, key=lint.Finding.sort_key)] == [
        "source/a.md:1:2: WARNING: Use 'API' [FieldNotes.Acronyms]",
        "source/a.md:3:5: ERROR: Did you really mean 'servcie'? [Vale.Spelling]",
    ]
    with pytest.raises(ValueError):
        lint.parse_vale_json('{"Code": "E201", "Text": "bad", "Line": 3}', tmp_path)


def test_backtick_fenced_fieldnotes_directives_are_found_but_not_code_examples(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        textwrap.dedent(
            """\
            # Page

            ````{project} a
            :url: https://example.com

            ```{update}
            :date: 2018-01-01
            ```
            ````

            ````markdown
            ```{project} example-in-a-code-block
            ```
            ````

            ~~~{todo-item} b
            :priority: P1
            ~~~

            ```{note}
            A note is not a fieldnotes directive.
            ```

            ::::{project} c
            :::{update}
            :::
            ::::

            ```{code-block} markdown
            ```{project} inside-a-literal-directive
            ```
            """
        )
    )
    got = lint.fence_findings(page, "page.md")
    assert [(f.line, f.message.split("'")[1]) for f in got] == [
        (3, "project"),
        (6, "update"),
        (16, "todo-item"),
    ]
    assert all(f.code == "fieldnotes.lint-backtick-fence" and f.level == "WARNING" for f in got)


def test_lint_shows_the_hint_and_the_other_place_of_a_duplicate(tmp_path):
    page = (
        "# Networking\n\n:::{project} metallb\n:url: https://github.com/google/metallb\n"
        ":date: 2018-06-02\n:version: v0.1\n:status: betta\n:::\n\n"
        ":::{todo-item} MetalLB\n:priority: P1\n:::\n"
    )
    site = lint_site(tmp_path / "site", {"index.md": INDEX, "networking.md": page})
    proc = run_lint("source", cwd=site, path=f"{vale_dir()}{os.pathsep}{os.environ['PATH']}")
    findings, _ = parse(proc.stdout)
    got = [(f["path"], f["line"], f["code"], f["message"]) for f in findings]
    assert got == [
        (
            "source/networking.md",
            "7",
            "fieldnotes.bad-status",
            "project 'metallb': :status: 'betta' is not one of released, beta, alpha, "
            "experimental, unreleased, deprecated, archived; did you mean 'beta'?",
        ),
        (
            "source/networking.md",
            "10",
            "fieldnotes.todo-already-noted",
            "todo-item 'MetalLB': project 'metallb' is already noted at source/networking.md:3",
        ),
    ], proc.stdout
    assert proc.returncode == 0  # warnings alone
