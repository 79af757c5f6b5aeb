"""The wheel is the product: built from the sources, installed where this checkout cannot be seen.

The wheel (built from the sdist, as ``python -m build`` does) is installed into a fresh venv, from
the environment's wheelhouse (``tests/wheelhouse.py``) without an index, and builds a small site of
its own with ``-W``: one MyST page and one reStructuredText page. The venv's Python runs isolated
(``-I``: no PYTHONPATH, no user site, no current directory) from a directory outside the repository.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

import wheelhouse
from sites import REPO

PACKAGE = REPO / "extensions" / "sphinx_fieldnotes"
# What the build reads: pyproject.toml names the rest (readme, license-files, packages).
BUILD_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "extensions")

CONF_PY = """\
extensions = ["myst_parser", "sphinx_fieldnotes"]
myst_enable_extensions = ["colon_fence"]
project = "Wheel check"
fieldnotes_today = "2026-01-01"
"""

MARKDOWN_PAGE = """\
# Networking

```{toctree}
tools
```

::::{project} multus-cni
:url: https://github.com/k8snetworkplumbingwg/multus-cni
:date: 2018-06-02
:version: v0.2

Attaches several network interfaces to a pod.

:::{update}
:date: 2018-12-13
:version: v3.1

A thick plugin now.
:::
::::

:::{todo-item} kube-lego
:priority: P1
:url: https://github.com/jetstack/kube-lego
:::
"""

RST_PAGE = """\
Tools
=====

.. project:: kube-router
   :url: https://github.com/cloudnativelabs/kube-router
   :date: 2019-03-01
   :version: v0.2.5

   Routing, firewall and service proxy in one daemon.

   .. update::
      :date: 2019-09-01
      :version: v0.3.2

      Now with IPv6.

.. todo-item:: kubefed
   :priority: P2
   :url: https://github.com/kubernetes-sigs/kubefed
"""


WHERE_FROM = """
import sys, importlib.metadata, sphinx_fieldnotes
print(sphinx_fieldnotes.__file__)
print(importlib.metadata.version("sphinx-fieldnotes"))
print(sphinx_fieldnotes.__version__)
print(*sys.path, sep="\\n")
"""
# The categories pyproject.toml's filterwarnings makes errors in the suite.
DEPRECATIONS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def ignored_warnings() -> list[str]:
    """The ``ignore`` entries of the suite's filterwarnings (pyproject.toml).

    They name the message by its start and the module in full, so they mean the same as -W options.
    """
    pytest_options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    entries = pytest_options["tool"]["pytest"]["ini_options"]["filterwarnings"]
    return [entry for entry in entries if entry.startswith("ignore:")]


def source_version() -> str:
    """``__version__`` as written in the package, the one place it is written."""
    for node in ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")).body:
        match node:
            case ast.Assign(targets=[ast.Name(id="__version__")], value=ast.Constant(str(value))):
                return value
    raise AssertionError("sphinx_fieldnotes/__init__.py sets no __version__")


def isolated_env(venv_dir: Path) -> dict[str, str]:
    """The environment of a user's shell with only the fresh venv on PATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV", "NOX_"))
    }
    outside = [p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(REPO))]
    env["PATH"] = os.pathsep.join([str(venv_dir / "bin"), *outside])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, f"{command} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist and wheel, built from a copy of the build inputs (the checkout stays untouched)."""
    root = tmp_path_factory.mktemp("wheel-build")
    src = root / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        path = REPO / name
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy2(path, src / name)
    # No isolation, so no index: the test extra installs the build backend build-system asks for,
    # and build checks that it satisfies build-system.requires.
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", root / "dist", src, cwd=root)
    return root / "dist"


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A fresh venv with the wheel installed: its python, and a directory outside the repo."""
    if not wheelhouse.COMPLETE.is_file():
        pytest.fail(
            f"{wheelhouse.WHEELHOUSE} is missing: run `{sys.executable} tests/wheelhouse.py` "
            "(make test and the nox sessions do) to download the dependencies' wheels"
        )
    pins = wheelhouse.COMPLETE.read_text(encoding="utf-8").split()
    stale = f"{wheelhouse.WHEELHOUSE} is stale: run tests/wheelhouse.py again"
    assert pins == wheelhouse.dependency_pins(), stale

    root = tmp_path_factory.mktemp("wheel-user")
    venv_dir = root / "venv"
    # Without pip of its own (ensurepip is slow): the test environment's pip installs into it,
    # running under the venv's interpreter (pip --python), as it would under its own pip.
    venv.EnvBuilder(with_pip=False, clear=True).create(venv_dir)
    python = venv_dir / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    offline = ["--no-index", "--find-links", str(wheelhouse.WHEELHOUSE)]
    pinned = ["--constraint", str(wheelhouse.COMPLETE)]
    run(*pip, "--no-compile", *offline, *pinned, wheel, cwd=root, env=isolated_env(venv_dir))
    return python, root


def test_wheel_ships_typing_marker_license_and_every_package_file(wheel: Path) -> None:
    version = source_version()
    assert wheel.name == f"sphinx_fieldnotes-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"sphinx_fieldnotes-{version}.dist-info"
        meta = HeaderParser().parsestr(archive.read(f"{info}/METADATA").decode())
        license_text = archive.read(f"{info}/licenses/LICENSE").decode()
    assert "sphinx_fieldnotes/py.typed" in names
    assert license_text == (REPO / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License")
    assert meta["Version"] == version
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["License"] is None, "the SPDX expression replaces the License field"
    shipped = {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert shipped - names == set(), "package files missing from the wheel"
    for language in ("de", "fr"):
        assert f"sphinx_fieldnotes/locale/{language}/LC_MESSAGES/fieldnotes.mo" in names


def test_sdist_carries_the_license_and_the_typing_marker(dist: Path, wheel: Path) -> None:
    import tarfile

    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "pyproject.toml", "extensions/sphinx_fieldnotes/py.typed"} <= names


def test_installed_wheel_is_the_one_imported_and_reports_its_version(installed) -> None:
    python, root = installed
    env = isolated_env(python.parent.parent)
    out = run(python, "-I", "-c", WHERE_FROM, cwd=root, env=env)
    module_file, dist_version, module_version, *path = out.splitlines()
    site_packages = python.parent.parent / "lib"
    assert Path(module_file).is_relative_to(site_packages)
    assert dist_version == module_version == source_version()
    assert not [p for p in path if p.startswith(str(REPO))], "the venv sees the checkout"
    help_text = run(python.parent / "fieldnotes", "--help", cwd=root, env=env)
    assert "import" in help_text and "lint" in help_text


def test_installed_wheel_builds_markdown_and_rst_pages_with_warnings_as_errors(installed) -> None:
    python, root = installed
    src = root / "site"
    src.mkdir()
    (src / "conf.py").write_text(CONF_PY, encoding="utf-8")
    (src / "index.md").write_text(MARKDOWN_PAGE, encoding="utf-8")
    (src / "tools.rst").write_text(RST_PAGE, encoding="utf-8")
    out = root / "html"
    # Python's deprecation warnings shown too (but those the suite ignores, see ignored_warnings):
    # none may come from the installed package.
    shown = [f"-Wdefault::{category.__name__}" for category in DEPRECATIONS]
    shown += [f"-W{entry}" for entry in ignored_warnings()]
    sphinx_build = [str(python), "-I", *shown, "-m", "sphinx", "-W", "--keep-going", "-q"]
    env = isolated_env(python.parent.parent)
    log = run(*sphinx_build, "-b", "html", src, out, cwd=root, env=env)
    assert "WARNING" not in log and "ERROR" not in log, log
    ours = f"{os.sep}sphinx_fieldnotes{os.sep}"
    assert not [line for line in log.splitlines() if ours in line and "Warning:" in line], log

    export = json.loads((out / "fieldnotes.json").read_text(encoding="utf-8"))
    projects = {p["name"]: p for p in export["projects"]}
    assert {(p["name"], p["docname"]) for p in projects.values()} == {
        ("multus-cni", "index"),
        ("kube-router", "tools"),
    }
    assert {(t["name"], t["docname"], t["priority"]) for t in export["todos"]} == {
        ("kube-lego", "index", "P1"),
        ("kubefed", "tools", "P2"),
    }
    assert [(u["date"], u["version"]) for u in projects["multus-cni"]["updates"]] == [
        ("2018-12-13", "v3.1")
    ]
    assert [(u["date"], u["version"]) for u in projects["kube-router"]["updates"]] == [
        ("2019-09-01", "v0.3.2")
    ]
    assert projects["kube-router"]["category"] == "Tools"
    assert projects["multus-cni"]["category"] == "Networking"
    for entry in [*export["projects"], *export["todos"]]:
        page = (out / f"{entry['docname']}.html").read_text(encoding="utf-8")
        assert f'id="{entry["anchor"]}"' in page, (entry["name"], entry["anchor"])
    assert (out / "_static" / "fieldnotes.css").is_file()


def test_installed_wheel_finds_its_message_catalogues(installed) -> None:
    """``language = "de"`` gives German labels from the wheel's compiled catalogue."""
    python, root = installed
    src = root / "site-de"
    src.mkdir()
    (src / "conf.py").write_text(CONF_PY, encoding="utf-8")
    (src / "index.md").write_text(MARKDOWN_PAGE, encoding="utf-8")
    (src / "tools.rst").write_text(RST_PAGE, encoding="utf-8")
    out = root / "html-de"
    sphinx_build = [str(python), "-I", "-m", "sphinx", "-W", "--keep-going", "-q"]
    env = isolated_env(python.parent.parent)
    run(*sphinx_build, "-b", "html", "-D", "language=de", src, out, cwd=root, env=env)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Aktualisierung vom 2018-12-13" in page
    assert "Zu untersuchen: kube-lego" in page
    assert "Update on" not in page
