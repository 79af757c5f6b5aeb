"""`fieldnotes lint --format text|json|sarif|rdjsonl|github` and `-o FILE`, on one real site.

The site has a bad date (a fieldnotes error from the dummy Sphinx build), a typo (Vale) and a
backtick-fenced directive (the fence check); every format must carry all three with their code,
level, file, line and column, and exit with the same status.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from sites import lint_site, vale_dir
from sphinx_fieldnotes.cli import lint_formats
from sphinx_fieldnotes.cli.lint import Finding
from test_lint import run_lint

INDEX = """\
# Notes

```{toctree}
routers
```
"""

PAGE = """\
# Routers

:::{project} gobgp
:url: https://github.com/osrg/gobgp
:date: 2018-13-45
:version: v1.0

A router with a senario.
:::

```{project} kube-router
:url: https://github.com/cloudnativelabs/kube-router
:date: 2018-01-01
:version: v0.1

Another router.
```
"""

#: The SARIF 2.1.0 JSON Schema as OASIS publishes it (see tests/schemas/README.md).
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lint_site(tmp_path_factory.mktemp("fmt"), {"index.md": INDEX, "routers.md": PAGE})


@pytest.fixture(scope="module")
def runs(site: Path) -> dict[str, tuple[int, str, str]]:
    """Each format's (exit status, findings text, stderr), the findings written with -o."""
    path = f"{vale_dir()}{os.pathsep}{os.environ['PATH']}"
    out = {}
    for name in lint_formats.FORMATTERS:
        target = site / f"findings.{name}"
        proc = run_lint("source", "--format", name, "-o", str(target), cwd=site, path=path)
        assert "Traceback" not in proc.stderr, proc.stderr
        out[name] = (proc.returncode, target.read_text(encoding="utf-8"), proc.stderr)
    return out


def keys_from_json(runs: dict[str, tuple[int, str, str]]) -> set[tuple[str, str, str, int, int]]:
    return {
        (f["code"], f["level"], f["file"], f["line"], f["column"])
        for f in json.loads(runs["json"][1])
    }


def test_the_site_has_the_three_kinds_of_finding(runs):
    records = json.loads(runs["json"][1])
    by_source = {f["source"] for f in records}
    assert {"sphinx", "vale", "fences"} <= by_source, records
    assert {
        "code": "fieldnotes.bad-date",
        "level": "ERROR",
        "file": "source/routers.md",
    }.items() <= next(f for f in records if f["code"] == "fieldnotes.bad-date").items()


def test_every_format_exits_the_same_and_keeps_the_summary_on_stderr(runs):
    assert {status for status, _, _ in runs.values()} == {1}, runs
    for name, (_, text, err) in runs.items():
        assert "fieldnotes lint:" in err, name
        assert "fieldnotes lint:" not in text, name


def test_text_has_every_finding(runs):
    text = runs["text"][1]
    for code, level, file, line, column in keys_from_json(runs):
        where = file + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        assert f"{where}: {level}: " in text and f"[{code}]" in text, (code, text)


def test_sarif_is_valid_and_has_every_finding(runs):
    log = json.loads(runs["sarif"][1])
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker())
    validator.validate(log)
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "fieldnotes" and driver["version"]
    rules = {rule["id"]: rule["shortDescription"]["text"] for rule in driver["rules"]}
    assert "date" in rules["fieldnotes.bad-date"].lower()  # the code's docstring
    got = set()
    levels = {"error": "ERROR", "warning": "WARNING", "note": "SUGGESTION"}
    for result in run["results"]:
        assert result["ruleId"] in rules
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = loc.get("region", {})
        got.add(
            (
                result["ruleId"],
                levels[result["level"]],
                loc["artifactLocation"]["uri"],
                region.get("startLine", 0),
                region.get("startColumn", 0),
            )
        )
    assert got == keys_from_json(runs)


def test_rdjsonl_is_one_reviewdog_diagnostic_a_line(runs):
    severities = {"ERROR": "ERROR", "WARNING": "WARNING", "INFO": "SUGGESTION"}
    got = set()
    for line in runs["rdjsonl"][1].splitlines():
        diag = json.loads(line)
        start = diag["location"].get("range", {}).get("start", {})
        assert diag["message"] and diag["source"]["name"].startswith("fieldnotes")
        got.add(
            (
                diag["code"]["value"],
                severities[diag["severity"]],
                diag["location"]["path"],
                start.get("line", 0),
                start.get("column", 0),
            )
        )
    assert got == keys_from_json(runs)


def test_github_commands_carry_every_finding(runs):
    lines = runs["github"][1].splitlines()
    kinds = {"error": "ERROR", "warning": "WARNING", "notice": "SUGGESTION"}
    assert lines[0].startswith("::error ")  # errors first: they get annotations first
    got = set()
    for line in lines:
        head, _, message = line[2:].partition("::")
        kind, _, props = head.partition(" ")
        fields = dict(p.split("=", 1) for p in props.split(","))
        code = fields["title"].rsplit("[", 1)[1].rstrip("]")
        assert message
        got.add(
            (
                code,
                kinds[kind],
                fields["file"],
                int(fields.get("line", 0)),
                int(fields.get("col", 0)),
            )
        )
    assert got == keys_from_json(runs)


def test_github_escapes_data_and_properties():
    finding = Finding("a,b:c.md", 3, 2, "ERROR", "100% sure\r\nnext", "x.y")
    (line,) = lint_formats.as_github([finding]).splitlines()
    assert line == "::error file=a%2Cb%3Ac.md,line=3,col=2,title=ERROR [x.y]::100%25 sure%0D%0Anext"


def test_github_says_how_many_findings_are_past_the_annotation_limit():
    findings = [Finding("a.md", n, 0, "ERROR", "bad", "x.y") for n in range(1, 14)]
    findings += [Finding("a.md", n, 0, "WARNING", "meh", "x.z") for n in range(1, 4)]
    lines = lint_formats.as_github(findings).splitlines()
    assert len(lines) == 17  # every finding, then the notice
    assert lines[-1].startswith("::notice ") and "3 more findings" in lines[-1]
    assert lint_formats.as_github(findings[:10])[-1:] == "\n"
    assert "::notice" not in lint_formats.as_github(findings[:10])


def test_without_output_the_format_goes_to_stdout(site):
    path = f"{vale_dir()}{os.pathsep}{os.environ['PATH']}"
    proc = run_lint("source", "--format", "json", "--no-vale", cwd=site, path=path)
    assert proc.returncode == 1
    assert any(f["code"] == "fieldnotes.bad-date" for f in json.loads(proc.stdout))
