"""Checks that need every page: duplicates, unknown names, update order, dates after today.

They run after each read phase over the whole catalog, so their result never depends on which pages
were read again or on the order of parallel reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from sphinx_fieldnotes.catalog import Catalog
from sphinx_fieldnotes.codes import Code, Diagnostic
from sphinx_fieldnotes.model import Project, Reference, Todo, Update
from sphinx_fieldnotes.suggest import did_you_mean
from sphinx_fieldnotes.validation import is_before, is_dated, is_future, normalise_name, period

#: ``file:line`` of an entry that a message about another one points at.
Locate = Callable[[Project | Todo], str]


def cross_document(
    catalog: Catalog,
    today: dt.date,
    known_elsewhere: Callable[[str], bool] = lambda target: False,
    file_of: Callable[[str], str] = lambda docname: docname,
) -> Iterator[Diagnostic]:
    """The problems between entries; *known_elsewhere* tells the names another site (through
    intersphinx) has a project of, which ``{project}`` and ``:replaced-by:`` may name, and
    *file_of* the source file of a document (``networking.md``), which messages that point at
    another entry name."""
    where = _locator(file_of)
    yield from _duplicates(catalog, where)
    yield from _duplicate_todos(catalog, where)
    yield from _unknown_names(catalog, known_elsewhere)
    yield from _update_dates(catalog)
    yield from _future_dates(catalog, today)


def _locator(file_of: Callable[[str], str]) -> Locate:
    """``file:line`` of an entry, relative to the source directory: ``networking.md:12``."""

    def where(entry: Project | Todo) -> str:
        return f"{entry.source or file_of(entry.docname)}:{entry.lineno}"

    return where


def _duplicates(catalog: Catalog, where: Locate) -> Iterator[Diagnostic]:
    for project in catalog.projects:
        first = catalog.by_key[project.key]
        if first is not project:
            message = f"project {project.name!r} is already defined at {where(first)}"
            yield _at(project, Code.DUPLICATE_PROJECT, message)


def _duplicate_todos(catalog: Catalog, where: Locate) -> Iterator[Diagnostic]:
    """A second ``todo-item`` of a name, and a ``todo-item`` of a project already noted."""
    first_todo: dict[str, Todo] = {}
    for todo in sorted(catalog.todos, key=lambda t: (t.docname, t.lineno)):
        first = first_todo.setdefault(todo.key, todo)
        if first is not todo:
            message = f"todo-item {todo.name!r} is already listed at {where(first)}"
            yield _at(todo, Code.DUPLICATE_TODO, message)
        project = catalog.by_key.get(todo.key)
        if project is not None:
            message = f"todo-item {todo.name!r}: project {project.name!r} is already noted at "
            yield _at(todo, Code.TODO_ALREADY_NOTED, message + where(project))


def _unknown_names(
    catalog: Catalog, known_elsewhere: Callable[[str], bool]
) -> Iterator[Diagnostic]:
    names = [project.name for project in catalog.by_key.values()]
    for name, entry, line, subject in _names_used(catalog):
        if normalise_name(name) in catalog.by_key:
            continue
        # Another site (intersphinx) may hold the project of a link, never of an update.
        if not isinstance(entry, Update) and known_elsewhere(name):
            continue
        hint = did_you_mean(name, names, fold=normalise_name)
        yield _at(entry, Code.UNKNOWN_PROJECT, f"{subject} {name!r}{hint}", line)


def _names_used(catalog: Catalog) -> Iterator[tuple[str, Reference | Project | Update, int, str]]:
    """Each project name an entry uses: the name, the entry, its line, what the message says."""
    for reference in catalog.references:
        yield reference.target, reference, reference.lineno, "{project} role: no project named"
    for project in catalog.projects:
        if project.replaced_by:
            subject = f"project {project.name!r}: :replaced-by: names no project"
            yield project.replaced_by, project, project.replaced_by_lineno, subject
    for update in catalog.updates:
        # A nested update names its parent; one naming none is reported as orphan-update.
        if not update.nested and update.project_key is not None:
            subject = "update: :project: names no project"
            yield update.project_key, update, update.project_lineno, subject


def _at(
    entry: Project | Todo | Update | Reference, code: Code, message: str, line: int = 0
) -> Diagnostic:
    """A diagnostic at *entry* (at its *line*, when not its first)."""
    return Diagnostic(entry.docname, line or entry.lineno, code, message, entry.source)


def _update_dates(catalog: Catalog) -> Iterator[Diagnostic]:
    for key, project in catalog.by_key.items():
        previous_in_doc: dict[str, str] = {}
        for update in sorted(
            catalog.updates_by_key.get(key, []), key=lambda u: (u.docname, u.lineno)
        ):
            date = update.date
            if not is_dated(date):
                continue
            if is_dated(project.date) and is_before(date, project.date):
                yield Diagnostic(
                    update.docname,
                    update.lineno,
                    Code.UPDATE_BEFORE_PROJECT,
                    f"update of project {project.name!r} is dated {update.date}, "
                    f"before the note itself ({project.date})",
                    update.source,
                )
            before = previous_in_doc.get(update.docname)
            if before and is_before(date, before):
                yield Diagnostic(
                    update.docname,
                    update.lineno,
                    Code.UPDATE_ORDER,
                    f"update of project {project.name!r} is dated {update.date}, "
                    f"before the update above it ({before})",
                    update.source,
                )
            previous_in_doc[update.docname] = max(date, before or date, key=_start)


def _future_dates(catalog: Catalog, today: dt.date) -> Iterator[Diagnostic]:
    dated: list[tuple[Project | Update, str]] = [
        (p, f"project {p.name!r}") for p in catalog.projects
    ]
    dated += [(u, "update") for u in catalog.updates]
    for entry, subject in dated:
        if is_future(entry.date, today):
            yield Diagnostic(
                entry.docname,
                entry.lineno,
                Code.FUTURE_DATE,
                f"{subject} is dated {entry.date}, after today ({today.isoformat()})",
                entry.source,
            )


def _start(date: str) -> tuple[dt.date, int]:
    """Order of update dates in a page: by first day; of equals, the most precise last."""
    return period(date)[0], len(date)
