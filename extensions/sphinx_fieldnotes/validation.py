"""Pure rules for option values: no Sphinx, no docutils, easy to test.

Each ``parse_*`` function returns the normalised value or raises :class:`Invalid` with the code and
a message that tells the author what is wrong and what is accepted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from typing import TypeGuard
from urllib.parse import urlsplit

from sphinx_fieldnotes.codes import Code
from sphinx_fieldnotes.suggest import did_you_mean
from sphinx_fieldnotes.vocabulary import UNRECORDED, UNRELEASED

_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", re.ASCII)
_VERSION = re.compile(
    r"v?\d+(?:\.\d+)*"  # v0.2, 1.5.3
    r"(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?"  # -rc.1, -beta
    r"(?:\+[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?",  # +build.5
    re.ASCII,  # \d must not match Arabic-Indic or full-width digits
)
_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


class Invalid(ValueError):
    """A value that breaks its rule."""

    def __init__(self, code: Code, message: str, hint: str = "") -> None:
        super().__init__(message + hint)
        self.code = code
        self.message = message
        #: ``"; did you mean 'beta'?"`` (see :mod:`sphinx_fieldnotes.suggest`), to end the
        #: diagnostic with; ``""`` when no allowed value is close.
        self.hint = hint


def normalise_name(name: str) -> str:
    """The key names compare by: trimmed, inner whitespace folded, case-insensitive, and without
    invisible format characters (zero-width space or joiner, BOM), so look-alikes collide."""
    visible = "".join(c for c in name if unicodedata.category(c) != "Cf")
    return " ".join(visible.split()).casefold()


def is_keyword(value: str, keyword: str) -> bool:
    return value.strip().casefold() == keyword


def parse_date(value: str, option: str = "date") -> str:
    """An ISO 8601 date, a real calendar day (``YYYY-MM-DD``) or, when the notes record no more,
    a month (``YYYY-MM``) or a year (``YYYY``); or ``unrecorded``. Returns the canonical text."""
    text = value.strip()
    if is_keyword(text, UNRECORDED):
        return UNRECORDED
    if not _ISO_DATE.fullmatch(text):
        raise Invalid(
            Code.BAD_DATE,
            f":{option}: {text!r} is not an ISO date YYYY-MM-DD, YYYY-MM or YYYY (or 'unrecorded')",
        )
    try:
        period(text)
    except ValueError:
        unit = {4: "year", 7: "month"}.get(len(text), "day")
        raise Invalid(Code.BAD_DATE, f":{option}: {text!r} is not a real calendar {unit}") from None
    return text


# Cached: the catalog and the listings ask again and again for the same dates (330,000 calls in
# a one-page edit at 10,000 entries), and a site has a few thousand distinct ones.
@functools.lru_cache(maxsize=16384)
def period(date: str) -> tuple[dt.date, dt.date]:
    """The first and the last day a valid date can mean: one day, a month or a year.

    Reduced-precision dates compare as these periods: a date is after today when its first day is,
    before another when its last day is before the other's first, and stale when its last day is.
    Sorted as text they come before the dates inside them (``2018-06`` < ``2018-06-02``).
    """
    parts = [int(part) for part in date.split("-")]
    if len(parts) == 3:
        exact = dt.date(*parts)
        return exact, exact
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def is_dated(date: str | None) -> TypeGuard[str]:
    """Whether *date* is a (valid) date rather than missing, invalid or ``unrecorded``."""
    return bool(date) and date != UNRECORDED


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
    raise Invalid(
        code, f":{option}: {text!r} is not one of {', '.join(choices)}", did_you_mean(text, choices)
    )


def parse_tags(value: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, empty ones and repeats dropped."""
    tags: dict[str, None] = {}
    for tag in value.split(","):
        if tag.strip():
            tags.setdefault(" ".join(tag.split()), None)
    return tuple(tags)


def is_future(date: str | None, today: dt.date) -> bool:
    """Whether all of *date*'s period lies after *today* (``2026-12`` is not, on 2026-12-02)."""
    return is_dated(date) and period(date)[0] > today


def is_before(date: str, other: str) -> bool:
    """Whether *date* is surely before *other*: its period ends before the other's begins."""
    return period(date)[1] < period(other)[0]
