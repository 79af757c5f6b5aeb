"""The four listings, rendered from the catalog into the placeholders of the page being written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.osutil import relative_uri

from sphinx_fieldnotes import config
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.nodes import index_placeholder, project_fields, update_fields
from sphinx_fieldnotes.render.badges import badge, badge_classes, status_colour, value_text
from sphinx_fieldnotes.render.entries import project_summary, update_heading
from sphinx_fieldnotes.render.tables import (
    Badge,
    Cell,
    External,
    Link,
    Table,
    empty,
    heading,
    table_html,
    table_node,
)
from sphinx_fieldnotes.validation_only import writes_nothing
from sphinx_fieldnotes.vocabulary import UNRECORDED

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinx_fieldnotes.catalog import Catalog, Event
    from sphinx_fieldnotes.model import Project, Todo

PROJECT_HEADERS = ("Project", "Category", "Date", "Version", "Status")
# Classes of the cells of a filterable project index: what its script reads each row's data from.
FILTER_COLUMNS = (
    "fieldnotes-name",
    "fieldnotes-category",
    "fieldnotes-date",
    "fieldnotes-version",
    "fieldnotes-status",
)
OVERVIEW_LATEST = 8
OVERVIEW_TODOS = 5


class Listing:
    """Renders the listings of one page: knows the builder and the page links start from."""

    def __init__(self, app: Sphinx, fromdocname: str) -> None:
        self.builder: Builder = app.builder
        self.fromdocname = fromdocname
        self.settings = config.get(app)
        self.catalog: Catalog = get_domain(app.env).catalog()
        self.today = self.settings.resolve_today()
        self._uris: dict[str, str] = {}

    # -- links ----------------------------------------------------------------------------------

    def link(self, docname: str, anchor: str, text: str) -> nodes.Node:
        """What ``make_refnode`` makes, with each page's URI computed once: a listing links to
        thousands of entries on a few pages, and ``get_relative_uri`` dominated its cost."""
        node = nodes.reference("", "", internal=True, reftitle=text)
        if docname == self.fromdocname:
            node["refid"] = anchor
        else:
            node["refuri"] = f"{self._uri(docname)}#{anchor}"
        node += nodes.inline(text, text)
        return node

    def href(self, docname: str, anchor: str) -> str:
        """The ``href`` the HTML writer gives :meth:`link`'s node."""
        if docname == self.fromdocname:
            return f"#{anchor}"
        return f"{self._uri(docname)}#{anchor}"

    def render(self, block: Table | nodes.Node) -> nodes.Node:
        """A table as raw HTML for the HTML builders (fast), as nodes for every other builder."""
        if not isinstance(block, Table):
            return block
        if self.builder.name in ("html", "dirhtml"):
            html = table_html(block, self.href)
            return nodes.raw("", html, format="html")
        return table_node(block, self.link)

    def _uri(self, docname: str) -> str:
        if docname not in self._uris:
            self._uris[docname] = self.builder.get_relative_uri(self.fromdocname, docname)
        return self._uris[docname]

    def project_link(self, project: Project) -> Link:
        return Link(project.docname, project.anchor, project.name)

    def project_row(self, project: Project) -> list[Cell]:
        return [
            self.project_link(project),
            project.category or "—",
            value_text(project.date),
            value_text(project.version),
            status_cell(project.status) if project.status else "—",
        ]

    def project_table(self, projects: Iterable[Project]) -> Table:
        rows = [self.project_row(p) for p in projects]
        return Table(PROJECT_HEADERS, rows, ["fieldnotes-project-index"])

    # -- the four directives --------------------------------------------------------------------

    def project_index(self, group_by: str, filterable: bool = False) -> list[Table | nodes.Node]:
        projects = self.catalog.projects
        if not projects:
            return [empty("No projects have been noted yet.")]
        if filterable:
            # One table, every row; fieldnotes-filter.js builds the controls over it in the browser
            # (without JavaScript the full table is there).
            table = self.project_table(projects)
            table.classes.append("fieldnotes-filterable")
            table.column_classes = FILTER_COLUMNS
            return [table]
        if group_by == "none":
            return [self.project_table(projects)]
        groups = _group(projects, GROUPERS[group_by], self.group_order(group_by))
        result: list[Table | nodes.Node] = []
        for title, members in groups:
            result += [heading(f"{title} ({len(members)})"), self.project_table(members)]
        return result

    def group_order(self, group_by: str) -> Callable[[str], tuple]:
        if group_by == "status":
            order = {s: i for i, s in enumerate(self.settings.statuses)}
            return lambda title: (order.get(title, len(order)), title)
        if group_by == "year":
            return lambda title: (0, -int(title), title) if title.isdigit() else (1, 0, title)
        return lambda title: (title.startswith("("), title.casefold(), title)

    @staticmethod
    def event_row(event: Event, date: str) -> list[Cell]:
        link = Link(event.docname, event.anchor, event.project.name)
        return [date, event.kind, link, value_text(event.version)]

    def timeline(self) -> list[Table | nodes.Node]:
        if not self.catalog.events:
            return [empty("Nothing is on the timeline yet.")]
        dated = self.catalog.dated_events
        undated = [e for e in self.catalog.events if not e.dated]
        result: list[Table | nodes.Node] = []
        for year in sorted({e.date[:4] for e in dated if e.date}, reverse=True):
            rows = [self.event_row(e, e.date) for e in dated if e.date and e.date[:4] == year]
            result += [
                heading(year),
                Table(("Date", "Event", "Project", "Version"), rows, ["fieldnotes-timeline"]),
            ]
        if undated:
            rows = [self.event_row(e, UNRECORDED if e.date == UNRECORDED else "—") for e in undated]
            result += [
                heading("Date unrecorded"),
                Table(("Date", "Event", "Project", "Version"), rows, ["fieldnotes-timeline"]),
            ]
        return result

    def todo_list(self) -> list[Table | nodes.Node]:
        todos = self.catalog.todos
        if not todos:
            return [empty("Nothing is left to study.")]
        order = {p: i for i, p in enumerate(self.settings.priorities)}
        result: list[Table | nodes.Node] = []
        for priority in sorted(
            {t.priority or "" for t in todos}, key=lambda p: (order.get(p, len(order)), p)
        ):
            members = [t for t in todos if (t.priority or "") == priority]
            rows = [self.todo_row(t) for t in members]
            result += [
                heading(f"{priority or 'No valid priority'} ({len(members)})"),
                Table(
                    ("Project", "Category", "Depth", "Repository"), rows, ["fieldnotes-todo-list"]
                ),
            ]
        return result

    def todo_row(self, todo: Todo) -> list[Cell]:
        url: Cell = External(todo.url, todo.url) if todo.url else "—"
        return [
            Link(todo.docname, todo.anchor, todo.name),
            todo.category or "—",
            todo.depth,
            url,
        ]

    def review_queue(self) -> list[Table | nodes.Node]:
        rows = []
        for project in self.catalog.projects:
            reasons = self.review_reasons(project)
            if reasons:
                newest = self.catalog.newest_date(project)
                rows.append((newest or "", project, "; ".join(reasons)))
        if not rows:
            return [empty("Every note is complete and recent.")]
        rows.sort(key=lambda r: (r[0] != "", r[0], r[1].key, r[1].docname, r[1].lineno))
        return [
            Table(
                ("Project", "Category", "Newest date", "Why"),
                [
                    [self.project_link(p), p.category or "—", value_text(newest or None), why]
                    for newest, p, why in rows
                ],
                ["fieldnotes-review-queue"],
            )
        ]

    # -- the home page's overview ---------------------------------------------------------------

    def overview(self) -> list[Table | nodes.Node]:
        projects, todos = self.catalog.projects, self.catalog.todos
        if not projects and not todos:
            return [empty("No projects have been noted yet.")]
        categories = {p.category or "(no category)" for p in projects}
        summary = (
            f"{len(projects)} projects in {len(categories)} categories; "
            f"{len(todos)} projects still to study."
        )
        totals = nodes.paragraph(summary, summary, classes=["fieldnotes-totals"])
        feed = self.settings.feed
        if feed and self.builder.format == "html":
            href = relative_uri(self.builder.get_target_uri(self.fromdocname), feed)
            totals += [
                nodes.Text(" Follow new notes and updates in the "),
                nodes.reference("", "Atom feed", refuri=href, internal=False),
                nodes.Text("."),
            ]
        result: list[Table | nodes.Node] = [totals]

        by_category = _group(projects, _by_category, self.group_order("category"))
        result += [
            heading("Projects by category"),
            Table(
                ("Category", "Projects"),
                [[t, str(len(m))] for t, m in by_category],
                ["fieldnotes-overview-categories"],
            ),
        ]
        by_status = _group(projects, _by_status, self.group_order("status"))
        result += [
            heading("Projects by status"),
            Table(
                ("Status", "Projects"),
                [
                    [status_cell(t) if not t.startswith("(") else t, str(len(m))]
                    for t, m in by_status
                ],
                ["fieldnotes-overview-statuses"],
            ),
        ]

        latest = self.catalog.dated_events[:OVERVIEW_LATEST]
        if latest:
            result += [
                heading("Latest notes and updates"),
                Table(
                    ("Date", "Event", "Project", "Version"),
                    [self.event_row(e, e.date or "") for e in latest],
                    ["fieldnotes-overview-latest"],
                ),
            ]

        order = {p: i for i, p in enumerate(self.settings.priorities)}
        urgent = sorted(
            todos,
            key=lambda t: (order.get(t.priority or "", len(order)), t.key, t.docname, t.lineno),
        )[:OVERVIEW_TODOS]
        if urgent:
            result += [
                heading("Top-priority TODOs"),
                Table(
                    ("Project", "Priority", "Category"),
                    [
                        [
                            Link(t.docname, t.anchor, t.name),
                            t.priority or "—",
                            t.category or "—",
                        ]
                        for t in urgent
                    ],
                    ["fieldnotes-overview-todos"],
                ),
            ]
        return result

    # -- inside each project entry --------------------------------------------------------------

    def entry_extras(self, fields: project_fields) -> list[nodes.Node]:
        """The stale mark and the links to the updates of the entry *fields* belongs to."""
        project = self.catalog.find(fields["docname"], fields["anchor"])
        if project is None:
            return []
        result: list[nodes.Node] = []
        if self.catalog.is_stale(project, self.today, self.settings.stale_after_days):
            mark = badge("stale", "warning")
            mark["classes"].append("fieldnotes-stale")
            result += [nodes.Text(" "), mark]
        updates = [u for u in self.catalog.updates_of(project) if u.date]
        if updates:
            links = nodes.inline(classes=["fieldnotes-update-links"])
            links += nodes.Text("updates:")
            for index, update in enumerate(updates):
                links += nodes.Text(" " if index == 0 else ", ")
                links += self.link(update.docname, update.anchor, update.date or "")
            result += [nodes.Text(" "), links]
        return result

    def review_reasons(self, project: Project) -> list[str]:
        reasons = []
        if project.date == UNRECORDED:
            reasons.append("date unrecorded")
        if project.version == UNRECORDED:
            reasons.append("version unrecorded")
        if any(
            u.date == UNRECORDED or u.version == UNRECORDED
            for u in self.catalog.updates_of(project)
        ):
            reasons.append("an update has an unrecorded field")
        newest = self.catalog.newest_date(project)
        if newest and self.catalog.is_stale(project, self.today, self.settings.stale_after_days):
            age = (self.today - dt.date.fromisoformat(newest)).days
            reasons.append(f"newest date is {age} days old")
        return reasons


def status_cell(status: str) -> Badge:
    return Badge(status, badge_classes(status_colour(status)))


def _is_dated(date: str) -> bool:
    return bool(date) and date != UNRECORDED


def _by_category(project: Project) -> list[str]:
    return [project.category or "(no category)"]


def _by_status(project: Project) -> list[str]:
    return [project.status or "(no status)"]


def _by_year(project: Project) -> list[str]:
    return [project.date[:4] if project.date and _is_dated(project.date) else "(date unrecorded)"]


def _by_tag(project: Project) -> list[str]:
    return list(project.tags) or ["(untagged)"]


GROUPERS: dict[str, Callable[[Project], list[str]]] = {
    "category": _by_category,
    "status": _by_status,
    "year": _by_year,
    "tag": _by_tag,
}


def _group(
    projects: Iterable[Project],
    titles_of: Callable[[Project], list[str]],
    order: Callable[[str], tuple],
) -> list[tuple[str, list[Project]]]:
    groups: dict[str, list[Project]] = {}
    for project in projects:
        for title in titles_of(project):
            groups.setdefault(title, []).append(project)
    return [(title, groups[title]) for title in sorted(groups, key=order)]


_RENDERED_WHEN_WRITTEN = (index_placeholder, project_fields, update_fields)


def resolve_placeholders(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """``doctree-resolved``: render the entries' summaries and headings, and replace every index
    placeholder of the page with its listing."""
    if writes_nothing(app):
        return  # validation only: nothing is written, so nothing needs rendering
    # One walk of the page, not one per node class.
    found = list(doctree.findall(lambda node: isinstance(node, _RENDERED_WHEN_WRITTEN)))
    placeholders = [n for n in found if isinstance(n, index_placeholder)]
    entries = [n for n in found if isinstance(n, project_fields)]
    for fields in found:
        if isinstance(fields, update_fields):
            fields.replace_self(update_heading(fields))
    if not placeholders and not entries:
        return
    listing = Listing(app, fromdocname)
    for entry in entries:
        entry.replace_self(project_summary(entry, listing.entry_extras(entry)))
    for placeholder in placeholders:
        kind = placeholder["kind"]
        if kind == "project-index":
            content = listing.project_index(
                placeholder.get("group_by", "none"), placeholder.get("filter", False)
            )
        elif kind == "fieldnotes-overview":
            content = listing.overview()
        elif kind == "timeline":
            content = listing.timeline()
        elif kind == "todo-list":
            content = listing.todo_list()
        else:
            content = listing.review_queue()
        # no-search: a listing repeats entries the search index already has from their own pages;
        # indexing it would point searches at the listing and cost a second per 10,000 rows.
        container = nodes.container(classes=["fieldnotes-index", f"fieldnotes-{kind}", "no-search"])
        container.extend(listing.render(block) for block in content)
        placeholder.replace_self(container)
