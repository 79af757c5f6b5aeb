"""Legacy notes Markdown to :class:`~.model.Notes`: the importer's first layer.

The text is scanned once for code (:mod:`sphinx_fieldnotes.cli.fences`); outside code, ``#``
headings open categories (or the TODO list), ``##`` headings open entries, and an entry is a
project when it has a date line or is named like one. Every problem is recorded with its legacy
line number, in the order met; nothing here raises on odd input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from sphinx_fieldnotes.cli.fences import Line, Scanner
from sphinx_fieldnotes.cli.importer.dates import (
    DateLine,
    looks_dated,
    parse_date_line,
    status_word,
)
from sphinx_fieldnotes.cli.importer.links import (
    MD_LINK,
    autolink,
    comparable,
    is_relative,
    repository,
)
from sphinx_fieldnotes.cli.importer.model import (
    Category,
    LinkEntry,
    Notes,
    Problems,
    Project,
    Section,
    Todo,
    Update,
    kept_elsewhere,
    strip_blank,
)
from sphinx_fieldnotes.validation import (
    Invalid,
    is_before,
    is_dated,
    normalise_name,
    parse_date,
    period,
)
from sphinx_fieldnotes.vocabulary import DEPTHS, PRIORITIES, UNRECORDED

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# ``*Date: 06/02/2018, v0.2*``, also bulleted (``- *Date: ...*``), with no colon before a digit
# (``*Date 03/18/2018*``) or no space after it (``*Date:12/15/2018*``).
_DATE_LINE = re.compile(
    r"^\s*(?:[-+]\s+)?[*_]{0,3}\s*Date(?:\s*:|\s+(?=\d))\s*(?P<rest>.*?)\s*[*_]{0,3}\s*$", re.I
)
# ``*Update on 12/13/2018, v3.1*``, ``_**Update on ...**_``, or a plain ``Update on 02/27/2017:``
# line (its text after the colon is the update's first line).
_UPDATE_LINE = re.compile(
    r"^\s*(?:[-+]\s+)?[*_]{0,3}\s*Update(?:d)?\s*(?:on|:)\s*(?P<rest>.*?)\s*[*_]{0,3}\s*$", re.I
)
_PLAIN_UPDATE = re.compile(r"^\s*Update\s+on\s+(?P<rest>[\d/-]+)\s*:\s*(?P<text>.*)$", re.I)
_LINK_LINE = re.compile(
    r"^\s*(?:link|ref)\s*:\s*\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)\s*$", re.I
)
_TODO_ITEM = re.compile(r"^[-*+]\s+(?P<name>.+?)\s*\(\s*TODO\s*:?\s*(?P<fields>[^)]*)\)\s*$", re.I)
_URL_ONLY = re.compile(r"<?https?://\S+?>?")
_COMPARISON = re.compile(r"\bvs\.?\b|\bversus\b", re.I)
_PROJECT_NAME = re.compile(r"^[a-z0-9][\w.+-]*(?:\s+\([^)]*\))?$")
_TODO_TITLES = ("todo", "todos")
# ``(deprecated) operatorkit``: a status word before the name (``(large)`` is no status).
_STATUS_PREFIX = re.compile(r"^\((?P<word>[\w-]+)\)\s+(?P<name>\S.*)$")


@dataclass
class _Chunk:
    """A ``#`` or ``##`` heading outside code and the lines up to the next one."""

    level: int
    title: str
    line: int
    body: list[Line] = field(default_factory=list)


def parse(text: str) -> Notes:
    """Legacy notes Markdown to :class:`~.model.Notes`; never raises on odd input."""
    notes = Notes()
    lines = _lines(text.replace("\r\n", "\n").replace("\r", "\n"), notes.problems)
    preamble, chunks = _split(lines)
    _drop(preamble, notes.problems)
    _read(chunks, notes)
    _make_names_distinct(notes)
    return notes


# --------------------------------------------------------------------------------------------
# The page's structure


def _lines(text: str, problems: Problems) -> list[Line]:
    """The lines of *text*, scanned for code, without doctoc's table of contents (from
    ``START doctoc`` outside code to ``END doctoc``; the scanner never sees it)."""
    scanner = Scanner()
    kept: list[Line] = []
    in_toc = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_toc:
            in_toc = "END doctoc" not in line
        elif not scanner.in_code and "START doctoc" in line:
            in_toc = True
            problems.add(
                number, "dropped", "", "doctoc table of contents dropped (the site builds its own)"
            )
        else:
            kept.append(scanner.read(number, line))
    return kept


def _split(lines: list[Line]) -> tuple[list[Line], list[_Chunk]]:
    """The lines before the first ``#``/``##`` heading, and a chunk for each such heading."""
    preamble: list[Line] = []
    chunks: list[_Chunk] = []
    for line in lines:
        heading = None if line.code else _HEADING.match(line.text)
        if heading and len(heading.group(1)) <= 2:
            chunks.append(_Chunk(len(heading.group(1)), heading.group(2), line.number))
        else:
            (chunks[-1].body if chunks else preamble).append(line)
    return preamble, chunks


def _drop(preamble: list[Line], problems: Problems) -> None:
    """Report each line of text before the first heading: it has no page to go to."""
    for line in preamble:
        if text := line.text.strip():
            problems.add(
                line.number, "dropped", "", f"text before the first category dropped: {text[:60]!r}"
            )


def _read(chunks: list[_Chunk], notes: Notes) -> None:
    """Categories, their entries and the TODO list, from the page's chunks in order."""
    category: Category | None = None
    in_todos = False
    for chunk in chunks:
        if chunk.level == 1:
            in_todos = comparable(chunk.title) in _TODO_TITLES
            category = None if in_todos else _category(chunk, notes)
            if in_todos:
                _todo_list(chunk, notes)
        elif in_todos:
            _todo_section(chunk, notes)
        else:
            if category is None:
                category = _uncategorised(chunk, notes)
            category.items.append(_entry(chunk, notes.problems))


def _category(chunk: _Chunk, notes: Notes) -> Category:
    """A ``#`` chunk's page. Dated text under the ``#`` heading itself (a file of notes on one
    project: ``# Overview`` then its date lines) is an entry of its own, named by the heading."""
    category = Category(chunk.title, chunk.line)
    notes.categories.append(category)
    date_at, updates_at = _date_lines(chunk.body)
    if date_at is None and not updates_at:
        category.intro = _prose(chunk.title, chunk.body, notes.problems)
    else:
        category.items.append(_project(chunk, date_at, updates_at, notes.problems))
        notes.problems.add(
            chunk.line, "heading-entry", chunk.title, "dated text under a # heading: an entry"
        )
    return category


def _uncategorised(chunk: _Chunk, notes: Notes) -> Category:
    """The category of entries that come before any ``#`` heading."""
    category = Category("Uncategorised", chunk.line)
    notes.categories.append(category)
    notes.problems.add(
        chunk.line, "dropped", chunk.title, "entry before any # category: put under 'Uncategorised'"
    )
    return category


# --------------------------------------------------------------------------------------------
# Body text


def _prose(name: str, body: list[Line], problems: Problems) -> list[str]:
    """Body lines made safe for a page: bare URLs linked, deep headings bold, links kept."""
    return strip_blank([_prose_line(name, line, problems) for line in body])


def _prose_line(name: str, line: Line, problems: Problems) -> str:
    if line.code:
        return line.text
    if heading := _HEADING.match(line.text):
        title = heading.group(2)
        problems.add(line.number, "heading-demoted", name, f"heading {title!r} kept as a bold line")
        return f"**{title}**"
    if link := _LINK_LINE.match(line.text):
        return kept_elsewhere(link.group("text") or name, link.group("target"))
    for url in (m.group("url") for m in MD_LINK.finditer(line.text)):
        if is_relative(url):
            problems.add(
                line.number,
                "relative-link",
                name,
                f"relative link {url!r} points at a file not imported",
            )
    return autolink(line.text)


# --------------------------------------------------------------------------------------------
# Entries


def _entry(chunk: _Chunk, problems: Problems) -> Project | LinkEntry | Section:
    """A ``##`` chunk as a link entry, a prose section or a project."""
    if link := _link_entry(chunk, problems):
        return link
    date_at, updates_at = _date_lines(chunk.body)
    if date_at is None and not updates_at and not _looks_like_project(_unprefixed(chunk.title)):
        problems.add(
            chunk.line, "prose-section", chunk.title, "no date line: kept as a prose section"
        )
        return Section(chunk.title, chunk.line, _prose(chunk.title, chunk.body, problems))
    return _project(chunk, date_at, updates_at, problems)


def _link_entry(chunk: _Chunk, problems: Problems) -> LinkEntry | None:
    """The entry when its only text is a ``link:`` line to notes kept elsewhere."""
    text = [line for line in chunk.body if line.text.strip()]
    if len(text) != 1 or not (link := _LINK_LINE.match(text[0].text)):
        return None
    target = link.group("target")
    problems.add(
        text[0].number,
        "link-entry",
        chunk.title,
        f"notes kept elsewhere ({target}): written as a P3 todo-item",
    )
    return LinkEntry(chunk.title, chunk.line, target)


def _date_lines(body: list[Line]) -> tuple[int | None, list[int]]:
    """Indexes in *body* of the date line (the first, before any update) and the update lines."""
    date_at: int | None = None
    updates_at: list[int] = []
    for index, line in enumerate(body):
        if line.code:
            continue
        if date_at is None and not updates_at and _DATE_LINE.match(line.text):
            date_at = index
        elif date_at is not None and _DATE_LINE.match(line.text):
            updates_at.append(index)  # a later date in a bulleted list is an update
        elif _PLAIN_UPDATE.match(line.text) or (
            (update := _UPDATE_LINE.match(line.text)) and looks_dated(update.group("rest"))
        ):
            updates_at.append(index)
    return date_at, updates_at


def _looks_like_project(title: str) -> bool:
    """A heading without a date line: a project if named like one (``helm``), else prose."""
    return not _COMPARISON.search(title) and bool(_PROJECT_NAME.match(title))


def _project(
    chunk: _Chunk, date_at: int | None, updates_at: list[int], problems: Problems
) -> Project:
    title, body = _unprefixed(chunk.title), chunk.body
    project = Project(
        name=title,
        line=chunk.line,
        url=repository(title, body),
        date=UNRECORDED,
        version=UNRECORDED,
    )
    if project.url is None:
        problems.add(chunk.line, "missing-url", title, "no link to its repository: :url: left out")
    # A later date of a bulleted list (``- *Date: ...*``) is an update with no text: the text
    # after the list stays the project's own, up to the first ``Update on`` line.
    listed = {i for i in updates_at if _DATE_LINE.match(body[i].text)}
    first_text = next((i for i in updates_at if i not in listed), len(body))
    own = [line for i, line in enumerate(body[:first_text]) if i not in listed]
    project.body = _prose(title, _read_date_line(project, own, date_at, problems), problems)
    project.updates = [
        _update(title, body[start], [] if start in listed else body[start + 1 : end], problems)
        for start, end in pairwise([*updates_at, len(body)])
    ]
    _read_status_prefix(chunk, project, problems)
    _report_date_order(project, problems)
    return project


def _report_date_order(project: Project, problems: Problems) -> None:
    """Updates stay in the notes' order; say where those dates run backwards (the build warns)."""
    latest: str | None = None
    for update in (u for u in project.updates if _valid_date(u.date)):
        if _valid_date(project.date) and is_before(update.date, project.date):
            message = (
                f"update dated {update.date}, before the note ({project.date}): kept as written"
            )
            problems.add(update.line, "update-before-project", project.name, message)
        if latest and is_before(update.date, latest):
            message = (
                f"update dated {update.date}, before the one above it ({latest}): kept as written"
            )
            problems.add(update.line, "update-order", project.name, message)
        latest = max(update.date, latest or update.date, key=lambda d: period(d)[0])


def _valid_date(date: str) -> bool:
    """Whether *date* is a date the directives accept (not ``unrecorded``, not as written)."""
    try:
        return is_dated(parse_date(date))
    except Invalid:
        return False


def _unprefixed(title: str) -> str:
    """*title* without a status prefix: ``(deprecated) x`` is ``x``."""
    prefix = _STATUS_PREFIX.match(title)
    return prefix.group("name") if prefix and status_word(prefix.group("word")) else title


def _read_status_prefix(chunk: _Chunk, project: Project, problems: Problems) -> None:
    """A heading's status prefix is the project's status: it says what became of the project,
    so it wins over the status of the first date line."""
    prefix = _STATUS_PREFIX.match(chunk.title)
    if not prefix or (status := status_word(prefix.group("word"))) is None:
        return
    project.status = status
    message = f"heading prefix '({prefix.group('word')})' written as :status: {status}"
    problems.add(chunk.line, "status-prefix", project.name, message)


def _make_names_distinct(notes: Notes) -> None:
    """A repeated name gets `` (2)``, `` (3)``, ...: project names are unique across the
    notes (the site refers to them by name), section titles on their page, so every heading
    has an anchor of its own that depends on the names only, not on positions."""
    taken: set[str] = set()
    for project in notes.projects:
        project.name = _distinct(project.name, project.line, taken, notes.problems)
    for category in notes.categories:
        titles: set[str] = set()
        for section in (i for i in category.items if isinstance(i, Section)):
            section.title = _distinct(section.title, section.line, titles, notes.problems)


def _distinct(name: str, line: int, taken: set[str], problems: Problems) -> str:
    """*name*, or *name* with the first free `` (n)`` when taken; the result is taken."""
    distinct, n = name, 2
    while normalise_name(distinct) in taken:
        distinct, n = f"{name} ({n})", n + 1
    taken.add(normalise_name(distinct))
    if distinct != name:
        problems.add(line, "renamed", name, f"a heading named so came before: named {distinct!r}")
    return distinct


def _read_date_line(
    project: Project, own: list[Line], date_at: int | None, problems: Problems
) -> list[Line]:
    """Set what the date line (``own[date_at]``) says on *project*; the project's own lines
    (*own*, before its updates) without it, and led by what of it could not be mapped."""
    if date_at is None:
        missing = "no date line: written as"
        problems.add(project.line, "missing-date", project.name, f"{missing} :date: unrecorded")
        problems.add(
            project.line, "missing-version", project.name, f"{missing} :version: unrecorded"
        )
        return own
    date_line = own[date_at]
    parsed = parse_date_line(_rest(_DATE_LINE, date_line.text))
    project.date, project.version, extra = _dated(
        project.name, date_line, parsed, "date line", problems
    )
    project.kubernetes, project.status = parsed.kubernetes, parsed.status
    return _led_by(extra, date_line, own[:date_at] + own[date_at + 1 :])


def _update(name: str, heading: Line, body: list[Line], problems: Problems) -> Update:
    """The update that *heading* (an ``Update on ...`` or a later ``Date:`` line) opens, over
    *body*; a plain ``Update on 02/27/2017: text`` line's text leads the body."""
    if plain := _PLAIN_UPDATE.match(heading.text):
        body = [Line(heading.number, plain.group("text"), code=False), *body]
        parsed = parse_date_line(plain.group("rest"))
    elif _UPDATE_LINE.match(heading.text):
        parsed = parse_date_line(_rest(_UPDATE_LINE, heading.text))
    else:
        parsed = parse_date_line(_rest(_DATE_LINE, heading.text))
    date, version, extra = _dated(name, heading, parsed, "update line", problems)
    update = Update(
        line=heading.number,
        date=date,
        version=version,
        kubernetes=parsed.kubernetes,
        status=parsed.status,
    )
    update.body = _prose(name, _led_by(extra, heading, body), problems)
    return update


def _led_by(extra: str, at: Line, body: list[Line]) -> list[Line]:
    """*body*, led by the *extra* line (and a blank one) when there is one."""
    if not extra:
        return body
    while body and not body[0].code and not body[0].text.strip():
        body = body[1:]  # the blank lines around the date lines taken out
    return [Line(at.number, extra, code=False), Line(at.number, "", code=False), *body]


def _dated(
    name: str, at: Line, parsed: DateLine, label: str, problems: Problems
) -> tuple[str, str, str]:
    """(date, version, extra body line) for a parsed date line, reporting what is missing."""
    return (
        _date(name, at, parsed, label, problems),
        _version(name, at, parsed, label, problems),
        _unmapped_parts(name, at, parsed, label, problems),
    )


def _date(name: str, at: Line, parsed: DateLine, label: str, problems: Problems) -> str:
    """The ISO date; else the date as written, or ``unrecorded`` when there is none."""
    if parsed.date is not None:
        return parsed.date
    if parsed.raw_date:
        message = f"{label}: {parsed.raw_date!r} is not MM/DD/YYYY: written as is"
        problems.add(at.number, "unparsed-date", name, message)
        return parsed.raw_date
    message = f"{label} has no date: written as :date: unrecorded"
    problems.add(at.number, "missing-date", name, message)
    return UNRECORDED


def _version(name: str, at: Line, parsed: DateLine, label: str, problems: Problems) -> str:
    if parsed.version is not None:
        return parsed.version
    message = f"{label} has no version: written as :version: unrecorded"
    problems.add(at.number, "missing-version", name, message)
    return UNRECORDED


def _unmapped_parts(name: str, at: Line, parsed: DateLine, label: str, problems: Problems) -> str:
    """The line's words beyond date, version and status (``project release v17.04``), as an
    italic line kept in the body ("" if none); those nothing could be read from are unmapped."""
    if parsed.unparsed:
        said = ", ".join(parsed.unparsed)
        message = f"{label}: could not map {said!r}: kept in the body"
        problems.add(at.number, "unparsed-line", name, message)
    if parsed.worded:
        said = ", ".join(parsed.worded)
        message = f"{label}: {said!r} kept in the body, its version as :version:"
        problems.add(at.number, "kept-words", name, message)
    parts = parsed.worded + parsed.unparsed
    return f"*{', '.join(parts)}*" if parts else ""


def _rest(pattern: re.Pattern[str], line: str) -> str:
    """The ``rest`` group of a line already known to match *pattern*."""
    match = pattern.match(line)
    assert match is not None
    return match.group("rest")


# --------------------------------------------------------------------------------------------
# TODOs


def _todo_list(chunk: _Chunk, notes: Notes) -> None:
    """The ``# TODOs`` chunk: ``- name (TODO: basic, P1)`` items, each with indented lines."""
    notes.todo_title, notes.todo_line = chunk.title, chunk.line
    current: Todo | None = None
    for line in chunk.body:
        text = line.text
        if not text.strip():
            continue
        item = None if text[:1].isspace() else _TODO_ITEM.match(text.strip())
        if item:
            current = _todo(item, line.number, notes.problems)
            notes.todos.append(current)
        elif current is not None and text[:1].isspace():
            _add_to_todo(current, text.strip())
        else:
            current = None
            notes.problems.add(
                line.number,
                "unparsed-line",
                "",
                f"TODO line not in the form '- name (TODO: basic, P1)': {text.strip()[:60]!r}",
            )
            notes.todo_intro.append(autolink(text))


def _todo(item: re.Match[str], number: int, problems: Problems) -> Todo:
    fields = [f.strip() for f in item.group("fields").split(",") if f.strip()]
    priority = next((f.upper() for f in fields if f.upper() in PRIORITIES), None)
    depth = next((f.lower() for f in fields if f.lower() in DEPTHS), None)
    others = [f for f in fields if f.upper() not in PRIORITIES and f.lower() not in DEPTHS]
    name = item.group("name").strip()
    if priority is None:
        problems.add(number, "unparsed-line", name, "TODO has no priority P0..P3: written as P3")
    todo = Todo(name, number, priority or "P3", depth)
    if others:
        said = ", ".join(others)
        problems.add(number, "unparsed-line", name, f"could not map {said!r}: kept in the body")
        todo.body.append(f"*{said}*")
    return todo


def _add_to_todo(todo: Todo, text: str) -> None:
    """An indented line under a TODO item: its URL when it comes first and is only that."""
    if _URL_ONLY.fullmatch(text) and todo.url is None and not todo.body:
        todo.url = text.strip("<>")
    else:
        todo.body.append(autolink(text))


def _todo_section(chunk: _Chunk, notes: Notes) -> None:
    """A ``##`` section under the TODOs: kept in the page's introduction, its heading bold."""
    notes.todo_intro += [
        f"**{chunk.title}**",
        "",
        *_prose(chunk.title, chunk.body, notes.problems),
        "",
    ]
    notes.problems.add(
        chunk.line, "heading-demoted", chunk.title, "## heading under TODOs kept as a bold line"
    )
