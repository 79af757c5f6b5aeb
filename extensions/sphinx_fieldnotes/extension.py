"""The Sphinx extension: :func:`setup` is its table of contents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_fieldnotes import (
    __version__,
    categories,
    colon_fence,
    conditions,
    config,
    diagnostics,
    export,
    feed,
    gc_freeze,
    i18n,
    incremental,
    links,
    nonwriting_builders,
    upstream_view,
)
from sphinx_fieldnotes.directives.indexes import (
    IndexDirective,
    LandscapeDirective,
    OverviewDirective,
    ProjectIndexDirective,
)
from sphinx_fieldnotes.directives.project import ProjectDirective, UpdateDirective
from sphinx_fieldnotes.directives.reference import ConfigValuesDirective, DiagnosticCodesDirective
from sphinx_fieldnotes.directives.todo import TodoItemDirective
from sphinx_fieldnotes.domain import FieldnotesDomain
from sphinx_fieldnotes.nodes import history_placeholder, index_placeholder
from sphinx_fieldnotes.render import translated
from sphinx_fieldnotes.render.indexes import resolve_placeholders
from sphinx_fieldnotes.render.listing_pages import collect_part_pages, split_long_listings

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")

    # The labels fieldnotes writes, in the site's language.
    i18n.add_catalog(app)

    # Settings, each validated on its own.
    config.add_config_values(app)
    app.connect("config-inited", config.load)
    app.connect("config-inited", colon_fence.enable_colon_fence)
    app.connect("source-read", colon_fence.check_page)

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
    app.add_directive("fieldnotes-landscape", LandscapeDirective)

    # fieldnotes' own reference tables.
    app.add_directive("fieldnotes-diagnostic-codes", DiagnosticCodesDirective)
    app.add_directive("fieldnotes-config-values", ConfigValuesDirective)

    app.add_transform(links.EntryLinkTargets)

    # Build pipeline: read, report and choose pages to rewrite, render indexes, export.
    app.connect("config-inited", gc_freeze.pause_for_env_load, priority=999)
    app.connect("builder-inited", gc_freeze.start)
    app.connect("builder-inited", nonwriting_builders.start)
    app.connect("builder-inited", conditions.use_builder_tags)
    app.connect("env-get-outdated", nonwriting_builders.outdated_for_output)
    app.connect("doctree-read", categories.fill_page_categories, priority=900)
    app.connect("doctree-read", nonwriting_builders.note_page)
    app.connect("doctree-read", conditions.note_conditions)
    app.connect("doctree-read", gc_freeze.freeze_after_read, priority=999)
    app.connect("env-updated", nonwriting_builders.restore, priority=400)
    app.connect("env-updated", upstream_view.load, priority=450)  # before the two below
    app.connect("env-updated", diagnostics.report_all)
    app.connect("env-updated", incremental.on_env_updated)
    app.connect("env-before-read-docs", links.unlabel_projects)
    app.connect("env-before-read-docs", gc_freeze.pause_for_parallel_read, priority=999)
    app.connect("env-updated", links.label_projects)
    app.connect("env-updated", gc_freeze.resume_after_parallel_read, priority=100)
    app.connect("env-updated", gc_freeze.freeze_before_parallel_write, priority=999)
    app.connect("warn-missing-reference", links.already_reported)
    app.connect("doctree-resolved", gc_freeze.release_written, priority=100)
    app.connect("doctree-resolved", split_long_listings, priority=450)
    app.connect("doctree-resolved", resolve_placeholders)
    app.connect("html-collect-pages", collect_part_pages)
    # The HTML builders' listings are written as the page is translated (render.translated).
    app.connect("builder-inited", translated.remember_app)
    app.add_node(
        index_placeholder,
        html=(translated.visit_index_placeholder, translated.depart_index_placeholder),
    )
    app.add_node(
        history_placeholder,
        html=(translated.visit_history_placeholder, translated.depart_history_placeholder),
    )
    app.connect("build-finished", export.write_json)
    app.connect("build-finished", feed.write_feed)
    app.connect("html-page-context", translated.put_blocks_in_body, priority=10)
    app.connect("html-page-context", feed.link_feed)
    app.connect("build-finished", diagnostics.set_exit_status)
    app.connect("build-finished", gc_freeze.thaw, priority=999)
    app.add_css_file("fieldnotes.css")
    app.add_js_file("fieldnotes-filter.js", loading_method="defer")
    app.connect("builder-inited", i18n.add_filter_labels)
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
