"""Which builds get fieldnotes' site files: ``fieldnotes.json``, the Atom feed and links to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.builders import Builder


def is_website(builder: Builder) -> bool:
    """HTML pages published as a site (``html``, ``dirhtml``, ``singlehtml``...), not packed into
    one file: EPUB and the help builders (their ``embedded`` flag) would link files they do not
    contain."""
    return builder.format == "html" and not getattr(builder, "embedded", False)
