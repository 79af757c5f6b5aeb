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

With ``-j N``, Sphinx reads the pages in forked workers, each of which sends its whole environment
back as one pickle, and the main process loads each only to merge the pages that worker read. With
the collector running, loading a pickle of some 2.7 million objects (the tables of contents at
100,000 entries) took 6.6 s against 0.8 s with it paused: a collection starts every few hundred new
objects. That made a parallel build at 100,000 entries no faster than a serial one (py-spy: 26 % of
its samples were the main process loading those pickles). So while the workers read, the main
process follows the recipe of :func:`gc.freeze`'s documentation: the collector is paused, what is
alive is collected and frozen right before each fork, and each worker turns the collector back on
as it starts (:func:`pause_for_parallel_read`). The collector resumes once every page is merged,
or when the build ends early.

What the main process loads is also most of what it collects: a worker is forked with the pages
merged so far, and sends them all back with its own. Sphinx clears every page it will read before
the first fork, so whatever the environment holds when a worker starts, the main process has
already. Each worker therefore drops the tables of contents it inherited (2.7 million objects at
100,000 entries, nine in ten of the pickle's objects, in cycles through their parent links) and
fieldnotes' own records of those pages before it reads (:func:`_send_back_only_what_is_read`).
Nothing reads another page's table of contents while pages are read: Sphinx, its builders and
the themes use them when writing.

An incremental build starts by loading the environment Sphinx pickled, at 100,000 entries some
3 million objects (nine in ten of them the tables of contents), and the collector, running young
collections every few hundred new objects, made that three to four times slower (3.4 to 4.6 s
against 1.2 s, ``pickle.loads`` of that ``environment.pickle`` timed with the collector on and
off). Loading makes no garbage, so the collector is paused from the end of ``config-inited``, the
last event before Sphinx loads it, to ``builder-inited``, the first after
(:func:`pause_for_env_load`); in between Sphinx only sets up the environment and the builder.

Left alone when the collector is disabled, when the host process froze objects itself (it may rely
on them staying frozen), or when ``fieldnotes_freeze_read_doctrees = False``. What the interpreter
froze before fieldnotes was imported is not the host's doing: CPython 3.12 starts with objects of
its own in the permanent generation (375 in 3.12.1; none in 3.11 or 3.13).
"""

from __future__ import annotations

import atexit
import gc
import os
from typing import TYPE_CHECKING

from docutils.nodes import Element
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util.parallel import parallel_available

from sphinx_fieldnotes import state
from sphinx_fieldnotes.domain import get_domain

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from sphinx_fieldnotes.config import FieldnotesConfig

_exit_handler_registered = False
# The collector is paused while Sphinx loads the pickled environment.
_paused_for_env_load = False
_fork_hooks_registered = False
# While forked workers read pages, the environment they are forked with (in the main process, and
# in those workers, which inherit it); None otherwise.
_parallel_env: BuildEnvironment | None = None
#: The permanent generation's size when fieldnotes was imported; more means the host froze objects.
FROZEN_AT_IMPORT = gc.get_freeze_count()


def pause_for_env_load(app: Sphinx, config: Config) -> None:
    """``config-inited`` (last): Sphinx loads the pickled environment next; pause the collector
    until ``builder-inited`` (see the module's docstring)."""
    global _paused_for_env_load
    if _may_pause_collector(state.of(config).settings):
        gc.disable()
        _paused_for_env_load = True


def start(app: Sphinx) -> None:
    """``builder-inited``: the environment is loaded, so the collector runs again (nothing to
    collect: unpickling makes no garbage); freeze after each read only where that cannot surprise
    the host."""
    global _exit_handler_registered, _paused_for_env_load
    if _paused_for_env_load:
        _paused_for_env_load = False
        gc.enable()
    build = state.of(app.config)
    active = _may_pause_collector(build.settings)
    build.freezing = active
    if active and not _exit_handler_registered:
        atexit.register(_skip_last_collection)
        _exit_handler_registered = True


def _may_pause_collector(settings: FieldnotesConfig) -> bool:
    """Whether fieldnotes may pause or freeze the collector: asked to, and the host did neither."""
    return settings.freeze_read_doctrees and gc.isenabled() and not _host_froze()


def _host_froze() -> bool:
    return gc.get_freeze_count() > FROZEN_AT_IMPORT


def freeze_after_read(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read`` (last): the page's doctree lives until it is written; stop scanning it."""
    if state.of(app.config).freezing:
        gc.freeze()


def pause_for_parallel_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: when forked workers will read *docnames*, pause the collector
    in this process until they are merged (see the module's docstring)."""
    global _fork_hooks_registered, _parallel_env
    if not (state.of(app.config).freezing and docnames and _reads_in_parallel(app)):
        return
    if not _fork_hooks_registered:
        os.register_at_fork(before=_before_fork, after_in_child=_in_worker)
        _fork_hooks_registered = True
    gc.disable()
    _parallel_env = env


def resume_after_parallel_read(app: Sphinx, env: object) -> None:
    """``env-updated`` (first): every page is merged."""
    _resume()


def _resume() -> None:
    global _parallel_env
    if _parallel_env is not None:
        _parallel_env = None
        gc.enable()
        gc.collect()  # the environments of the last workers merged


def _before_fork() -> None:
    # The environment merged so far stays out of the collector's walks, and out of the worker's:
    # its pages are not copied in the worker when a collection there touches them.
    if _parallel_env is not None:
        gc.collect()
        gc.freeze()


def _in_worker() -> None:
    if _parallel_env is not None:
        gc.enable()  # a worker reads as a serial build does, freezing after each page
        _send_back_only_what_is_read(_parallel_env)


def _send_back_only_what_is_read(env: BuildEnvironment) -> None:
    """In a worker, before it reads: the pages the environment holds are the main process's
    already (see the module's docstring), so they need not travel back in the worker's pickle."""
    env.tocs.clear()
    get_domain(env).forget_all_documents()


def _reads_in_parallel(app: Sphinx) -> bool:
    """Whether Sphinx will read in forked workers: ``-j N`` and every extension declared safe
    for it (asked without ``is_parallel_allowed``, which warns each time it finds one that is not).
    """
    if not (parallel_available and app.parallel > 1):
        return False
    return all(getattr(ext, "parallel_read_safe", None) for ext in app.extensions.values())


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
    _resume()  # a build that failed while workers were reading
    build = state.of(app.config)
    build.written_doctree = None
    if build.freezing:
        build.freezing = False
        gc.unfreeze()


def _skip_last_collection() -> None:
    """At exit: the objects left are freed by the operating system, not walked by the collector."""
    if gc.isenabled():
        gc.freeze()
