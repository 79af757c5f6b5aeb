"""How diagnostics reach the user: Sphinx's format with file, line and code; errors fail the build.

A problem in a page is a :class:`~sphinx_fieldnotes.codes.Diagnostic` stored with the page's
entries, never logged while the page is read: at every ``env-updated``, :func:`report_all` logs
what every page stored and what the cross-page checks find, so an incremental build reports the
same problems as a clean one and ``-j N`` the same as ``-j 1``. A bad setting is reported once, at
``config-inited`` (:func:`report_setting`). Errors of either kind make the build exit non-zero
(:func:`set_exit_status`), even without ``-W``."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_fieldnotes import checks, links, state
from sphinx_fieldnotes.codes import WARNING_TYPE, Code, Level
from sphinx_fieldnotes.domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_fieldnotes.codes import Diagnostic
    from sphinx_fieldnotes.upstream.snapshot import Problem

logger = logging.getLogger(__name__)
_CODES = {code.value: code for code in Code}


def report_all(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: log every stored and every cross-page diagnostic, in a stable order."""
    domain = get_domain(env)
    build = state.of(app.config)
    found = [d for record in domain.documents.values() for d in record.diagnostics]
    today = build.settings.resolve_today()
    found += checks.cross_document(
        domain.catalog(), today, links.known_elsewhere(env), lambda docname: _file(env, docname)
    )
    build.errors = sum(_log(d.code, d.message, _page_location(env, d)) for d in sorted(found))
    build.errors += report_snapshot(build.upstream.problems if build.upstream else [])


def report_snapshot(problems: Iterable[Problem]) -> int:
    """The upstream snapshot's problems, at the file and line the reader found; how many are
    errors."""
    return sum(_log(_CODES[p.code], p.message, location(p.file, p.line or None)) for p in problems)


def report_setting(message: str, where: str | None = None) -> None:
    """A bad setting, at *where* (``conf.py:12``) when it is known."""
    _log(Code.CONFIG, message, where)


def set_exit_status(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: errors fail the build even without ``-W``; Sphinx then reports
    "finished with problems"."""
    build = state.of(app.config)
    if exception is None and (build.errors or build.bad_settings):
        app.statuscode = 1


def location(path: str | os.PathLike[str], lineno: int | None = None) -> str:
    """``path:line`` relative to the working directory, like a compiler:
    ``source/networking.md:42``."""
    shown = str(path)
    with contextlib.suppress(ValueError):  # another drive on Windows
        shown = os.path.relpath(shown)
    return shown if lineno is None else f"{shown}:{lineno}"


def _file(env: BuildEnvironment, docname: str) -> str:
    """The source of *docname* relative to the source directory, as messages name another entry's
    place (the same on every machine, unlike the location before the message)."""
    return PurePath(env.doc2path(docname, False)).as_posix()


def _page_location(env: BuildEnvironment, diagnostic: Diagnostic) -> str:
    if diagnostic.source:  # an included file, relative to the source directory
        return location(
            os.path.normpath(os.path.join(env.srcdir, diagnostic.source)), diagnostic.lineno
        )
    return location(env.doc2path(diagnostic.docname), diagnostic.lineno)


def _log(code: Code, message: str, where: str | None) -> bool:
    """Log one diagnostic; whether it is an error."""
    is_error = code.level is Level.ERROR
    log = logger.error if is_error else logger.warning
    log(message, location=where, type=WARNING_TYPE, subtype=code.value)
    return is_error
