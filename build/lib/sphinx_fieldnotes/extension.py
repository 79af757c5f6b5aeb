"""The Sphinx extension: :func:`setup` is its table of contents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_fieldnotes import (
    __version__,
    categories,
    collector,
    config,
    export,
    feed,
    incremental,
    validation_only,
)
from sphinx_fieldnotes.directives.indexes import (
    IndexDirective,
    OverviewDirective,
    ProjectIndexDirective,
)
from sphinx_fieldnotes.directives.project import ProjectDirective, UpdateDirective
from sphinx_fieldnotes.directives.reference import ConfigValuesDirective, DiagnosticCodesDirective
from sphinx_fieldnotes.directives.todo import TodoItemDirective
from sphinx_fieldnotes.domain import FieldnotesDomain
from sphinx_fieldnotes.render.indexes import resolve_placeholders

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")

    # Settings, validated once.
    config.add_config_values(app)
    app.connect("config-inited", config.load)

    # Storage and cross-references.
    app.add_domain(FieldnotesDomain)
    app.add_role("project", FieldnotesDomain.roles["project"])

    # What authors write.
    app.add_directive("project", ProjectDirective)
    app.add_directive("update", UpdateDirective)
    app.add_directive("todo-item", TodoItemDirective)
    app.add_directive("project-index", ProjectIndexDirective)
    for kind in ("timeline", "todo-list", "review-queue"):
        app.add_directive(kind, IndexDirective)
    app.add_directive("fieldnotes-overview", OverviewDirective)

    # fieldnotes' own reference tables.
    app.add_directive("fieldnotes-diagnostic-codes", DiagnosticCodesDirective)
    app.add_directive("fieldnotes-config-values", ConfigValuesDirective)

    # Build pipeline: read, check and choose pages to rewrite, render indexes, export.
    app.connect("builder-inited", collector.start)
    app.connect("builder-inited", validation_only.start)
    app.connect("env-get-outdated", validation_only.outdated_for_output)
    app.connect("doctree-read", categories.fill_page_categories, priority=900)
    app.connect("doctree-read", validation_only.note_page)
    app.connect("doctree-read", collector.freeze_after_read, priority=999)
    app.connect("env-updated", validation_only.restore, priority=400)
    app.connect("env-updated", incremental.on_env_updated)
    app.connect("doctree-resolved", resolve_placeholders)
    app.connect("build-finished", export.write_json)
    app.connect("build-finished", feed.write_feed)
    app.connect("html-page-context", feed.link_feed)
    app.connect("build-finished", incremental.on_build_finished)
    app.connect("build-finished", collector.thaw, priority=999)
    app.add_css_file("fieldnotes.css")
    app.add_js_file("fieldnotes-filter.js", loading_method="defer")
    # In config-inited, not builder-inited: a later change to html_static_path would make every
    # build see a changed configuration.
    app.connect("config-inited", _add_static_path)

    return {
        "version": __version__,
        "env_version": FieldnotesDomain.data_version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _add_static_path(app: Sphinx, config: Config) -> None:
    static = str(Path(__file__).with_name("static"))
    if static not in config.html_static_path:
        config.html_static_path.append(static)
