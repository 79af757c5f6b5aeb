"""Diagnostic codes and how they reach the user.

Every problem fieldnotes finds is a :class:`Diagnostic`: plain data stored in the environment with
the entries, so that an incremental build reports the same problems as a clean one and ``-j N`` the
same as ``-j 1``. :class:`Code` is the single definition of the codes; the authoring guide's table
is generated from it."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

WARNING_TYPE = "fieldnotes"


class Level(StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    """Fails the build, with or without ``-W``."""
    WARNING = "warning"
    """Fails the build under ``-W``; can be silenced with ``suppress_warnings``."""


class Code(Enum):
    """The diagnostic codes, reported as ``[fieldnotes.<code>]``."""

    level: Level

    def __new__(cls, code: str, level: Level, doc: str) -> Code:
        member = object.__new__(cls)
        member._value_ = code
        member.level = level
        member.__doc__ = doc
        return member

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
    MISSING_URL = ("missing-url", Level.ERROR, "A ``project`` has no ``:url:``.")
    MISSING_PRIORITY = ("missing-priority", Level.ERROR, "A ``todo-item`` has no ``:priority:``.")
    BAD_DATE = (
        "bad-date",
        Level.ERROR,
        "A date is not ISO ``YYYY-MM-DD``, is not a real calendar day, and is not ``unrecorded``.",
    )
    BAD_VERSION = (
        "bad-version",
        Level.ERROR,
        "A version is not like ``v0.2``, ``1.5.3`` or ``v1.0.0-rc.1``, nor ``unreleased`` or "
        "``unrecorded``; also a malformed ``:kubernetes:`` version.",
    )
    BAD_URL = ("bad-url", Level.ERROR, "A ``:url:`` is not an absolute ``http`` or ``https`` URL.")
    BAD_PRIORITY = (
        "bad-priority",
        Level.ERROR,
        "A ``:priority:`` is not one of ``fieldnotes_priorities``.",
    )
    DUPLICATE_PROJECT = (
        "duplicate-project",
        Level.ERROR,
        "Two ``project`` blocks have the same name (compared case-insensitively).",
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
        "A ``{project}`` role, ``:replaced-by:`` or ``update :project:`` names no known project.",
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
        "A directive has an option (or an argument) it does not know; it is ignored.",
    )
    BAD_DEPTH = (
        "bad-depth",
        Level.WARNING,
        "A ``todo-item`` ``:depth:`` is not ``basic`` or ``deep``; ``basic`` is used.",
    )


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located at a document and line."""

    docname: str
    lineno: int
    code: Code
    message: str

    @property
    def level(self) -> Level:
        return self.code.level


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, str, str]:
    return (diagnostic.docname, diagnostic.lineno, diagnostic.code.value, diagnostic.message)


def report(env: BuildEnvironment, diagnostics: Iterable[Diagnostic]) -> int:
    """Log *diagnostics* in a stable order; return how many are errors."""
    errors = 0
    for diagnostic in sorted(diagnostics, key=sort_key):
        log = logger.error if diagnostic.level is Level.ERROR else logger.warning
        errors += diagnostic.level is Level.ERROR
        log(
            diagnostic.message,
            location=_location(env, diagnostic),
            type=WARNING_TYPE,
            subtype=diagnostic.code.value,
        )
    return errors


def _location(env: BuildEnvironment, diagnostic: Diagnostic) -> str:
    # Relative to the working directory, like a compiler: ``source/networking.md:42``.
    path = str(env.doc2path(diagnostic.docname))
    with contextlib.suppress(ValueError):  # another drive on Windows
        path = os.path.relpath(path)
    return f"{path}:{diagnostic.lineno}"
