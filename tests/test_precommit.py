"""The `fieldnotes-lint` hook of .pre-commit-hooks.yaml, run by the real pre-commit.

pre-commit installs the hook from a git repository: a temporary clone of this worktree with its
current state committed, installed offline from the test environment's wheelhouse (PIP_FIND_LINKS,
PIP_NO_INDEX reach pre-commit's pip; the wheelhouse has the build backend, setuptools, for pip's isolated
build). The site is one `fieldnotes init` writes, in a git repo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"
BAD_PAGE = """\
# Routers

:::{project} gobgp
:url: https://github.com/osrg/gobgp
:date: 2018-13-45
:version: v1.0

A router.
:::
"""


def git(*args: str, cwd: Path) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout.strip()


def hooks_repo(where: Path) -> tuple[Path, str]:
    """A clone of this worktree with its uncommitted state committed; (path, commit)."""
    clone = where / "hooks-repo"
    git("clone", "-q", "--no-hardlinks", str(REPO), str(clone), cwd=where)
    for name in git("ls-files", "--others", "--modified", "--exclude-standard", cwd=REPO).split():
        if (REPO / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, clone / name)
    git("add", "-A", cwd=clone)
    git("commit", "-q", "--allow-empty", "-m", "worktree state", cwd=clone)
    return clone, git("rev-parse", "HEAD", cwd=clone)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not (WHEELHOUSE / "requirements.txt").is_file():
        pytest.fail("no wheelhouse: run `python tests/wheelhouse.py`")
    vale = shutil.which("vale")
    if not vale:
        pytest.fail("vale is not on PATH: run `make vale`")
    home = tmp_path_factory.mktemp("pre-commit-home")
    return dict(
        os.environ,
        PATH=f"{Path(vale).parent}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}"
        + os.environ["PATH"],
        PIP_FIND_LINKS=str(WHEELHOUSE),
        PIP_NO_INDEX="1",
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )


@pytest.fixture(scope="module")
def site(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("precommit")
    clone, commit = hooks_repo(work)
    fieldnotes = Path(sys.executable).parent / "fieldnotes"
    proc = subprocess.run([str(fieldnotes), "init", "notes"], cwd=work, capture_output=True,
                          text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = work / "notes"
    (site / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone}\n    rev: {commit}\n    hooks:\n      - id: fieldnotes-lint\n"
    )
    git("init", "-q", cwd=site)
    git("add", "-A", cwd=site)
    git("commit", "-q", "--no-verify", "-m", "site", cwd=site)
    return site


def pre_commit(
    site: Path, env: dict[str, str], *args: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=site,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    return proc, time.monotonic() - started


def test_the_hook_fails_a_bad_date_and_passes_a_clean_commit(site: Path, env: dict[str, str]):
    install, install_time = pre_commit(site, env, "install-hooks")
    assert install.returncode == 0, install.stdout + install.stderr
    page = site / "source" / "routers.md"
    page.write_text(BAD_PAGE)
    git("add", "source/routers.md", cwd=site)
    bad, first = pre_commit(site, env, "run")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "source/routers.md:5" in bad.stdout and "fieldnotes.bad-date" in bad.stdout, bad.stdout
    page.write_text(BAD_PAGE.replace("2018-13-45", "2018-01-05"))
    git("add", "source/routers.md", cwd=site)
    good, second = pre_commit(site, env, "run")
    assert good.returncode == 0, good.stdout + good.stderr
    git("commit", "-q", "--no-verify", "-m", "routers", cwd=site)
    again, unchanged = pre_commit(site, env, "run", "--files", "source/routers.md")
    assert again.returncode == 0, again.stdout + again.stderr
    print(f"install {install_time:.1f}s, first run {first:.1f}s, second {second:.1f}s, "
          f"unchanged {unchanged:.1f}s")  # fmt: skip
