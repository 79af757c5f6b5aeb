"""`fieldnotes init DIR`: a new notes site, tested from the installed wheel.

Once per session the wheel is built (`pip wheel --no-deps`) and installed into a fresh venv
outside the repository; every command here runs that venv's `fieldnotes`, `sphinx-build` and
`make` from a folder outside the repository, with no PYTHONPATH and no repository folder on PATH
(only a folder holding links to the real `vale`, which `make test` builds into .tools/bin, and
actionlint). The generated site is built through its own Makefile, which installs its
requirements.txt into that venv.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html import unescape as html_unescape
from pathlib import Path, PurePosixPath

import pytest
import yaml

from sites import REPO

pytestmark = pytest.mark.vale

TREE_ENTRY = re.compile(r"^(?P<indent>(?:│   |    )*)(?:├── |└── )(?P<name>.+?)(?P<dir>/)?$")


@dataclass(frozen=True)
class Installed:
    """The wheel installed in a fresh venv, and the environment to run it in."""

    venv: Path
    wheels: Path
    env: dict[str, str]
    tools: Path  # links to vale and actionlint

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, *cmd: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(cmd),
            cwd=cwd,
            env={**self.env, **extra},
            capture_output=True,
            text=True,
            timeout=600,
        )

    def init(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return self.run(self.bin("fieldnotes"), "init", *args, cwd=cwd)

    def lint(self, site: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(self.bin("fieldnotes"), "lint", *args, "source", cwd=site)


def _required_tool(name: str) -> Path:
    found = shutil.which(name)
    if not found:
        pytest.fail(
            f"{name} is not on PATH: run the tests with `make test`, which builds it into "
            ".tools/bin and puts that folder first on PATH"
        )
    return Path(found).resolve()


def _outside_repo_path() -> list[str]:
    """PATH without any folder of the repository (its .venv/bin, .tools/bin)."""
    return [
        p
        for p in os.environ["PATH"].split(os.pathsep)
        if p and not Path(p).resolve().is_relative_to(REPO)
    ]


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("installed")
    assert not root.resolve().is_relative_to(REPO)
    tools = root / "tools"
    tools.mkdir()
    for name in ("vale", "actionlint"):
        (tools / name).symlink_to(_required_tool(name))
    (tools / "shellcheck").symlink_to(Path(sys.executable).parent / "shellcheck")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "VALE"}}
    wheels = root / "wheels"
    links = " ".join(filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS", "")]))
    env.update(PATH=os.pathsep.join([str(tools), *_outside_repo_path()]), PIP_FIND_LINKS=links)

    def step(*cmd: str) -> None:
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"{cmd}:\n{proc.stdout}\n{proc.stderr}"

    # Built from a copy of what goes into the wheel: setuptools writes build/ next to its input.
    source = root / "source"
    shutil.copytree(
        REPO / "extensions",
        source / "extensions",
        ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    step(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(source)
    )
    (wheel,) = wheels.glob("sphinx_fieldnotes-*.whl")
    step(sys.executable, "-m", "venv", str(root / "venv"))
    step(str(root / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel))
    return Installed(venv=root / "venv", wheels=wheels, env=env, tools=tools)


@pytest.fixture(scope="session")
def generated(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A site as `fieldnotes init` writes it (never changed: tests copy it), and what it printed."""
    work = tmp_path_factory.mktemp("generated")
    proc = installed.init("notes", cwd=work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return work / "notes", proc.stdout


@pytest.fixture(scope="session")
def built(installed: Installed, generated: tuple[Path, str], tmp_path_factory) -> Path:
    """A copy of the generated site after its own `make html` (which also installs its
    requirements.txt into the venv, so every later build has the theme)."""
    site = tmp_path_factory.mktemp("built") / "notes"
    shutil.copytree(generated[0], site, symlinks=True)
    proc = installed.run("make", "html", f"VENV={installed.venv}", cwd=site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr
    return site


def copy_site(site: Path, where: Path) -> Path:
    target = where / "site"
    shutil.copytree(site, target, symlinks=True, ignore=shutil.ignore_patterns("_build"))
    return target


def files_under(root: Path) -> set[PurePosixPath]:
    return {
        PurePosixPath(p.relative_to(root).as_posix())
        for p in root.rglob("*")
        if p.is_file() or p.is_symlink()
    }


def parse_tree(out: str) -> set[PurePosixPath]:
    """The files of the tree `fieldnotes init` prints (folders end with '/')."""
    paths: set[PurePosixPath] = set()
    stack: list[str] = []
    for line in out.splitlines():
        m = TREE_ENTRY.match(line)
        if not m:
            continue
        depth = len(m["indent"]) // 4
        del stack[depth:]
        if m["dir"]:
            stack.append(m["name"])
        else:
            paths.add(PurePosixPath(*stack, m["name"]))
    return paths


# --------------------------------------------------------------------------------------------
# What runs is the wheel


def test_the_installed_wheel_is_what_runs(installed: Installed, tmp_path: Path):
    proc = installed.run(
        installed.bin("python"),
        "-c",
        "import sphinx_fieldnotes, sys; print(sphinx_fieldnotes.__file__); print(sys.path)",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    module, path = proc.stdout.splitlines()
    assert Path(module).is_relative_to(installed.venv), module
    assert str(REPO) not in path and "PYTHONPATH" not in installed.env


def test_init_imports_no_sphinx(installed: Installed, tmp_path: Path):
    # The command starts fast: nothing of Sphinx, docutils or MyST is loaded to write a site.
    code = (
        "import sys\nfrom sphinx_fieldnotes.__main__ import main\n"
        "assert main(['init', 'site']) == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sphinx', 'docutils', 'myst_parser', 'sphinx_design'})\n"
        "print('HEAVY', heavy)\n"
    )
    proc = installed.run(installed.bin("python"), "-c", code, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout, proc.stdout
    assert (tmp_path / "site" / "conf.py").is_file()


def test_help_is_the_module_docstring(installed: Installed, tmp_path: Path):
    proc = installed.run(installed.bin("fieldnotes"), "init", "--help", cwd=tmp_path)
    assert proc.returncode == 0
    for option in ("--title", "--theme", "--force", "DIR"):
        assert option in proc.stdout
    assert "Nothing is ever written outside DIR" in proc.stdout


# --------------------------------------------------------------------------------------------
# The site it writes


EXPECTED_FILES = {
    "conf.py",
    "source/index.md",
    "source/networking.md",
    "source/authoring.md",
    "Makefile",
    "requirements.txt",
    ".vale.ini",
    "styles/config/vocabularies/Site/accept.txt",
    ".readthedocs.yaml",
    ".pre-commit-config.yaml",
    ".github/workflows/fieldnotes.yml",
    ".gitignore",
    "README.md",
}


def test_init_writes_the_site_and_prints_its_tree(generated: tuple[Path, str]):
    site, out = generated
    written = files_under(site)
    assert written == {PurePosixPath(p) for p in EXPECTED_FILES}
    assert parse_tree(out) == written, out
    assert out.splitlines()[1] == "notes/"
    assert "make html" in out and "make lint" in out


def test_the_pages_hold_what_a_notes_site_needs(generated: tuple[Path, str]):
    site, _ = generated
    index = (site / "source" / "index.md").read_text()
    for directive in (
        "fieldnotes-overview",
        "project-index",
        "timeline",
        "todo-list",
        "review-queue",
        "toctree",
    ):
        assert re.search(rf"^(:::|```)\{{{directive}\}}", index, re.M), directive
    example = (site / "source" / "networking.md").read_text()
    assert re.search(r"^::::\{project\} ", example, re.M)
    assert re.search(r"^:::\{update\}", example, re.M)
    assert re.search(r"^:::\{todo-item\} ", example, re.M)


def test_the_generated_site_builds_with_warnings_as_errors(built: Path):
    html = built / "_build" / "html" / "source"
    index = (html / "index.html").read_text()
    # The overview and the indexes list the example's entries, linked to them.
    assert index.count('href="networking.html#metallb"') >= 3, "project-index, timeline, overview"
    assert "cilium" in index
    assert "<title>Field Notes" in index
    assert (built / "_build" / "html" / "_static" / "styles" / "furo.css").is_file(), "the theme"
    assert (html / "networking.html").is_file() and (html / "authoring.html").is_file()
    # The authoring page's tables are generated from the installed extension.
    assert "fieldnotes.missing-date" in (html / "authoring.html").read_text()


def test_the_generated_site_lints_clean(installed: Installed, built: Path):
    proc = installed.run("make", "lint", f"VENV={installed.venv}", cwd=built)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "fieldnotes lint: 0 findings" in proc.stdout, proc.stdout


def test_lint_finds_a_typo_and_a_bad_date_in_the_generated_site(
    installed: Installed, built, tmp_path
):
    # The control for the test above: the same site with two mistakes fails, naming them.
    site = copy_site(built, tmp_path)
    page = site / "source" / "networking.md"
    lines = page.read_text().splitlines()
    body = next(i for i, line in enumerate(lines) if line.startswith("MetalLB "))
    lines[body] = "The servcie " + lines[body]
    date = next(i for i, line in enumerate(lines) if line.startswith(":date: "))
    lines[date] = ":date: 2019-13-15"
    page.write_text("\n".join(lines) + "\n")
    proc = installed.lint(site)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        f"source/networking.md:{body + 1}:5: ERROR: Did you really mean 'servcie'?" in proc.stdout
    )
    assert re.search(
        rf"^source/networking.md:{date + 1}: ERROR: .*\[fieldnotes.bad-date\]$", proc.stdout, re.M
    )


def test_the_site_vocabulary_is_read(installed: Installed, built: Path, tmp_path: Path):
    site = copy_site(built, tmp_path)
    page = site / "source" / "networking.md"
    page.write_text(page.read_text() + "\nWe also looked at Quuxplorer.\n")
    assert "Quuxplorer" in installed.lint(site, "--no-sphinx").stdout
    accept = site / "styles" / "config" / "vocabularies" / "Site" / "accept.txt"
    accept.write_text(accept.read_text() + "Quuxplorer\n")
    proc = installed.lint(site, "--no-sphinx")
    assert proc.returncode == 0 and "0 findings" in proc.stdout, proc.stdout


def test_a_site_without_vale_ini_is_linted_with_the_packaged_style(
    installed: Installed, built, tmp_path
):
    site = copy_site(built, tmp_path)
    (site / ".vale.ini").unlink()
    shutil.rmtree(site / "styles")
    page = site / "source" / "networking.md"
    page.write_text(page.read_text() + "\nIt runs on every kubernetes node, see the servcie.\n")
    last = len(page.read_text().splitlines())
    proc = installed.lint(site, "--no-sphinx")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = {
        (m[1], m[2])
        for m in re.finditer(r"^source/networking.md:(\d+):\d+: .*\[([\w.]+)\]$", proc.stdout, re.M)
    }
    # A rule of the house style (packaged) and Vale's spelling with the packaged vocabulary.
    assert found == {(str(last), "FieldNotes.ProductNames"), (str(last), "Vale.Spelling")}, (
        proc.stdout
    )


def test_title_and_theme_reach_the_site(installed: Installed, built: Path, tmp_path: Path):
    title = 'Zorblax "Platform" Notes'
    proc = installed.init("--title", title, "--theme", "alabaster", "custom", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    site = tmp_path / "custom"
    assert "alabaster" in (site / "requirements.txt").read_text()
    assert "furo" not in (site / "requirements.txt").read_text()
    build = installed.run(
        installed.bin("sphinx-build"), "-W", "-q", "-b", "html", ".", "_build/html", cwd=site
    )
    assert build.returncode == 0, build.stderr
    html = site / "_build" / "html"
    index = (html / "source" / "index.html").read_text()
    # html_title (the project's name, from conf.py) ends every page title, quotes and all.
    page_title = re.search(r"<title>(.*)</title>", index)
    assert page_title and html_unescape(page_title[1]).endswith(f" \u2014 {title}"), page_title
    assert (html / "_static" / "alabaster.css").is_file()
    assert not (html / "_static" / "styles" / "furo.css").exists()
    # The title's words are in the site's vocabulary: the site still lints clean as written.
    lint = installed.lint(site)
    assert lint.returncode == 0 and "0 findings" in lint.stdout, lint.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--theme", "furo; import os"], "is not a theme name"),
        (["--title", "   "], "one line of printable text"),
    ],
)
def test_bad_title_or_theme_is_refused(installed: Installed, tmp_path: Path, args, message):
    proc = installed.init(*args, "site", cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------------------------
# Never overwrites, never writes outside DIR


def test_a_non_empty_folder_is_refused(installed: Installed, tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "conf.py").write_text("mine\n")
    proc = installed.init("site", cwd=tmp_path)
    assert proc.returncode == 2
    assert "site is not empty (conf.py)" in proc.stderr and "--force" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert files_under(site) == {PurePosixPath("conf.py")}
    assert (site / "conf.py").read_text() == "mine\n"


def test_a_file_where_dir_should_be_is_refused(installed: Installed, tmp_path: Path):
    (tmp_path / "site").write_text("a file\n")
    proc = installed.init("site", cwd=tmp_path)
    assert proc.returncode == 2 and "is not a folder" in proc.stderr
    assert (tmp_path / "site").read_text() == "a file\n"


def test_force_writes_into_a_non_empty_folder_and_keeps_other_files(
    installed: Installed, tmp_path, generated
):
    site = tmp_path / "site"
    site.mkdir()
    (site / "conf.py").write_text("mine\n")
    (site / "notes.txt").write_text("keep me\n")
    proc = installed.init("--force", "site", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (site / "notes.txt").read_text() == "keep me\n"
    assert (site / "conf.py").read_text() == (generated[0] / "conf.py").read_text()
    assert files_under(site) == files_under(generated[0]) | {PurePosixPath("notes.txt")}


@pytest.mark.parametrize("link", ["source", "conf.py", ".github"])
def test_a_symlink_out_of_dir_is_never_written_through(installed: Installed, tmp_path: Path, link):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "victim"
    if link == "conf.py":
        target.write_text("untouched\n")
    else:
        target.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / link).symlink_to(target)
    proc = installed.init("--force", "site", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "is a symbolic link to" in proc.stderr and "outside" in proc.stderr
    assert files_under(outside) == ({PurePosixPath("victim")} if link == "conf.py" else set())
    if link == "conf.py":
        assert target.read_text() == "untouched\n"
    assert files_under(site) == {PurePosixPath(link)}, "nothing written: refused before writing"


def test_paths_leaving_dir_are_refused(tmp_path: Path):
    from sphinx_fieldnotes.cli import init

    for bad in ("../escape.txt", "source/../../escape.txt", "/etc/escape.txt"):
        with pytest.raises(init.Refused, match="not a path inside the site folder"):
            init.destination(tmp_path, PurePosixPath(bad))
    assert (
        init.destination(tmp_path, PurePosixPath("source/index.md"))
        == tmp_path / "source" / "index.md"
    )


# --------------------------------------------------------------------------------------------
# Where the checks run: CI, pre-commit, Read the Docs


def test_the_workflow_passes_actionlint(
    installed: Installed, generated: tuple[Path, str], tmp_path
):
    site = copy_site(generated[0], tmp_path)
    actionlint = str(installed.tools / "actionlint")
    shellcheck = f"-shellcheck={installed.tools / 'shellcheck'}"
    workflow = site / ".github" / "workflows" / "fieldnotes.yml"
    proc = installed.run(actionlint, shellcheck, "-no-color", str(workflow), cwd=site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'LINTFLAGS="--format github"' in workflow.read_text(), "the lint annotates pull requests"
    # The controls: actionlint reads the expressions, and shellcheck the scripts.
    text = workflow.read_text()
    for broken, said in [
        (text.replace("run: make html", "run: make html ${{ matrix.nothing }}"), "matrix"),
        (text.replace("mkdir -p .tools/bin", "mkdir -p $TOOLS_DIR/bin"), "SC2086"),
    ]:
        workflow.write_text(broken)
        proc = installed.run(actionlint, shellcheck, "-no-color", str(workflow), cwd=site)
        assert proc.returncode == 1 and said in proc.stdout, proc.stdout


def test_actionlint_is_the_pinned_version(installed: Installed, tmp_path: Path):
    pinned = re.search(r"^ACTIONLINT_VERSION := (\S+)$", (REPO / "Makefile").read_text(), re.M)
    assert pinned
    proc = installed.run(str(installed.tools / "actionlint"), "-version", cwd=tmp_path)
    assert proc.stdout.splitlines()[0] == f"v{pinned[1]}"


def _git(site: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=site,
        check=True,
        capture_output=True,
    )


def test_the_pre_commit_hook_lints_what_is_committed(installed: Installed, built: Path, tmp_path):
    site = copy_site(built, tmp_path)
    (site / ".venv").symlink_to(installed.venv)  # what `make html` would have created
    _git(site, "init", "-q")
    _git(site, "add", "-A")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    proc = installed.run(*pre_commit, "validate-config", cwd=site, **env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = installed.run(*pre_commit, "run", "--all-files", cwd=site, **env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "fieldnotes lint" in proc.stdout and "Passed" in proc.stdout
    page = site / "source" / "networking.md"
    text = page.read_text()
    line = text[: text.index(":date: 2019-03-15")].count("\n") + 1
    page.write_text(text.replace(":date: 2019-03-15", ":date: 2019-13-15"))
    _git(site, "add", "-A")
    proc = installed.run(*pre_commit, "run", "--all-files", cwd=site, **env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"source/networking.md:{line}: ERROR:" in proc.stdout and "bad-date" in proc.stdout


def test_read_the_docs_builds_the_same_site_with_warnings_as_errors(generated: tuple[Path, str]):
    site, _ = generated
    config = yaml.safe_load((site / ".readthedocs.yaml").read_text())
    assert config["version"] == 2
    assert config["sphinx"] == {
        "configuration": "conf.py",
        "builder": "html",
        "fail_on_warning": True,
    }
    (install,) = config["python"]["install"]
    assert (site / install["requirements"]).is_file()
    assert "sphinx-fieldnotes" in (site / install["requirements"]).read_text()


def test_the_generated_conf_py_is_ruff_clean(generated: tuple[Path, str]):
    conf = generated[0] / "conf.py"
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        proc = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--isolated", str(conf)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
