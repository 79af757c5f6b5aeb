"""The site's side of the snapshot: which entries link to which repository, and what they studied.

``fieldnotes refresh`` fetches these repositories, and the build checks a snapshot's records
against them (:func:`.snapshot.read_snapshot`'s ``known``), so both read a site the same way. Works
on the fieldnotes :class:`~sphinx_fieldnotes.catalog.Catalog`; imports no Sphinx.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sphinx_fieldnotes.upstream.hosts import GITHUB, RepositoryRef, parse_repository_url
from sphinx_fieldnotes.vocabulary import UNRECORDED

if TYPE_CHECKING:
    from sphinx_fieldnotes.catalog import Catalog


@dataclass(frozen=True)
class SiteEntry:
    """A project or TODO item with a URL: its normalised name (``key``) and studied version."""

    key: str
    name: str
    url: str
    studied: str | None


@dataclass(frozen=True)
class Target:
    """A repository the site links to, and the entries linking to it with what each studied."""

    ref: RepositoryRef
    studied: Mapping[str, str | None]


@dataclass
class SiteRepositories:
    targets: list[Target] = field(default_factory=list)
    #: URL on no recognised host (or no repository URL) → (why, names of the entries using it)
    unsupported: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def known(self) -> dict[str, set[str]]:
        """Repository key → entry names, as :func:`.snapshot.read_snapshot` takes it."""
        return {t.ref.key: set(t.studied) for t in self.targets}


def site_entries(catalog: Catalog) -> list[SiteEntry]:
    """The entries of *catalog* that have a valid URL. A project's studied version is the
    version of its newest note or update that records one (``unrecorded`` does not); a TODO
    item studied nothing yet, and one named like a project is that project."""
    entries = []
    for project in catalog.projects:
        if catalog.by_key.get(project.key) is not project or not project.url:
            continue  # a duplicate (reported by the build), or no valid URL
        versions = [project.version, *(u.version for u in catalog.updates_of(project))]
        recorded = [v for v in versions if v and v != UNRECORDED]
        entries.append(
            SiteEntry(project.key, project.name, project.url, recorded[-1] if recorded else None)
        )
    noted = {e.key for e in entries}
    for todo in catalog.todos:
        if todo.url and todo.key not in noted:
            entries.append(SiteEntry(todo.key, todo.name, todo.url, None))
            noted.add(todo.key)
    return entries


def repositories(
    entries: Iterable[SiteEntry], hosts: frozenset[str] = frozenset({GITHUB})
) -> SiteRepositories:
    """*entries* grouped by the repository their URL names, sorted by its key."""
    refs: dict[str, RepositoryRef] = {}
    studied: dict[str, dict[str, str | None]] = {}
    found = SiteRepositories()
    for entry in entries:
        try:
            ref = parse_repository_url(entry.url, hosts)
        except ValueError as exc:
            found.unsupported.setdefault(entry.url, (str(exc), []))[1].append(entry.name)
            continue
        refs[ref.key] = ref
        studied.setdefault(ref.key, {})[entry.key] = entry.studied
    found.targets = [Target(refs[key], dict(sorted(studied[key].items()))) for key in sorted(refs)]
    return found
