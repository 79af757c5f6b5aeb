"""The adversarial catalog (issue 7): hand-written malformed pages with their expected diagnostics.

``tests/fixtures/catalog/NN-name.md`` is a page, byte for byte (some have CRLF line endings, a BOM,
tabs, control or zero-width characters); ``NN-name.expected`` beside it lists what building that page
alone must print, one ``LINE LEVEL code`` per line (``code`` is a fieldnotes code, or a dotted code of
another tool such as ``myst.directive_option``). The comparison is of the multiset of (line, level,
code), so a diagnostic reported twice fails as surely as a missing one. Every page must build without
a traceback, and the exit status must be non-zero exactly when an error was printed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from sites import Site

CATALOG = Path(__file__).parent / "fixtures" / "catalog"
CASES = sorted(p.stem for p in CATALOG.glob("*.md"))
ANY_FINDING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+): (?P<level>WARNING|ERROR): (?P<rest>.*)$")
CODE = re.compile(r" \[(?P<code>[a-z_]+\.[a-z_-]+)\]$")
CRASH = ("Traceback", "Extension error", "Exception occurred")


def read_expected(stem: str) -> Counter[tuple[int, str, str]]:
    expected: Counter[tuple[int, str, str]] = Counter()
    for raw in (CATALOG / f"{stem}.expected").read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            line, level, code = raw.split()
            expected[(int(line), level, code if "." in code else f"fieldnotes.{code}")] += 1
    return expected


def findings(warnings: str) -> Counter[tuple[int, str, str]]:
    found: Counter[tuple[int, str, str]] = Counter()
    for text in warnings.splitlines():
        match = ANY_FINDING.match(text)
        if match is None:
            assert "WARNING" not in text and "ERROR" not in text, f"unparsed problem: {text!r}"
            continue
        code = CODE.search(match["rest"])
        found[(int(match["line"]), match["level"], code["code"] if code else "-")] += 1
    return found


def test_catalog_is_large_and_paired() -> None:
    assert len(CASES) >= 40
    for stem in CASES:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+", stem), stem
        assert (CATALOG / f"{stem}.expected").is_file(), f"{stem}.expected is missing"
    covered = {code for stem in CASES for _, _, code in read_expected(stem)}
    from sphinx_fieldnotes.codes import Code

    # Not reported from a page: a bad setting (test_config.py), lint's own code (test_lint.py)
    # and the upstream snapshot's problems, reported at the snapshot (test_upstream_build.py).
    page_codes = set(Code) - {Code.CONFIG, Code.LINT_BACKTICK_FENCE}
    page_codes -= {code for code in Code if code.value.startswith("upstream-")}
    assert {f"fieldnotes.{c.value}" for c in page_codes} <= covered, "a code has no catalog page"


@pytest.mark.parametrize("stem", CASES)
def test_catalog_page(stem: str, site: Site) -> None:
    site.write("index.md", (CATALOG / f"{stem}.md").read_bytes(), verbatim=True)
    result = site.build("dummy")
    output = result.warnings
    for marker in CRASH:
        assert marker not in output, output
    found = findings(output)
    assert found == read_expected(stem), output
    has_error = any(level == "ERROR" for _, level, _ in found)
    assert (result.status != 0) == has_error
