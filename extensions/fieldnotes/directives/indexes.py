"""The index directives: each leaves a placeholder, filled from every page at ``doctree-resolved``."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from fieldnotes.diagnostics import Code
from fieldnotes.directives.base import FieldnotesDirective, accept_options
from fieldnotes.nodes import index_placeholder

GROUPINGS = ("none", "category", "status", "year", "tag")


class IndexDirective(FieldnotesDirective):
    """Base of ``project-index``, ``timeline``, ``todo-list`` and ``review-queue``."""

    has_content = False
    optional_arguments = 0
    known_options: ClassVar[tuple[str, ...]] = ()
    option_spec = accept_options("class")

    def run(self) -> list[nodes.Node]:
        self.read_options()
        self.doc_record.has_index = True
        placeholder = index_placeholder(kind=self.name, **self.placeholder_options())
        self.set_source_info(placeholder)
        return [placeholder]

    def placeholder_options(self) -> dict[str, str]:
        return {}


class ProjectIndexDirective(IndexDirective):
    """Every project with category, date, version and status, optionally grouped."""

    known_options: ClassVar[tuple[str, ...]] = ("group-by",)
    option_spec = accept_options("group-by")

    def placeholder_options(self) -> dict[str, str]:
        group_by = self._values.get("group-by", "none").strip().lower() or "none"
        if group_by not in GROUPINGS:
            self.problem(
                Code.UNKNOWN_OPTION,
                f"project-index: :group-by: {group_by!r} is not one of {', '.join(GROUPINGS)}; "
                "'none' is used",
                "group-by",
            )
            group_by = "none"
        return {"group_by": group_by}
