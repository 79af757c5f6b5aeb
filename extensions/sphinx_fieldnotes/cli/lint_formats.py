"""Output formats of ``fieldnotes lint``: one function per format, :data:`FORMATTERS` by name.

Each formatter takes the sorted findings and returns the whole text to write. Every format keeps
each finding's code, level, file, line and column; the exit status does not depend on the format.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx_fieldnotes.cli.lint import Finding

#: GitHub shows at most this many annotations of each kind per step (and 50 per job).
GITHUB_ANNOTATIONS_PER_LEVEL = 10

_SARIF_LEVELS = {"ERROR": "error", "WARNING": "warning", "SUGGESTION": "note"}
_RDJSON_SEVERITIES = {"ERROR": "ERROR", "WARNING": "WARNING", "SUGGESTION": "INFO"}
_GITHUB_COMMANDS = {"ERROR": "error", "WARNING": "warning", "SUGGESTION": "notice"}
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def source_of(finding: Finding) -> str:
    """Which checker found it: ``fences``, ``sphinx``, ``vale`` or ``lint`` (the lint itself)."""
    if finding.code == "fieldnotes.lint-backtick-fence":
        return "fences"
    if finding.code.startswith("lint."):
        return "lint"
    if finding.code.startswith("fieldnotes.") or finding.code.startswith(("sphinx", "myst")):
        return "sphinx"
    if "." in finding.code:  # Vale checks are Style.Rule
        return "vale"
    return "sphinx"


def as_text(findings: Sequence[Finding]) -> str:
    return "".join(f"{finding.format()}\n" for finding in findings)


def _record(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "level": finding.level,
        "file": finding.path,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "source": source_of(finding),
    }


def as_json(findings: Sequence[Finding]) -> str:
    return json.dumps([_record(f) for f in findings], indent=2) + "\n"


def _code_doc(code: str) -> str:
    """The docstring of a fieldnotes code, else the rule's name (Vale, Sphinx, the lint)."""
    if code.startswith("fieldnotes."):
        from sphinx_fieldnotes.codes import Code

        name = code.removeprefix("fieldnotes.")
        member = next((c for c in Code if c.value == name), None)
        if member is not None and member.__doc__:
            return " ".join(member.__doc__.split())
    return code


def _sarif_result(finding: Finding) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": _SARIF_LEVELS.get(finding.level, "warning"),
        "message": {"text": finding.message},
        "properties": {"source": source_of(finding)},
    }
    if finding.path:
        location: dict[str, Any] = {
            "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
        }
        if finding.line:
            region = {"startLine": finding.line}
            if finding.column:
                region["startColumn"] = finding.column
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    return result


def as_sarif(findings: Sequence[Finding]) -> str:
    from sphinx_fieldnotes import __version__

    codes = sorted({f.code for f in findings})
    rules = [
        {"id": code, "name": code, "shortDescription": {"text": _code_doc(code)}} for code in codes
    ]
    log = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fieldnotes",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/sphinx-fieldnotes/",
                        "rules": rules,
                    }
                },
                "results": [_sarif_result(f) for f in findings],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _rdjson(finding: Finding) -> dict[str, Any]:
    """One diagnostic of reviewdog's rdjsonl (Diagnostic in reviewdog's proto/rdf)."""
    start = {"line": finding.line} if finding.line else {}
    if finding.line and finding.column:
        start["column"] = finding.column
    location: dict[str, Any] = {"path": finding.path}
    if start:
        location["range"] = {"start": start}
    return {
        "message": finding.message,
        "location": location,
        "severity": _RDJSON_SEVERITIES.get(finding.level, "WARNING"),
        "code": {"value": finding.code},
        "source": {"name": f"fieldnotes/{source_of(finding)}"},
    }


def as_rdjsonl(findings: Sequence[Finding]) -> str:
    return "".join(json.dumps(_rdjson(f)) + "\n" for f in findings)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_command(finding: Finding) -> str:
    props = []
    if finding.path:
        props.append(f"file={_escape_property(finding.path)}")
        if finding.line:
            props.append(f"line={finding.line}")
            if finding.column:
                props.append(f"col={finding.column}")
    props.append(f"title={_escape_property(f'{finding.level} [{finding.code}]')}")
    command = _GITHUB_COMMANDS.get(finding.level, "warning")
    return f"::{command} {','.join(props)}::{_escape_data(finding.message)}"


def as_github(findings: Sequence[Finding]) -> str:
    """GitHub workflow commands, errors first; GitHub annotates only the first 10 of each kind
    per step, so a last ``::notice::`` says how many more there are (all stay in the log)."""
    order = {"ERROR": 0, "WARNING": 1, "SUGGESTION": 2}
    ranked = sorted(findings, key=lambda f: order.get(f.level, 1))
    lines = [_github_command(f) for f in ranked]
    hidden = sum(
        max(0, sum(f.level == level for f in findings) - GITHUB_ANNOTATIONS_PER_LEVEL)
        for level in order
    )
    if hidden:
        lines.append(
            f"::notice title=fieldnotes lint::{hidden} more findings than GitHub shows as "
            "annotations (10 of each level per step): see the full list in this log"
        )
    return "".join(line + "\n" for line in lines)


FORMATTERS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "text": as_text,
    "json": as_json,
    "sarif": as_sarif,
    "rdjsonl": as_rdjsonl,
    "github": as_github,
}
