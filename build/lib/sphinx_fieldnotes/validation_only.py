"""Builds that write nothing (``-b dummy``, as ``make lint`` runs it): skip what only output needs.

fieldnotes renders badges and listings only when a page is written (:mod:`sphinx_fieldnotes.nodes`),
so a dummy build already skips them. It also skips docutils' smart quotes, a typographic transform
that reports nothing and was a tenth of a dummy build, through the switch Sphinx keeps for
extensions (``env.settings["smart_quotes"]``). Pages read that way would lack curly quotes if a
later build wrote them from the same doctree directory, so that build reads them again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_fieldnotes.domain import get_domain

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_SMART_QUOTES = "smart_quotes"
_SAVED = "fieldnotes_saved_smart_quotes"


def writes_nothing(app: Sphinx) -> bool:
    return app.builder.name == "dummy"


def start(app: Sphinx) -> None:
    """``builder-inited``: turn smart quotes off for this build's reading, if it writes nothing."""
    if writes_nothing(app):
        settings = app.env.settings
        setattr(app, _SAVED, settings.get(_SMART_QUOTES, True))
        settings[_SMART_QUOTES] = False


def note_page(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: remember the pages read without smart quotes."""
    if hasattr(app, _SAVED):
        get_domain(app.env).read_without_typography.add(app.env.docname)


def restore(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: put the setting back before Sphinx pickles the environment."""
    if hasattr(app, _SAVED):
        env.settings[_SMART_QUOTES] = getattr(app, _SAVED)
        delattr(app, _SAVED)


def outdated_for_output(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: a build that writes reads again what a dummy build read."""
    if writes_nothing(app):
        return []
    return sorted(get_domain(env).read_without_typography - removed)
