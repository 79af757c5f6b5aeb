"""Entry anchors: made from the entry's name, unique on its page, never from its position.

- A name is anchored at its slug (docutils' ``make_id``: ``Multus CNI`` -> ``multus-cni``).
- A slug that loses letters or digits of the name (``名前`` -> nothing, ``3scale`` -> ``scale``,
  ``Ünïcödé 名前`` -> ``unicode``) gets a short hash of the normalised name after it
  (``scale-1a2b3c4d``; ``project-1a2b3c4d`` when nothing is left).
- Names that slug alike on one page (``x y``, ``x-y``, ``X_Y``): the name that is its own slug
  (``x-y``) keeps it, and each other gets the slug plus its hash. When the second of them is read,
  the first one is moved, so the result does not depend on their order.

A name that appears twice on a page (an error for projects) keeps the first anchor; the repeat gets
a prefixed one, as does an entry whose slug another element of the page (a heading) already uses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

_PAGE = "fieldnotes:anchors"


def name_hash(key: str) -> str:
    """Eight hexadecimal digits, stable across builds, machines and Python versions."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=4).hexdigest()


def is_lossy(name: str, slug: str) -> bool:
    """Whether *slug* lost a letter or digit of *name* (separators and case do not count)."""
    if not slug:
        return True
    first = next((c for c in name if c.isalnum()), "")
    if first.isdigit():  # make_id drops leading digits
        return True
    return not name.isascii() and any(
        nodes.make_id(f"x{c}") == "x" for c in set(name) if c.isalnum() and not c.isascii()
    )


def hashed(slug: str, key: str, kind: str) -> str:
    """The slug and the name's hash (``kind-hash`` when the slug is empty)."""
    return f"{slug}-{name_hash(key)}" if slug else f"{kind}-{name_hash(key)}"


def stem(name: str, key: str, kind: str = "project") -> str:
    """The page-independent part of an anchor: the slug, or the slug and hash when lossy."""
    slug = nodes.make_id(name)
    return hashed(slug, key, kind) if is_lossy(name, slug) else slug


@dataclass
class _Claim:
    key: str
    plain: bool  # anchored at the bare slug, which a name that is that slug takes from it
    move: Callable[[str], None]


@dataclass
class PageAnchors:
    """The anchors given on the page being read, by kind of entry and slug."""

    document: nodes.document
    claims: dict[tuple[str, str], list[_Claim]] = field(default_factory=dict)

    @classmethod
    def of(cls, env: BuildEnvironment, document: nodes.document) -> PageAnchors:
        page: PageAnchors | None = env.temp_data.get(_PAGE)  # type: ignore[assignment]
        if page is None or page.document is not document:
            page = cls(document)
            env.temp_data[_PAGE] = page
        return page

    def claim(
        self, kind: str, name: str, key: str, move: Callable[[str], None], prefix: str = ""
    ) -> str:
        """A unique anchor for the entry *name* of *kind*, starting with *prefix*.

        *move* is called with a new anchor when a name read later takes this one's slug.
        """
        slug = nodes.make_id(name)
        if is_lossy(name, slug):
            return self._free(prefix, hashed(slug, key, kind), kind)
        group = self.claims.setdefault((kind, slug), [])
        plain = all(c.key == key for c in group) or key == slug
        if not all(c.key == key for c in group):
            # Names that slug alike: only the name that is its own slug keeps the bare slug.
            for other in group:
                if other.plain and other.key != slug:
                    other.plain = False
                    other.move(self._free(prefix, hashed(slug, other.key, kind), kind))
        group.append(_Claim(key, plain, move))
        return self._free(prefix, slug if plain else hashed(slug, key, kind), kind)

    def _free(self, prefix: str, stem: str, kind: str) -> str:
        """*prefix* and *stem*, unless an element of the page has that id: then prefixed (by the
        kind, if there is no prefix) and numbered as needed."""
        anchor = f"{prefix}{stem}"
        if anchor not in self.document.ids:
            return anchor
        return unique_id(self.document, anchor if prefix else f"{kind}-{anchor}")


def unique_id(document: nodes.document, stem: str) -> str:
    """*stem*, or ``stem-2``, ``stem-3``... when the page already has that id."""
    anchor, counter = stem, 1
    while anchor in document.ids:
        counter += 1
        anchor = f"{stem}-{counter}"
    return anchor


def move_id(document: nodes.document, node: nodes.Element, old: str, new: str) -> None:
    """Give *node* the id *new* in place of *old*."""
    if document.ids.get(old) is node:
        del document.ids[old]
    node["ids"] = [new if i == old else i for i in node["ids"]]
    document.ids[new] = node
