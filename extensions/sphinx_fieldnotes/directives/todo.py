"""``todo-item``: a project still to study."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from docutils import nodes

from sphinx_fieldnotes.anchors import PageAnchors, move_id
from sphinx_fieldnotes.codes import Code
from sphinx_fieldnotes.directives.base import FieldnotesDirective
from sphinx_fieldnotes.i18n import _
from sphinx_fieldnotes.model import Todo
from sphinx_fieldnotes.render.badges import badge, external_link
from sphinx_fieldnotes.validation import Invalid, normalise_name, parse_choice, parse_url
from sphinx_fieldnotes.vocabulary import DEPTHS

TODO_OPTIONS = ("priority", "depth", "url", "category")


class TodoItemDirective(FieldnotesDirective):
    """A project to study, with a priority; listed by ``todo-list``."""

    known_options: ClassVar[tuple[str, ...]] = TODO_OPTIONS

    def run(self) -> list[nodes.Node]:
        options = self.read_options()
        name, subject = self.entry_name("todo-item")
        key = normalise_name(name or "")
        admonition = nodes.admonition(classes=["fieldnotes-todo"])
        todo = Todo(
            name=name or "",
            key=key,
            docname=self.env.docname,
            lineno=self.line,
            anchor=self._anchor(name, key, lambda new: self._move(todo, admonition, new)),
            priority=self.required(
                "priority", self._parse_priority, Code.MISSING_PRIORITY, subject
            ),
            depth=self._depth(options.get("depth", ""), subject),
            url=self.optional("url", parse_url, subject),
            category=options.get("category") or None,
            source=self.source_file,
        )
        if name is not None:
            self.doc_record.todos.append(todo)

        admonition["ids"] = [todo.anchor]
        self.state.document.ids.setdefault(todo.anchor, admonition)
        admonition += nodes.title("", _("To study: {name}").format(name=name or _("(unnamed)")))
        admonition += self._summary(todo)
        self.set_source_info(admonition)
        self.state.nested_parse(self.content, self.content_offset, admonition)
        return [admonition]

    def _parse_priority(self, value: str) -> str:
        return parse_choice(value, self.settings.priorities, "priority", Code.BAD_PRIORITY)

    def _depth(self, value: str, subject: str) -> str:
        if not value:
            return DEPTHS[0]
        try:
            return parse_choice(value, DEPTHS, "depth", Code.BAD_DEPTH)
        except Invalid as invalid:
            message = f"{subject}: {invalid.message}; 'basic' is used{invalid.hint}"
            self.problem(invalid.code, message, "depth")
            return DEPTHS[0]

    def _anchor(self, name: str | None, key: str, move: Callable[[str], None]) -> str:
        """``todo-`` and the name's slug (see :mod:`sphinx_fieldnotes.anchors`)."""
        if name is None:  # reported as missing-name; not listed, so nothing links to it
            return self.unique_id(f"todo-line-{self.line}")
        page = PageAnchors.of(self.env, self.state.document)
        return page.claim("todo", name, key, move, prefix="todo-")

    def _move(self, todo: Todo, admonition: nodes.admonition, anchor: str) -> None:
        move_id(self.state.document, admonition, todo.anchor, anchor)
        todo.anchor = anchor

    @staticmethod
    def _summary(todo: Todo) -> nodes.paragraph:
        paragraph = nodes.paragraph(classes=["fieldnotes-summary"])
        paragraph += badge(
            _("priority {priority}").format(priority=todo.priority or "—"), "warning"
        )
        paragraph += nodes.Text(" ")
        paragraph += badge(_("{depth} study").format(depth=todo.depth), "secondary", outline=True)
        if todo.url:
            paragraph += nodes.Text(" ")
            paragraph += external_link(todo.url, _("repository"))
        return paragraph
