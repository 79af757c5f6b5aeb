"""The index directives: each leaves a placeholder, filled from all pages at doctree-resolved."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from myst_parser.warnings_ import MystWarnings

from sphinx_fieldnotes.codes import Code
from sphinx_fieldnotes.directives.base import FieldnotesDirective
from sphinx_fieldnotes.nodes import index_placeholder
from sphinx_fieldnotes.suggest import did_you_mean
from sphinx_fieldnotes.validation import parse_tags

GROUPINGS = ("none", "category", "status", "year", "tag")


class IndexDirective(FieldnotesDirective):
    """Base of ``project-index``, ``timeline``, ``todo-list`` and ``review-queue``."""

    has_content = True  # MyST passes the option lines as content; anything else is refused below
    optional_arguments = 0
    known_options: ClassVar[tuple[str, ...]] = ()

    def run(self) -> list[nodes.Node]:
        self.read_options()
        if any(line.strip() for line in self.content):
            self._myst_warning(
                "Has content, but none permitted", self.lineno, MystWarnings.DIRECTIVE_PARSING
            )
        self.doc_record.has_index = True
        placeholder = index_placeholder(kind=self.name, **self.placeholder_options())
        self.set_source_info(placeholder)
        return [placeholder]

    def placeholder_options(self) -> dict[str, str | bool]:
        return {}


class ProjectIndexDirective(IndexDirective):
    """Every project with category, date, version and status, optionally grouped."""

    known_options: ClassVar[tuple[str, ...]] = ("group-by", "filter")

    def placeholder_options(self) -> dict[str, str | bool]:
        if "filter" in self._values:
            # One ungrouped table that readers filter and sort in the browser.
            if self._values["filter"]:
                self.problem(
                    Code.UNKNOWN_OPTION,
                    "project-index: :filter: takes no value; it is ignored",
                    "filter",
                )
            if self._values.get("group-by", "none").strip().lower() not in ("", "none"):
                self.problem(
                    Code.UNKNOWN_OPTION,
                    "project-index: :filter: lists every project in "
                    "one table; :group-by: is ignored",
                    "group-by",
                )
            return {"group_by": "none", "filter": True}
        group_by = self._values.get("group-by", "none").strip().lower() or "none"
        if group_by not in GROUPINGS:
            self.problem(
                Code.UNKNOWN_OPTION,
                f"project-index: :group-by: {group_by!r} is not one of {', '.join(GROUPINGS)}; "
                f"'none' is used{did_you_mean(group_by, GROUPINGS)}",
                "group-by",
            )
            group_by = "none"
        return {"group_by": group_by}


class OverviewDirective(IndexDirective):
    """``fieldnotes-overview``: counts by category and status, latest updates, top TODOs."""


LANDSCAPE_GROUPINGS = ("category", "status", "year")


class LandscapeDirective(IndexDirective):
    """``fieldnotes-landscape``: a map of tiles, one per project, grouped; optionally by tag."""

    known_options: ClassVar[tuple[str, ...]] = ("group-by", "tags")

    def placeholder_options(self) -> dict[str, str | bool]:
        group_by = self._values.get("group-by", "").strip().lower() or LANDSCAPE_GROUPINGS[0]
        if group_by not in LANDSCAPE_GROUPINGS:
            self.problem(
                Code.UNKNOWN_OPTION,
                f"fieldnotes-landscape: :group-by: {group_by!r} is not one of "
                f"{', '.join(LANDSCAPE_GROUPINGS)}; 'category' is used"
                f"{did_you_mean(group_by, LANDSCAPE_GROUPINGS)}",
                "group-by",
            )
            group_by = LANDSCAPE_GROUPINGS[0]
        # Tags are kept as one comma-separated string: placeholder attributes stay plain text.
        tags = ",".join(parse_tags(self._values.get("tags", "")))
        return {"group_by": group_by, "tags": tags}
