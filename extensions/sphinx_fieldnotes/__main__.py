"""``python -m sphinx_fieldnotes``: the same as the ``fieldnotes`` command."""

import sys

from sphinx_fieldnotes.cli import main

if __name__ == "__main__":
    sys.exit(main())
