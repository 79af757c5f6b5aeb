"""Fixtures; the helpers they use (and tests import) live in ``sites.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from sites import Site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """A fresh throw-away site; its builds print paths relative to its source directory."""
    return Site(tmp_path)
