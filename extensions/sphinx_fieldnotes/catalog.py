"""A read-only view over every document's records, built once per build after all pages are read.

Listings are sorted by content (name, date, docname, line), never by read order, so ``-j N`` and
incremental builds list the same rows in the same order as a clean ``-j 1`` build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sphinx_fieldnotes.validation import is_dated, period
from sphinx_fieldnotes.vocabulary import UNRECORDED

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from sphinx_fieldnotes.model import DocumentRecord, Project, Reference, Todo, Update


def _project_order(project: Project) -> tuple[str, str, str, int]:
    return (project.key, project.name, project.docname, project.lineno)


def _date_order(date: str | None) -> str:
    """Dated entries sort before ``unrecorded`` and invalid ones (in ascending order)."""
    return date if date and date != UNRECORDED else "9999-99-99"


@dataclass(frozen=True, slots=True)
class Event:
    """A note or an update, as the timeline, the home page and the feed list it."""

    date: str | None
    kind: str  # "Note" or "Update"
    project: Project
    docname: str
    anchor: str
    version: str | None

    @property
    def dated(self) -> bool:
        return is_dated(self.date)


@dataclass
class Catalog:
    projects: list[Project]
    todos: list[Todo]
    updates: list[Update]
    index_docs: list[str]
    referring_docs: list[str]
    references: list[Reference] = field(default_factory=list)
    # Each ``only`` expression entries stand under, and whether this build shows them.
    conditions: dict[str, bool] = field(default_factory=dict)
    records: list[tuple[str, DocumentRecord]] = field(default_factory=list, repr=False)
    by_key: dict[str, Project] = field(default_factory=dict)
    updates_by_key: dict[str, list[Update]] = field(default_factory=dict)
    _by_location: dict[tuple[str, str], Project] | None = field(default=None, repr=False)
    # Each project's newest date, by the project's id(): asked for by the stale marks, the "new"
    # and "updated" marks and the fingerprints, several times per project and build.
    _newest: dict[int, str | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        documents: Mapping[str, DocumentRecord],
        holds: Callable[[str], bool] = lambda condition: True,
    ) -> Catalog:
        """The entries of *documents* that this build shows: those under no ``only``, and those
        whose ``only`` expression *holds* (see :mod:`sphinx_fieldnotes.conditions`)."""
        records = [documents[docname] for docname in sorted(documents)]
        conditions: dict[str, bool] = {}

        def shown(entry: Project | Todo | Update | Reference) -> bool:
            if entry.condition is None:
                return True
            if entry.condition not in conditions:
                conditions[entry.condition] = holds(entry.condition)
            return conditions[entry.condition]

        projects = sorted((p for r in records for p in r.projects if shown(p)), key=_project_order)
        todos = sorted(
            (t for r in records for t in r.todos if shown(t)),
            key=lambda t: (t.key, t.docname, t.lineno),
        )
        updates = [u for r in records for u in r.updates if shown(u)]
        catalog = cls(
            projects=projects,
            todos=todos,
            updates=updates,
            references=[ref for r in records for ref in r.references if shown(ref)],
            conditions=conditions,
            records=[(docname, documents[docname]) for docname in sorted(documents)],
            index_docs=[d for d in sorted(documents) if documents[d].has_index],
            referring_docs=[
                d
                for d in sorted(documents)
                if documents[d].references
                or any(p.replaced_by for p in documents[d].projects)
                # an update outside its project links to it by the :project: name
                or any(not u.nested and u.project_key for u in documents[d].updates)
            ],
        )
        for project in sorted(projects, key=lambda p: (p.docname, p.lineno)):
            catalog.by_key.setdefault(project.key, project)
        for update in updates:
            if update.project_key is not None:
                catalog.updates_by_key.setdefault(update.project_key, []).append(update)
        for group in catalog.updates_by_key.values():
            group.sort(key=lambda u: (_date_order(u.date), u.docname, u.lineno))
        return catalog

    def updates_of(self, project: Project) -> list[Update]:
        """The updates of *project*: only its first definition owns them (a duplicate owns none)."""
        if self.by_key.get(project.key) is not project:
            return []
        return self.updates_by_key.get(project.key, [])

    def newest_date(self, project: Project) -> str | None:
        """The date (note or update) whose period ends last; of equals, the most precise."""
        try:
            return self._newest[id(project)]
        except KeyError:
            dates = [project.date, *(u.date for u in self.updates_of(project))]
            known = [d for d in dates if is_dated(d)]
            newest = max(known, key=lambda d: (period(d)[1], len(d))) if known else None
            self._newest[id(project)] = newest
            return newest

    @cached_property
    def events(self) -> list[Event]:
        """Every note, each followed by its updates, in catalog order (by project name)."""
        return [event for project in self.projects for event in self.events_of(project)]

    def events_of(self, project: Project) -> list[Event]:
        """The note of *project*, then its updates in date order."""
        note = Event(
            project.date, "Note", project, project.docname, project.anchor, project.version
        )
        return [
            note,
            *(
                Event(u.date, "Update", project, u.docname, u.anchor, u.version)
                for u in self.updates_of(project)
            ),
        ]

    @cached_property
    def dated_events(self) -> list[Event]:
        """Dated events, newest first; on one date updates before notes, then in name order.

        The sort is stable on the catalog order, never on page names or anchors, so renaming a
        page does not move rows about.
        """
        dated = [e for e in self.events if e.dated]
        return sorted(dated, key=lambda e: (e.date, e.kind), reverse=True)

    def find(self, docname: str, anchor: str) -> Project | None:
        """The project whose entry is at *docname*#*anchor*."""
        if self._by_location is None:  # built on first use: one lookup per entry on a page
            self._by_location = {(p.docname, p.anchor): p for p in self.projects}
        return self._by_location.get((docname, anchor))

    def is_stale(self, project: Project, today: dt.date, stale_after_days: int) -> bool:
        """Whether the newest date of *project* (note or update) is older than the threshold."""
        newest = self.newest_date(project)
        threshold = stale_threshold(today, stale_after_days)
        # A month or a year is stale only once its last day is: the note may be from that day.
        return newest is not None and period(newest)[1] < threshold

    def change(self, project: Project, today: dt.date, recent_days: int) -> str | None:
        """``"new"`` when *project* was noted within *recent_days* before *today*, ``"updated"``
        when one of its updates was, else ``None``: derived from the dates, never written."""
        start = days_before(today, recent_days)
        newest = self.newest_date(project)
        if newest is None or period(newest)[1] < start:
            return None  # most projects: none of their dates ends inside the window

        def recent(date: str | None) -> bool:
            # a month or a year is recent while its last day is in the window
            return is_dated(date) and start <= period(date)[1] <= today

        if recent(project.date):
            return "new"
        if any(recent(u.date) for u in self.updates_of(project)):
            return "updated"
        return None

    def entry_fingerprints(self, today: dt.date, stale_after_days: int) -> dict[str, str]:
        """Per page holding projects: what its entries show from elsewhere (stale mark, updates).

        Changes when an update on another page is added, moved or edited, or when a note turns
        stale: that page must then be rewritten too.
        """
        shown: dict[str, list[object]] = {}
        for project in self.projects:
            # the history on the entry shows each update's date and version, linked
            updates = [(u.docname, u.anchor, u.date, u.version) for u in self.updates_of(project)]
            shown.setdefault(project.docname, []).append(
                (project.anchor, self.is_stale(project, today, stale_after_days), updates)
            )
        return {docname: _digest(value) for docname, value in sorted(shown.items())}

    def content_fingerprint(self) -> str:
        """Changes whenever any listed field of any entry changes: index pages must be rewritten.

        Line numbers are left out (listings never show them; they only break ties between the
        entries of one page), only their order is kept: prose added above an entry must not rewrite
        every index page. That order is by line number, not the order the entries were read in: an
        entry of an included file has its line in that file, so an edit there can move it past an
        entry of the page without changing what was read. Each page's digest is computed once,
        when it was read.
        """
        for _docname, record in self.records:
            if record.content_digest is None:
                entries: list[Project | Todo | Update] = sorted(
                    [*record.projects, *record.todos, *record.updates], key=lambda e: e.lineno
                )
                record.content_digest = _digest([_without_lines(e) for e in entries])
        pages = [(docname, record.content_digest) for docname, record in self.records]
        return _digest([pages, sorted(self.conditions.items())])

    def location_fingerprint(self) -> str:
        """Changes whenever a project's page or anchor changes: pages linking to it change."""
        return _digest(sorted((k, p.docname, p.anchor, p.name) for k, p in self.by_key.items()))


def _without_lines(entry: Project | Todo | Update) -> tuple[str, list[tuple[str, object]]]:
    names = [f.name for f in dataclasses.fields(entry)]
    kept = [(k, getattr(entry, k)) for k in names if k not in ("lineno", "replaced_by_lineno")]
    return type(entry).__name__, kept


def stale_threshold(today: dt.date, stale_after_days: int) -> dt.date:
    """The day before which a newest date is stale (the first day of the calendar at most)."""
    return days_before(today, stale_after_days)


def days_before(today: dt.date, days: int) -> dt.date:
    """*days* days before *today*, or the first day of the calendar for a setting that reaches
    back before year 1."""
    try:
        return today - dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min


def _digest(value: object) -> str:
    # repr, not pickle: pickle's bytes also record which equal strings are the same object, and
    # that differs between entries just read and entries loaded from the environment.
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()
