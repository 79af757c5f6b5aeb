"""What the importer reads out of legacy notes, as plain dataclasses: :func:`~.parse.parse`
fills them, :func:`~.render.render` turns them into pages."""

from __future__ import annotations

from dataclasses import dataclass, field

# Problem kinds that could not be mapped: the build reports them or the page needs an author's
# decision. Every other kind was mapped, but not one to one.
UNMAPPED = ("missing-url", "missing-date", "missing-version", "unparsed-date", "unparsed-line")


@dataclass
class Problem:
    """Something the importer could not map one to one; ``line`` is the legacy line number."""

    line: int
    kind: str
    name: str
    message: str

    @property
    def unmapped(self) -> bool:
        return self.kind in UNMAPPED


class Problems(list[Problem]):
    """The problems found so far, in the order found."""

    def add(self, line: int, kind: str, name: str, message: str) -> None:
        self.append(Problem(line, kind, name, message))


@dataclass(kw_only=True)
class Dated:
    """What a date line says (``*Date: ...*`` or ``*Update on ...*``), and the text under it."""

    date: str
    version: str
    kubernetes: str | None = None
    status: str | None = None
    body: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Update(Dated):
    """An ``*Update on ...*`` paragraph of a project: a nested ``update`` block."""

    line: int


@dataclass(kw_only=True)
class Project(Dated):
    """A ``##`` entry with a date line (or named like a project): a ``project`` block."""

    name: str
    line: int
    url: str | None
    updates: list[Update] = field(default_factory=list)


@dataclass
class LinkEntry:
    """An entry whose only text is ``link: [x](./x)``: its notes were kept elsewhere."""

    name: str
    line: int
    target: str


@dataclass
class Section:
    """A ``##`` section that is prose, not a project (comparisons, lists of links)."""

    title: str
    line: int
    body: list[str] = field(default_factory=list)


@dataclass
class Todo:
    """A ``- name (TODO: basic, P1)`` line of the TODO list and the indented lines under it."""

    name: str
    line: int
    priority: str
    depth: str | None = None
    url: str | None = None
    body: list[str] = field(default_factory=list)


@dataclass
class Category:
    """A ``#`` heading: one page, its introduction and its entries in order."""

    name: str
    line: int
    intro: list[str] = field(default_factory=list)
    items: list[Project | LinkEntry | Section] = field(default_factory=list)


@dataclass
class Notes:
    """Everything read from one legacy file, with what could not be mapped one to one."""

    categories: list[Category] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    todo_title: str | None = None
    todo_line: int = 0
    todo_intro: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    @property
    def projects(self) -> list[Project]:
        return [i for c in self.categories for i in c.items if isinstance(i, Project)]


@dataclass
class Page:
    """One page to write: its file name (a bare name), title and MyST text."""

    filename: str
    title: str
    text: str


def kept_elsewhere(name: str, target: str) -> str:
    """The sentence that stands for notes kept in another file (a ``link:`` line)."""
    return f"The notes on {name} were kept in a separate file, `{target}`, not included here."


def strip_blank(lines: list[str]) -> list[str]:
    """*lines* without the blank lines that start and end them."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]
