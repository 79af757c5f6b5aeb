"""Where Vale finds the FieldNotes house style, which ships in this package.

The styles and vocabulary are in ``sphinx_fieldnotes/vale/styles``. A site's ``.vale.ini`` names
them (``BasedOnStyles = Vale, FieldNotes``, ``Vocab = FieldNotes``) without a ``StylesPath`` to
them: Vale (3.x) always searches its default StylesPath, ``VALE_STYLES_PATH``, besides any
``StylesPath`` a configuration sets, so pointing that variable at the package reaches the one
copy from any site, offline, with no ``vale sync`` and no absolute path written into the site. A
site with no ``.vale.ini`` is linted with the packaged default (``vale/default.ini``).

``python -m sphinx_fieldnotes.vale_style`` prints the styles folder, for running ``vale`` (or an
editor's Vale integration) by hand with ``VALE_STYLES_PATH`` set to it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_HERE = Path(__file__).resolve().parent
#: The packaged styles folder: ``FieldNotes/*.yml`` and ``config/vocabularies/FieldNotes/``.
STYLES_PATH = _HERE / "vale" / "styles"
#: The configuration used for a site that has no ``.vale.ini`` of its own.
DEFAULT_CONFIG = _HERE / "vale" / "default.ini"


@dataclass(frozen=True)
class ValeSetup:
    """How to run Vale for one site: the configuration file and the process environment."""

    config: Path
    env: dict[str, str]


def vale_setup(root: Path, environ: Mapping[str, str] | None = None) -> ValeSetup:
    """Vale's configuration for the site at *root* (its ``.vale.ini``, else the packaged default)
    and *environ* (default: this process's) with ``VALE_STYLES_PATH`` set to the packaged styles.
    """
    site_config = root / ".vale.ini"
    config = site_config if site_config.is_file() else DEFAULT_CONFIG
    env = dict(os.environ if environ is None else environ)
    env["VALE_STYLES_PATH"] = os.fspath(STYLES_PATH)
    return ValeSetup(config=config, env=env)


if __name__ == "__main__":
    print(STYLES_PATH)
