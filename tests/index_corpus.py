"""A small multi-page corpus for the index tests, and the edits the differential tests apply to it.

Ten pages: entries on four category pages (nested updates, an update that names its project
from another page, todo-items, ``{project}`` references across pages, a ``:replaced-by:``), and
pages that hold every index directive (the home page the overview with its charts, ``all`` the
landscape map in each grouping and with a tag filter). It also carries one warning (an unknown
``{project}`` name) and one error (a malformed version), so the parallel comparison covers
diagnostics of both levels.

The toctree lists a fixed set of pages; the pages that the edits delete (``todos``) and add
(``cluster``) are orphans outside it. Sphinx itself does not rewrite the neighbours of a page that
joins or leaves the toctree (their "previous"/"next" links go stale until a clean build, with or
without fieldnotes: a limitation of Sphinx, seen when this corpus used a glob toctree), and these
tests are about fieldnotes' listings and links, not Sphinx's relation bar.

Pages are plain text in a dict (docname -> MyST source); each edit is a function that changes the
dict, so the same sources can be written to a site and built incrementally or from scratch.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

Pages = dict[str, str]


def _page(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def corpus() -> Pages:
    return {
        "index": _page(
            """
            # Field notes

            ```{toctree}
            networking
            storage
            security
            monitoring
            all
            timeline
            queue
            plain
            ```

            Start with {project}`multus-cni` and {project}`flannel`.

            ```{project-index}
            ```

            ```{fieldnotes-overview}
            ```
            """
        ),
        "networking": _page(
            """
            # Networking

            Networking notes.

            ::::{project} multus-cni
            :url: https://github.com/k8snetworkplumbingwg/multus-cni
            :date: 2018-03-01
            :version: v2.0
            :status: beta
            :tags: cni, multi-network

            Multus attaches several networks to a pod.

            :::{update}
            :date: 2018-09-10
            :version: v3.0
            :::

            :::{update}
            :date: 2019-05-02
            :version: unrecorded
            :::
            ::::

            :::{project} flannel
            :url: https://github.com/flannel-io/flannel
            :date: 2017-01-10
            :version: v0.7.0
            :status: released
            :tags: cni

            A simple overlay network.
            :::

            :::{project} calico
            :url: https://github.com/projectcalico/calico
            :date: unrecorded
            :version: v2.0

            Calico routes pod traffic with BGP.
            :::

            :::{todo-item} cilium
            :priority: P1
            :url: https://github.com/cilium/cilium

            eBPF networking.
            :::
            """
        ),
        "storage": _page(
            """
            ---
            category: Storage
            ---
            # Storage notes

            Storage notes. See also {project}`multus-cni`.

            :::{project} rook
            :url: https://github.com/rook/rook
            :date: 2018-06-01
            :version: v0.7
            :status: alpha
            :tags: storage, ceph

            Rook runs Ceph on Kubernetes.
            :::

            :::{project} longhorn
            :url: https://github.com/longhorn/longhorn
            :date: 2019-02-02
            :version: unrecorded
            :status: experimental
            :tags: storage

            Block storage from Rancher.
            :::
            """
        ),
        "security": _page(
            """
            # Security

            Security notes; storage is in {project}`rook`, and {project}`no-such-project` is a typo.

            :::{project} falco
            :url: https://github.com/falcosecurity/falco
            :date: 2024-06-01
            :version: 0.38.0
            :status: released
            :category: Runtime security

            Runtime threat detection.
            :::

            :::{project} notary
            :url: https://github.com/notaryproject/notary
            :date: 2017-10-01
            :version: v0.5.x
            :status: deprecated
            :replaced-by: falco

            Signing images.
            :::
            """
        ),
        "monitoring": _page(
            """
            # Monitoring

            :::{project} prometheus
            :url: https://github.com/prometheus/prometheus
            :date: 2017-08-08
            :version: v1.7.1
            :status: released
            :tags: metrics

            Metrics and alerts.
            :::

            :::{update}
            :project: flannel
            :date: 2020-02-02
            :version: v0.12.0

            flannel seen again while studying network policies.
            :::
            """
        ),
        "todos": _page(
            """
            ---
            orphan: true
            ---
            # TODOs

            :::{todo-item} kube-router
            :priority: P0
            :depth: deep
            :url: https://github.com/cloudnativelabs/kube-router
            :category: Networking
            :::

            :::{todo-item} service-catalog
            :priority: P3
            :category: Application
            :::

            :::{todo-item} istio
            :priority: P2
            :::
            """
        ),
        "all": _page(
            """
            # All projects

            ## By category

            ```{project-index}
            :group-by: category
            ```

            ## By status

            ```{project-index}
            :group-by: status
            ```

            ## By year

            ```{project-index}
            :group-by: year
            ```

            ## By tag

            ```{project-index}
            :group-by: tag
            ```

            ## Map

            ```{fieldnotes-landscape}
            ```

            ```{fieldnotes-landscape}
            :group-by: status
            ```

            ```{fieldnotes-landscape}
            :group-by: year
            :tags: cni, storage
            ```
            """
        ),
        "timeline": _page(
            """
            # Timeline

            ```{timeline}
            ```
            """
        ),
        "queue": _page(
            """
            # Work queue

            ## To study

            ```{todo-list}
            ```

            ## To review

            ```{review-queue}
            ```
            """
        ),
        "plain": _page(
            """
            # About

            A page without any fieldnotes content: it must never be rewritten for an entry's sake.
            """
        ),
    }


# -- edits: each changes the pages in place -------------------------------------------------------


def _replace(pages: Pages, docname: str, old: str, new: str) -> None:
    text = pages[docname]
    assert text.count(old) == 1, f"{old!r} is not unique in {docname}"
    pages[docname] = text.replace(old, new)


def change_date(pages: Pages) -> None:
    _replace(pages, "networking", ":date: 2017-01-10", ":date: 2016-12-01")


def rename_project(pages: Pages) -> None:
    # security's {project}`rook` now names nothing (a warning) and must lose its link.
    _replace(pages, "storage", "{project} rook\n", "{project} rook-ceph\n")


def delete_entry(pages: Pages) -> None:
    start = pages["networking"].index(":::{project} calico")
    end = pages["networking"].index(":::{todo-item} cilium")
    pages["networking"] = pages["networking"][:start] + pages["networking"][end:]


def add_entry_and_todo(pages: Pages) -> None:
    pages["security"] += _page(
        """

        :::{project} cert-manager
        :url: https://github.com/cert-manager/cert-manager
        :date: 2021-07-07
        :version: v1.4.0
        :status: released
        :tags: tls

        Certificates for everything.
        :::
        """
    )
    pages["storage"] += _page(
        """

        :::{todo-item} openebs
        :priority: P1
        :depth: deep
        :::
        """
    )


def move_project(pages: Pages) -> None:
    """flannel moves to another page: its links from index (a role) and from monitoring's update
    (``:project: flannel``) must follow, though neither page changed."""
    start = pages["networking"].index(":::{project} flannel")
    end = pages["networking"].index(":::{todo-item} cilium")
    block = pages["networking"][start:end]
    pages["networking"] = pages["networking"][:start] + pages["networking"][end:]
    pages["storage"] += "\n" + block


def delete_page(pages: Pages) -> None:
    del pages["todos"]


def add_page(pages: Pages) -> None:
    pages["cluster"] = _page(
        """
        ---
        orphan: true
        ---
        # Cluster

        ::::{project} kops
        :url: https://github.com/kubernetes/kops
        :date: 2017-04-26
        :version: v1.5.3
        :status: released
        :tags: install

        :::{update}
        :date: 2023-03-03
        :version: v1.26.0
        :::
        ::::

        :::{todo-item} kubeadm
        :priority: P0
        :::
        """
    )


def edit_prose(pages: Pages) -> None:
    """Prose only, and it moves every entry below it down by two lines: no listing changes."""
    _replace(pages, "storage", "Rook runs Ceph on", "Rook runs Ceph clusters on")
    _replace(pages, "storage", "Storage notes. See", "Storage notes.\n\nMore prose. See")


def change_status(pages: Pages) -> None:
    _replace(pages, "networking", ":status: beta", ":status: released")


def update_recently_elsewhere(pages: Pages) -> None:
    """An update of flannel, dated within ``fieldnotes_recent_days`` of today, on another page:
    flannel's entry (its history) and the listings and map (its "updated" mark) change."""
    pages["security"] += _page(
        """

        :::{update}
        :project: flannel
        :date: 2025-12-20
        :version: v0.27.0
        :::
        """
    )


def change_version_elsewhere(pages: Pages) -> None:
    """Only the version of an update on another page: flannel's history shows it."""
    _replace(pages, "monitoring", ":version: v0.12.0", ":version: v0.12.1")


EDITS: list[tuple[str, Callable[[Pages], None]]] = [
    ("change a date", change_date),
    ("rename a project", rename_project),
    ("delete an entry", delete_entry),
    ("add an entry and a todo-item on another page", add_entry_and_todo),
    ("move a project to another page", move_project),
    ("delete a page", delete_page),
    ("add a page", add_page),
    ("edit only prose", edit_prose),
    ("change a status", change_status),
    ("add a recent update on another page", update_recently_elsewhere),
    ("change an update's version on another page", change_version_elsewhere),
]


# -- writing sources ----------------------------------------------------------------------------


def sync(srcdir: Path, pages: Pages, previous: Pages | None = None) -> set[str]:
    """Make *srcdir* hold exactly *pages*; return the docnames whose file changed.

    A rewritten file gets the current fine-grained time as its mtime: Sphinx compares source mtimes
    with the time it last read the page, and the kernel's coarse file timestamps could otherwise
    fall a tick behind. This replaces sleeping between edits.
    """
    previous = previous or {}
    changed = set()
    for docname in set(previous) - set(pages):
        (srcdir / f"{docname}.md").unlink()
        changed.add(docname)
    for docname, text in pages.items():
        if previous.get(docname) == text:
            continue
        path = srcdir / f"{docname}.md"
        path.write_text(text, encoding="utf-8")
        now = time.time_ns()
        os.utime(path, ns=(now, now))
        changed.add(docname)
    return changed


# -- comparing builds ---------------------------------------------------------------------------


def outputs(outdir: Path) -> dict[str, bytes]:
    """Every file of an HTML output directory, by relative path."""
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file()
    }


def search_index(data: bytes) -> dict:
    """``searchindex.js`` as data, without the terms that no longer name any page.

    Sphinx's search indexer loads the previous index on an incremental build and prunes the pages
    read again, but keeps a term whose last page is gone as an empty list (``"calico": []``); a
    clean build never had the term. That is the one way two builds of the same sources legitimately
    differ here, so only empty entries are dropped: every other term and title must be identical.
    """
    text = data.decode("utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for table in ("terms", "titleterms"):
        index[table] = {term: docs for term, docs in index[table].items() if docs != []}
    return index


# -- reading listings back from the written HTML ------------------------------------------------


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    hrefs: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    title: str


@dataclass(frozen=True)
class Empty:
    text: str


@dataclass
class Listing:
    """One index directive as written: its kind and its group headings, rows and empty notes."""

    kind: str
    items: list[Row | Group | Empty] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [item for item in self.items if isinstance(item, Row)]

    @property
    def groups(self) -> list[tuple[str, list[Row]]]:
        """``(heading, rows)`` in page order; rows before any heading come under ``""``."""
        result: list[tuple[str, list[Row]]] = []
        for item in self.items:
            if isinstance(item, Group):
                result.append((item.title, []))
            elif isinstance(item, Row):
                if not result:
                    result.append(("", []))
                result[-1][1].append(item)
        return result

    def column(self, index: int = 0) -> list[str]:
        return [row.cells[index] for row in self.rows]


class _ListingParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.listings: list[Listing] = []
        self._current: Listing | None = None
        self._depth = 0
        self._text: tuple[str, list[str]] | None = None
        self._in_body = False
        self._row: tuple[list[str], list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "div":
            if self._current is not None:
                self._depth += 1
            elif "fieldnotes-index" in classes:
                kind = next(
                    c for c in classes if c.startswith("fieldnotes-") and c != "fieldnotes-index"
                )
                self._current = Listing(kind.removeprefix("fieldnotes-"))
                self._depth = 0
            return
        if self._current is None:
            return
        if tag == "p" and self._row is None and "fieldnotes-group" in classes:
            self._text = ("group", [])
        elif tag == "p" and self._row is None and "fieldnotes-empty" in classes:
            self._text = ("empty", [])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = ([], [])
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "a" and self._row is not None:
            self._row[1].append(attributes.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._current is None:
            return
        if tag == "div":
            if self._depth == 0:
                self.listings.append(self._current)
                self._current = None
            else:
                self._depth -= 1
        elif tag == "p" and self._text is not None:
            kind, parts = self._text
            text = "".join(parts).strip()
            self._current.items.append(Group(text) if kind == "group" else Empty(text))
            self._text = None
        elif tag == "td" and self._cell is not None and self._row is not None:
            self._row[0].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._current.items.append(Row(tuple(self._row[0]), tuple(self._row[1])))
            self._row = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text[1].append(data)
        if self._cell is not None:
            self._cell.append(data)


def listings(html: str) -> list[Listing]:
    """Every fieldnotes index on a written HTML page, in page order."""
    parser = _ListingParser()
    parser.feed(html)
    parser.close()
    return parser.listings


def element_ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))
