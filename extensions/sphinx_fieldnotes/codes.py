"""The diagnostic codes and the :class:`Diagnostic` record: plain data, no imports beyond the
standard library, so every module (the Sphinx extension, lint, the command line) can read them
without loading Sphinx.

:class:`Code` is the single definition of the codes; the authoring guide's table is generated from
it. How diagnostics reach the user is :mod:`sphinx_fieldnotes.diagnostics`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from functools import total_ordering

WARNING_TYPE = "fieldnotes"
"""Sphinx warning type of every fieldnotes diagnostic (``fieldnotes.<code>``)."""


class Level(StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    """Fails the build, with or without ``-W``."""
    WARNING = "warning"
    """Fails the build under ``-W``; can be silenced with ``suppress_warnings``."""


@total_ordering
class Code(Enum):
    """The diagnostic codes, reported as ``[fieldnotes.<code>]``; ordered by their text, so that
    diagnostics sort the same in every build."""

    level: Level

    def __new__(cls, code: str, level: Level, doc: str) -> Code:
        member = object.__new__(cls)
        member._value_ = code
        member.level = level
        member.__doc__ = doc
        return member

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Code):
            return NotImplemented
        return self.value < other.value

    MISSING_NAME = (
        "missing-name",
        Level.ERROR,
        "A ``project`` or ``todo-item`` has no name argument.",
    )
    MISSING_DATE = (
        "missing-date",
        Level.ERROR,
        "A ``project`` or ``update`` has no ``:date:`` "
        "(write ``unrecorded`` if the notes have none).",
    )
    MISSING_VERSION = (
        "missing-version",
        Level.ERROR,
        "A ``project`` or ``update`` has no ``:version:`` "
        "(``unreleased`` or ``unrecorded`` if none).",
    )
    MISSING_URL = (
        "missing-url",
        Level.ERROR,
        "A ``project`` has no ``:url:``.",
    )
    MISSING_PRIORITY = (
        "missing-priority",
        Level.ERROR,
        "A ``todo-item`` has no ``:priority:``.",
    )
    BAD_DATE = (
        "bad-date",
        Level.ERROR,
        "A date is not ISO ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``), is not a real calendar day "
        "(month, year), and is not ``unrecorded``.",
    )
    BAD_VERSION = (
        "bad-version",
        Level.ERROR,
        "A version is not like ``v0.2``, ``1.5.3`` or ``v1.0.0-rc.1``, nor ``unreleased`` or "
        "``unrecorded``; also a malformed ``:kubernetes:`` version.",
    )
    BAD_URL = (
        "bad-url",
        Level.ERROR,
        "A ``:url:`` is not an absolute ``http`` or ``https`` URL.",
    )
    BAD_PRIORITY = (
        "bad-priority",
        Level.ERROR,
        "A ``:priority:`` is not one of ``fieldnotes_priorities``.",
    )
    DUPLICATE_PROJECT = (
        "duplicate-project",
        Level.ERROR,
        "Two ``project`` blocks have the same name (compared case-insensitively); the message "
        "names where the first one is.",
    )
    CONFIG = (
        "config",
        Level.ERROR,
        "A ``fieldnotes_*`` setting (or ``SOURCE_DATE_EPOCH``) has a value it cannot take; "
        "its default is used instead, and every other setting is kept.",
    )
    FUTURE_DATE = (
        "future-date",
        Level.WARNING,
        "A date is after the build's today "
        "(``SOURCE_DATE_EPOCH``, ``fieldnotes_today`` or the clock).",
    )
    BAD_STATUS = (
        "bad-status",
        Level.WARNING,
        "A ``:status:`` is not one of ``fieldnotes_statuses``; the entry is shown without status.",
    )
    UNKNOWN_PROJECT = (
        "unknown-project",
        Level.WARNING,
        "A ``{project}`` role, ``:replaced-by:`` or ``update :project:`` names no known project; "
        "the nearest name, if one is close, is suggested.",
    )
    DUPLICATE_TODO = (
        "duplicate-todo",
        Level.WARNING,
        "Two ``todo-item`` blocks have the same name (compared case-insensitively); the message "
        "names where the first one is.",
    )
    TODO_ALREADY_NOTED = (
        "todo-already-noted",
        Level.WARNING,
        "A ``todo-item`` names a project that a ``project`` block already notes; the message "
        "names where.",
    )
    UPDATE_BEFORE_PROJECT = (
        "update-before-project",
        Level.WARNING,
        "An ``update`` is dated before the note of its project.",
    )
    UPDATE_ORDER = (
        "update-order",
        Level.WARNING,
        "An ``update`` is dated before the update written above it.",
    )
    ORPHAN_UPDATE = (
        "orphan-update",
        Level.WARNING,
        "An ``update`` is neither inside a ``project`` nor names one with ``:project:``.",
    )
    UNKNOWN_OPTION = (
        "unknown-option",
        Level.WARNING,
        "A directive has an option (or an argument) it does not know; it is ignored, and the "
        "nearest known option, if one is close, is suggested.",
    )
    BAD_DEPTH = (
        "bad-depth",
        Level.WARNING,
        "A ``todo-item`` ``:depth:`` is not ``basic`` or ``deep``; ``basic`` is used.",
    )
    LINT_BACKTICK_FENCE = (
        "lint-backtick-fence",
        Level.WARNING,
        "``make lint``: a fieldnotes directive is written in a backtick fence; write it with a "
        "colon fence (``:::{project}``), which every Markdown tool shows as prose rather than as "
        "a code block.",
    )
    UPSTREAM_MALFORMED = (
        "upstream-malformed",
        Level.ERROR,
        "The upstream snapshot (``fieldnotes_upstream_snapshot``) is not readable JSON, or not a "
        "JSON object; the build shows no upstream state.",
    )
    UPSTREAM_SCHEMA = (
        "upstream-schema",
        Level.ERROR,
        "The upstream snapshot has no ``schema`` version, or one this fieldnotes does not read "
        "(run ``fieldnotes refresh`` to write it again); the build shows no upstream state.",
    )
    UPSTREAM_INVALID = (
        "upstream-invalid",
        Level.ERROR,
        "A field of the upstream snapshot has the wrong type or value; the record (or field) is "
        "left out and the others are shown.",
    )
    UPSTREAM_STALE = (
        "upstream-stale",
        Level.WARNING,
        "A record of the upstream snapshot names a repository or an entry the site no longer "
        "has (run ``fieldnotes refresh``); it is not shown.",
    )
    COLON_FENCE_OFF = (
        "colon-fence-off",
        Level.ERROR,
        "A page's front matter sets ``myst: enable_extensions`` without ``colon_fence``, so its "
        "``:::{project}`` blocks would be text (fieldnotes turns it on for the site).",
    )


@dataclass(frozen=True, order=True, slots=True)
class Diagnostic:
    """One problem, located at a document and line; sorts by document, line, code, message."""

    docname: str
    lineno: int
    code: Code
    message: str
    #: The included file the line is in, relative to the source directory (``None``: the page).
    source: str | None = field(default=None, compare=False)

    @property
    def level(self) -> Level:
        return self.code.level
