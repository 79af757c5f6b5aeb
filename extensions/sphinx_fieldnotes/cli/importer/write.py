"""The importer's safe writer, its third layer: every page inside the output folder, or none.

Each target is a plain file name inside the folder (never a path, never through a link out of
it), and an existing file is replaced only with ``force``; all of that is checked before the first
write, so a refused import leaves the folder as it was.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_fieldnotes.cli.importer.model import Page


class ImportRefused(Exception):
    """The writer refused: a target exists (without ``force``) or lies outside the output dir."""


def safe_target(out: Path, filename: str) -> Path:
    """``out/filename``, refusing anything that is not a plain file name inside ``out``."""
    if (
        not filename
        or filename in (".", "..")
        or "/" in filename
        or "\\" in filename
        or "\0" in filename
        or Path(filename).is_absolute()
    ):
        raise ImportRefused(f"refusing to write {filename!r}: not a plain file name inside {out}")
    root = out.resolve()
    target = (out / filename).resolve()
    if target.parent != root:
        raise ImportRefused(f"refusing to write {filename!r}: it resolves outside {out}")
    return out / filename


def write_pages(pages: list[Page], out: Path, *, force: bool = False) -> list[Path]:
    """Write every page under ``out`` or none: all targets are checked before the first write."""
    out = Path(out)
    targets = [safe_target(out, page.filename) for page in pages]
    if out.exists() and not out.is_dir():
        raise ImportRefused(f"{out} exists and is not a directory")
    existing = [t for t in targets if t.exists() or t.is_symlink()]
    if existing and not force:
        names = ", ".join(str(t) for t in existing)
        raise ImportRefused(f"refusing to overwrite existing file(s) without --force: {names}")
    for target in targets:
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise ImportRefused(f"refusing to replace {target}: not a regular file")
    out.mkdir(parents=True, exist_ok=True)
    for page, target in zip(pages, targets, strict=True):
        target.write_text(page.text, encoding="utf-8")
    return targets
