"""The extension stays clean under the tool settings in pyproject.toml (ruff, mypy)."""

from __future__ import annotations

import subprocess
import sys

from sites import REPO


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing_in_the_extension() -> None:
    result = _run("ruff", "check", "--no-cache", "extensions")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_the_extension_unchanged() -> None:
    result = _run("ruff", "format", "--check", "--no-cache", "extensions")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_type_checks_the_extension() -> None:
    result = _run("mypy", "--no-incremental")
    assert result.returncode == 0, result.stdout + result.stderr
