"""Pure rules for option values: no Sphinx, no docutils, easy to test.

Each ``parse_*`` function returns the normalised value or raises :class:`Invalid` with the code and
a message that tells the author what is wrong and what is accepted.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import urlsplit

from sphinx_fieldnotes.diagnostics import Code
from sphinx_fieldnotes.vocabulary import UNRECORDED, UNRELEASED

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_VERSION = re.compile(
    r"v?\d+(?:\.\d+)*"  # v0.2, 1.5.3
    r"(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?"  # -rc.1, -beta
    r"(?:\+[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?",  # +build.5
    re.ASCII,  # \d must not match Arabic-Indic or full-width digits
)
_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


class Invalid(ValueError):
    """A value that breaks its rule."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def normalise_name(name: str) -> str:
    """The key names compare by: trimmed, inner whitespace folded, case-insensitive, and without
    invisible format characters (zero-width space or joiner, BOM), so look-alikes collide."""
    visible = "".join(c for c in name if unicodedata.category(c) != "Cf")
    return " ".join(visible.split()).casefold()


def is_keyword(value: str, keyword: str) -> bool:
    return value.strip().casefold() == keyword


def parse_date(value: str, option: str = "date") -> str:
    """An ISO date (``YYYY-MM-DD``, a real day) or ``unrecorded``; returns the canonical text."""
    text = value.strip()
    if is_keyword(text, UNRECORDED):
        return UNRECORDED
    if not _ISO_DATE.fullmatch(text):
        raise Invalid(
            Code.BAD_DATE,
            f":{option}: {text!r} is not an ISO date YYYY-MM-DD (or 'unrecorded')",
        )
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(Code.BAD_DATE, f":{option}: {text!r} is not a real calendar day") from None
    return text


def parse_version(value: str, option: str = "version") -> str:
    """A version such as ``v0.2`` or ``1.5.3``, or ``unreleased`` / ``unrecorded``."""
    text = value.strip()
    for keyword in (UNRELEASED, UNRECORDED):
        if is_keyword(text, keyword):
            return keyword
    if not _VERSION.fullmatch(text):
        raise Invalid(
            Code.BAD_VERSION,
            f":{option}: {text!r} is not a version such as v0.2, 1.5.3 or v1.0.0-rc.1 "
            "(or 'unreleased', 'unrecorded')",
        )
    return text


def parse_kubernetes(value: str) -> str:
    """The Kubernetes version a note was written against, ``1.7`` (a leading ``v`` is dropped)."""
    text = value.strip()
    if not _VERSION.fullmatch(text) or is_keyword(text, UNRECORDED):
        raise Invalid(
            Code.BAD_VERSION, f":kubernetes: {text!r} is not a Kubernetes version such as 1.7"
        )
    return text.removeprefix("v")


def parse_url(value: str) -> str:
    """An absolute ``http``/``https`` URL without whitespace or control characters."""
    text = value.strip()
    try:
        parts = urlsplit(text) if not _WHITESPACE_OR_CONTROL.search(text) else None
        _ = parts and parts.port  # a port that is not a number raises too
    except ValueError:  # e.g. 'http://[::1' (unbalanced IPv6 bracket)
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Invalid(Code.BAD_URL, f":url: {text!r} is not an absolute http or https URL")
    return text


def parse_choice(value: str, choices: tuple[str, ...], option: str, code: Code) -> str:
    """One of *choices*, compared case-insensitively; returns the configured spelling."""
    text = value.strip()
    for choice in choices:
        if text.casefold() == choice.casefold():
            return choice
    raise Invalid(code, f":{option}: {text!r} is not one of {', '.join(choices)}")


def parse_tags(value: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, empty ones and repeats dropped."""
    tags: dict[str, None] = {}
    for tag in value.split(","):
        if tag.strip():
            tags.setdefault(" ".join(tag.split()), None)
    return tuple(tags)


def is_future(date: str | None, today: dt.date) -> bool:
    return date not in (None, UNRECORDED) and dt.date.fromisoformat(date) > today
