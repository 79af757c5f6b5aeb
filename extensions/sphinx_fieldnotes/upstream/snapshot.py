"""The upstream snapshot file: its data model, its writer and a validating reader.

One JSON file (schema: ``upstream.schema.json`` next to ``fieldnotes.schema.json``)::

    {
      "generated": "2026-03-01T09:30:00Z",
      "repositories": {
        "https://github.com/intel/multus-cni": {
          "archived": false,
          "default_branch": "master",
          "entries": {"multus-cni": {"releases_since": 12, "studied_version": "v3.1"}},
          "etags": {"releases": "W/\\"...\\"", "repository": "W/\\"...\\""},
          "fetched_at": "2026-03-01T09:30:00Z",
          "found": true,
          "host": "github.com",
          "latest_release": {"commit": null, "date": "2025-03-02T10:00:00Z",
                             "date_source": "published", "source": "release", "tag": "v4.1"},
          "moved_to": "https://github.com/k8snetworkplumbingwg/multus-cni",
          "pushed_at": "2026-02-27T17:01:12Z",
          "repository": "intel/multus-cni"
        }
      },
      "schema": 1
    }

- ``repositories`` has one record per repository, keyed by its canonical URL
  (:attr:`.hosts.RepositoryRef.key`); ``entries`` are the projects and TODO items (normalised
  names) that link to it, each with the version it studied and the releases since
  (:mod:`.versions`).
- ``found`` is false when the host answers 404 (deleted, or private); the host's fields are null.
- ``latest_release.source`` is ``release`` (a published release; ``date`` is its publication) or
  ``tag`` (the repository publishes no releases; ``date`` is the tagged commit's date,
  ``date_source`` ``commit``, or null with ``date_source`` null when it is not known).
- ``fetched_at`` is when the record's content was last fetched. A conditional request answered
  304 (Not Modified) changes nothing, not even dates, and ``generated`` is when a refresh last
  changed the file: so a refresh that finds nothing new leaves the file byte-identical.
- The writer sorts every key and ends with a newline; timestamps are UTC, ``YYYY-MM-DDTHH:MM:SSZ``.

:func:`read_snapshot` never raises: it returns the data it could read and the problems it found,
each with file, line (when known), a code and a message, for the build and the command alike.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sphinx_fieldnotes.codes import Code
from sphinx_fieldnotes.upstream.hosts import GITHUB, parse_repository_url

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).parent.parent / "upstream.schema.json"
# The default of fieldnotes_upstream_snapshot, relative to the source directory (the shipped
# site and fieldnotes init's set source/_data/upstream.json: their source directory is the root).
DEFAULT_PATH = "_data/upstream.json"

RELEASE_SOURCES = ("release", "tag")
DATE_SOURCES = ("published", "commit")
ETAG_NAMES = ("repository", "releases", "tags")

_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class ProblemCode:
    """The codes of snapshot problems, as :class:`~sphinx_fieldnotes.codes.Code` defines (and
    documents) them; the build reports them as ``fieldnotes.<code>``."""

    MALFORMED = Code.UPSTREAM_MALFORMED.value
    SCHEMA = Code.UPSTREAM_SCHEMA.value
    INVALID = Code.UPSTREAM_INVALID.value
    STALE = Code.UPSTREAM_STALE.value


@dataclass(frozen=True, order=True)
class Problem:
    """One problem of a snapshot file; *line* is 0 when not known."""

    file: str
    line: int
    code: str
    message: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message} [fieldnotes.{self.code}]"


@dataclass(frozen=True)
class LatestRelease:
    tag: str
    date: str | None
    source: str  # "release" or "tag"
    date_source: str | None  # "published", "commit", or None when the date is not known
    commit: str | None = None  # the tagged commit, for tags: its date is the tag's

    @property
    def date_known(self) -> bool:
        return self.date is not None


@dataclass(frozen=True)
class EntryState:
    """What one entry linking to the repository studied, and how far upstream has moved since."""

    studied_version: str | None
    releases_since: int | None


@dataclass(frozen=True)
class Record:
    url: str
    host: str
    repository: str
    found: bool
    fetched_at: str
    archived: bool | None = None
    moved_to: str | None = None
    default_branch: str | None = None
    pushed_at: str | None = None
    latest_release: LatestRelease | None = None
    entries: Mapping[str, EntryState] = field(default_factory=dict)
    etags: Mapping[str, str] = field(default_factory=dict)

    def same_content(self, other: Record | None) -> bool:
        """Equal but for ``fetched_at``."""
        return other is not None and replace(other, fetched_at=self.fetched_at) == self


@dataclass(frozen=True)
class Snapshot:
    generated: str
    records: Mapping[str, Record]
    schema: int = SCHEMA_VERSION

    def lookup(self, url: str | None, hosts: frozenset[str] = frozenset({GITHUB})) -> Record | None:
        """The record of the repository *url* (a note's ``:url:``) names, if any."""
        if not url:
            return None
        try:
            key = parse_repository_url(url, hosts).key
        except ValueError:
            return None
        return self.records.get(key)


def timestamp(moment: dt.datetime) -> str:
    """*moment* as the snapshot writes times: UTC, to the second."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------
# Writer


def as_data(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "schema": snapshot.schema,
        "generated": snapshot.generated,
        "repositories": {key: _record_data(snapshot.records[key]) for key in snapshot.records},
    }


def _record_data(record: Record) -> dict[str, Any]:
    latest = record.latest_release
    return {
        "host": record.host,
        "repository": record.repository,
        "found": record.found,
        "archived": record.archived,
        "moved_to": record.moved_to,
        "default_branch": record.default_branch,
        "pushed_at": record.pushed_at,
        "latest_release": None
        if latest is None
        else {
            "tag": latest.tag,
            "date": latest.date,
            "source": latest.source,
            "date_source": latest.date_source,
            "commit": latest.commit,
        },
        "entries": {
            name: {"studied_version": e.studied_version, "releases_since": e.releases_since}
            for name, e in record.entries.items()
        },
        "etags": dict(record.etags),
        "fetched_at": record.fetched_at,
    }


def dumps(snapshot: Snapshot) -> str:
    """The file's text: sorted keys, two-space indents, a final newline (diff-friendly)."""
    return json.dumps(as_data(snapshot), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_snapshot(path: Path, snapshot: Snapshot) -> bool:
    """Write *snapshot* to *path* (atomically) unless the file already holds exactly that text;
    return whether it was written."""
    text = dumps(snapshot)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # A file written whole or not at all: a stopped refresh never leaves half a snapshot.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


# --------------------------------------------------------------------------------------------
# Reader


class _Invalid(Exception):
    """A value that is not what the schema says, at a path of keys."""

    def __init__(self, path: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def read_snapshot(
    path: Path, known: Mapping[str, Collection[str]] | None = None, *, shown: str | None = None
) -> tuple[Snapshot | None, list[Problem]]:
    """The snapshot at *path* and its problems; ``(None, [])`` when there is no file.

    *known* maps each repository key the site links to onto the entry names linking to it;
    when given, records and entries the site no longer has are reported as stale. *shown* is the
    file's name in problems (default: *path* as given). Never raises.
    """
    name = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, 0, ProblemCode.MALFORMED, f"cannot read the snapshot: {exc}")]
    return parse_snapshot(text, name, known)


def parse_snapshot(
    text: str, name: str, known: Mapping[str, Collection[str]] | None = None
) -> tuple[Snapshot | None, list[Problem]]:
    """Like :func:`read_snapshot`, from the file's *text*."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        line = getattr(exc, "lineno", 0)
        reason = getattr(exc, "msg", str(exc))
        return None, [
            Problem(name, line, ProblemCode.MALFORMED, f"the snapshot is not valid JSON: {reason}")
        ]
    if not isinstance(data, dict):
        return None, [Problem(name, 1, ProblemCode.MALFORMED, "the snapshot is not a JSON object")]
    problem = _schema_problem(data)
    if problem:
        return None, [Problem(name, _line_of(text, ("schema",)), ProblemCode.SCHEMA, problem)]

    problems: list[Problem] = []

    def invalid(error: _Invalid) -> None:
        problems.append(
            Problem(name, _line_of(text, error.path), ProblemCode.INVALID, error.message)
        )

    for key in sorted(set(data) - {"schema", "generated", "repositories"}):
        invalid(_Invalid((key,), f"unknown field {key!r} ignored"))
    try:
        generated = _timestamp(data.get("generated"), ("generated",))
        repositories = data.get("repositories")
        if not isinstance(repositories, dict):
            raise _Invalid(("repositories",), "'repositories' is not an object")
    except _Invalid as error:
        invalid(error)
        return None, problems

    records: dict[str, Record] = {}
    for key in sorted(repositories):
        try:
            records[key] = _record(key, repositories[key], invalid)
        except _Invalid as error:
            invalid(_Invalid(error.path, f"{error.message}; the record of {key} is left out"))
    snapshot = Snapshot(generated=generated, records=records)
    if known is not None:
        problems.extend(_stale(snapshot, known, text, name))
    return snapshot, sorted(problems)


def _schema_problem(data: dict[str, Any]) -> str | None:
    schema = data.get("schema")
    if "schema" not in data:
        return "the snapshot has no 'schema' version: run fieldnotes refresh to write it again"
    if type(schema) is not int:
        return f"the snapshot's 'schema' is {schema!r}, not a version number"
    if schema < SCHEMA_VERSION:
        return (
            f"the snapshot has schema {schema}, older than this fieldnotes reads "
            f"({SCHEMA_VERSION}): run fieldnotes refresh to write it again"
        )
    if schema > SCHEMA_VERSION:
        return (
            f"the snapshot has schema {schema}, newer than this fieldnotes reads "
            f"({SCHEMA_VERSION}): upgrade sphinx-fieldnotes"
        )
    return None


def _stale(
    snapshot: Snapshot, known: Mapping[str, Collection[str]], text: str, name: str
) -> Iterator[Problem]:
    for key, record in snapshot.records.items():
        where = ("repositories", key)
        if key not in known:
            yield Problem(
                name,
                _line_of(text, where),
                ProblemCode.STALE,
                f"no project or TODO links to {key} any more: run fieldnotes refresh",
            )
            continue
        for entry in record.entries:
            if entry not in known[key]:
                yield Problem(
                    name,
                    _line_of(text, (*where, "entries", entry)),
                    ProblemCode.STALE,
                    f"the snapshot says {entry!r} links to {key}, but no project or TODO of "
                    f"that name does: run fieldnotes refresh",
                )


_RECORD_FIELDS = frozenset(
    {
        "host",
        "repository",
        "found",
        "archived",
        "moved_to",
        "default_branch",
        "pushed_at",
        "latest_release",
        "entries",
        "etags",
        "fetched_at",
    }
)


_LATEST_FIELDS = ("tag", "date", "source", "date_source", "commit")
_ENTRY_FIELDS = ("studied_version", "releases_since")


def _record(key: str, value: Any, invalid: Any) -> Record:
    """One record, checked; raises :class:`_Invalid` for a record that must be left out and calls
    *invalid* for a problem that leaves it usable."""
    at = ("repositories", key)
    if not isinstance(value, dict):
        raise _Invalid(at, f"the record of {key!r} is not an object")
    try:
        ref = parse_repository_url(key, frozenset({_host_of(key)}))
    except ValueError as exc:
        raise _Invalid(at, f"{key!r} is not a repository URL ({exc})") from None
    if ref.key != key:
        raise _Invalid(at, f"{key!r} is not written as a repository key ({ref.key})")
    for extra in sorted(set(value) - _RECORD_FIELDS):
        invalid(_Invalid((*at, extra), f"unknown field {extra!r} of {key} ignored"))
    _require(value, _RECORD_FIELDS, at)
    found = _typed(value, "found", bool, at, nullable=False)
    record = Record(
        url=key,
        host=_typed(value, "host", str, at, nullable=False),
        repository=_typed(value, "repository", str, at, nullable=False),
        found=found,
        fetched_at=_timestamp(value.get("fetched_at"), (*at, "fetched_at")),
        archived=_typed(value, "archived", bool, at),
        moved_to=_url(value, at),
        default_branch=_typed(value, "default_branch", str, at),
        pushed_at=_optional_timestamp(value, "pushed_at", at),
        latest_release=_latest(value.get("latest_release"), (*at, "latest_release")),
        entries=_entries(value["entries"], (*at, "entries")),
        etags=_etags(value["etags"], (*at, "etags")),
    )
    if (record.host, record.repository) != (ref.host, ref.full_name):
        raise _Invalid(at, f"the record of {key} names another repository")
    return record


def _require(
    value: dict[str, Any], keys: Collection[str], at: tuple[str, ...], *, exact: bool = False
) -> None:
    """*value* has every field of *keys* (and, when *exact*, no other)."""
    missing = sorted(set(keys) - set(value))
    if missing:
        raise _Invalid(at, f"{at[-1]!r} has no {', '.join(map(repr, missing))}")
    extra = sorted(set(value) - set(keys)) if exact else []
    if extra:
        raise _Invalid((*at, extra[0]), f"{at[-1]!r} has an unknown field {extra[0]!r}")


def _host_of(key: str) -> str:
    match = re.match(r"^https://([^/]+)/", key)
    return match[1] if match else ""


def _typed(
    value: dict[str, Any], key: str, kind: type, at: tuple[str, ...], *, nullable: bool = True
) -> Any:
    item = value.get(key)
    if item is None and nullable:
        return None
    if type(item) is not kind or (kind is str and not item):
        what = {bool: "true or false", str: "a non-empty string", int: "a whole number"}[kind]
        raise _Invalid((*at, key), f"{key!r} of {at[-1]} is {item!r}, not {what}")
    return item


def _timestamp(item: Any, at: tuple[str, ...]) -> str:
    if not isinstance(item, str) or not _TIMESTAMP.match(item):
        raise _Invalid(at, f"{at[-1]!r} is {item!r}, not a UTC time like 2026-03-01T09:30:00Z")
    try:
        # The pattern fixed the layout; fromisoformat (C, unlike strptime) checks the calendar:
        # a build reads every timestamp of the file, thousands on a large site.
        dt.datetime.fromisoformat(item[:-1])
    except ValueError:
        raise _Invalid(at, f"{at[-1]!r} is {item!r}, not a real time") from None
    return item


def _optional_timestamp(value: dict[str, Any], key: str, at: tuple[str, ...]) -> str | None:
    item = value.get(key)
    return None if item is None else _timestamp(item, (*at, key))


def _url(value: dict[str, Any], at: tuple[str, ...]) -> str | None:
    item = _typed(value, "moved_to", str, at)
    if item is not None and not re.match(r"^https?://[^/\s]+/\S+$", item):
        raise _Invalid((*at, "moved_to"), f"'moved_to' of {at[-1]} is {item!r}, not a URL")
    return item


def _latest(item: Any, at: tuple[str, ...]) -> LatestRelease | None:
    if item is None:
        return None
    if not isinstance(item, dict):
        raise _Invalid(at, f"'latest_release' of {at[1]} is not an object or null")
    _require(item, _LATEST_FIELDS, at, exact=True)
    latest = LatestRelease(
        tag=_typed(item, "tag", str, at, nullable=False),
        date=_optional_timestamp(item, "date", at),
        source=_typed(item, "source", str, at, nullable=False),
        date_source=_typed(item, "date_source", str, at),
        commit=_typed(item, "commit", str, at),
    )
    if latest.source not in RELEASE_SOURCES:
        raise _Invalid((*at, "source"), f"'source' is {latest.source!r}, not release or tag")
    if latest.date_source not in (*DATE_SOURCES, None) or (latest.date is None) != (
        latest.date_source is None
    ):
        raise _Invalid(
            (*at, "date_source"), "'date_source' must be published or commit when a date is known"
        )
    return latest


def _entries(item: Any, at: tuple[str, ...]) -> dict[str, EntryState]:
    if not isinstance(item, dict):
        raise _Invalid(at, f"'entries' of {at[1]} is not an object")
    entries = {}
    for name in sorted(item):
        state = item[name]
        if not name or not isinstance(state, dict):
            raise _Invalid((*at, name), f"entry {name!r} of {at[1]} is not an object")
        _require(state, _ENTRY_FIELDS, (*at, name), exact=True)
        since = state.get("releases_since")
        if since is not None and (type(since) is not int or since < 0):
            raise _Invalid(
                (*at, name, "releases_since"),
                f"'releases_since' of {name!r} is {since!r}, not a count or null",
            )
        entries[name] = EntryState(_typed(state, "studied_version", str, (*at, name)), since)
    return entries


def _etags(item: Any, at: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(item, dict) or any(
        k not in ETAG_NAMES or not isinstance(v, str) or not v for k, v in item.items()
    ):
        raise _Invalid(at, f"'etags' of {at[1]} must map {', '.join(ETAG_NAMES)} to strings")
    return dict(sorted(item.items()))


def _line_of(text: str, path: tuple[str, ...]) -> int:
    """The line of the value at *path* (a chain of object keys), found by looking for each key in
    turn after the previous one: exact for files as the writer lays them out, a close guess for
    hand-edited ones; 0 when a key is not found. (The standard library's parser keeps no
    positions, and the file needs none elsewhere.)"""
    offset = 0
    for key in path:
        match = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:").search(
            text, offset
        )
        if match is None:
            # Keys may be written with \u escapes; then the line is not known.
            return 0 if offset == 0 else text.count("\n", 0, offset) + 1
        offset = match.start()
    return text.count("\n", 0, offset) + 1
