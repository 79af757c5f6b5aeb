"""Convert a legacy notes Markdown file into fieldnotes MyST pages.

One page per ``#`` category plus a TODO page. Dates become ISO, version and Kubernetes version are
split, and anything the legacy text does not record is written as ``unrecorded``. The summary on
standard output lists every page written and everything that could not be mapped, with the legacy
line number. Existing files are never overwritten without ``--force``; nothing is written outside
``--out``.

The module has three layers, each usable on its own: :func:`parse` (legacy text to dataclasses),
:func:`render` (dataclasses to page texts) and :func:`write_pages` (the safe writer).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import difflib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sphinx_fieldnotes.vocabulary import DEPTHS, PRIORITIES, STATUSES, UNRECORDED, UNRELEASED

__all__ = [
    "Category",
    "ImportRefused",
    "LinkEntry",
    "Notes",
    "Page",
    "Problem",
    "Project",
    "Section",
    "Todo",
    "Update",
    "add_arguments",
    "parse",
    "parse_date_line",
    "render",
    "run",
    "safe_target",
    "slugify",
    "summary",
    "write_pages",
]

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")

# Problem kinds. The first group could not be mapped (the build reports them or the page needs an
# author's decision); the second group is informational (mapped, but not one to one).
UNMAPPED = ("missing-url", "missing-date", "missing-version", "unparsed-date", "unparsed-line")
INFORMATIONAL = ("link-entry", "prose-section", "heading-demoted", "relative-link", "dropped")


# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------


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


@dataclass
class Update:
    line: int
    date: str
    version: str
    kubernetes: str | None = None
    status: str | None = None
    body: list[str] = field(default_factory=list)


@dataclass
class Project:
    name: str
    line: int
    url: str | None
    date: str
    version: str
    kubernetes: str | None = None
    status: str | None = None
    body: list[str] = field(default_factory=list)
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
    name: str
    line: int
    priority: str
    depth: str | None = None
    url: str | None = None
    body: list[str] = field(default_factory=list)


@dataclass
class Category:
    name: str
    line: int
    intro: list[str] = field(default_factory=list)
    items: list[Project | LinkEntry | Section] = field(default_factory=list)


@dataclass
class Notes:
    categories: list[Category] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    todo_title: str | None = None
    todo_line: int = 0
    todo_intro: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def projects(self) -> list[Project]:
        return [i for c in self.categories for i in c.items if isinstance(i, Project)]


@dataclass
class Page:
    filename: str
    title: str
    text: str


class ImportRefused(Exception):
    """The writer refused: a target exists (without ``force``) or lies outside the output dir."""


# --------------------------------------------------------------------------------------------
# Line-level recognisers
# --------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_DATE_LINE = re.compile(r"^\s*[*_]{0,2}\s*Date\s*:\s*(?P<rest>.*?)\s*[*_]{0,2}\s*$", re.I)
_UPDATE_LINE = re.compile(
    r"^\s*[*_]{0,2}\s*Update(?:d)?\s*(?:on|:)\s*(?P<rest>.*?)\s*[*_]{0,2}\s*$", re.I
)
_LINK_LINE = re.compile(r"^\s*link\s*:\s*\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)\s*$", re.I)
_MD_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_BARE_URL = re.compile(r"(?<![(<\[\w/])(https?://[^\s<>()\[\]`]+[^\s<>()\[\]`.,;:!?'\"*])")
_TODO_ITEM = re.compile(r"^[-*+]\s+(?P<name>.+?)\s*\(\s*TODO\s*:?\s*(?P<fields>[^)]*)\)\s*$", re.I)
_DATE_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_KUBE = re.compile(r"^(?:kubernetes|k8s|kube)\s*v?\s*(\d+\.\d+(?:\.\d+)?)$", re.I)
_STATUS = re.compile(r"^(?:project\s+)?status\s*:?\s*(?P<status>[\w-]+)$", re.I)
_NO_RELEASE = re.compile(r"^(?:no\s+release|not\s+released|unreleased)$", re.I)
_VERSION = re.compile(
    r"^(?:(?P<prefix>[A-Za-z][\w.-]*)\s+)?(?P<v>v)?\s*"
    r"(?P<num>\d+(?:\.\d+)+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$",
    re.I,
)


def _iso(text: str) -> str | None:
    """``MM/DD/YYYY`` (or ISO) to ISO ``YYYY-MM-DD``; None when it is not a real calendar day."""
    text = text.strip()
    if m := _DATE_MDY.match(text):
        month, day, year = (int(g) for g in m.groups())
    elif m := _DATE_ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


@dataclass
class DateLine:
    """What one ``*Date: ...*`` or ``*Update on ...*`` line says."""

    date: str | None  # ISO, or None when the line has no parseable date
    version: str | None  # None when the line says nothing about the version
    kubernetes: str | None = None
    status: str | None = None
    unparsed: list[str] = field(default_factory=list)  # parts nothing matched
    raw_date: str | None = None  # the date text as written, when it did not parse


def parse_date_line(rest: str) -> DateLine:
    """Parse the text after ``Date:`` or ``Update on``: ``06/02/2018, kops v1.5.3, ...``."""
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    result = DateLine(date=None, version=None)
    if not parts:
        return result
    first = parts[0]
    iso = _iso(first)
    if iso is None:
        result.raw_date = first
    else:
        result.date = iso
    for part in parts[1:]:
        if _NO_RELEASE.match(part):
            result.version = UNRELEASED
        elif m := _KUBE.match(part):
            result.kubernetes = m.group(1)
        elif m := _STATUS.match(part):
            status = m.group("status").lower()
            if status in STATUSES:
                result.status = status
            else:
                result.unparsed.append(part)
        elif (m := _VERSION.match(part)) and not (
            m.group("prefix") and m.group("prefix").lower() in ("kubernetes", "k8s", "kube")
        ):
            v = m.group("v") or (m.group("prefix") or "").lower() == "v"
            result.version = ("v" if v else "") + m.group("num")
        else:
            result.unparsed.append(part)
    return result


def _norm(name: str) -> str:
    """A name reduced for comparison: lowercase, parenthetical dropped, letters and digits."""
    name = re.sub(r"\([^)]*\)", "", name)
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _similar(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.85)


def _links(lines: Iterable[str]) -> Iterable[tuple[str | None, str]]:
    """(text, url) of every absolute link in order; bare URLs have no text."""
    for line in _outside_code(lines):
        spans: list[tuple[int, str | None, str]] = []
        for m in _MD_LINK.finditer(line):
            spans.append((m.start(), m.group("text"), m.group("url")))
        for m in _BARE_URL.finditer(line):
            spans.append((m.start(), None, m.group(1)))
        for _, text, url in sorted(spans, key=lambda s: s[0]):
            if urlsplit(url).scheme in ("http", "https"):
                yield text, url


def find_repository(name: str, lines: Iterable[str]) -> str | None:
    """The entry's first link to its repository.

    A link whose text is the project's name (``[MetalLB](url)`` for ``metallb``) gives its URL as
    written; a link into a code host whose repository is named like the project gives the
    repository's root (``.../kops/blob/1.5.3/docs/aws.md`` gives ``.../kops``).
    """
    wanted = _norm(name)
    for text, url in _links(lines):
        if text is not None and _similar(_norm(text), wanted):
            return url
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.")
        segments = [s for s in parts.path.split("/") if s]
        if host in CODE_HOSTS and len(segments) >= 2:
            repo = _norm(segments[1].removesuffix(".git"))
            if _similar(repo, wanted) or (len(repo) >= 4 and repo in wanted):
                return f"https://{host}/{segments[0]}/{segments[1].removesuffix('.git')}"
    return None


def _outside_code(lines: Iterable[str]) -> Iterable[str]:
    fence: str | None = None
    for line in lines:
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
                continue
            yield line
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
            fence = None


def _looks_like_project(title: str) -> bool:
    """A heading without a date line: a project if named like one (``helm``), else prose."""
    if re.search(r"\bvs\.?\b|\bversus\b", title, re.I):
        return False
    return bool(re.match(r"^[a-z0-9][\w.+-]*(?:\s+\([^)]*\))?$", title))


# --------------------------------------------------------------------------------------------
# Layer 1: legacy text to dataclasses
# --------------------------------------------------------------------------------------------


def _strip_blank(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _blocks(text: str, toc: list[int]) -> list[tuple[int, str]]:
    """Numbered lines without the doctoc table of contents (its first line goes to ``toc``)."""
    out: list[tuple[int, str]] = []
    lines = text.splitlines()
    fence: str | None = None
    in_toc = False
    for number, line in enumerate(lines, start=1):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            out.append((number, line))
            continue
        if in_toc:
            if "END doctoc" in line:
                in_toc = False
            continue
        if "START doctoc" in line:
            in_toc = True
            toc.append(number)
            continue
        if m:
            fence = m.group(1)
        out.append((number, line))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        toc: list[int] = []
        self.lines = _blocks(text, toc)
        self.notes = Notes()
        for number in toc:
            self.problem(
                number, "dropped", "", "doctoc table of contents dropped (the site builds its own)"
            )

    def problem(self, line: int, kind: str, name: str, message: str) -> None:
        self.notes.problems.append(Problem(line, kind, name, message))

    def run(self) -> Notes:
        # Split into (level, title, line, body-lines) chunks at # and ## headings outside code.
        chunks: list[tuple[int, str, int, list[tuple[int, str]]]] = []
        preamble: list[tuple[int, str]] = []
        fence: str | None = None
        for number, line in self.lines:
            m = _FENCE.match(line)
            if fence is not None:
                if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                    fence = None
            elif m:
                fence = m.group(1)
            elif (h := _HEADING.match(line)) and len(h.group(1)) <= 2:
                chunks.append((len(h.group(1)), h.group(2), number, []))
                continue
            (chunks[-1][3] if chunks else preamble).append((number, line))

        for number, line in preamble:
            if line.strip():
                self.problem(
                    number,
                    "dropped",
                    "",
                    f"text before the first category dropped: {line.strip()[:60]!r}",
                )

        category: Category | None = None
        in_todos = False
        for level, title, number, body in chunks:
            if level == 1:
                in_todos = _norm(title) in ("todo", "todos")
                if in_todos:
                    self.notes.todo_title = title
                    self.notes.todo_line = number
                    self.todo_list(body)
                    category = None
                    continue
                category = Category(title, number)
                self.notes.categories.append(category)
                category.intro = self.prose(title, body)
                continue
            if in_todos:
                self.notes.todo_intro += [f"**{title}**", "", *self.prose(title, body), ""]
                self.problem(
                    number, "heading-demoted", title, "## heading under TODOs kept as a bold line"
                )
                continue
            if category is None:
                category = Category("Uncategorised", number)
                self.notes.categories.append(category)
                self.problem(
                    number,
                    "dropped",
                    title,
                    "entry before any # category: put under 'Uncategorised'",
                )
            category.items.append(self.entry(title, number, body))
        return self.notes

    # Body text ---------------------------------------------------------------------------

    def prose(self, name: str, body: list[tuple[int, str]]) -> list[str]:
        """Body lines made safe for a page: bare URLs linked, deep headings bold, links kept."""
        out: list[str] = []
        fence: str | None = None
        for number, line in body:
            m = _FENCE.match(line)
            if fence is not None:
                if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                    fence = None
                out.append(line)
                continue
            if m:
                fence = m.group(1)
                out.append(line)
                continue
            if h := _HEADING.match(line):
                self.problem(
                    number, "heading-demoted", name, f"heading {h.group(2)!r} kept as a bold line"
                )
                out.append(f"**{h.group(2)}**")
                continue
            if lk := _LINK_LINE.match(line):
                out.append(_elsewhere(lk.group("text") or name, lk.group("target")))
                continue
            for lm in _MD_LINK.finditer(line):
                url = lm.group("url")
                if not urlsplit(url).scheme and not url.startswith("#"):
                    self.problem(
                        number,
                        "relative-link",
                        name,
                        f"relative link {url!r} points at a file not imported",
                    )
            out.append(_autolink(line))
        return _strip_blank(out)

    # Entries -----------------------------------------------------------------------------

    def entry(
        self, title: str, number: int, body: list[tuple[int, str]]
    ) -> Project | LinkEntry | Section:
        text = [(n, line) for n, line in body if line.strip()]
        if len(text) == 1 and (lk := _LINK_LINE.match(text[0][1])):
            self.problem(
                text[0][0],
                "link-entry",
                title,
                f"notes kept elsewhere ({lk.group('target')}): written as a P3 todo-item",
            )
            return LinkEntry(title, number, lk.group("target"))

        # Find the date line (first one, outside code) and the update lines.
        date_at: int | None = None
        updates_at: list[int] = []
        fence: str | None = None
        for index, (_, line) in enumerate(body):
            m = _FENCE.match(line)
            if fence is not None:
                if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                    fence = None
                continue
            if m:
                fence = m.group(1)
                continue
            if date_at is None and not updates_at and _DATE_LINE.match(line):
                date_at = index
            elif (heading := _UPDATE_LINE.match(line)) and _looks_dated(heading.group("rest")):
                updates_at.append(index)

        all_lines = [line for _, line in body]
        if date_at is None and not updates_at and not _looks_like_project(title):
            self.problem(number, "prose-section", title, "no date line: kept as a prose section")
            return Section(title, number, self.prose(title, body))

        project = Project(title, number, find_repository(title, all_lines), UNRECORDED, UNRECORDED)
        if project.url is None:
            self.problem(number, "missing-url", title, "no link to its repository: :url: left out")

        first_update = updates_at[0] if updates_at else len(body)
        if date_at is None:
            self.problem(
                number, "missing-date", title, "no date line: written as :date: unrecorded"
            )
            self.problem(
                number, "missing-version", title, "no date line: written as :version: unrecorded"
            )
            main = body[:first_update]
        else:
            line_no, line = body[date_at]
            parsed = parse_date_line(_rest(_DATE_LINE, line))
            project.date, project.version, extra = self.apply(title, line_no, parsed, "date")
            project.kubernetes, project.status = parsed.kubernetes, parsed.status
            main = body[:date_at] + body[date_at + 1 : first_update]
            if extra:
                main = [(line_no, extra), (line_no, ""), *main]
        project.body = self.prose(title, main)

        for k, start in enumerate(updates_at):
            end = updates_at[k + 1] if k + 1 < len(updates_at) else len(body)
            line_no, line = body[start]
            parsed = parse_date_line(_rest(_UPDATE_LINE, line))
            date, version, extra = self.apply(title, line_no, parsed, "update")
            update = Update(line_no, date, version, parsed.kubernetes, parsed.status)
            chunk = body[start + 1 : end]
            if extra:
                chunk = [(line_no, extra), (line_no, ""), *chunk]
            update.body = self.prose(title, chunk)
            project.updates.append(update)
        return project

    def apply(self, name: str, line: int, parsed: DateLine, what: str) -> tuple[str, str, str]:
        """(date, version, extra body line) for a parsed date line, reporting what is missing."""
        label = "date line" if what == "date" else "update line"
        if parsed.date is not None:
            date = parsed.date
        elif parsed.raw_date:
            date = parsed.raw_date
            self.problem(
                line,
                "unparsed-date",
                name,
                f"{label}: {parsed.raw_date!r} is not MM/DD/YYYY: written as is",
            )
        else:
            date = UNRECORDED
            self.problem(
                line, "missing-date", name, f"{label} has no date: written as :date: unrecorded"
            )
        if parsed.version is not None:
            version = parsed.version
        else:
            version = UNRECORDED
            self.problem(
                line,
                "missing-version",
                name,
                f"{label} has no version: written as :version: unrecorded",
            )
        extra = ""
        if parsed.unparsed:
            said = ", ".join(parsed.unparsed)
            self.problem(
                line, "unparsed-line", name, f"{label}: could not map {said!r}: kept in the body"
            )
            extra = f"*{said}*"
        return date, version, extra

    # TODOs ------------------------------------------------------------------------------

    def todo_list(self, body: list[tuple[int, str]]) -> None:
        current: Todo | None = None
        for number, line in body:
            if not line.strip():
                continue
            if m := _TODO_ITEM.match(line.strip()) if not line[:1].isspace() else None:
                fields = [f.strip() for f in m.group("fields").split(",") if f.strip()]
                priority = next((f.upper() for f in fields if f.upper() in PRIORITIES), None)
                depth = next((f.lower() for f in fields if f.lower() in DEPTHS), None)
                others = [
                    f for f in fields if f.upper() not in PRIORITIES and f.lower() not in DEPTHS
                ]
                name = m.group("name").strip()
                if priority is None:
                    self.problem(
                        number, "unparsed-line", name, "TODO has no priority P0..P3: written as P3"
                    )
                    priority = "P3"
                if others:
                    self.problem(
                        number,
                        "unparsed-line",
                        name,
                        f"could not map {', '.join(others)!r}: kept in the body",
                    )
                current = Todo(name, number, priority, depth)
                if others:
                    current.body.append(f"*{', '.join(others)}*")
                self.notes.todos.append(current)
            elif current is not None and line[:1].isspace():
                stripped = line.strip()
                if (
                    re.fullmatch(r"<?https?://\S+?>?", stripped)
                    and current.url is None
                    and not current.body
                ):
                    current.url = stripped.strip("<>")
                else:
                    current.body.append(_autolink(stripped))
            else:
                current = None
                self.problem(
                    number,
                    "unparsed-line",
                    "",
                    f"TODO line not in the form '- name (TODO: basic, P1)': {line.strip()[:60]!r}",
                )
                self.notes.todo_intro.append(_autolink(line))


def _looks_dated(rest: str) -> bool:
    head = rest.split(",", 1)[0].strip()
    return bool(re.match(r"^\d{1,4}[/-]\d{1,2}[/-]\d{1,4}$", head))


def _elsewhere(name: str, target: str) -> str:
    return f"The notes on {name} were kept in a separate file, `{target}`, not included here."


def _autolink(line: str) -> str:
    """Bare ``http(s)://`` URLs outside inline code become ``<url>`` autolinks."""
    pieces = re.split(r"(`+[^`]*`+)", line)
    return "".join(p if p.startswith("`") else _BARE_URL.sub(r"<\1>", p) for p in pieces)


def parse(text: str) -> Notes:
    """Legacy notes Markdown to :class:`Notes`; never raises on odd input."""
    return _Parser(text.replace("\r\n", "\n").replace("\r", "\n")).run()


# --------------------------------------------------------------------------------------------
# Layer 2: dataclasses to MyST pages
# --------------------------------------------------------------------------------------------


def slugify(name: str) -> str:
    """A safe file stem: lowercase ASCII letters, digits and single hyphens (may be empty)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _colons(body: list[str]) -> int:
    """Longest run of colons opening a line of ``body`` (0 when none)."""
    longest = 0
    for line in body:
        m = re.match(r"^\s*(:{3,})", line)
        if m:
            longest = max(longest, len(m.group(1)))
    return longest


def _option(key: str, value: str | None) -> list[str]:
    return [] if value is None or value == "" else [f":{key}: {value}"]


def _block(fence: str, head: str, options: list[str], body: list[str]) -> list[str]:
    lines = [f"{fence}{head}", *options]
    if body:
        lines += ["", *body]
    return [*lines, fence]


def _project_block(project: Project) -> list[str]:
    update_blocks: list[list[str]] = []
    inner_len = max([3] + [_colons(u.body) + 1 for u in project.updates if _colons(u.body)])
    for update in project.updates:
        options = [
            *_option("date", update.date),
            *_option("version", update.version),
        ]
        body = list(update.body)
        notes = []
        if update.kubernetes:
            notes.append(f"Kubernetes {update.kubernetes}")
        if update.status:
            notes.append(f"status {update.status}")
        if notes:
            body = [f"*{', '.join(notes)}*", "", *body] if body else [f"*{', '.join(notes)}*"]
        update_blocks.append(_block(":" * inner_len, "{update}", options, body))
    outer_len = max(3, _colons(project.body) + 1, inner_len + 1 if update_blocks else 3)
    options = [
        *_option("url", project.url),
        *_option("date", project.date),
        *_option("version", project.version),
        *_option("kubernetes", project.kubernetes),
        *_option("status", project.status),
    ]
    body = list(project.body)
    for block in update_blocks:
        if body:
            body.append("")
        body += block
    return _block(":" * outer_len, "{project} " + project.name, options, body)


def _todo_block(
    name: str, priority: str, depth: str | None, url: str | None, body: list[str]
) -> list[str]:
    options = [*_option("priority", priority), *_option("depth", depth), *_option("url", url)]
    fence = ":" * max(3, _colons(body) + 1)
    return _block(fence, "{todo-item} " + name, options, body)


def _join(blocks: list[list[str]]) -> str:
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("")
        out += block
    return "\n".join(out) + "\n"


def render_category(category: Category) -> str:
    """One category page. Prose sections go after the entries, so that no entry's heading is
    nested under a prose section's heading in the page's table of contents."""
    blocks: list[list[str]] = [[f"# {category.name}"]]
    if category.intro:
        blocks.append(category.intro)
    sections: list[Section] = []
    for item in category.items:
        if isinstance(item, Project):
            blocks.append(_project_block(item))
        elif isinstance(item, LinkEntry):
            blocks.append(
                _todo_block(item.name, "P3", None, None, [_elsewhere(item.name, item.target)])
            )
        else:
            sections.append(item)
    for section in sections:
        blocks.append([f"## {section.title}"])
        if section.body:
            blocks.append(section.body)
    return _join(blocks)


def render_todos(notes: Notes) -> str:
    blocks: list[list[str]] = [[f"# {notes.todo_title or 'TODOs'}"]]
    if notes.todo_intro:
        blocks.append(_strip_blank(notes.todo_intro))
    for todo in notes.todos:
        blocks.append(_todo_block(todo.name, todo.priority, todo.depth, todo.url, todo.body))
    return _join(blocks)


def render(notes: Notes, *, with_index: bool = False) -> list[Page]:
    """Page texts: one per category (file name from its slug, made unique) and the TODO page."""
    pages: list[Page] = []
    taken: set[str] = {"todos"} | ({"index"} if with_index else set())
    for number, category in enumerate(notes.categories, start=1):
        stem = slugify(category.name) or f"category-{number}"
        base, n = stem, 2
        while stem in taken:
            stem, n = f"{base}-{n}", n + 1
        taken.add(stem)
        pages.append(Page(f"{stem}.md", category.name, render_category(category)))
    if notes.todo_title is not None or notes.todos:
        pages.append(Page("todos.md", notes.todo_title or "TODOs", render_todos(notes)))
    if with_index:
        entries = "\n".join(p.filename.removesuffix(".md") for p in pages)
        toctree = f"```{{toctree}}\n:maxdepth: 1\n:caption: Categories\n\n{entries}\n```\n"
        text = f"# Field notes\n\n{toctree}"
        pages.insert(0, Page("index.md", "Field notes", text))
    return pages


# --------------------------------------------------------------------------------------------
# Layer 3: the safe writer
# --------------------------------------------------------------------------------------------


def safe_target(out: Path, filename: str) -> Path:
    """``out/filename``, refusing anything that is not a plain file name inside ``out``."""
    if (
        not filename
        or filename in (".", "..")
        or "/" in filename
        or "\\" in filename
        or "\0" in filename
        or Path(filename).is_absolute()
    ):
        raise ImportRefused(f"refusing to write {filename!r}: not a plain file name inside {out}")
    root = out.resolve()
    target = (out / filename).resolve()
    if target.parent != root:
        raise ImportRefused(f"refusing to write {filename!r}: it resolves outside {out}")
    return out / filename


def write_pages(pages: list[Page], out: Path, *, force: bool = False) -> list[Path]:
    """Write every page under ``out`` or none: all targets are checked before the first write."""
    out = Path(out)
    targets = [safe_target(out, page.filename) for page in pages]
    if out.exists() and not out.is_dir():
        raise ImportRefused(f"{out} exists and is not a directory")
    existing = [t for t in targets if t.exists() or t.is_symlink()]
    if existing and not force:
        names = ", ".join(str(t) for t in existing)
        raise ImportRefused(f"refusing to overwrite existing file(s) without --force: {names}")
    for target in targets:
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise ImportRefused(f"refusing to replace {target}: not a regular file")
    out.mkdir(parents=True, exist_ok=True)
    for page, target in zip(pages, targets, strict=True):
        target.write_text(page.text, encoding="utf-8")
    return targets


# --------------------------------------------------------------------------------------------
# Summary and command line
# --------------------------------------------------------------------------------------------


def _counts(page: Page) -> str:
    projects = len(re.findall(r"^:{3,}\{project\}", page.text, re.M))
    updates = len(re.findall(r"^:{3,}\{update\}", page.text, re.M))
    todos = len(re.findall(r"^:{3,}\{todo-item\}", page.text, re.M))
    parts = [f"{projects} projects"] if projects else []
    parts += [f"{updates} updates"] if updates else []
    parts += [f"{todos} todo-items"] if todos else []
    return ", ".join(parts) or "prose only"


def summary(source: str, pages: list[Page], written: list[Path], notes: Notes) -> str:
    lines = [f"Wrote {len(written)} pages:"]
    for page, path in zip(pages, written, strict=True):
        lines.append(f"  {path}  ({_counts(page)})")
    unmapped = sorted((p for p in notes.problems if p.unmapped), key=lambda p: (p.line, p.kind))
    info = sorted((p for p in notes.problems if not p.unmapped), key=lambda p: (p.line, p.kind))
    lines.append("")
    lines.append(f"Could not map ({len(unmapped)}):" if unmapped else "Could not map: nothing.")
    for p in unmapped:
        who = f"{p.name}: " if p.name else ""
        lines.append(f"  {source}:{p.line}: {p.kind}: {who}{p.message}")
    if info:
        lines.append("")
        lines.append(f"Mapped with changes ({len(info)}):")
        for p in info:
            who = f"{p.name}: " if p.name else ""
            lines.append(f"  {source}:{p.line}: {p.kind}: {who}{p.message}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    source = Path(args.legacy)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"fieldnotes import: cannot read {source}: {exc}", file=sys.stderr)
        return 2
    notes = parse(text)
    if not notes.categories and not notes.todos:
        print(
            f"fieldnotes import: {source} has no '# category' headings: nothing to import",
            file=sys.stderr,
        )
        return 1
    pages = render(notes, with_index=args.with_index)
    try:
        written = write_pages(pages, Path(args.out), force=args.force)
    except (ImportRefused, OSError) as exc:
        print(f"fieldnotes import: {exc}; nothing written", file=sys.stderr)
        return 1
    print(summary(str(source), pages, written, notes))
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = __doc__
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("legacy", metavar="LEGACY.md", help="the legacy notes file")
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="directory to write the pages into"
    )
    parser.add_argument("--force", action="store_true", help="overwrite files that already exist")
    parser.add_argument(
        "--with-index", action="store_true", help="also write index.md with a toctree of the pages"
    )
    parser.set_defaults(run=run)


def _rest(pattern: re.Pattern[str], line: str) -> str:
    """The ``rest`` group of a line already known to match *pattern*."""
    match = pattern.match(line)
    assert match is not None
    return match.group("rest")
