"""A small fieldnotes site for the theme checks (tests/test_themes.py): one project of each status,
stale and undated ones, an update, a filterable index and a landscape map, built with a given
``html_theme``."""

from __future__ import annotations

from pathlib import Path

from sites import BASE_CONF, BuildResult, Site

# The themes fieldnotes is checked in; alabaster ships with Sphinx, the rest are the `themes` extra.
THEMES = ("alabaster", "sphinx_rtd_theme", "furo", "pydata_sphinx_theme", "sphinx_book_theme")
# Each status's colour differs (tones in fieldnotes.css); 2025-11-15 is recent, so "new".
PROJECTS = (
    ("calico", "released", "2018-03-01"),
    ("flannel", "beta", "2025-11-15"),
    ("rook", "alpha", "2024-06-01"),
    ("kata", "experimental", "2024-09-01"),
    ("cozy", "unreleased", "2025-02-01"),
    ("weave", "deprecated", "2017-05-01"),
    ("heapster", "archived", "2019-01-01"),
    ("velero", None, "unrecorded"),
)


def project(name: str, status: str | None, date: str) -> str:
    lines = [f"::::{{project}} {name}", f":url: https://example.org/{name}", f":date: {date}",
             ":version: v1.0", ":tags: cni, storage"]
    if status:
        lines.append(f":status: {status}")
    lines += ["", f"Notes on {name}.", ""]
    if name == "calico":
        lines += [":::{update}", ":date: 2025-12-01", ":version: v3.26", ":::", ""]
    return "\n".join([*lines, "::::", "", ""])


def build_theme_site(root: Path, theme: str) -> BuildResult:
    """The site, built into ``root`` with *theme*; fails the test if Sphinx does."""
    site = Site(root, conf={**BASE_CONF, "html_theme": theme, "project": "Theme check"})
    blocks = "".join(project(*entry) for entry in PROJECTS)
    site.write("notes.md", f"# Networking\n\n{blocks}")
    site.write("index.md", """
        # Home

        :::{fieldnotes-landscape}
        :group-by: status
        :::

        ## All projects

        :::{project-index}
        :filter:
        :::

        ```{toctree}
        notes
        ```
    """)
    result = site.build()
    assert result.status == 0, result.warnings
    return result
