"""``fieldnotes.json``: every entry as data for other tools (schema: ``fieldnotes.schema.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_fieldnotes import state, upstream_view
from sphinx_fieldnotes.builders import is_website
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.upstream_view import UpstreamView

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_fieldnotes.catalog import Catalog
    from sphinx_fieldnotes.upstream_view import Upstream

# 2: dates may be reduced-precision ISO 8601 (YYYY-MM, YYYY).
# 3: each project's and TODO's "upstream" block, the snapshot's "upstream_generated" (issue 16).
SCHEMA_VERSION = 3


def upstream_data(found: Upstream | None) -> dict[str, Any] | None:
    """What the upstream snapshot says of an entry's repository; ``None`` when it says nothing."""
    if found is None:
        return None
    record = found.record
    latest = record.latest_release
    return {
        "repository": record.url,
        "found": record.found,
        "archived": record.archived,
        "moved_to": record.moved_to,
        "default_branch": record.default_branch,
        "pushed_at": record.pushed_at,
        "latest_release": None
        if latest is None
        else {"tag": latest.tag, "date": latest.date, "source": latest.source},
        "studied_version": found.studied_version,
        "releases_since": found.releases_since,
        "fetched_at": record.fetched_at,
    }


def as_data(catalog: Catalog, upstream: UpstreamView | None = None) -> dict[str, Any]:
    upstream = upstream or UpstreamView()
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
            "upstream": upstream_data(upstream.of(p.key, p.url)),
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
            "upstream": upstream_data(upstream.of(t.key, t.url)),
        }
        for t in catalog.todos
    ]
    generated = upstream.snapshot.generated if upstream.snapshot else None
    return {
        "schema": SCHEMA_VERSION,
        "upstream_generated": generated,
        "projects": projects,
        "todos": todos,
    }


def write_json(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: write the export next to the HTML pages."""
    filename = state.of(app.config).settings.json_export
    if exception is not None or not filename or not is_website(app.builder):
        return
    data = as_data(get_domain(app.env).catalog(), upstream_view.view_of(app))
    # Compact: the C encoder is ten times faster than the indenting one on a large site.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    target = Path(app.outdir, filename)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
