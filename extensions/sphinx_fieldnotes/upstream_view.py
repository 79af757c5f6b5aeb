"""What the build knows from the upstream snapshot (the file ``fieldnotes refresh`` writes).

Builds never touch the network: at every ``env-updated``, once the catalog is complete,
:func:`load` reads the file named by ``fieldnotes_upstream_snapshot`` (when there is one), checks
its records against the entries the site has now, and keeps an :class:`UpstreamView` in the build's
:mod:`~sphinx_fieldnotes.state`. The problems the reader found are data there too:
:func:`~sphinx_fieldnotes.diagnostics.report_all` logs them at the file and line with every other
diagnostic, so each build (incremental or not) reports the same. Entries, listings, the landscape
and the export ask the view what the snapshot says of one entry (:meth:`UpstreamView.of`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_fieldnotes import state
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.upstream.hosts import GITHUB, github_hosts
from sphinx_fieldnotes.upstream.site import repositories, site_entries
from sphinx_fieldnotes.upstream.snapshot import Problem, Record, Snapshot, read_snapshot

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_fieldnotes.catalog import Catalog
    from sphinx_fieldnotes.model import Project, Todo


@dataclass(frozen=True)
class Upstream:
    """What the snapshot says about one entry's repository, as of the snapshot's day."""

    as_of: str  # YYYY-MM-DD: when a refresh last changed the snapshot
    record: Record
    studied_version: str | None = None
    releases_since: int | None = None  # None: not known (no matching tag, or not refreshed yet)

    @property
    def archived(self) -> bool:
        return self.record.found and self.record.archived is True

    @property
    def shown(self) -> tuple[object, ...]:
        """What pages show of it (not the ETags or fetch times): their fingerprint."""
        latest = self.record.latest_release
        return (
            self.as_of,
            self.record.url,
            self.record.found,
            self.record.archived,
            self.record.moved_to,
            self.record.pushed_at,
            None if latest is None else (latest.tag, latest.date, latest.source),
            self.studied_version,
            self.releases_since,
        )


@dataclass
class UpstreamView:
    """The snapshot this build read (``None``: no file, or one that could not be read)."""

    snapshot: Snapshot | None = None
    path: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    hosts: frozenset[str] = frozenset({GITHUB})
    _found: dict[tuple[str, str], Upstream | None] = field(default_factory=dict, repr=False)

    def of(self, key: str, url: str | None) -> Upstream | None:
        """What the snapshot says of the entry named *key* (normalised) that links to *url*."""
        if self.snapshot is None or not url:
            return None
        if (key, url) not in self._found:
            self._found[key, url] = self._look_up(key, url)
        return self._found[key, url]

    def _look_up(self, key: str, url: str) -> Upstream | None:
        assert self.snapshot is not None
        record = self.snapshot.lookup(url, self.hosts)
        if record is None:
            return None
        entry = record.entries.get(key)
        return Upstream(
            as_of=self.snapshot.generated[:10],
            record=record,
            studied_version=entry.studied_version if entry else None,
            releases_since=entry.releases_since if entry else None,
        )

    def page_fingerprints(self, catalog: Catalog) -> dict[str, str]:
        """Per page holding projects: what its entries show from the snapshot."""
        shown: dict[str, list[object]] = {}
        for project in catalog.projects:
            found = self.of(project.key, project.url)
            if found is not None:
                shown.setdefault(project.docname, []).append((project.anchor, found.shown))
        return {docname: _digest(value) for docname, value in sorted(shown.items())}

    def fingerprint(self, catalog: Catalog) -> str:
        """What every listing may show from the snapshot (projects and TODO items)."""
        if self.snapshot is None:
            return ""
        entries: list[Project | Todo] = [*catalog.projects, *catalog.todos]
        shown = [(e.key, e.url, found.shown) for e in entries if (found := self.of(e.key, e.url))]
        return _digest(shown)


def load(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``, before the diagnostics are reported: read the snapshot, if there is one."""
    build = state.of(app.config)
    settings = build.settings
    path = Path(env.srcdir, settings.upstream_snapshot)
    hosts = github_hosts(settings.upstream_api_url)
    snapshot: Snapshot | None = None
    problems: list[Problem] = []
    if path.exists():  # the site's repositories, a pass over every entry, only to compare with it
        known = repositories(site_entries(get_domain(env).catalog()), hosts).known()
        snapshot, problems = read_snapshot(path, known)
    build.upstream = UpstreamView(snapshot, path, problems, hosts)


def view_of(app: Sphinx) -> UpstreamView:
    """The build's view (an empty one before :func:`load` ran)."""
    build = state.of(app.config)
    if build.upstream is None:
        build.upstream = UpstreamView()
    return build.upstream


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()
