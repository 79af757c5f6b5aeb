"""What fieldnotes keeps for one build, beside Sphinx's objects: one typed record per build.

It is keyed on the build's :class:`~sphinx.config.Config`, which every event handler
(``app.config``) and every directive (``self.config``) can reach: a directive has no other way to
the application since Sphinx 9 deprecated ``env.app``. The worker processes of a parallel build
are forked after ``config-inited``, so they see the record too; what they change stays in them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from sphinx.config import Config

    from sphinx_fieldnotes.config import FieldnotesConfig
    from sphinx_fieldnotes.upstream_view import UpstreamView


@dataclass
class BuildState:
    """One build's settings and progress."""

    settings: FieldnotesConfig
    """The validated ``fieldnotes_*`` settings (:mod:`sphinx_fieldnotes.config`)."""
    bad_settings: int = 0
    """How many settings were reported as bad at ``config-inited``."""
    errors: int = 0
    """How many error diagnostics the last ``env-updated`` reported."""
    freezing: bool = False
    """Whether read doctrees are frozen out of the cycle collector (:mod:`.gc_freeze`)."""
    # the doctree last handed to the writer, released when the next page is resolved
    written_doctree: Any = None
    saved_smart_quotes: bool | None = None
    """The smart-quotes setting to restore after a build that writes nothing reads
    (:mod:`.nonwriting_builders`); ``None`` when nothing was turned off."""
    paged_listings: list[Any] = field(default_factory=list)
    """The listings split over pages of their own in this build: ``html-collect-pages`` removes
    the part pages of earlier builds that are not among theirs (:mod:`.render.listing_pages`)."""
    pages_written: set[str] = field(default_factory=set)
    """The pages an HTML builder writes in this build: the part pages an earlier build wrote for
    them and this one does not are removed (:mod:`.render.listing_pages`)."""
    upstream: UpstreamView | None = None
    """The upstream snapshot as the last ``env-updated`` read it (:mod:`.upstream_view`)."""


# Weak keys: a process that runs many builds (a test suite) does not keep every one's settings.
_STATES: WeakKeyDictionary[Config, BuildState] = WeakKeyDictionary()


def start(config: Config, settings: FieldnotesConfig, bad_settings: int) -> None:
    """``config-inited``: the build's record, with its validated settings."""
    _STATES[config] = BuildState(settings, bad_settings)


def of(config: Config) -> BuildState:
    """The record of the build that *config* belongs to."""
    return _STATES[config]
