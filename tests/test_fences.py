"""The one fence scanner (``sphinx_fieldnotes.cli.fences``) that the importer and lint share."""

from __future__ import annotations

import textwrap

import pytest

from sphinx_fieldnotes.cli import lint
from sphinx_fieldnotes.cli.fences import Fence, scan
from sphinx_fieldnotes.cli.importer.parse import parse
from sphinx_fieldnotes.cli.importer.render import render


def code_lines(text: str) -> list[int]:
    """The numbers of the lines of *text* the scanner reads as code."""
    return [line.number for line in scan(textwrap.dedent(text).splitlines()) if line.code]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A plain fence is code, its fences included; so is a tilde fence, and a longer one
        # closes only on a fence at least as long.
        ("text\n```\n# code\n```\ntext\n", [2, 3, 4]),
        ("~~~~\n~~~\n```\n~~~~\nafter\n", [1, 2, 3, 4]),
        # A fence closes on its own character alone: not with an info string, not the other one.
        ("```\n```yaml\n~~~\n```\nafter\n", [1, 2, 3, 4]),
        # CommonMark: a backtick fence's info string holds no backtick, so this opens nothing.
        ("```py`x\n# text\n", []),
        # Indented fences count: notes nest code blocks in list items.
        ("- step\n\n    ```yaml\n    url: x\n    ```\n", [3, 4, 5]),
        # A directive fence holds Markdown: only the code fence inside it is code.
        ("```{note}\ntext\n```py\ncode\n```\nmore text\n```\n", [3, 4, 5]),
        # A literal directive's fence holds text, like a code fence.
        ("```{code-block} md\n```{project} x\n```\nafter\n", [1, 2, 3]),
        # Colon fences are MyST's Markdown directives: never code.
        (":::{note}\n# text\n:::\n", []),
        # A fence that never closes runs to the end.
        ("text\n```\n# code\n## more code\n", [2, 3, 4]),
    ],
    ids=[
        "backtick",
        "tilde-longer",
        "close-alone",
        "backtick-in-info",
        "indented",
        "directive-fence",
        "literal-directive",
        "colon-fence",
        "unclosed",
    ],
)
def test_code_lines(text, expected):
    assert code_lines(text) == expected


def test_each_opening_fence_says_its_directive():
    lines = list(scan(["````{project} a", "```{update}", "```", "````", "```python", "```"]))
    assert [line.opens for line in lines] == [
        Fence("`", 4, "project"),
        Fence("`", 3, "update"),
        None,
        None,
        Fence("`", 3, ""),
        None,
    ]


def test_the_importer_and_lint_read_a_fence_in_a_list_item_as_code(tmp_path):
    legacy = (
        "# Cat\n\n## proj\n\n*Date: 01/02/2018, v1.0*\n\n- install it:\n\n"
        "    ```yaml\n## not an entry\nurl: https://example.org/x\n    ```\n"
    )
    notes = parse(legacy)
    assert [p.name for p in notes.projects] == ["proj"]
    (page,) = render(notes)
    assert "\n## not an entry\nurl: https://example.org/x\n" in page.text  # no autolink in code

    md = tmp_path / "page.md"
    md.write_text("# Page\n\n- an item:\n\n    ```{project} in-a-list\n    ```\n")
    assert [(f.line, f.code) for f in lint.fence_findings(md, "page.md")] == [
        (5, "fieldnotes.lint-backtick-fence")
    ]
