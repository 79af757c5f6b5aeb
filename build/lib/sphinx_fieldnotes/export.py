"""``fieldnotes.json``: every entry as data for other tools (schema: ``fieldnotes.schema.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_fieldnotes import config
from sphinx_fieldnotes.domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_fieldnotes.catalog import Catalog

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("fieldnotes.schema.json")


def as_data(catalog: Catalog) -> dict[str, Any]:
    projects = [
        {
            "name": p.name,
            "url": p.url,
            "date": p.date,
            "version": p.version,
            "status": p.status,
            "category": p.category,
            "tags": list(p.tags),
            "kubernetes": p.kubernetes,
            "vendor": p.vendor,
            "replaced_by": p.replaced_by,
            "docname": p.docname,
            "anchor": p.anchor,
            "updates": [
                {"date": u.date, "version": u.version, "docname": u.docname, "anchor": u.anchor}
                for u in catalog.updates_of(p)
            ],
        }
        for p in catalog.projects
    ]
    todos = [
        {
            "name": t.name,
            "priority": t.priority,
            "depth": t.depth,
            "url": t.url,
            "category": t.category,
            "docname": t.docname,
            "anchor": t.anchor,
        }
        for t in catalog.todos
    ]
    return {"schema": SCHEMA_VERSION, "projects": projects, "todos": todos}


def write_json(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: write the export next to the HTML pages."""
    filename = config.get(app).json_export
    if exception is not None or not filename or app.builder.format != "html":
        return
    data = as_data(get_domain(app.env).catalog())
    # Compact: the C encoder is ten times faster than the indenting one on a large site.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    target = Path(app.outdir, filename)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
