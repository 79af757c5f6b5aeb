"""Sphinx configuration of the Kubernetes Ecosystem Field Notes site.

The source directory is the repository root (so Read the Docs, which runs Sphinx next to this file,
builds exactly what ``make html`` builds); only ``source/`` is read as pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The extension lives in this repository; make it importable without installing it too.
sys.path.insert(0, str(Path(__file__).parent / "extensions"))

project = "Kubernetes Ecosystem Field Notes"
author = "The field notes authors"
copyright = "2017-2026, the field notes authors"  # noqa: A001

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_fieldnotes",
]

root_doc = "source/index"
include_patterns = ["source/**"]
exclude_patterns = ["_build", ".venv", ".nox", "**/.ipynb_checkpoints"]
source_suffix = {".md": "markdown"}

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "Kubernetes Ecosystem Field Notes"
html_static_path: list[str] = []
html_extra_path: list[str] = ["source/_extra"]

# Notes are compared with the date of the build; pin it with SOURCE_DATE_EPOCH for reproducible output.
fieldnotes_stale_after_days = 730
# The upstream snapshot `fieldnotes refresh` writes and builds read (relative to this folder).
fieldnotes_upstream_snapshot = "source/_data/upstream.json"

linkcheck_anchors = False
linkcheck_timeout = 10


def _caption_heading_level(app, pagename, templatename, context, doctree):
    """Toctree captions are written as ``role="heading"`` without the ``aria-level`` that role
    requires (axe: aria-required-attr, critical); give them level 2, in the page and in furo's
    sidebar."""
    for key in ("body", "furo_navigation_tree"):
        if isinstance(context.get(key), str):
            context[key] = context[key].replace(
                '<p class="caption" role="heading">',
                '<p class="caption" role="heading" aria-level="2">',
            )


def setup(app):
    # After furo's own html-page-context handler, which renders the sidebar.
    app.connect("html-page-context", _caption_heading_level, priority=900)
