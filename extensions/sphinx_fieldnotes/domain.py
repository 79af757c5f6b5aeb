"""The ``fieldnotes`` domain: versioned storage of every document's entries, and the project role.

Like ``sphinx.ext.todo`` it keeps plain data per document (``clear_doc``/``merge_domaindata``), but
it also remembers what the index pages were last written from, so that
:mod:`sphinx_fieldnotes.incremental` can rewrite them when any entry anywhere changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.nodes import fully_normalize_name
from myst_parser.mocking import MockInliner
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from sphinx_fieldnotes import conditions
from sphinx_fieldnotes.catalog import Catalog
from sphinx_fieldnotes.locations import included_source, myst_line
from sphinx_fieldnotes.model import DocumentRecord, Reference
from sphinx_fieldnotes.validation import normalise_name

if TYPE_CHECKING:
    from collections.abc import Iterator, Set

    from docutils.nodes import Element, system_message
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.tags import Tags


class ProjectRole(XRefRole):
    """``{project}`name``: a link to a project's entry from any page."""

    def run(self) -> tuple[list[nodes.Node], list[system_message]]:
        self.refdomain, self.reftype = "fieldnotes", "project"
        self.classes = ["xref", "fieldnotes-project"]
        # The line in its own file: docutils counts rst_prolog and included lines in self.lineno.
        found, line = self.get_source_info()
        source = None if found is None else str(found)  # Sphinx 9.1 may give a PathLike
        if isinstance(self.inliner, MockInliner):
            line = myst_line(self.env, source, line or self.lineno)
        record = get_domain(self.env).record(self.env.docname)
        record.references.append(
            Reference(
                self.env.docname,
                line or self.lineno,
                self.target,
                included_source(self.env, source),
            )
        )
        result, messages = self.create_xref_node()
        # Which reference this is, so the ``only`` it may stand under can be found (conditions).
        result[0][conditions.REFERENCE_INDEX] = len(record.references) - 1
        return result, messages


class FieldnotesDomain(Domain):
    name = "fieldnotes"
    label = "Field notes"
    # Unannotated: the types are Domain's, which declares these as instance attributes before
    # Sphinx 9.0 and initial_data as a ClassVar from 9.0 on.
    object_types = {"project": ObjType("project", "project")}  # noqa: RUF012
    roles = {"project": ProjectRole(innernodeclass=nodes.inline)}  # noqa: RUF012
    initial_data = {  # noqa: RUF012
        "documents": {},
        "fingerprints": None,
        "read_without_typography": set(),  # see sphinx_fieldnotes.nonwriting_builders
        "labels": {},  # the std labels of projects, see sphinx_fieldnotes.links
    }
    # Bump whenever the stored data or fieldnotes' nodes change shape, or the stored diagnostics'
    # wording (6: the "did you mean" hints; 7: the records have slots; 8: a record pickles as one
    # blob): Sphinx re-reads every page.
    data_version = 8

    _catalog: Catalog | None = None
    _tags: Tags | None = None

    @property
    def documents(self) -> dict[str, DocumentRecord]:
        return self.data["documents"]

    @property
    def read_without_typography(self) -> set[str]:
        return self.data["read_without_typography"]

    def record(self, docname: str) -> DocumentRecord:
        self._catalog = None
        return self.documents.setdefault(docname, DocumentRecord())

    def use_tags(self, tags: Tags) -> None:
        """List what *tags* show of the entries under ``only`` (see conditions)."""
        self._tags = tags
        self._catalog = None

    def catalog(self) -> Catalog:
        if self._catalog is None:
            tags = self._tags
            if tags is None:
                self._catalog = Catalog.build(self.documents)
            else:
                self._catalog = Catalog.build(self.documents, lambda c: conditions.holds(tags, c))
        return self._catalog

    # -- storage protocol ------------------------------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        self.read_without_typography.discard(docname)
        if self.documents.pop(docname, None) is not None:
            self._catalog = None

    def forget_all_documents(self) -> None:
        """In a forked worker that reads pages: drop the records the main process has already."""
        self.documents.clear()
        self._catalog = None

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["documents"]:
                self.documents[docname] = otherdata["documents"][docname]
        self.read_without_typography.update(otherdata["read_without_typography"] & docnames)
        self._catalog = None

    # -- cross references and objects.inv --------------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        project = self.catalog().by_key.get(normalise_name(target))
        if project is None:
            return None  # reported once, as unknown-project, by sphinx_fieldnotes.checks
        return make_refnode(
            builder, fromdocname, project.docname, project.anchor, contnode, project.name
        )

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        project = self.catalog().by_key.get(normalise_name(target))
        if project is None or fully_normalize_name(project.name) in self.data.get("labels", {}):
            return []  # the project's std:label answers for it (see sphinx_fieldnotes.links)
        ref = make_refnode(
            builder, fromdocname, project.docname, project.anchor, contnode, project.name
        )
        return [("fieldnotes:project", ref)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for key, project in sorted(self.catalog().by_key.items()):
            yield key, project.name, "project", project.docname, project.anchor, 1

    def get_full_qualified_name(self, node: Element) -> str | None:
        target = node.get("reftarget")
        return normalise_name(target) if target else None


def get_domain(env: BuildEnvironment) -> FieldnotesDomain:
    domain: FieldnotesDomain = env.get_domain("fieldnotes")  # type: ignore[assignment]
    return domain
