"""After every read phase: report the complete set of diagnostics, and choose the pages to rewrite.

Sphinx rewrites only the pages it read again. An index page lists entries from every page, and a
page that links to a project depends on where that project lives, so they go stale (the weakness of
``sphinx.ext.todo``). At ``env-updated`` fieldnotes compares fingerprints of what those pages were
last written from and returns them for writing when, and only when, it changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_fieldnotes import checks, config, diagnostics
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.validation_only import writes_nothing

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain = get_domain(env)
    catalog = domain.catalog()
    settings = config.get(app)
    today = settings.resolve_today()

    found = [d for r in domain.documents.values() for d in r.diagnostics]
    found += checks.cross_document(catalog, domain.documents, today)
    app.fieldnotes_errors = diagnostics.report(env, found)  # type: ignore[attr-defined]
    if writes_nothing(app):
        # The fingerprints say what pages were last written from: a dummy build writes nothing, and
        # storing them would stop the next writing build from rewriting pages this one made stale.
        return []

    index_inputs = (catalog.content_fingerprint(), today.isoformat(), settings)
    link_inputs = catalog.location_fingerprint()
    previous = domain.data.get("fingerprints") or (None, None)
    domain.data["fingerprints"] = (index_inputs, link_inputs)

    stale: set[str] = set()
    if previous[0] != index_inputs:
        stale.update(catalog.index_docs)
    if previous[1] != link_inputs:
        stale.update(catalog.referring_docs)
    # A project entry shows its stale mark and links to its updates, which may live on other pages.
    entries = catalog.entry_fingerprints(today, settings.stale_after_days)
    previous_entries = domain.data.get("entry_fingerprints") or {}
    domain.data["entry_fingerprints"] = entries
    stale.update(d for d, digest in entries.items() if previous_entries.get(d) != digest)
    return sorted(stale)


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    """Errors fail the build even without ``-W``; Sphinx reports "finished with problems"."""
    failed = getattr(app, "fieldnotes_errors", 0) or getattr(app, "fieldnotes_config_error", False)
    if exception is None and failed:
        app.statuscode = 1
