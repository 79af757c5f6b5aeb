"""Which URLs name a repository on a code host fieldnotes can ask, and the key of its record.

Recognised: ``github.com`` (and ``www.github.com``), plus the web host of a GitHub Enterprise
server when ``--api-url`` points at one (``https://HOST/api/v3`` makes ``HOST`` a GitHub host).
Any other host (gitlab.com, codeberg.org, a project's own site) is reported by ``fieldnotes
refresh`` as an unsupported host, URL by URL, and gets no record.

A URL names the repository of its first two path segments: ``https://github.com/kubernetes/
contrib/tree/master/keepalived-vip`` is ``kubernetes/contrib``; a trailing ``.git`` or ``/`` is
dropped. Owner and repository names compare case-insensitively on GitHub, so the key is lowercase:
``https://github.com/kubernetes/contrib``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

GITHUB = "github.com"
GITHUB_API = "https://api.github.com"

# GitHub's own rules: owner names are letters, digits and single hyphens; repository names also
# allow dots and underscores.
_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_REPOSITORY = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
# Paths under github.com that are pages of the site, not owners.
_NOT_OWNERS = frozenset(
    {"orgs", "users", "topics", "marketplace", "sponsors", "settings", "search", "features"}
)


@dataclass(frozen=True, order=True)
class RepositoryRef:
    """A repository on a host: ``host`` is the web host, ``full_name`` is ``owner/name``."""

    host: str
    full_name: str

    @property
    def key(self) -> str:
        """The snapshot's key for this repository: its canonical web URL."""
        return f"https://{self.host}/{self.full_name}"


def github_hosts(api_url: str) -> frozenset[str]:
    """The web hosts whose repositories the GitHub API at *api_url* answers for."""
    host = (urlsplit(api_url).hostname or "").lower()
    if host in ("", "api.github.com"):
        return frozenset({GITHUB})
    return frozenset({GITHUB, host})


def parse_repository_url(url: str, hosts: frozenset[str] = frozenset({GITHUB})) -> RepositoryRef:
    """The repository *url* names.

    Raises ``ValueError`` saying why when it names none on a recognised host (the message is
    shown to the user as is).
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"not an http(s) URL: {url}")
    if host not in hosts:
        raise ValueError(f"unsupported host {host} (fieldnotes refresh asks GitHub only)")
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() in _NOT_OWNERS:
        raise ValueError(f"not a repository URL (want https://{host}/OWNER/REPOSITORY): {url}")
    owner, name = segments[0], segments[1].removesuffix(".git")
    if not _OWNER.match(owner) or not _REPOSITORY.match(name) or name in (".", ".."):
        raise ValueError(f"not a repository URL (bad owner or repository name): {url}")
    return RepositoryRef(host, f"{owner}/{name}".lower())
