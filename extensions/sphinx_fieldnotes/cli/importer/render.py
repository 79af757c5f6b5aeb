""":class:`~.model.Notes` to MyST page texts: the importer's second layer.

Entries become colon-fenced ``project``, ``update`` and ``todo-item`` blocks, each fence longer
than any colon fence in the body it holds; file names are safe, unique slugs of the categories.
"""

from __future__ import annotations

import re

from sphinx_fieldnotes.cli.importer.model import (
    Category,
    LinkEntry,
    Notes,
    Page,
    Project,
    Section,
    Update,
    kept_elsewhere,
    strip_blank,
)

_COLON_FENCE = re.compile(r"^\s*(:{3,})")


def render(notes: Notes, *, with_index: bool = False) -> list[Page]:
    """Page texts: one per category (file name from its slug, made unique) and the TODO page."""
    pages: list[Page] = []
    taken: set[str] = {"todos"} | ({"index"} if with_index else set())
    for number, category in enumerate(notes.categories, start=1):
        stem = _unique(slugify(category.name) or f"category-{number}", taken)
        pages.append(Page(f"{stem}.md", category.name, render_category(category)))
    if notes.todo_title is not None or notes.todos:
        pages.append(Page("todos.md", notes.todo_title or "TODOs", render_todos(notes)))
    if with_index:
        pages.insert(0, _index(pages))
    return pages


def slugify(name: str) -> str:
    """A safe file stem: lowercase ASCII letters, digits and single hyphens (may be empty)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def render_category(category: Category) -> str:
    """One category page. Prose sections go after the entries, so that no entry's heading is
    nested under a prose section's heading in the page's table of contents."""
    blocks: list[list[str]] = [[f"# {category.name}"]]
    if category.intro:
        blocks.append(category.intro)
    sections: list[Section] = []
    for item in category.items:
        if isinstance(item, Project):
            blocks.append(_project_block(item))
        elif isinstance(item, LinkEntry):
            body = [kept_elsewhere(item.name, item.target)]
            blocks.append(_todo_block(item.name, "P3", None, None, body))
        else:
            sections.append(item)
    for section in sections:
        blocks.append([f"## {section.title}"])
        if section.body:
            blocks.append(section.body)
    return _join(blocks)


def render_todos(notes: Notes) -> str:
    blocks: list[list[str]] = [[f"# {notes.todo_title or 'TODOs'}"]]
    if notes.todo_intro:
        blocks.append(strip_blank(notes.todo_intro))
    for todo in notes.todos:
        blocks.append(_todo_block(todo.name, todo.priority, todo.depth, todo.url, todo.body))
    return _join(blocks)


def _unique(stem: str, taken: set[str]) -> str:
    """*stem*, or ``stem-2``, ``stem-3``, ... when taken; the result is taken from then on."""
    base, n = stem, 2
    while stem in taken:
        stem, n = f"{base}-{n}", n + 1
    taken.add(stem)
    return stem


def _index(pages: list[Page]) -> Page:
    """``index.md``: a toctree of *pages*."""
    entries = "\n".join(p.filename.removesuffix(".md") for p in pages)
    toctree = f"```{{toctree}}\n:maxdepth: 1\n:caption: Categories\n\n{entries}\n```\n"
    return Page("index.md", "Field notes", f"# Field notes\n\n{toctree}")


def _project_block(project: Project) -> list[str]:
    inner = max([3, *(_colons(u.body) + 1 for u in project.updates)])
    outer = max(3, _colons(project.body) + 1, inner + 1 if project.updates else 3)
    options = [
        *_option("url", project.url),
        *_option("date", project.date),
        *_option("version", project.version),
        *_option("kubernetes", project.kubernetes),
        *_option("status", project.status),
    ]
    body = list(project.body)
    for update in project.updates:
        if body:
            body.append("")
        body += _update_block(update, ":" * inner)
    return _block(":" * outer, "{project} " + project.name, options, body)


def _update_block(update: Update, fence: str) -> list[str]:
    options = [*_option("date", update.date), *_option("version", update.version)]
    said = [f"Kubernetes {update.kubernetes}"] if update.kubernetes else []
    said += [f"status {update.status}"] if update.status else []
    body = list(update.body)
    if said:
        body = [f"*{', '.join(said)}*", *([""] if body else []), *body]
    return _block(fence, "{update}", options, body)


def _todo_block(
    name: str, priority: str, depth: str | None, url: str | None, body: list[str]
) -> list[str]:
    options = [*_option("priority", priority), *_option("depth", depth), *_option("url", url)]
    fence = ":" * max(3, _colons(body) + 1)
    return _block(fence, "{todo-item} " + name, options, body)


def _colons(body: list[str]) -> int:
    """Longest run of colons opening a line of ``body`` (0 when none)."""
    return max((len(m.group(1)) for line in body if (m := _COLON_FENCE.match(line))), default=0)


def _option(key: str, value: str | None) -> list[str]:
    return [] if value is None or value == "" else [f":{key}: {value}"]


def _block(fence: str, head: str, options: list[str], body: list[str]) -> list[str]:
    lines = [f"{fence}{head}", *options]
    if body:
        lines += ["", *body]
    return [*lines, fence]


def _join(blocks: list[list[str]]) -> str:
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("")
        out += block
    return "\n".join(out) + "\n"
