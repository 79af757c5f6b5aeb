"""How a note's studied version is matched to a repository's tags, and releases counted since.

A tag reads as an optional *component prefix* and a version: ``v0.2`` is (none, 0.2),
``cluster-autoscaler-1.2.0`` is (``cluster-autoscaler``, 1.2.0), ``release-v1.4`` is
(``release``, 1.4). Versions are PEP 440 versions (read with ``packaging``) after an optional
leading ``v``, so ``v0.2``, ``0.2`` and ``0.2.0`` are one version and ``v1.0.0-rc.1`` is
``1.0.0rc1``. A tag that is no version (``latest``, ``2018-06-02``) is never matched nor counted.

The studied version of an entry is the ``:version:`` of its newest note or update that records
one (not ``unrecorded``). It matches:

1. a tag without prefix of the same version (``v0.2`` matches the tag ``0.2``); else
2. a tag prefixed with the entry's name, spaces written as hyphens, of the same version
   (``cluster-autoscaler-1.2.0`` for the entry ``cluster autoscaler``): monorepos name each
   component's tags so; else
3. nothing: ``releases_since`` is null (the host never tagged that version, or tags it in a
   scheme the note does not name).

``unreleased`` (no release existed when the note was written) counts every release of the entry's
scheme: its prefixed tags if there are any, else the plain ones (zero when the repository has no
versioned tag at all). ``unrecorded`` counts nothing.

Counted are the distinct stable versions of the matched scheme above the studied one: pre-releases
(by PEP 440 or by GitHub's ``prerelease`` flag) and drafts never count. Counting by version, not by
date, leaves backports out: 1.2.9 published after 2.0 is not a release "since 2.0".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from sphinx_fieldnotes.vocabulary import UNRECORDED, UNRELEASED

# A prefix starts with a letter and ends at a separator before the version's first digit.
_TAG = re.compile(r"^(?:(?P<prefix>[A-Za-z][^\s]*?)[-_/@])?[vV]?(?P<version>[0-9][^\s]*)$")


@dataclass(frozen=True)
class Tag:
    """A release's tag (or a bare tag), in the order the host lists them."""

    name: str
    prerelease: bool = False  # GitHub's flag on a release


def parse_version(text: str) -> Version | None:
    """*text* (an optional leading ``v``, then a PEP 440 version) as a version, else None."""
    text = text.strip()
    try:
        return Version(text[1:] if text[:1] in "vV" else text)
    except InvalidVersion:
        return None


def split_tag(name: str) -> tuple[str, Version] | None:
    """(prefix, version) of a tag name; the prefix is lowercase, ``""`` when there is none."""
    m = _TAG.match(name.strip())
    if not m:
        return None
    version = parse_version(m["version"])
    return None if version is None else ((m["prefix"] or "").lower(), version)


def entry_prefix(name: str) -> str:
    """The tag prefix a monorepo would give the entry *name*: lowercase, spaces as hyphens."""
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _stable(tag: Tag, version: Version) -> bool:
    return not tag.prerelease and not version.is_prerelease


def releases_since(studied: str | None, tags: Sequence[Tag], entry: str) -> int | None:
    """How many stable versions *tags* hold above *studied* (see the module's rules), or None
    when the studied version is unrecorded or matches no tag."""
    if studied is None or studied == UNRECORDED:
        return None
    schemes: dict[str, list[tuple[Tag, Version]]] = {}
    for tag in tags:
        split = split_tag(tag.name)
        if split is not None:
            schemes.setdefault(split[0], []).append((tag, split[1]))
    own = entry_prefix(entry)
    if studied == UNRELEASED:
        scheme = own if own in schemes else ""
        if scheme not in schemes:
            return None if schemes else 0
        return len({v for tag, v in schemes[scheme] if _stable(tag, v)})
    version = parse_version(studied)
    if version is None:
        return None
    for scheme in ("", own):
        tagged = schemes.get(scheme, [])
        if any(v == version for _, v in tagged):
            return len({v for tag, v in tagged if _stable(tag, v) and v > version})
    return None


def latest_release(tags: Sequence[Tag]) -> Tag | None:
    """The newest release in the host's order (newest first): the first stable one, else the
    first of all."""
    for tag in tags:
        split = split_tag(tag.name)
        if not tag.prerelease and (split is None or not split[1].is_prerelease):
            return tag
    return tags[0] if tags else None


def latest_tag(tags: Sequence[Tag]) -> Tag | None:
    """The newest of bare tags, which come in no date order: the highest stable version (the
    first listed of equals), else the highest version, else the first listed."""
    versioned = [(split[1], tag) for tag in tags if (split := split_tag(tag.name))]
    for candidates in ([(v, t) for v, t in versioned if not v.is_prerelease], versioned):
        if candidates:
            best = max(v for v, _ in candidates)
            return next(t for v, t in candidates if v == best)
    return tags[0] if tags else None
