"""Checks that need every page: duplicates, unknown names, update order, dates after today.

They run after each read phase over the whole catalog, so their result never depends on which pages
were read again or on the order of parallel reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from sphinx_fieldnotes.catalog import Catalog
from sphinx_fieldnotes.codes import Code, Diagnostic
from sphinx_fieldnotes.model import Project, Update
from sphinx_fieldnotes.validation import is_before, is_dated, is_future, normalise_name, period


def cross_document(
    catalog: Catalog,
    today: dt.date,
    known_elsewhere: Callable[[str], bool] = lambda target: False,
) -> Iterator[Diagnostic]:
    """The problems between entries; *known_elsewhere* tells the names another site (through
    intersphinx) has a project of, which ``{project}`` and ``:replaced-by:`` may name."""
    yield from _duplicates(catalog)
    yield from _unknown_names(catalog, known_elsewhere)
    yield from _update_dates(catalog)
    yield from _future_dates(catalog, today)


def _duplicates(catalog: Catalog) -> Iterator[Diagnostic]:
    for project in catalog.projects:
        first = catalog.by_key[project.key]
        if first is not project:
            yield Diagnostic(
                project.docname,
                project.lineno,
                Code.DUPLICATE_PROJECT,
                f"project {project.name!r} is already defined at "
                f"{first.source or first.docname}:{first.lineno}",
                project.source,
            )


def _unknown_names(
    catalog: Catalog, known_elsewhere: Callable[[str], bool]
) -> Iterator[Diagnostic]:
    for reference in catalog.references:
        target = reference.target
        if normalise_name(target) not in catalog.by_key and not known_elsewhere(target):
            yield Diagnostic(
                reference.docname,
                reference.lineno,
                Code.UNKNOWN_PROJECT,
                f"{{project}} role: no project named {target!r}",
                reference.source,
            )
    for project in catalog.projects:
        replacement = project.replaced_by
        if (
            replacement
            and normalise_name(replacement) not in catalog.by_key
            and not known_elsewhere(replacement)
        ):
            yield Diagnostic(
                project.docname,
                project.replaced_by_lineno or project.lineno,
                Code.UNKNOWN_PROJECT,
                f"project {project.name!r}: :replaced-by: names no project {project.replaced_by!r}",
                project.source,
            )
    for update in catalog.updates:
        orphan = update.project_key is None  # reported as orphan-update, not twice
        if not update.nested and not orphan and update.project_key not in catalog.by_key:
            yield Diagnostic(
                update.docname,
                update.project_lineno or update.lineno,
                Code.UNKNOWN_PROJECT,
                f"update: :project: names no project {update.project_key!r}",
                update.source,
            )


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
