"""Keep CPython's cycle collector from walking, again and again, the doctrees Sphinx holds.

A serial Sphinx build keeps every doctree it has read in memory until the page is written
(``env._write_doc_doctree_cache``), and every full collection walks all of them again: the
collector's cost grows with the square of the corpus. At 10,000 entries it was about a quarter of a
``-b dummy`` build (measured with ``gc.callbacks``). After each page is read, fieldnotes moves what
is alive into the collector's permanent generation (:func:`gc.freeze`), which collections skip, and
moves it back at ``build-finished``, so nothing escapes collection once the build is over.

At exit, the interpreter's last collection then walks every doctree once more only to free memory
the operating system takes back anyway (2.5 s of a 15 s ``-b dummy`` build at 10,000 entries).
Python does not promise to finalise objects at exit, so, like mypy's ``hard_exit``, fieldnotes
skips that: an ``atexit`` handler freezes what is left.

A frozen doctree is not freed when Sphinx drops it after writing the page: docutils nodes point to
their parents, so only the collector could free them, and it skips the permanent generation. On a
corpus of small nested blocks (``run.py --corpus journal``, 3,000 entries) that kept every written
page alive to the end, 130 MB more than plain MyST (tracemalloc, snapshots at ``env-updated`` and
``build-finished``: the growth was all ``docutils/nodes.py`` under ``_write_serial``). So when an
HTML builder writes page after page in this process, fieldnotes breaks the links of each page's
doctree once the next page is resolved (:func:`release_written`), and reference counting frees it.
Thawing before the write phase instead freed the memory too, but the collector then walked the
doctrees not yet written again and again: 50 % more build time.

Left alone when the collector is disabled, when the host process froze objects itself (it may rely
on them staying frozen), or when ``fieldnotes_freeze_read_doctrees = False``. What the interpreter
froze before fieldnotes was imported is not the host's doing: CPython 3.12 starts with objects of
its own in the permanent generation (375 in 3.12.1; none in 3.11 or 3.13).
"""

from __future__ import annotations

import atexit
import gc
from typing import TYPE_CHECKING

from docutils.nodes import Element
from sphinx.builders.html import StandaloneHTMLBuilder

from sphinx_fieldnotes import state

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

_exit_handler_registered = False
#: The permanent generation's size when fieldnotes was imported; more means the host froze objects.
FROZEN_AT_IMPORT = gc.get_freeze_count()


def start(app: Sphinx) -> None:
    """``builder-inited``: freeze after each read only where that cannot surprise the host."""
    global _exit_handler_registered
    build = state.of(app.config)
    active = build.settings.freeze_read_doctrees and gc.isenabled() and not _host_froze()
    build.freezing = active
    if active and not _exit_handler_registered:
        atexit.register(_skip_last_collection)
        _exit_handler_registered = True


def _host_froze() -> bool:
    return gc.get_freeze_count() > FROZEN_AT_IMPORT


def freeze_after_read(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read`` (last): the page's doctree lives until it is written; stop scanning it."""
    if state.of(app.config).freezing:
        gc.freeze()


def freeze_before_parallel_write(app: Sphinx, env: object) -> None:
    """``env-updated`` (last): with ``-j N`` the pages were read in forked workers, so nothing the
    main process holds (the merged environment) was frozen; freeze it before the write phase."""
    if state.of(app.config).freezing and _writes_in_parallel(app):
        gc.freeze()


def release_written(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the page resolved before this one is written; free its nodes. With
    ``-j N`` the main process only resolves pages for the forked writers: freeze what it holds."""
    build = state.of(app.config)
    if build.freezing and _writes_in_parallel(app):
        gc.freeze()
        return
    if not (build.freezing and _writes_page_by_page(app)):
        return
    if build.written_doctree is not None:
        _break_links(build.written_doctree)
    build.written_doctree = doctree


def _writes_page_by_page(app: Sphinx) -> bool:
    """An HTML builder writing one page at a time in this process (not singlehtml, not -j N)."""
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder) or builder.name == "singlehtml":
        return False
    return app.parallel <= 1 or not app.is_parallel_allowed("write")


def _writes_in_parallel(app: Sphinx) -> bool:
    return app.parallel > 1 and app.is_parallel_allowed("write")


def _break_links(doctree: nodes.document) -> None:
    # Parent and document links make every node part of a cycle; without them the tree is freed
    # by reference counting as soon as nothing else holds it.
    for node in list(doctree.findall()):
        if isinstance(node, Element):
            node.children = []
        node.parent = None
        node.document = None
    doctree.__dict__.clear()


def thaw(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: hand everything back to the collector."""
    build = state.of(app.config)
    build.written_doctree = None
    if build.freezing:
        build.freezing = False
        gc.unfreeze()


def _skip_last_collection() -> None:
    """At exit: the objects left are freed by the operating system, not walked by the collector."""
    if gc.isenabled():
        gc.freeze()
