"""``todo-item``: a project still to study."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from sphinx_fieldnotes.diagnostics import Code
from sphinx_fieldnotes.directives.base import FieldnotesDirective
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
        name = self.name_argument()
        if name is None:
            self.problem(Code.MISSING_NAME, "todo-item has no name (write ':::{todo-item} NAME')")
        subject = f"todo-item {name!r}" if name else "todo-item"
        todo = Todo(
            name=name or "",
            key=normalise_name(name or ""),
            docname=self.env.docname,
            lineno=self.lineno,
            anchor=self._anchor(name),
            priority=self.required(
                "priority", self._parse_priority, Code.MISSING_PRIORITY, subject
            ),
            depth=self._depth(options.get("depth", ""), subject),
            url=self.optional("url", parse_url, subject),
            category=options.get("category") or None,
        )
        if name is not None:
            self.doc_record.todos.append(todo)

        admonition = nodes.admonition(ids=[todo.anchor], classes=["fieldnotes-todo"])
        self.state.document.ids.setdefault(todo.anchor, admonition)
        admonition += nodes.title("", f"To study: {name or '(unnamed)'}")
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
            self.problem(invalid.code, f"{subject}: {invalid.message}; 'basic' is used", "depth")
            return DEPTHS[0]

    def _anchor(self, name: str | None) -> str:
        return self.unique_id("todo-" + (nodes.make_id(name or "") or f"line-{self.lineno}"))

    @staticmethod
    def _summary(todo: Todo) -> nodes.paragraph:
        paragraph = nodes.paragraph(classes=["fieldnotes-summary"])
        paragraph += badge(f"priority {todo.priority or '—'}", "warning")
        paragraph += nodes.Text(" ")
        paragraph += badge(f"{todo.depth} study", "secondary", outline=True)
        if todo.url:
            paragraph += nodes.Text(" ")
            paragraph += external_link(todo.url, "repository")
        return paragraph
