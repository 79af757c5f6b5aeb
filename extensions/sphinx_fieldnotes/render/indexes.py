"""The listings, the landscape map and the overview's charts, rendered from the catalog into the
placeholders of the page being written; and what each project entry shows from other pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from docutils import nodes
from sphinx.util.osutil import relative_uri

from sphinx_fieldnotes import state, upstream_view
from sphinx_fieldnotes.builders import is_website
from sphinx_fieldnotes.catalog import days_before, stale_threshold
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.i18n import N_, _, ngettext
from sphinx_fieldnotes.nodes import (
    history_placeholder,
    index_placeholder,
    project_fields,
    update_fields,
)
from sphinx_fieldnotes.nonwriting_builders import writes_nothing
from sphinx_fieldnotes.render.badges import badge, badge_classes, status_colour, value_text
from sphinx_fieldnotes.render.charts import BarChart, ColumnChart, chart_html
from sphinx_fieldnotes.render.entries import project_history, project_summary, update_heading
from sphinx_fieldnotes.render.landscape import (
    NO_STATUS,
    KeyEntry,
    Landscape,
    Tile,
    landscape_html,
    landscape_nodes,
)
from sphinx_fieldnotes.render.tables import (
    Badge,
    Cell,
    External,
    Link,
    Marked,
    Table,
    empty,
    heading,
    table_html,
    table_node,
)
from sphinx_fieldnotes.render.upstream import review_reasons as upstream_reasons
from sphinx_fieldnotes.render.upstream import upstream_line, upstream_text
from sphinx_fieldnotes.validation import is_dated, period
from sphinx_fieldnotes.vocabulary import UNRECORDED

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinx_fieldnotes.catalog import Catalog, Event
    from sphinx_fieldnotes.model import Project, Todo
    from sphinx_fieldnotes.upstream_view import Upstream

PROJECT_HEADERS = (N_("Project"), N_("Category"), N_("Date"), N_("Version"), N_("Status"))
TIMELINE_HEADERS = (N_("Date"), N_("Event"), N_("Project"), N_("Version"))
# How an event's kind and a "what changed" mark read (the English words stay the data).
EVENT_KINDS = {"Note": N_("Note"), "Update": N_("Update")}
CHANGE_LABELS = {"new": N_("new"), "updated": N_("updated")}
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
# The colour of the "new" and "updated" marks in listings (sphinx-design badge colours).
CHANGE_COLOURS = {"new": "success", "updated": "info"}
# The landscape's accessible name, by what it groups by.
MAP_LABELS = {
    "category": N_("Map of projects by category"),
    "status": N_("Map of projects by status"),
    "year": N_("Map of projects by year"),
    "tag": N_("Map of projects by tag"),
}

Block: TypeAlias = Table | Landscape | ColumnChart | BarChart | nodes.Node
# A listing directive's options: its placeholder node, or the same attributes as a dict.
Options: TypeAlias = nodes.Element | Mapping[str, Any]


def event_kinds() -> dict[str, str]:
    """The event kinds in the site's language."""
    return {kind: _(label) for kind, label in EVENT_KINDS.items()}


class Listing:
    """Renders the listings of one page: knows the builder and the page links start from."""

    def __init__(self, app: Sphinx, fromdocname: str, taken_ids: Iterable[str] = ()) -> None:
        self.builder: Builder = app.builder
        self.fromdocname = fromdocname
        self.settings = state.of(app.config).settings
        self.catalog: Catalog = get_domain(app.env).catalog()
        self.today = self.settings.resolve_today()
        self.upstream = upstream_view.view_of(app)
        self._uris: dict[str, str] = {}
        self._taken_ids = set(taken_ids)

    def unique_id(self, base: str) -> str:
        """An element id for what fieldnotes writes into the page: numbered in page order, so
        every build of the page gives the same ids, and never one the page already has."""
        number = 1
        while f"{base}-{number}" in self._taken_ids:
            number += 1
        self._taken_ids.add(f"{base}-{number}")
        return f"{base}-{number}"

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

    def render(self, block: Block) -> nodes.Node | list[nodes.Node]:
        """A table or the map as raw HTML for the HTML builders (fast, and the map's landmarks),
        as nodes for every other builder; a chart (only ever made for HTML) as inline SVG."""
        if isinstance(block, nodes.Node):
            return block
        if isinstance(block, ColumnChart | BarChart):
            return nodes.raw("", self.html(block), format="html")
        if renders_when_translated(self.builder):
            return nodes.raw("", self.html(block), format="html")
        if isinstance(block, Landscape):
            return landscape_nodes(block, self.link)
        return table_node(block, self.link)

    def html(self, block: Table | Landscape | ColumnChart | BarChart) -> str:
        """A table, the map or a chart as the HTML the HTML builders write for it."""
        if isinstance(block, ColumnChart | BarChart):
            return chart_html(block, self.unique_id("fieldnotes-chart"))
        if isinstance(block, Landscape):
            return landscape_html(block, self.href)
        return table_html(block, self.href)

    def _uri(self, docname: str) -> str:
        if docname not in self._uris:
            self._uris[docname] = self.builder.get_relative_uri(self.fromdocname, docname)
        return self._uris[docname]

    def project_link(self, project: Project) -> Link:
        return Link(project.docname, project.anchor, project.name)

    def change(self, project: Project) -> str | None:
        """``new`` or ``updated`` when noted or updated within ``fieldnotes_recent_days``."""
        return self.catalog.change(project, self.today, self.settings.recent_days)

    def is_stale(self, project: Project) -> bool:
        return self.catalog.is_stale(project, self.today, self.settings.stale_after_days)

    def upstream_of(self, project: Project | Todo) -> Upstream | None:
        """What the upstream snapshot says of the entry's repository, if it says anything."""
        return self.upstream.of(project.key, project.url)

    def name_cell(self, project: Project) -> Cell:
        """The project's link, then its "new"/"updated" and "archived upstream" marks."""
        marks = []
        change = self.change(project)
        if change:
            classes = (*badge_classes(CHANGE_COLOURS[change]), "fieldnotes-change")
            marks.append(Badge(_(CHANGE_LABELS[change]), classes))
        if self.archived_upstream(project):
            classes = (*badge_classes("secondary"), "fieldnotes-archived-upstream")
            marks.append(Badge(_("archived upstream"), classes))
        link = self.project_link(project)
        return Marked(link, tuple(marks)) if marks else link

    def project_row(self, project: Project) -> list[Cell]:
        return [
            self.name_cell(project),
            project.category or "—",
            value_text(project.date),
            value_text(project.version),
            status_cell(project.status) if project.status else "—",
        ]

    def project_table(self, projects: Iterable[Project]) -> Table:
        rows = [self.project_row(p) for p in projects]
        return Table(_headers(PROJECT_HEADERS), rows, ["fieldnotes-project-index"])

    # -- the listing directives -----------------------------------------------------------------

    def project_index(self, group_by: str, filterable: bool = False) -> list[Block]:
        projects = self.catalog.projects
        if not projects:
            return [empty(_("No projects have been noted yet."))]
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
        result: list[Block] = []
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
    def event_row(event: Event, date: str, kinds: Mapping[str, str]) -> list[Cell]:
        """*kinds*: :func:`event_kinds`, translated once per listing, not once per row."""
        link = Link(event.docname, event.anchor, event.project.name)
        return [date, kinds[event.kind], link, value_text(event.version)]

    def timeline(self) -> list[Block]:
        if not self.catalog.events:
            return [empty(_("Nothing is on the timeline yet."))]
        dated = self.catalog.dated_events
        undated = [e for e in self.catalog.events if not e.dated]
        kinds = event_kinds()
        result: list[Block] = []
        by_year: dict[str, list[list[Cell]]] = {}
        for e in dated:  # one pass: scanning every event again for each year was quadratic
            if e.date:
                by_year.setdefault(e.date[:4], []).append(self.event_row(e, e.date, kinds))
        for year, rows in sorted(by_year.items(), reverse=True):
            result += [
                heading(year),
                Table(_headers(TIMELINE_HEADERS), rows, ["fieldnotes-timeline"]),
            ]
        if undated:
            rows = [
                self.event_row(e, value_text(e.date if e.date == UNRECORDED else None), kinds)
                for e in undated
            ]
            result += [
                heading(_("Date unrecorded")),
                Table(_headers(TIMELINE_HEADERS), rows, ["fieldnotes-timeline"]),
            ]
        return result

    def todo_list(self) -> list[Block]:
        todos = self.catalog.todos
        if not todos:
            return [empty(_("Nothing is left to study."))]
        order = {p: i for i, p in enumerate(self.settings.priorities)}
        result: list[Block] = []
        for priority in sorted(
            {t.priority or "" for t in todos}, key=lambda p: (order.get(p, len(order)), p)
        ):
            members = [t for t in todos if (t.priority or "") == priority]
            rows = [self.todo_row(t) for t in members]
            title = priority or _("No valid priority")
            result += [
                heading(f"{title} ({len(members)})"),
                Table(_headers(self.todo_headers()), rows, ["fieldnotes-todo-list"]),
            ]
        return result

    def todo_headers(self) -> tuple[str, ...]:
        headers = (N_("Project"), N_("Category"), N_("Depth"), N_("Repository"))
        # An "Upstream" column only for a site with a snapshot.
        return (*headers, N_("Upstream")) if self.upstream.snapshot is not None else headers

    def todo_row(self, todo: Todo) -> list[Cell]:
        url: Cell = External(todo.url, todo.url) if todo.url else "—"
        row: list[Cell] = [
            Link(todo.docname, todo.anchor, todo.name),
            todo.category or "—",
            todo.depth,
            url,
        ]
        if self.upstream.snapshot is not None:
            found = self.upstream_of(todo)
            row.append(upstream_text(found) if found else "—")
        return row

    def review_queue(self) -> list[Block]:
        rows = []
        for project in self.catalog.projects:
            reasons = self.review_reasons(project)
            if reasons:
                newest = self.catalog.newest_date(project)
                rows.append((newest or "", project, "; ".join(reasons)))
        if not rows:
            return [empty(_("Every note is complete and recent."))]
        rows.sort(key=lambda r: (r[0] != "", r[0], r[1].key, r[1].docname, r[1].lineno))
        return [
            Table(
                _headers((N_("Project"), N_("Category"), N_("Newest date"), N_("Why"))),
                [
                    [self.project_link(p), p.category or "—", value_text(newest or None), why]
                    for newest, p, why in rows
                ],
                ["fieldnotes-review-queue"],
            )
        ]

    # -- the home page's overview ---------------------------------------------------------------

    def overview(self) -> list[Block]:
        projects, todos = self.catalog.projects, self.catalog.todos
        if not projects and not todos:
            return [empty(_("No projects have been noted yet."))]
        categories = {p.category or _("(no category)") for p in projects}
        summary = overview_sentence(len(projects), len(categories), len(todos))
        totals = nodes.paragraph(summary, summary, classes=["fieldnotes-totals"])
        feed = self.settings.feed
        if feed and is_website(self.builder):
            href = relative_uri(self.builder.get_target_uri(self.fromdocname), feed)
            totals += [
                nodes.Text(" " + _("Follow new notes and updates in the") + " "),
                nodes.reference("", _("Atom feed"), refuri=href, internal=False),
                nodes.Text("."),
            ]
        result: list[Block] = [totals]

        by_category = _group(projects, _by_category, self.group_order("category"))
        result.append(heading(_("Projects by category")))
        if by_category and self.builder.format == "html":
            result.append(category_chart([(t, len(m)) for t, m in by_category]))
        result += [
            Table(
                _headers((N_("Category"), N_("Projects"))),
                [[t, str(len(m))] for t, m in by_category],
                ["fieldnotes-overview-categories"],
            ),
        ]
        by_status = _group(projects, _by_status, self.group_order("status"))
        result += [
            heading(_("Projects by status")),
            Table(
                _headers((N_("Status"), N_("Projects"))),
                [
                    [status_cell(t) if not t.startswith("(") else t, str(len(m))]
                    for t, m in by_status
                ],
                ["fieldnotes-overview-statuses"],
            ),
        ]

        result += self.yearly_counts()

        latest = self.catalog.dated_events[:OVERVIEW_LATEST]
        if latest:
            kinds = event_kinds()
            result += [
                heading(_("Latest notes and updates")),
                Table(
                    _headers(TIMELINE_HEADERS),
                    [self.event_row(e, e.date or "", kinds) for e in latest],
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
                heading(_("Top-priority TODOs")),
                Table(
                    _headers((N_("Project"), N_("Priority"), N_("Category"))),
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

    def yearly_counts(self) -> list[Block]:
        """Notes and updates per year, every year from the first to the last: a chart (HTML) and
        the same numbers as a table."""
        counts = Counter((e.date[:4], e.kind) for e in self.catalog.events if e.dated and e.date)
        if not counts:
            return []
        first, last = min(y for y, _ in counts), max(y for y, _ in counts)
        years = [str(y) for y in range(int(first), int(last) + 1)]
        notes = [counts[(y, "Note")] for y in years]
        updates = [counts[(y, "Update")] for y in years]
        result: list[Block] = [heading(_("Notes and updates per year"))]
        if self.builder.format == "html":
            result.append(year_chart(years, notes, updates))
        rows = [[y, str(n), str(u)] for y, n, u in zip(years, notes, updates, strict=True)]
        result.append(
            Table(
                _headers((N_("Year"), N_("Notes"), N_("Updates"))),
                rows,
                ["fieldnotes-overview-years"],
            )
        )
        return result

    # -- the landscape map ----------------------------------------------------------------------

    def landscape(self, group_by: str, tags: str, heading_level: int) -> list[Block]:
        wanted = [t for t in tags.split(",") if t]
        folded = {t.casefold() for t in wanted}
        projects = [
            p
            for p in self.catalog.projects
            if not folded or folded & {t.casefold() for t in p.tags}
        ]
        if not projects:
            if wanted:
                return [empty(_("No project is tagged {tags}.").format(tags=", ".join(wanted)))]
            return [empty(_("No projects have been noted yet."))]
        tiles = {id(p): self.tile(p) for p in projects}
        groups = [
            (title, [tiles[id(p)] for p in members])
            for title, members in _group(projects, GROUPERS[group_by], self.group_order(group_by))
        ]
        label = _(MAP_LABELS[group_by])
        if wanted:
            label += ", " + _("tagged {tags}").format(tags=", ".join(wanted))
        return [Landscape(label, groups, self.landscape_key(tiles.values()), heading_level)]

    def tile(self, project: Project) -> Tile:
        return Tile(
            link=self.project_link(project),
            status=project.status,
            tone=status_colour(project.status) if project.status else NO_STATUS,
            stale=self.is_stale(project),
            change=self.change(project),
            archived_upstream=self.archived_upstream(project),
        )

    def archived_upstream(self, project: Project) -> bool:
        """Whether the upstream snapshot (``fieldnotes refresh``) says the project's repository
        is archived."""
        found = self.upstream_of(project)
        return found is not None and found.archived

    def landscape_key(self, tiles: Iterable[Tile]) -> list[KeyEntry]:
        """What the colours and marks mean: the statuses on the map in configured order, then the
        marks (archived upstream only once the snapshot knows of one)."""
        tiles = list(tiles)
        order = self.group_order("status")
        statuses = sorted({t.status for t in tiles if t.status}, key=order)
        key = [KeyEntry(s, tone=status_colour(s)) for s in statuses]
        if any(t.status is None for t in tiles):
            key.append(KeyEntry(_("no status recorded"), tone=NO_STATUS))
        if any(t.archived_upstream for t in tiles):
            key.append(KeyEntry("archived upstream", _("the repository is archived upstream")))
        stale_before = stale_threshold(self.today, self.settings.stale_after_days)
        recent_since = days_before(self.today, self.settings.recent_days)
        key += [
            KeyEntry(
                "stale",
                _("newest note or update before {date}").format(date=stale_before.isoformat()),
            ),
            KeyEntry("new", _("noted since {date}").format(date=recent_since.isoformat())),
            KeyEntry("updated", _("updated since {date}").format(date=recent_since.isoformat())),
        ]
        return key

    # -- inside each project entry --------------------------------------------------------------

    def entry_extras(self, fields: project_fields) -> list[nodes.Node]:
        """The stale mark of the entry *fields* belongs to, and what the upstream snapshot says
        of its repository."""
        project = self.catalog.find(fields["docname"], fields["anchor"])
        if project is None:
            return []
        extras: list[nodes.Node] = []
        if self.is_stale(project):
            mark = badge(_("stale"), "warning")
            mark["classes"].append("fieldnotes-stale")
            extras += [nodes.Text(" "), mark]
        found = self.upstream_of(project)
        if found is not None:
            extras += [nodes.Text(" "), upstream_line(found)]
        return extras

    def history_of(self, docname: str, anchor: str) -> list[Event] | None:
        """The note and the updates (which may live on other pages) of the entry at
        *docname*#*anchor*, for an entry that has updates; the summary already says all there is
        about one without."""
        project = self.catalog.find(docname, anchor)
        if project is None:
            return None
        events = [e for e in self.catalog.events_of(project) if e.kind == "Note" or e.date]
        return events if len(events) >= 2 else None

    def entry_history(self, fields: project_fields) -> nodes.Node | None:
        """The history of the entry *fields* belongs to as nodes (``None`` without updates); for
        the HTML builders a :class:`history_placeholder`, whose visit looks the events up once,
        in the writer (with ``-j N``), and writes nothing for an entry without updates."""
        docname, anchor = fields["docname"], fields["anchor"]
        if renders_when_translated(self.builder):
            return history_placeholder(docname=docname, anchor=anchor)
        events = self.history_of(docname, anchor)
        return None if events is None else project_history(events, self.link)

    def review_reasons(self, project: Project) -> list[str]:
        reasons = []
        if project.date == UNRECORDED:
            reasons.append(_("date unrecorded"))
        if project.version == UNRECORDED:
            reasons.append(_("version unrecorded"))
        if any(
            u.date == UNRECORDED or u.version == UNRECORDED
            for u in self.catalog.updates_of(project)
        ):
            reasons.append(_("an update has an unrecorded field"))
        newest = self.catalog.newest_date(project)
        if newest and self.is_stale(project):
            age = (self.today - period(newest)[1]).days
            reasons.append(
                ngettext(
                    "newest date is {age} day old", "newest date is {age} days old", age
                ).format(age=age)
            )
        return reasons + upstream_reasons(
            self.upstream_of(project), self.settings.upstream_behind_threshold
        )


def category_chart(counts: list[tuple[str, int]]) -> BarChart:
    listed = ", ".join(f"{title} {count}" for title, count in counts)
    return BarChart(
        _("Projects by category"),
        _("Bar chart of the number of projects in each category: {listed}.").format(listed=listed),
        [title for title, _ in counts],
        [count for _, count in counts],
    )


def year_chart(years: list[str], notes: list[int], updates: list[int]) -> ColumnChart:
    listed = [
        f"{year}, "
        + (" " + _("and") + " ").join(
            ([ngettext("{count} note", "{count} notes", n).format(count=n)] if n else [])
            + ([ngettext("{count} update", "{count} updates", u).format(count=u)] if u else [])
        )
        for year, n, u in zip(years, notes, updates, strict=True)
        if n or u
    ]
    if len(listed) < len(years):
        listed.append(_("none in the other years"))
    return ColumnChart(
        _("Notes and updates per year"),
        _(
            "Column chart of the notes and updates written each year, {first} to {last}: {listed}."
        ).format(first=years[0], last=years[-1], listed="; ".join(listed)),
        years,
        [(_("Notes"), notes), (_("Updates"), updates)],
    )


def overview_sentence(projects: int, categories: int, todos: int) -> str:
    """The overview's totals, each count with its noun in the right plural form."""
    return _("{projects} in {categories}; {todos}.").format(
        projects=ngettext("{count} project", "{count} projects", projects).format(count=projects),
        categories=ngettext("{count} category", "{count} categories", categories).format(
            count=categories
        ),
        todos=ngettext(
            "{count} project still to study", "{count} projects still to study", todos
        ).format(count=todos),
    )


def _headers(headers: Iterable[str]) -> tuple[str, ...]:
    """Column headers (marked with ``N_`` where written) in the site's language."""
    return tuple(_(header) for header in headers)


def status_cell(status: str) -> Badge:
    return Badge(status, badge_classes(status_colour(status)))


def _by_category(project: Project) -> list[str]:
    return [project.category or _("(no category)")]


def _by_status(project: Project) -> list[str]:
    return [project.status or _("(no status)")]


def _by_year(project: Project) -> list[str]:
    return [project.date[:4] if is_dated(project.date) else _("(date unrecorded)")]


def _by_tag(project: Project) -> list[str]:
    return list(project.tags) or [_("(untagged)")]


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
    listing = Listing(app, fromdocname, doctree.ids)
    for entry in entries:
        history = listing.entry_history(entry)
        summary = entry.parent
        entry.replace_self(project_summary(entry, listing.entry_extras(entry)))
        if history is not None:  # a block of its own, after the summary paragraph
            summary.parent.insert(summary.parent.index(summary) + 1, history)
    for placeholder in placeholders:
        if renders_when_translated(app.builder):
            # Left for the HTML translator (visit_index_placeholder): with -j N that runs in the
            # forked writers, not in the main process, which resolves every page.
            placeholder["heading_level"] = heading_level(placeholder)
            continue
        blocks = listing_blocks(listing, placeholder)
        placeholder.replace_self(rendered_listing(listing, placeholder, blocks))


# The builders that write one HTML file per page: listings go straight into their HTML (when each
# page is translated), and long ones are split over part pages (:mod:`.listing_pages`).
PAGE_HTML_BUILDERS = ("html", "dirhtml")


def renders_when_translated(builder: Builder) -> bool:
    """Whether the listings are written straight into the HTML as each page is translated."""
    return builder.name in PAGE_HTML_BUILDERS


def listing_container(options: Options) -> nodes.container:
    """The empty container that replaces the placeholder (*options*: its attributes)."""
    # no-search: a listing repeats entries the search index already has from their own pages;
    # indexing it would point searches at the listing and cost a second per 10,000 rows.
    kind = options["kind"]
    return nodes.container(classes=["fieldnotes-index", f"fieldnotes-{kind}", "no-search"])


def rendered_listing(
    listing: Listing, options: Options, blocks: Iterable[Block]
) -> nodes.container:
    """The listing's *blocks* rendered as nodes, in its container."""
    container = listing_container(options)
    for block in blocks:
        container += listing.render(block)
    return container


def listing_blocks(listing: Listing, options: Options) -> list[Block]:
    """What the index directive stood for lists, in page order; *options* are its placeholder's
    attributes (the placeholder itself, or a copy of them for a listing's part pages)."""
    kind = options["kind"]
    if kind == "project-index":
        return listing.project_index(options.get("group_by", "none"), options.get("filter", False))
    if kind == "fieldnotes-landscape":
        level = options.get("heading_level")
        if not level:
            level = heading_level(options) if isinstance(options, nodes.Node) else 2
        return listing.landscape(
            options.get("group_by", "category"), options.get("tags", ""), level
        )
    if kind == "fieldnotes-overview":
        return listing.overview()
    if kind == "timeline":
        return listing.timeline()
    if kind == "todo-list":
        return listing.todo_list()
    return listing.review_queue()


def heading_level(node: nodes.Node) -> int:
    """The level of a heading written at *node*: one below the section it is in (h2 at most
    outside any section, h6 at the deepest)."""
    depth = 0
    parent = node.parent
    while parent is not None:
        depth += isinstance(parent, nodes.section)
        parent = parent.parent
    return min(max(depth + 1, 2), 6)
