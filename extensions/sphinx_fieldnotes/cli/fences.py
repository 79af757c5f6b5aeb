"""Which lines of a Markdown page are code: the one fence scanner of the importer and ``lint``.

A backtick or tilde fence opens a code block, unless its info string names a MyST directive whose
content is Markdown (```` ```{note} ````): that is a directive fence, and fences inside it open
and close as usual. A literal directive's fence (``{code-block}``, ``{toctree}``, ...) holds text,
like a plain code fence. MyST colon fences (``:::{note}``) always hold Markdown, so they are read
as text. A fence may be indented (notes nest code blocks in list items), closes on a line of its
own character at least as long, and runs to the end when it never closes (as in CommonMark).

Written by hand: markdown-it-py finds fences but reads a directive fence's content as opaque text,
and reading it as MyST does needs MyST-Parser, Sphinx and docutils, which the commands must not
load; both callers need only this, line by line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: MyST directives whose content is literal text, not Markdown (their fences hold no directives).
LITERAL_DIRECTIVES = frozenset(
    {
        "code",
        "code-block",
        "code-cell",
        "sourcecode",
        "literalinclude",
        "include",
        "csv-table",
        "eval-rst",
        "raw",
        "math",
        "mermaid",
        "graphviz",
        "toctree",
        "highlight",
    }
)

_OPENING = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_DIRECTIVE_INFO = re.compile(r"^\s*\{(?P<name>[A-Za-z0-9:._+-]+)\}")


@dataclass(frozen=True)
class Fence:
    """An opening fence: its character and length, and the directive its info string names."""

    char: str  # "`" or "~"
    size: int
    directive: str  # "" when the info string names none

    @property
    def code(self) -> bool:
        """Whether the fence holds text rather than Markdown."""
        return not self.directive or self.directive in LITERAL_DIRECTIVES

    def closed_by(self, text: str) -> bool:
        stripped = text.strip()
        return len(stripped) >= self.size and set(stripped) == {self.char}


@dataclass(frozen=True)
class Line:
    """One line of a page, numbered from 1, and whether it is code."""

    number: int
    text: str
    code: bool  # inside a code block, or one of its fences
    opens: Fence | None = None  # the fence this line opens


def opening(text: str) -> Fence | None:
    """The fence *text* opens, if it is an opening fence."""
    m = _OPENING.match(text)
    if not m:
        return None
    fence, info = m["fence"], m["info"]
    if fence[0] == "`" and "`" in info:
        return None  # CommonMark: a backtick fence's info string holds no backtick
    directive = _DIRECTIVE_INFO.match(info)
    return Fence(fence[0], len(fence), directive["name"] if directive else "")


class Scanner:
    """Reads a page line by line, keeping the fences open so far; a caller may leave lines out
    (the importer leaves out doctoc's table of contents)."""

    def __init__(self) -> None:
        self._open: list[Fence] = []  # directive fences nest; a code fence is always innermost

    @property
    def in_code(self) -> bool:
        """Whether the next line is inside a code block (unless it closes it)."""
        return bool(self._open) and self._open[-1].code

    def read(self, number: int, text: str) -> Line:
        """Line *number* of the page, *text*, as a :class:`Line`."""
        if self._open and self._open[-1].closed_by(text):
            return Line(number, text, code=self._open.pop().code)
        if self.in_code:
            return Line(number, text, code=True)
        fence = opening(text)
        if fence is None:
            return Line(number, text, code=False)
        self._open.append(fence)
        return Line(number, text, code=fence.code, opens=fence)


def scan(lines: Iterable[str]) -> Iterator[Line]:
    """Each of *lines* as a :class:`Line`, knowing the fences opened before it."""
    scanner = Scanner()
    for number, text in enumerate(lines, start=1):
        yield scanner.read(number, text)
