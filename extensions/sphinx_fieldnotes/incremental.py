"""After every read phase: choose the pages to rewrite.

Sphinx rewrites only the pages it read again. An index page lists entries from every page, and a
page that links to a project depends on where that project lives, so they go stale (the weakness of
``sphinx.ext.todo``). At ``env-updated`` fieldnotes compares fingerprints of what those pages were
last written from (the upstream snapshot's state of each entry included) and returns them for
writing when, and only when, it changed. (Reporting the diagnostics at the same moment is
:mod:`sphinx_fieldnotes.diagnostics`' part.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_fieldnotes import state, upstream_view
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.nonwriting_builders import writes_nothing

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    if writes_nothing(app):
        # The fingerprints say what pages were last written from: a dummy build writes nothing, and
        # storing them would stop the next writing build from rewriting pages this one made stale.
        return []
    domain = get_domain(env)
    catalog = domain.catalog()
    settings = state.of(app.config).settings
    today = settings.resolve_today()

    upstream = upstream_view.view_of(app)
    index_inputs = (
        catalog.content_fingerprint(),
        today.isoformat(),
        settings,
        upstream.fingerprint(catalog),
    )
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
    # ... and what the upstream snapshot says of its repository.
    for docname, digest in upstream.page_fingerprints(catalog).items():
        entries[docname] = f"{entries[docname]} {digest}"
    previous_entries = domain.data.get("entry_fingerprints") or {}
    domain.data["entry_fingerprints"] = entries
    stale.update(d for d, digest in entries.items() if previous_entries.get(d) != digest)
    return sorted(stale)
