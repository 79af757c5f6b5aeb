"""fieldnotes: structured, validated field notes on open-source projects, for Sphinx and MyST.

Importing the package loads nothing else, so the ``fieldnotes`` command starts fast; Sphinx calls
:func:`setup`, which loads the extension proper (:mod:`sphinx_fieldnotes.extension`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    from sphinx_fieldnotes.extension import setup as setup_extension

    return setup_extension(app)
