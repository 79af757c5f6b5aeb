"""How entries are linked to from other pages and other sites, in the ways Sphinx users expect.

- ``[text](networking.md#multus-cni)``: MyST resolves a Markdown link to an anchor through the
  page's heading slugs; every entry's anchor joins them (:class:`EntryLinkTargets`).
- ``:ref:`multus-cni```: every project is also a ``std:label`` named by its name, unless the
  site has a label of that name already (:func:`label_projects`), so ``objects.inv`` offers it to
  sites without fieldnotes (``:external+notes:ref:``, ``:ref:`notes:multus-cni```).
- ``{project}`` names a project of another site through intersphinx: such a name is not unknown
  (:func:`known_elsewhere`).
- fieldnotes reports an unknown name once, as ``unknown-project``; Sphinx's own "reference target
  not found" for it (``-n``) would say it again (:func:`already_reported`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils.nodes import fully_normalize_name
from sphinx.transforms import SphinxTransform

from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.validation import normalise_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

PROJECT_TYPE = "fieldnotes:project"


class EntryLinkTargets(SphinxTransform):
    """Every entry anchor of the page is a target of MyST's ``[text](#anchor)`` and
    ``[text](page.md#anchor)`` links.

    MyST resolves them through the page's heading slugs, slug -> (line, id, text), kept on the
    document and in the page's metadata; the anchors join them (a heading's own slug keeps its
    place). Before MyST's ``ResolveAnchorIds`` (879), which reads them for links on the page.
    """

    default_priority = 878

    def apply(self, **kwargs: Any) -> None:
        env = self.env
        record = get_domain(env).documents.get(env.docname)
        if record is None:
            return
        targets = [(p.anchor, p.lineno, p.name) for p in record.projects]
        targets += [(t.anchor, t.lineno, t.name) for t in record.todos]
        targets += [(u.anchor, u.lineno, f"Update on {u.date or '—'}") for u in record.updates]
        if not targets:
            return
        slugs: dict[str, tuple[int, str, str]] = getattr(self.document, "myst_slugs", None) or {}
        for anchor, lineno, text in targets:
            slugs.setdefault(anchor, (lineno, anchor, text))
        self.document.myst_slugs = slugs
        env.metadata[env.docname]["myst_slugs"] = slugs


def label_projects(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: every project this build shows is a ``std:label`` named by its name."""
    std: Any = env.get_domain("std")
    domain = get_domain(env)
    ours: dict[str, tuple[str, str]] = domain.data.setdefault("labels", {})
    _remove_labels(std, ours)
    for project in domain.catalog().by_key.values():
        label = fully_normalize_name(project.name)
        if label in std.anonlabels:
            continue  # the site's own label of that name wins
        place = (project.docname, project.anchor)
        std.anonlabels[label] = place
        std.labels[label] = (*place, project.name)
        ours[label] = place


def unlabel_projects(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: take the labels away while pages are read, so that a page that
    now defines a label of a project's name gets it without Sphinx's "duplicate label"."""
    _remove_labels(env.get_domain("std"), get_domain(env).data.setdefault("labels", {}))


def _remove_labels(std: Any, ours: dict[str, tuple[str, str]]) -> None:
    for label, place in ours.items():
        if tuple(std.anonlabels.get(label, ())) == tuple(place):
            del std.anonlabels[label]
            std.labels.pop(label, None)
    ours.clear()


def known_elsewhere(env: BuildEnvironment) -> Callable[[str], bool]:
    """Whether intersphinx knows a ``{project}`` target as a project of another site (written
    ``name``, or ``inventory:name`` for one inventory)."""
    named: dict[str, dict[str, dict[str, Any]]] = getattr(env, "intersphinx_named_inventory", {})
    if not named:
        return lambda target: False
    anywhere = {name for inventory in named.values() for name in inventory.get(PROJECT_TYPE, {})}

    def known(target: str) -> bool:
        if normalise_name(target) in anywhere:
            return True
        inventory, _, name = target.partition(":")
        return normalise_name(name) in named.get(inventory.strip(), {}).get(PROJECT_TYPE, {})

    return known


def already_reported(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """``warn-missing-reference``: fieldnotes reported this name as ``unknown-project``."""
    if domain is not None and domain.name == "fieldnotes":
        return True
    return None
