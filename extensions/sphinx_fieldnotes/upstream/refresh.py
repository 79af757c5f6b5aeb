"""One refresh of a site's snapshot: which repositories to ask, in parallel, and the new snapshot.

Every repository the site links to gets a record; records of repositories it no longer links to
are dropped. A repository is not asked when ``only`` leaves it out, or when its record is younger
than ``max_age`` and its entries still study the same versions; then, and whenever its fetch fails
or the run stops before it, its old record is kept as it was. A fetch whose content equals the old
record keeps the old record whole (its ``fetched_at`` too), and ``generated`` changes only when
some record did: a refresh that finds nothing new leaves the file byte-identical.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace

from sphinx_fieldnotes.upstream.github import (
    FetchSettings,
    GitHub,
    RefreshError,
    RunStopped,
    Stopped,
)
from sphinx_fieldnotes.upstream.site import Target
from sphinx_fieldnotes.upstream.snapshot import Record, Snapshot, parse_timestamp, timestamp

# What happened to one repository.
NEW = "new"
UPDATED = "updated"
UNCHANGED = "unchanged"
SKIPPED = "skipped"  # fresh enough for --max-age, or left out by --only
FAILED = "failed"
NOT_FETCHED = "not fetched"  # the run stopped first


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str
    detail: str = ""


@dataclass
class RefreshResult:
    snapshot: Snapshot
    outcomes: list[Outcome]
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    stopped: str | None = None

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


def refresh(
    targets: Sequence[Target],
    old: Snapshot | None,
    settings: FetchSettings,
    *,
    now: dt.datetime,
    only: Collection[str] | None = None,
    max_age: dt.timedelta | None = None,
    on_outcome: Callable[[Outcome], None] = lambda outcome: None,
) -> RefreshResult:
    """Refresh the records of *targets* (``only``: just those repository keys) against *old*."""
    previous = dict(old.records) if old is not None else {}
    records: dict[str, Record] = {}
    outcomes: list[Outcome] = []
    to_fetch: list[Target] = []
    for target in sorted(targets, key=lambda t: t.ref.key):
        record = previous.get(target.ref.key)
        if _keep_as_is(target, record, only, max_age, now):
            assert record is not None
            records[target.ref.key] = record
            if only is None or target.ref.key in only:
                outcome = Outcome(target.ref.key, SKIPPED, f"fetched {record.fetched_at}")
                outcomes.append(outcome)
                on_outcome(outcome)
        elif only is None or target.ref.key in only:
            to_fetch.append(target)

    stop = threading.Event()
    github = GitHub(settings, stop)
    stopped: list[str] = []
    try:
        with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
            futures: dict[Future[Record], Target] = {
                pool.submit(github.fetch, target, previous.get(target.ref.key), now): target
                for target in to_fetch
            }
            for future in as_completed(futures):
                target = futures[future]
                outcome, record, stop_message = _settle(
                    future, target.ref.key, previous.get(target.ref.key)
                )
                outcome = replace(outcome, detail=redact(outcome.detail, settings.token))
                if stop_message:
                    stopped.append(redact(stop_message, settings.token))
                if record is not None:
                    records[target.ref.key] = record
                outcomes.append(outcome)
                on_outcome(outcome)
    finally:
        github.close()

    records = dict(sorted(records.items()))
    unchanged = old is not None and records == previous
    snapshot = Snapshot(
        generated=old.generated if unchanged and old is not None else timestamp(now),
        records=records,
    )
    return RefreshResult(
        snapshot=snapshot,
        outcomes=sorted(outcomes, key=lambda o: o.key),
        requests=github.sent,
        statuses=github.statuses,
        stopped=stopped[0] if stopped else None,
    )


def _keep_as_is(
    target: Target,
    record: Record | None,
    only: Collection[str] | None,
    max_age: dt.timedelta | None,
    now: dt.datetime,
) -> bool:
    if record is None:
        return False
    if only is not None and target.ref.key not in only:
        return True
    if max_age is None:
        return False
    same_studies = {n: e.studied_version for n, e in record.entries.items()} == dict(target.studied)
    return same_studies and now - parse_timestamp(record.fetched_at) < max_age


def redact(text: str, token: str | None) -> str:
    """*text* without *token*: an API may echo a credential back in an error message."""
    return text.replace(token, "[GITHUB_TOKEN]") if token else text


def _settle(
    future: Future[Record], key: str, old: Record | None
) -> tuple[Outcome, Record | None, str | None]:
    """What one fetch came to, the record to keep, and why the run stops (if it does)."""
    try:
        record = future.result()
    except RunStopped as exc:
        return Outcome(key, NOT_FETCHED, f"stopped: {exc}"), old, f"stopped: {exc}"
    except Stopped:
        return Outcome(key, NOT_FETCHED, "the run stopped first"), old, None
    except RefreshError as exc:
        return Outcome(key, FAILED, str(exc)), old, None
    except Exception as exc:  # a bug of ours must not lose the other records
        return Outcome(key, FAILED, f"internal error: {exc!r}"), old, None
    if record.same_content(old):
        return Outcome(key, UNCHANGED), old, None
    return Outcome(key, NEW if old is None else UPDATED, _describe(record)), record, None


def _describe(record: Record) -> str:
    if not record.found:
        return "not found (404): deleted or private"
    parts = []
    if record.archived:
        parts.append("archived")
    if record.moved_to:
        parts.append(f"moved to {record.moved_to}")
    latest = record.latest_release
    if latest is not None:
        kind = "release" if latest.source == "release" else "tag"
        date = f", {latest.date[:10]}" if latest.date else ", date unknown"
        parts.append(f"latest {kind} {latest.tag}{date}")
    else:
        parts.append("no release or tag")
    return "; ".join(parts)
