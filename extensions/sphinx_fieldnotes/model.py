"""The plain data fieldnotes stores per document: no docutils nodes, so it pickles, merges and
compares cheaply. The classes have slots: a site holds one instance per entry, and a pickle stores
each one's fields as a list, not as a dictionary with every field's name. A document's records
reach the pickled environment as one ``bytes`` object (:meth:`DocumentRecord.__reduce__`)."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field, fields

from sphinx_fieldnotes.codes import Diagnostic
from sphinx_fieldnotes.vocabulary import DEPTHS


@dataclass(slots=True)
class Project:
    """One ``project`` block. Invalid or missing fields are ``None`` (the diagnostic says why).

    Line numbers are of ``source`` when the block is in an included file, else of the page.
    """

    name: str
    key: str
    docname: str
    lineno: int
    anchor: str
    url: str | None = None
    date: str | None = None
    version: str | None = None
    status: str | None = None
    kubernetes: str | None = None
    vendor: str | None = None
    tags: tuple[str, ...] = ()
    category: str | None = None
    replaced_by: str | None = None
    replaced_by_lineno: int = 0
    source: str | None = None  # see Diagnostic.source
    condition: str | None = None  # the ``only`` expression it is under, if any (see conditions)


@dataclass(slots=True)
class Update:
    """One ``update`` block; ``project_key`` is its parent's or the ``:project:`` it names."""

    docname: str
    lineno: int
    anchor: str
    project_key: str | None
    date: str | None = None
    version: str | None = None
    nested: bool = True
    project_lineno: int = 0  # line of its :project: option, when it has one
    source: str | None = None
    condition: str | None = None


@dataclass(slots=True)
class Todo:
    """One ``todo-item`` block."""

    name: str
    key: str
    docname: str
    lineno: int
    anchor: str
    priority: str | None = None
    depth: str = DEPTHS[0]
    url: str | None = None
    category: str | None = None
    source: str | None = None
    condition: str | None = None


@dataclass(slots=True)
class Reference:
    """A use of a project name elsewhere (the ``project`` role), checked once every page is read."""

    docname: str
    lineno: int
    target: str
    source: str | None = None
    condition: str | None = None


@dataclass(slots=True)
class DocumentRecord:
    """Everything one document contributed: replaced whole when the document is read again."""

    projects: list[Project] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    has_index: bool = False
    # Fingerprint of the listed fields, computed once the page is read (see Catalog); kept with
    # the record so an incremental build hashes only the pages it read again.
    content_digest: str | None = field(default=None, compare=False)

    def __reduce__(self) -> tuple[object, tuple[bytes]]:
        # Sphinx pickles the environment as one object graph, and the pickle's memo keeps an
        # entry for every object it has written until the end: at 10,000 entries the records'
        # hundreds of thousands of objects made that memo the build's peak of memory. Pickled on
        # their own, with a memo freed per document, they reach it as one bytes object each.
        state = tuple(getattr(self, f.name) for f in fields(self))
        return (_record_from_pickle, (pickle.dumps(state, pickle.HIGHEST_PROTOCOL),))


def _record_from_pickle(data: bytes) -> DocumentRecord:
    return DocumentRecord(*pickle.loads(data))
