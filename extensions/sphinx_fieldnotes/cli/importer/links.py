"""Links in legacy notes: an entry's repository among them, and bare URLs made autolinks."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from sphinx_fieldnotes.cli.fences import Line, scan

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")

MD_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_BARE_URL = re.compile(r"(?<![(<\[\w/])(https?://[^\s<>()\[\]`]+[^\s<>()\[\]`.,;:!?'\"*])")
_INLINE_CODE = re.compile(r"(`+[^`]*`+)")


def comparable(name: str) -> str:
    """A name reduced for comparison: lowercase, parenthetical dropped, letters and digits."""
    name = re.sub(r"\([^)]*\)", "", name)
    return re.sub(r"[^a-z0-9]", "", name.lower())


def find_repository(name: str, lines: Iterable[str]) -> str | None:
    """The entry's first link to its repository, in *lines* of its notes.

    A link whose text is the project's name (``[MetalLB](url)`` for ``metallb``) gives its URL as
    written; a link into a code host whose repository is named like the project gives the
    repository's root (``.../kops/blob/1.5.3/docs/aws.md`` gives ``.../kops``).
    """
    return repository(name, scan(lines))


def repository(name: str, lines: Iterable[Line]) -> str | None:
    """:func:`find_repository` in lines already scanned for code."""
    wanted = comparable(name)
    for text, url in _links(lines):
        if text is not None and _similar(comparable(text), wanted):
            return url
        if root := _repository_root(url, wanted):
            return root
    return None


def autolink(line: str) -> str:
    """Bare ``http(s)://`` URLs outside inline code become ``<url>`` autolinks."""
    pieces = _INLINE_CODE.split(line)
    return "".join(p if p.startswith("`") else _BARE_URL.sub(r"<\1>", p) for p in pieces)


def is_relative(url: str) -> bool:
    """Whether a link's target is a file next to the notes (not a URL, not an anchor)."""
    return not urlsplit(url).scheme and not url.startswith("#")


def _links(lines: Iterable[Line]) -> Iterator[tuple[str | None, str]]:
    """(text, url) of every absolute link outside code, in order; bare URLs have no text."""
    for line in lines:
        if line.code:
            continue
        spans: list[tuple[int, str | None, str]] = []
        for m in MD_LINK.finditer(line.text):
            spans.append((m.start(), m.group("text"), m.group("url")))
        for m in _BARE_URL.finditer(line.text):
            spans.append((m.start(), None, m.group(1)))
        for _, text, url in sorted(spans, key=lambda s: s[0]):
            if urlsplit(url).scheme in ("http", "https"):
                yield text, url


def _repository_root(url: str, wanted: str) -> str | None:
    """``https://host/owner/repo`` when *url* is into a code host's repository named *wanted*."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host not in CODE_HOSTS or len(segments) < 2:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    found = comparable(repo)
    if _similar(found, wanted) or (len(found) >= 4 and found in wanted):
        return f"https://{host}/{owner}/{repo}"
    return None


def _similar(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.85)
