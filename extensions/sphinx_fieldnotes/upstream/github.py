"""The fetcher: one repository's state from GitHub's REST API, as a snapshot record.

Per repository it asks ``GET /repos/{owner}/{repo}`` (archived, default branch, last push; a
renamed or transferred repository answers 301 to ``/repositories/{id}``, which httpx follows: the
record then says where it moved), ``GET /repos/{owner}/{repo}/releases`` and, when the repository
publishes no releases, ``GET /repos/{owner}/{repo}/tags`` plus ``GET .../commits/{sha}`` for the
newest tag's date (skipped when that tag still names the commit the old record dated). Lists are
read 100 a page, following ``Link: rel="next"`` (on the API's own origin only) until every studied
version is found or ``max_pages`` is reached.

Other hosts: none. GitHub Enterprise works with ``api_url`` ``https://HOST/api/v3``; every other
host is reported as unsupported by :mod:`.hosts`, URL by URL.

Network behaviour:

- a token (``GITHUB_TOKEN``, read by the command) is sent as ``Authorization: Bearer``; it lives
  only in the client's headers (httpx drops it on redirects to another origin, and pages on
  another origin are not followed), never in a record, a message or a repr;
- conditional requests: each record keeps the ``ETag`` of its repository, releases and tags
  answers and sends it back as ``If-None-Match``; a 304 keeps the old values (and costs no rate
  limit on GitHub when authenticated). Changing the studied versions of the entries drops the
  release and tag validators, since their counts must be computed again;
- timeouts (``timeout`` seconds, connect and read) and a connection pool of ``concurrency``;
  httpx's transport retries failed connections (``connect_retries``);
- rate limits: a 403 or 429 with ``Retry-After``, or with ``X-RateLimit-Remaining: 0`` and
  ``X-RateLimit-Reset``, is waited out when the wait is at most ``max_wait`` seconds (tenacity
  runs the retries, ``rate_limit_tries`` attempts in all); a longer wait stops the whole run with
  a message saying when the limit resets (:class:`RunStopped`), and what was fetched is kept;
- 502, 503 and 504 are retried with exponential backoff (``server_error_tries`` attempts); any
  other failure (a timeout, another status, an answer that is not the JSON GitHub sends) fails
  that repository alone (:class:`RefreshError`) and its old record is kept.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

import httpx
import tenacity

from sphinx_fieldnotes import __version__
from sphinx_fieldnotes.upstream import versions
from sphinx_fieldnotes.upstream.hosts import GITHUB_API, RepositoryRef, parse_repository_url
from sphinx_fieldnotes.upstream.site import Target
from sphinx_fieldnotes.upstream.snapshot import EntryState, LatestRelease, Record, timestamp
from sphinx_fieldnotes.vocabulary import UNRECORDED, UNRELEASED

PER_PAGE = 100
SERVER_BUSY = frozenset({502, 503, 504})
GONE = frozenset({404, 410})
# GitHub asks for at least a minute after a secondary rate limit that names no wait.
SECONDARY_LIMIT_WAIT = 60.0


@dataclass(frozen=True)
class FetchSettings:
    api_url: str = GITHUB_API
    token: str | None = field(default=None, repr=False)
    concurrency: int = 4
    timeout: float = 10.0
    max_wait: float = 60.0
    rate_limit_tries: int = 3
    server_error_tries: int = 3
    backoff: float = 1.0
    max_pages: int = 10
    connect_retries: int = 2


class RefreshError(Exception):
    """This repository could not be fetched; its old record is kept."""


class RunStopped(Exception):
    """Nothing more can be fetched in this run (a long rate limit, refused credentials)."""


class Stopped(Exception):
    """This repository was not fetched: the run had stopped."""


class _RateLimited(Exception):
    def __init__(self, wait: float, response: httpx.Response) -> None:
        super().__init__(f"rate limited for {wait:.0f} s")
        self.wait = wait
        self.response = response


class _ServerBusy(Exception):
    pass


def rate_limit_wait(response: httpx.Response, now: float) -> float | None:
    """Seconds GitHub asks to wait before the next request, when *response* is a rate limit
    (primary or secondary); None when it is not one."""
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    retry_after = headers.get("Retry-After", "").strip()
    if retry_after.isdigit():
        return float(retry_after)
    if retry_after:
        try:
            return max(0.0, parsedate_to_datetime(retry_after).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = headers.get("X-RateLimit-Reset", "").strip()
    if headers.get("X-RateLimit-Remaining", "").strip() == "0" and reset.isdigit():
        return max(0.0, math.ceil(int(reset) - now))  # resetting at, not before, that second
    if response.status_code == 429 or "rate limit" in response.text.lower():
        return SECONDARY_LIMIT_WAIT
    return None


class GitHub:
    """A client of one GitHub API, shared by the worker threads of a refresh."""

    def __init__(self, settings: FetchSettings, stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.stop = stop or threading.Event()
        self.sent = 0
        self.statuses: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._origin = httpx.URL(settings.api_url.rstrip("/") + "/")
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"sphinx-fieldnotes/{__version__} (fieldnotes refresh)",
        }
        if settings.token:
            headers["Authorization"] = f"Bearer {settings.token}"
        self.client = httpx.Client(
            base_url=self._origin,
            headers=headers,
            timeout=httpx.Timeout(settings.timeout),
            limits=httpx.Limits(max_connections=settings.concurrency),
            transport=httpx.HTTPTransport(retries=settings.connect_retries),
            follow_redirects=True,
            event_hooks={"request": [self._sending], "response": [self._answered]},
        )
        self._retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(self._worth_retrying),
            # tenacity before 8.3 annotates wait as returning bool; it has always used the float
            wait=self._wait,  # type: ignore[arg-type,unused-ignore]
            stop=self._give_up,
            sleep=self._sleep,
            reraise=True,
        )
        self._backoff = tenacity.wait_exponential(multiplier=settings.backoff, max=30)

    def close(self) -> None:
        self.client.close()

    # -- counting --------------------------------------------------------------------------------

    def _sending(self, request: httpx.Request) -> None:
        with self._lock:
            self.sent += 1

    def _answered(self, response: httpx.Response) -> None:
        with self._lock:
            self.statuses[response.status_code] += 1

    # -- one request, with the waits the host asks for ---------------------------------------------

    def _worth_retrying(self, exc: BaseException) -> bool:
        if isinstance(exc, _RateLimited):
            return exc.wait <= self.settings.max_wait
        return isinstance(exc, _ServerBusy)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        return exc.wait if isinstance(exc, _RateLimited) else self._backoff(state)

    def _give_up(self, state: tenacity.RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        tries = (
            self.settings.rate_limit_tries
            if isinstance(exc, _RateLimited)
            else self.settings.server_error_tries
        )
        return state.attempt_number >= tries

    def _sleep(self, seconds: float) -> None:
        # A wait that another worker's stop cuts short.
        if self.stop.wait(seconds):
            raise Stopped

    def get(
        self, url: str, *, etag: str | None = None, params: Mapping[str, Any] | None = None
    ) -> httpx.Response:
        """The answer to ``GET url`` (relative to the API, or absolute on its origin)."""
        try:
            return self._retrying(self._attempt, url, etag, params)
        except _RateLimited as exc:
            self.stop.set()
            raise RunStopped(self._rate_limit_message(exc)) from None
        except _ServerBusy as exc:
            raise RefreshError(str(exc)) from None

    def _attempt(
        self, url: str, etag: str | None, params: Mapping[str, Any] | None
    ) -> httpx.Response:
        if self.stop.is_set():
            raise Stopped
        headers = {"If-None-Match": etag} if etag else {}
        shown = _shown(url)
        try:
            response = self.client.get(url, headers=headers, params=params)
        except httpx.TimeoutException:
            raise RefreshError(
                f"GET {shown}: no answer within {self.settings.timeout:g} s"
            ) from None
        except httpx.HTTPError as exc:
            raise RefreshError(f"GET {shown}: {type(exc).__name__}: {exc}") from None
        wait = rate_limit_wait(response, time.time())
        if wait is not None:
            raise _RateLimited(wait, response)
        if response.status_code in SERVER_BUSY:
            raise _ServerBusy(f"GET {shown}: HTTP {response.status_code} (tried {self._tries})")
        if response.status_code == 401:
            self.stop.set()
            raise RunStopped(
                f"GET {shown}: the API refused the credentials (401 {_message(response)}): "
                "renew GITHUB_TOKEN or unset it"
            )
        return response

    @property
    def _tries(self) -> str:
        n = self.settings.server_error_tries
        return f"{n} time" + ("" if n == 1 else "s")

    def _rate_limit_message(self, exc: _RateLimited) -> str:
        limit = exc.response.headers.get("X-RateLimit-Limit")
        of = f" (limit {limit} requests an hour)" if limit else ""
        hint = "" if self.settings.token else "; a token in GITHUB_TOKEN raises the limit"
        if exc.wait > self.settings.max_wait:
            until = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=exc.wait)
            why = (
                f"asks to wait {exc.wait:.0f} s (until {until:%Y-%m-%d %H:%M} UTC), longer than "
                f"the {self.settings.max_wait:g} s allowed (--max-wait)"
            )
        else:
            why = f"still limits after {self.settings.rate_limit_tries} tries"
        return (
            f"the API rate limit{of} {why}{hint}; what was fetched is kept, "
            "run fieldnotes refresh again later"
        )

    # -- one repository ----------------------------------------------------------------------------

    def fetch(self, target: Target, old: Record | None, now: dt.datetime) -> Record:
        """The record of *target*, asking only what *old* cannot answer."""
        ref = target.ref
        name = _api_name(ref, old)
        etags = dict(old.etags) if old is not None and old.found else {}
        response = self.get(f"repos/{name}", etag=etags.get("repository"))
        if response.status_code in GONE:
            return Record(
                ref.key,
                ref.host,
                ref.full_name,
                found=False,
                fetched_at=timestamp(now),
                entries={n: EntryState(v, None) for n, v in sorted(target.studied.items())},
            )
        new_etags: dict[str, str] = {}
        if response.status_code == 304 and old is not None:
            state = _RepositoryState(old.archived, old.moved_to, old.default_branch, old.pushed_at)
            new_etags["repository"] = etags["repository"]
        else:
            what = f"GET /repos/{name}"
            state, name = _repository_state(_object(_expect_ok(response), what), ref, what)
            _keep_etag(new_etags, "repository", response.headers.get("ETag"))
        studied = {n: e.studied_version for n, e in old.entries.items()} if old else None
        if studied != dict(target.studied):  # the counts must be computed again
            etags.pop("releases", None)
            etags.pop("tags", None)
        latest, entries = self._releases(_ReleaseQuery(name, target, old, etags, new_etags))
        return Record(
            ref.key,
            ref.host,
            ref.full_name,
            found=True,
            fetched_at=timestamp(now),
            archived=state.archived,
            moved_to=state.moved_to,
            default_branch=state.default_branch,
            pushed_at=state.pushed_at,
            latest_release=latest,
            entries=entries,
            etags=dict(sorted(new_etags.items())),
        )

    def _releases(self, query: _ReleaseQuery) -> tuple[LatestRelease | None, dict[str, EntryState]]:
        name, target, old, etags, new_etags = query
        listed = self._list(f"repos/{name}/releases", etags.get("releases"), target)
        if listed is None:  # 304: the releases are what the old record says
            new_etags["releases"] = etags["releases"]
            if old is not None and old.latest_release and old.latest_release.source == "release":
                return old.latest_release, dict(old.entries)
        else:
            items, etag = listed
            _keep_etag(new_etags, "releases", etag)
            releases = _releases(items, f"GET /repos/{name}/releases")
            if releases:
                return self._from_releases(releases, target)
        return self._tags(query)

    def _from_releases(
        self, releases: list[tuple[versions.Tag, str | None]], target: Target
    ) -> tuple[LatestRelease | None, dict[str, EntryState]]:
        tags = [tag for tag, _ in releases]
        published = {tag.name: date for tag, date in releases}
        newest = versions.latest_release(tags)
        latest = None
        if newest is not None:
            date = published[newest.name]
            latest = LatestRelease(newest.name, date, "release", "published" if date else None)
        return latest, _entries(target, tags)

    def _tags(self, query: _ReleaseQuery) -> tuple[LatestRelease | None, dict[str, EntryState]]:
        name, target, old, etags, new_etags = query
        listed = self._list(f"repos/{name}/tags", etags.get("tags"), target)
        if listed is None and old is not None:  # 304: the tags are what the old record says
            new_etags["tags"] = etags["tags"]
            return old.latest_release, dict(old.entries)
        items, etag = listed or ([], None)
        _keep_etag(new_etags, "tags", etag)
        tags = _tags(items, f"GET /repos/{name}/tags")
        newest = versions.latest_tag([tag for tag, _ in tags])
        latest = None
        if newest is not None:
            sha = dict((t.name, s) for t, s in tags)[newest.name]
            date = self._commit_date(name, sha, old)
            latest = LatestRelease(newest.name, date, "tag", "commit" if date else None, sha)
        return latest, _entries(target, [tag for tag, _ in tags])

    def _commit_date(self, name: str, sha: str, old: Record | None) -> str | None:
        previous = old.latest_release if old is not None else None
        if previous is not None and previous.commit == sha and previous.date:
            return previous.date  # a commit's date never changes
        response = self.get(f"repos/{name}/commits/{sha}")
        if response.status_code in GONE:
            return None
        data = _object(_expect_ok(response), f"GET /repos/{name}/commits/{sha}")
        commit = data.get("commit")
        for who in ("committer", "author"):
            person = commit.get(who) if isinstance(commit, dict) else None
            date = _time(person.get("date")) if isinstance(person, dict) else None
            if date:
                return date
        return None

    def _list(
        self, path: str, etag: str | None, target: Target
    ) -> tuple[list[Any], str | None] | None:
        """Every item of a paged list (None on 304), reading pages until the studied versions
        are all found or ``max_pages`` are read; and the first page's ETag."""
        response = self.get(path, etag=etag, params={"per_page": PER_PAGE})
        if response.status_code == 304:
            return None
        items = _array(_expect_ok(response), f"GET /{path}")
        first_etag = response.headers.get("ETag")
        pages = 1
        while pages < self.settings.max_pages and _needs_more(target, items, path):
            url = response.links.get("next", {}).get("url")
            if not url or not self._same_origin(url):
                break
            response = self.get(url)
            items = items + _array(_expect_ok(response), f"GET /{path} (page {pages + 1})")
            pages += 1
        return items, first_etag

    def _same_origin(self, url: str) -> bool:
        target = httpx.URL(url)
        return (target.scheme, target.host, target.port) == (
            self._origin.scheme,
            self._origin.host,
            self._origin.port,
        )


# --------------------------------------------------------------------------------------------
# Reading GitHub's answers


def _api_name(ref: RepositoryRef, old: Record | None) -> str:
    """Where to ask: the repository's new name when the old record saw it move."""
    if old is not None and old.found and old.moved_to:
        try:
            return parse_repository_url(old.moved_to, frozenset({ref.host})).full_name
        except ValueError:
            pass
    return ref.full_name


def _shown(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else "/" + url.lstrip("/")


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.reason_phrase
    message = data.get("message") if isinstance(data, dict) else None
    return str(message)[:200] if message else response.reason_phrase


def _expect_ok(response: httpx.Response) -> httpx.Response:
    if response.status_code != 200:
        raise RefreshError(
            f"GET {response.request.url.path}: HTTP {response.status_code} {_message(response)}"
        )
    return response


def _json(response: httpx.Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise RefreshError(f"{what}: the answer is not JSON ({exc})") from None


def _object(response: httpx.Response, what: str) -> dict[str, Any]:
    data = _json(response, what)
    if not isinstance(data, dict):
        raise RefreshError(f"{what}: the answer is not a JSON object")
    return data


def _array(response: httpx.Response, what: str) -> list[Any]:
    data = _json(response, what)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise RefreshError(f"{what}: the answer is not a JSON array of objects")
    return data


def _field(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise RefreshError(f"{what}: {key!r} is {value!r}, not what GitHub sends")
    return value


def _time(text: str | None) -> str | None:
    """GitHub's ISO 8601 time as the snapshot writes it; None for none or a malformed one."""
    if not text:
        return None
    try:
        return timestamp(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


class _ReleaseQuery(NamedTuple):
    """What the releases (or tags) of one repository are asked with."""

    name: str  # owner/name as the API knows it now (after a move)
    target: Target
    old: Record | None
    etags: dict[str, str]  # the ETags to send
    new_etags: dict[str, str]  # the ETags received, filled in as the answers come


@dataclass(frozen=True)
class _RepositoryState:
    archived: bool | None
    moved_to: str | None
    default_branch: str | None
    pushed_at: str | None


def _repository_state(
    data: Mapping[str, Any], ref: RepositoryRef, what: str
) -> tuple[_RepositoryState, str]:
    """The record's repository fields from ``GET /repos``, and the name to ask further."""
    full_name = _field(data, "full_name", str, what)
    html_url = _field(data, "html_url", str, what)
    moved = full_name.lower() != ref.full_name
    state = _RepositoryState(
        archived=_field(data, "archived", bool, what),
        moved_to=html_url if moved else None,
        default_branch=_field(data, "default_branch", str, what) or None,
        pushed_at=_time(_field(data, "pushed_at", (str, type(None)), what)),
    )
    return state, full_name.lower()


def _releases(items: list[dict[str, Any]], what: str) -> list[tuple[versions.Tag, str | None]]:
    """Published releases (drafts left out) with their publication times, newest first."""
    found = []
    for item in items:
        if item.get("draft") is True:
            continue
        tag = _field(item, "tag_name", str, what)
        prerelease = item.get("prerelease") is True
        found.append((versions.Tag(tag, prerelease), _time(item.get("published_at"))))
    return found


def _tags(items: list[dict[str, Any]], what: str) -> list[tuple[versions.Tag, str]]:
    found = []
    for item in items:
        commit = _field(item, "commit", dict, what)
        found.append(
            (versions.Tag(_field(item, "name", str, what)), _field(commit, "sha", str, what))
        )
    return found


def _needs_more(target: Target, items: list[dict[str, Any]], path: str) -> bool:
    """Whether a further page could change a count: some entry studied ``unreleased`` (all are
    counted) or a version not found yet."""
    key = "tag_name" if path.endswith("/releases") else "name"
    tags = [versions.Tag(str(item.get(key, ""))) for item in items]
    for entry, studied in target.studied.items():
        if studied == UNRELEASED:
            return True
        if (
            studied not in (None, UNRECORDED)
            and versions.releases_since(studied, tags, entry) is None
        ):
            return True
    return False


def _entries(target: Target, tags: list[versions.Tag]) -> dict[str, EntryState]:
    return {
        entry: EntryState(studied, versions.releases_since(studied, tags, entry))
        for entry, studied in sorted(target.studied.items())
    }


def _keep_etag(etags: dict[str, str], name: str, etag: str | None) -> None:
    if etag:
        etags[name] = etag
