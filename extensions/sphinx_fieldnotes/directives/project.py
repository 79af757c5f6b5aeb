"""``project`` and ``update``: a studied project, with the dated updates inside it."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx import addnodes

from sphinx_fieldnotes.anchors import PageAnchors, move_id, stem, unique_id
from sphinx_fieldnotes.codes import Code
from sphinx_fieldnotes.directives.base import FieldnotesDirective
from sphinx_fieldnotes.i18n import _
from sphinx_fieldnotes.model import Project, Update
from sphinx_fieldnotes.nodes import project_fields, update_fields
from sphinx_fieldnotes.render.badges import external_link
from sphinx_fieldnotes.validation import (
    normalise_name,
    parse_choice,
    parse_date,
    parse_kubernetes,
    parse_tags,
    parse_url,
    parse_version,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_PARENTS = "fieldnotes:parents"

PROJECT_OPTIONS = (
    "url",
    "date",
    "version",
    "status",
    "kubernetes",
    "vendor",
    "tags",
    "category",
    "replaced-by",
)


class ProjectDirective(FieldnotesDirective):
    """A studied project: a heading in the page's contents, a field summary, the notes."""

    known_options: ClassVar[tuple[str, ...]] = PROJECT_OPTIONS

    def run(self) -> list[nodes.Node]:
        options = self.read_options()
        name, subject = self.entry_name("project")
        key = normalise_name(name or "")
        section = nodes.section(classes=["fieldnotes-project"])
        anchor = self._anchor(name, key, lambda new: self._move(project, section, new))
        project = Project(
            name=name or "",
            key=key,
            docname=self.env.docname,
            lineno=self.line,
            anchor=anchor,
            url=self.required("url", parse_url, Code.MISSING_URL, subject),
            date=self.required("date", parse_date, Code.MISSING_DATE, subject),
            version=self.required("version", parse_version, Code.MISSING_VERSION, subject),
            status=self.optional("status", self._parse_status, subject),
            kubernetes=self.optional("kubernetes", parse_kubernetes, subject),
            vendor=options.get("vendor") or None,
            tags=parse_tags(options.get("tags", "")),
            category=options.get("category") or None,
            replaced_by=options.get("replaced-by") or None,
            replaced_by_lineno=self.option_line("replaced-by"),
            source=self.source_file,
        )
        if name is not None:
            self.doc_record.projects.append(project)

        section["ids"] = [anchor]
        self.state.document.ids.setdefault(anchor, section)
        section += nodes.title(name or "(unnamed project)", name or "(unnamed project)")
        section += self._summary(project)
        self.set_source_info(section)
        with _parent(self.env.temp_data, project):
            self.state.nested_parse(self.content, self.content_offset, section)
        return [section]

    def _parse_status(self, value: str) -> str:
        return parse_choice(value, self.settings.statuses, "status", Code.BAD_STATUS)

    def _anchor(self, name: str | None, key: str, move: Callable[[str], None]) -> str:
        """The section id, made from the name (see :mod:`sphinx_fieldnotes.anchors`), so links
        survive edits elsewhere on the page."""
        if name is None:  # reported as missing-name; not listed, so nothing links to it
            return unique_id(self.state.document, f"project-line-{self.line}")
        return PageAnchors.of(self.env, self.state.document).claim("project", name, key, move)

    def _move(self, project: Project, section: nodes.section, anchor: str) -> None:
        """Give *project* a new anchor (a name read later took its slug); its updates follow."""
        document = self.state.document
        old = project.anchor
        move_id(document, section, old, anchor)
        fields = next(section.findall(project_fields), None)
        if fields is not None:
            fields["anchor"] = anchor
        for update in self.doc_record.updates:
            if update.nested and update.project_key == project.key:
                container = document.ids.get(update.anchor)
                if update.anchor.startswith(f"{old}-update-") and container is not None:
                    moved = unique_id(document, anchor + update.anchor[len(old) :])
                    move_id(document, container, update.anchor, moved)
                    update.anchor = moved
        project.anchor = anchor

    def _summary(self, project: Project) -> nodes.paragraph:
        """The fields as data; shown as badges when the page is written (see ``nodes``)."""
        fields = project_fields(
            key=project.key, docname=project.docname, anchor=project.anchor, tags=list(project.tags)
        )
        _with_fields(fields, project, ("status", "date", "version", "kubernetes", "vendor"))
        if project.url:
            fields["has_url"] = True
            fields += external_link(project.url, _("repository"))
        if project.replaced_by:
            fields["replaced_by"] = True
            fields += _project_xref(project.replaced_by)
        return nodes.paragraph("", "", fields, classes=["fieldnotes-summary"])


class UpdateDirective(FieldnotesDirective):
    """A dated update inside a ``project`` block, or anywhere with ``:project: NAME``."""

    known_options: ClassVar[tuple[str, ...]] = ("date", "version", "project")

    def run(self) -> list[nodes.Node]:
        options = self.read_options()
        if self.arguments:
            self.problem(Code.UNKNOWN_OPTION, "update takes no argument; it is ignored")
        parents: list[Project] = self.env.temp_data.get(_PARENTS) or []
        parent = parents[-1] if parents else None
        target = options.get("project", "")
        key: str | None
        if target:
            key, project_name = normalise_name(target), target
        elif parent is not None:
            key, project_name = (parent.key or None), parent.name
        else:
            key, project_name = None, ""
            self.problem(
                Code.ORPHAN_UPDATE,
                "update is not inside a project block and has no :project: option",
            )
        subject = f"update of project {project_name!r}" if project_name else "update"
        date = self.required("date", parse_date, Code.MISSING_DATE, subject)
        base = stem(target, key or "") if target else parent.anchor if parent else None
        update = Update(
            docname=self.env.docname,
            lineno=self.line,
            anchor=self._anchor(base, date),
            project_key=key,
            date=date,
            version=self.required("version", parse_version, Code.MISSING_VERSION, subject),
            nested=not target and parent is not None,
            project_lineno=self.option_line("project") if target else 0,
            source=self.source_file,
        )
        self.doc_record.updates.append(update)

        container = nodes.container(ids=[update.anchor], classes=["fieldnotes-update"])
        self.state.document.ids.setdefault(update.anchor, container)
        fields = update_fields()
        _with_fields(fields, update, ("date", "version"))
        if target:
            fields += _project_xref(target)
        container += nodes.paragraph("", "", fields, classes=["fieldnotes-update-heading"])
        self.set_source_info(container)
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]

    def _anchor(self, base: str | None, date: str | None) -> str:
        """The project's anchor (or the name's stem, for ``:project:``), then the date."""
        return self.unique_id(nodes.make_id(f"{base or 'update'}-update-{date or self.line}"))


def _with_fields(node: nodes.Element, entry: Project | Update, names: tuple[str, ...]) -> None:
    """Give *node* the fields *names* of *entry* that are set (an invalid one stays absent)."""
    for name in names:
        value = getattr(entry, name)
        if value:
            node[name] = value


def _project_xref(name: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", refdomain="fieldnotes", reftype="project", reftarget=name, refwarn=False
    )
    ref += nodes.inline(name, name, classes=["xref", "fieldnotes-project"])
    return ref


@contextmanager
def _parent(temp_data: Any, project: Project) -> Iterator[None]:
    """Make *project* the parent of the updates parsed inside it."""
    stack = temp_data.setdefault(_PARENTS, [])
    stack.append(project)
    try:
        yield
    finally:
        stack.pop()
