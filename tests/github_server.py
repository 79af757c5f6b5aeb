"""A loopback server that answers like GitHub's REST API, for the ``fieldnotes refresh`` tests.

It serves ``/repos/{owner}/{repo}``, ``.../releases``, ``.../tags``, ``.../commits/{sha}`` and
``/repositories/{id}`` with the fields, headers and status codes GitHub sends (shapes taken from
GitHub's REST API reference: weak ``ETag`` validators and ``If-None-Match`` answered 304,
``X-RateLimit-*`` headers, ``Link`` pagination, 301 from a renamed repository's old name to
``/repositories/{id}``, 404 with GitHub's error body). The values are illustrative, not a record
of the real repositories.

Like the servers of Sphinx's own tests (``tests/utils.py`` there), it is a
``ThreadingHTTPServer`` on 127.0.0.1 in a thread, on a free port; scenarios hook in per path
(:meth:`FakeGitHub.on`). A handler told to hang waits on a ``threading.Event`` that stopping the
server sets, so a client timeout is tested without any sleep.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    path: str
    query: dict[str, str]
    authorization: str | None
    if_none_match: str | None
    status: int


@dataclass
class Answer:
    """A scripted answer: ``times`` requests get it (None: all), then the normal one."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as is instead of *body* (malformed JSON)
    hang: bool = False  # wait until the server stops before answering
    times: int | None = 1


def repository_json(
    base: str, web: str, repo_id: int, full_name: str, **fields: Any
) -> dict[str, Any]:
    """``GET /repos/{owner}/{repo}`` as GitHub answers it (the fields fieldnotes reads, and the
    usual others)."""
    owner, name = full_name.split("/")
    data = {
        "id": repo_id,
        "node_id": f"R_kgDO{repo_id:08d}",
        "name": name,
        "full_name": full_name,
        "private": False,
        "owner": {"login": owner, "id": 1000 + repo_id, "type": "Organization"},
        "html_url": f"{web}/{full_name}",
        "description": f"{name}, as served by the test server",
        "fork": False,
        "url": f"{base}/repos/{full_name}",
        "created_at": "2016-05-01T10:00:00Z",
        "updated_at": "2025-11-02T08:15:00Z",
        "pushed_at": "2025-10-30T17:42:11Z",
        "homepage": None,
        "size": 4096,
        "stargazers_count": 1200,
        "watchers_count": 1200,
        "language": "Go",
        "forks_count": 300,
        "archived": False,
        "disabled": False,
        "open_issues_count": 12,
        "license": {"key": "apache-2.0", "name": "Apache License 2.0", "spdx_id": "Apache-2.0"},
        "topics": [],
        "visibility": "public",
        "default_branch": "master",
    }
    data.update(fields)
    return data


def release_json(
    base: str, full_name: str, n: int, tag: str, published: str, **fields: Any
) -> dict[str, Any]:
    data = {
        "url": f"{base}/repos/{full_name}/releases/{n}",
        "html_url": f"https://github.com/{full_name}/releases/tag/{tag}",
        "id": n,
        "tag_name": tag,
        "target_commitish": "master",
        "name": tag,
        "draft": False,
        "prerelease": False,
        "created_at": published,
        "published_at": published,
        "author": {"login": "release-bot", "id": 7},
        "assets": [],
        "tarball_url": f"{base}/repos/{full_name}/tarball/{tag}",
        "zipball_url": f"{base}/repos/{full_name}/zipball/{tag}",
        "body": f"Release {tag}.",
    }
    data.update(fields)
    return data


def tag_json(base: str, full_name: str, tag: str, sha: str) -> dict[str, Any]:
    return {
        "name": tag,
        "zipball_url": f"{base}/repos/{full_name}/zipball/refs/tags/{tag}",
        "tarball_url": f"{base}/repos/{full_name}/tarball/refs/tags/{tag}",
        "commit": {"sha": sha, "url": f"{base}/repos/{full_name}/commits/{sha}"},
        "node_id": f"REF_{sha[:12]}",
    }


def commit_json(base: str, full_name: str, sha: str, date: str) -> dict[str, Any]:
    person = {"name": "A Maintainer", "email": "maintainer@example.invalid", "date": date}
    return {
        "sha": sha,
        "node_id": f"C_{sha[:12]}",
        "commit": {"author": person, "committer": person, "message": "Release"},
        "url": f"{base}/repos/{full_name}/commits/{sha}",
        "html_url": f"https://github.com/{full_name}/commit/{sha}",
    }


@dataclass
class Repository:
    repo: dict[str, Any]
    releases: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    commits: dict[str, dict[str, Any]] = field(default_factory=dict)


class FakeGitHub:
    """GitHub's REST API for the repositories added to it, on ``http://127.0.0.1:PORT``."""

    def __init__(self) -> None:
        self.repositories: dict[str, Repository] = {}
        self.by_id: dict[int, str] = {}
        self.renamed: dict[str, int] = {}
        self.answers: dict[str, list[Answer]] = {}
        self.seen: list[Seen] = []
        self.release_hung = threading.Event()
        self.quota: int | None = None  # answers left before the primary rate limit
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release_hung.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    # -- content ---------------------------------------------------------------------------------

    def add(
        self,
        full_name: str,
        *,
        releases: Sequence[tuple[str, str]] = (),
        tags: Sequence[tuple[str, str, str]] = (),
        prereleases: frozenset[str] = frozenset(),
        drafts: frozenset[str] = frozenset(),
        **fields: Any,
    ) -> Repository:
        """A repository with *releases* ``(tag, published)`` newest first and *tags*
        ``(name, sha, commit date)``."""
        repo_id = len(self.by_id) + 101
        repo = repository_json(self.url, "https://github.com", repo_id, full_name, **fields)
        repository = Repository(repo)
        for n, (tag, published) in enumerate(releases, start=1):
            repository.releases.append(
                release_json(
                    self.url,
                    full_name,
                    repo_id * 1000 + n,
                    tag,
                    published,
                    prerelease=tag in prereleases,
                    draft=tag in drafts,
                )
            )
        for name, sha, date in tags:
            repository.tags.append(tag_json(self.url, full_name, name, sha))
            repository.commits[sha] = commit_json(self.url, full_name, sha, date)
        self.repositories[full_name.lower()] = repository
        self.by_id[repo_id] = full_name.lower()
        return repository

    def rename(self, old: str, new: str) -> None:
        """*old* now answers 301 to ``/repositories/{id}`` of *new*, as GitHub does."""
        repository = self.repositories[new.lower()]
        self.renamed[old.lower()] = repository.repo["id"]

    def on(self, path: str, *answers: Answer) -> None:
        """Answer requests for *path* with *answers* in turn, before the normal answers."""
        self.answers.setdefault(path, []).extend(answers)

    # -- what was asked ----------------------------------------------------------------------------

    def requests(self, prefix: str = "") -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path.startswith(prefix)]

    def statuses(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for seen in self.requests():
            counts[seen.status] = counts.get(seen.status, 0) + 1
        return dict(sorted(counts.items()))

    def forget(self) -> None:
        with self._lock:
            self.seen.clear()

    # -- answering -------------------------------------------------------------------------------

    def scripted(self, path: str) -> Answer | None:
        with self._lock:
            queue = self.answers.get(path)
            if not queue:
                return None
            answer = queue[0]
            if answer.times is not None:
                answer.times -= 1
                if answer.times <= 0:
                    queue.pop(0)
            return answer

    def route(self, path: str, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        """(status, JSON body, headers) of GitHub's normal answer."""
        parts = path.strip("/").split("/")
        if parts[0] == "repositories" and len(parts) >= 2 and parts[1].isdigit():
            name = self.by_id.get(int(parts[1]))
            if name is None:
                return _not_found()
            return self.route("/repos/" + "/".join([name, *parts[2:]]), query)
        if parts[0] != "repos" or len(parts) < 3:
            return _not_found()
        full_name = f"{parts[1]}/{parts[2]}".lower()
        if full_name in self.renamed:
            rest = "/".join(parts[3:])
            location = f"{self.url}/repositories/{self.renamed[full_name]}"
            location += f"/{rest}" if rest else ""
            if query:
                location += "?" + "&".join(f"{k}={v}" for k, v in query.items())
            return 301, {"message": "Moved Permanently", "url": location}, {"Location": location}
        repository = self.repositories.get(full_name)
        if repository is None:
            return _not_found()
        rest = parts[3:]
        if not rest:
            return 200, repository.repo, {}
        if rest == ["releases"]:
            return self._page(path, query, repository.releases)
        if rest == ["tags"]:
            return self._page(path, query, repository.tags)
        if rest[0] == "commits" and len(rest) == 2 and rest[1] in repository.commits:
            return 200, repository.commits[rest[1]], {}
        return _not_found()

    def _page(
        self, path: str, query: dict[str, str], items: list[dict[str, Any]]
    ) -> tuple[int, Any, dict[str, str]]:
        per_page = min(int(query.get("per_page", "30")), 100)
        page = int(query.get("page", "1"))
        chunk = items[(page - 1) * per_page : page * per_page]
        last = max(1, -(-len(items) // per_page))
        links = []
        if page < last:
            links.append(f'<{self.url}{path}?per_page={per_page}&page={page + 1}>; rel="next"')
            links.append(f'<{self.url}{path}?per_page={per_page}&page={last}>; rel="last"')
        return 200, chunk, {"Link": ", ".join(links)} if links else {}

    def rate_headers(self) -> dict[str, str]:
        remaining = 4999 if self.quota is None else max(self.quota, 0)
        return {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Used": str(5000 - remaining),
            "X-RateLimit-Resource": "core",
        }


def _not_found() -> tuple[int, Any, dict[str, str]]:
    return (
        404,
        {
            "message": "Not Found",
            "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
            "status": "404",
        },
        {},
    )


def rate_limited_body() -> dict[str, str]:
    return {
        "message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
        "Authenticated requests get a higher rate limit.)",
        "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api"
        "#rate-limiting",
    }


def _etag(body: bytes) -> str:
    return 'W/"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def _handler(api: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            status, headers, body = self._answer(parts.path, query)
            with api._lock:
                api.seen.append(
                    Seen(
                        parts.path,
                        query,
                        self.headers.get("Authorization"),
                        self.headers.get("If-None-Match"),
                        status,
                    )
                )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
            headers = {"Content-Type": "application/json; charset=utf-8", **api.rate_headers()}
            scripted = api.scripted(path)
            if scripted is not None:
                if scripted.hang:
                    api.release_hung.wait(timeout=60)
                body = scripted.raw if scripted.raw is not None else _dump(scripted.body)
                return scripted.status, {**headers, **scripted.headers}, body
            with api._lock:
                if api.quota is not None:
                    api.quota -= 1
                    if api.quota < 0:
                        limited = {**headers, **api.rate_headers(), "X-RateLimit-Remaining": "0"}
                        return 403, limited, _dump(rate_limited_body())
            status, data, extra = api.route(path, query)
            body = _dump(data)
            headers.update(extra)
            if status == 200:
                etag = _etag(body)
                headers["ETag"] = etag
                if self.headers.get("If-None-Match") == etag:
                    return 304, headers, b""
            return status, headers, body

    return Handler


def _dump(data: Any) -> bytes:
    return json.dumps(data, indent=2).encode("utf-8")


def load_fixture(api: FakeGitHub, data: dict[str, Any]) -> None:
    """Fill *api* from a fixture: ``{"repositories": {full_name: {...}}, "renamed": {...}}``."""
    for full_name, spec in data["repositories"].items():
        api.add(
            full_name,
            releases=[tuple(r) for r in spec.get("releases", [])],
            tags=[tuple(t) for t in spec.get("tags", [])],
            prereleases=frozenset(spec.get("prereleases", [])),
            **spec.get("fields", {}),
        )
    for old, new in data.get("renamed", {}).items():
        api.rename(old, new)
