"""Checks that need every page: duplicates, unknown names, update order, dates after today.

They run after each read phase over the whole catalog, so their result never depends on which pages
were read again or on the order of parallel reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sphinx_fieldnotes.catalog import Catalog
from sphinx_fieldnotes.diagnostics import Code, Diagnostic
from sphinx_fieldnotes.model import DocumentRecord
from sphinx_fieldnotes.validation import UNRECORDED, is_future, normalise_name


def cross_document(
    catalog: Catalog, documents: dict[str, DocumentRecord], today: dt.date
) -> Iterator[Diagnostic]:
    yield from _duplicates(catalog)
    yield from _unknown_names(catalog, documents)
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
                f"project {project.name!r} is already defined at {first.docname}:{first.lineno}",
            )


def _unknown_names(catalog: Catalog, documents: dict[str, DocumentRecord]) -> Iterator[Diagnostic]:
    for docname in sorted(documents):
        for reference in documents[docname].references:
            if normalise_name(reference.target) not in catalog.by_key:
                yield Diagnostic(
                    docname,
                    reference.lineno,
                    Code.UNKNOWN_PROJECT,
                    f"{{project}} role: no project named {reference.target!r}",
                )
    for project in catalog.projects:
        if project.replaced_by and normalise_name(project.replaced_by) not in catalog.by_key:
            yield Diagnostic(
                project.docname,
                project.replaced_by_lineno or project.lineno,
                Code.UNKNOWN_PROJECT,
                f"project {project.name!r}: :replaced-by: names no project {project.replaced_by!r}",
            )
    for update in catalog.updates:
        orphan = update.project_key is None  # reported as orphan-update, not twice
        if not update.nested and not orphan and update.project_key not in catalog.by_key:
            yield Diagnostic(
                update.docname,
                update.project_lineno or update.lineno,
                Code.UNKNOWN_PROJECT,
                f"update: :project: names no project {update.project_key!r}",
            )


def _update_dates(catalog: Catalog) -> Iterator[Diagnostic]:
    for key, project in catalog.by_key.items():
        previous_in_doc: dict[str, str] = {}
        for update in sorted(
            catalog.updates_by_key.get(key, []), key=lambda u: (u.docname, u.lineno)
        ):
            date = update.date
            if date is None or date == UNRECORDED:
                continue
            if project.date is not None and _dated(project.date) and date < project.date:
                yield Diagnostic(
                    update.docname,
                    update.lineno,
                    Code.UPDATE_BEFORE_PROJECT,
                    f"update of project {project.name!r} is dated {update.date}, "
                    f"before the note itself ({project.date})",
                )
            before = previous_in_doc.get(update.docname)
            if before and date < before:
                yield Diagnostic(
                    update.docname,
                    update.lineno,
                    Code.UPDATE_ORDER,
                    f"update of project {project.name!r} is dated {update.date}, "
                    f"before the update above it ({before})",
                )
            previous_in_doc[update.docname] = max(date, before or date)


def _future_dates(catalog: Catalog, today: dt.date) -> Iterator[Diagnostic]:
    dated: list[tuple[str, int, str, str | None]] = [
        (p.docname, p.lineno, f"project {p.name!r}", p.date) for p in catalog.projects
    ]
    dated += [(u.docname, u.lineno, "update", u.date) for u in catalog.updates]
    for docname, lineno, subject, date in dated:
        if is_future(date, today):
            yield Diagnostic(
                docname,
                lineno,
                Code.FUTURE_DATE,
                f"{subject} is dated {date}, after today ({today.isoformat()})",
            )


def _dated(date: str | None) -> bool:
    return bool(date) and date != UNRECORDED
