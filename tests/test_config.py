"""The ``fieldnotes_*`` settings (SPEC §4, code ``config``): each is checked on its own; a bad one
is reported at its line of ``conf.py`` with what is used instead, fails the build even without
``-W``, and costs no other setting. Built with the real Sphinx, in process and from the command
line."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.cmd.build import build_main

from sites import BASE_CONF, Finding, Site

PAGE = """
# Notes

:::{project} alpha
:url: https://example.com/alpha
:date: 2018-06-02
:version: v1
:status: gamma
:::
"""
CUSTOM_STATUSES = ["gamma", "delta"]
CRASH = ("Traceback", "Extension error", "Exception occurred")

FILE_NAME = "must be a file name without a directory part, or '' to turn it off"
NAMES = "must be a non-empty list of names"
NAME_TEXTS = "must be a list of names, each a non-blank string"
DATE = "must be an ISO date YYYY-MM-DD, or None for the system date"
URL = "must be an http(s) URL such as 'https://example.org/notes', or ''"
RELATIVE = "must be a path relative to the source directory, such as '_data/x.json'"
API_URL = "must be an http(s) URL such as 'https://api.github.com'"
STATUSES = "['released', 'beta', 'alpha', 'experimental', 'unreleased', 'deprecated', 'archived']"

# (setting, bad value, what the message says is expected, what it says is used instead)
BAD = [
    ("fieldnotes_statuses", "beta", NAMES, STATUSES),
    ("fieldnotes_statuses", [], NAMES, STATUSES),
    ("fieldnotes_statuses", None, NAMES, STATUSES),
    ("fieldnotes_statuses", ["beta", " "], NAME_TEXTS, STATUSES),
    ("fieldnotes_priorities", ("P0", 3), NAME_TEXTS, "['P0', 'P1', 'P2', 'P3']"),
    ("fieldnotes_priorities", {"P0"}, NAMES, "['P0', 'P1', 'P2', 'P3']"),
    ("fieldnotes_stale_after_days", -1, "must be at least 0", "730"),
    ("fieldnotes_stale_after_days", "two years", "must be a whole number", "730"),
    ("fieldnotes_stale_after_days", True, "must be a whole number", "730"),
    ("fieldnotes_stale_after_days", 1.5, "must be a whole number", "730"),
    ("fieldnotes_today", 5, DATE, "None"),
    ("fieldnotes_today", "", DATE, "None"),
    ("fieldnotes_today", "01/02/2026", DATE, "None"),
    ("fieldnotes_json_export", 3, FILE_NAME, "'fieldnotes.json'"),
    ("fieldnotes_json_export", None, FILE_NAME, "'fieldnotes.json'"),
    ("fieldnotes_json_export", "data/fieldnotes.json", FILE_NAME, "'fieldnotes.json'"),
    ("fieldnotes_json_export", "..", FILE_NAME, "'fieldnotes.json'"),
    ("fieldnotes_json_export", "a\\b.json", FILE_NAME, "'fieldnotes.json'"),
    ("fieldnotes_feed", None, FILE_NAME, "'feed.xml'"),
    ("fieldnotes_feed", "../feed.xml", FILE_NAME, "'feed.xml'"),
    ("fieldnotes_feed", "/tmp/feed.xml", FILE_NAME, "'feed.xml'"),
    ("fieldnotes_feed", ".", FILE_NAME, "'feed.xml'"),
    ("fieldnotes_feed_length", 0, "must be at least 1", "50"),
    ("fieldnotes_feed_length", "50", "must be a whole number", "50"),
    ("fieldnotes_feed_length", False, "must be a whole number", "50"),
    ("fieldnotes_site_url", 5, URL, "''"),
    ("fieldnotes_site_url", "notes.example.org", URL, "''"),
    ("fieldnotes_site_url", "ftp://example.org", URL, "''"),
    ("fieldnotes_freeze_read_doctrees", "yes", "must be True or False", "True"),
    ("fieldnotes_freeze_read_doctrees", 1, "must be True or False", "True"),
    ("fieldnotes_upstream_snapshot", "", RELATIVE, "'_data/upstream.json'"),
    ("fieldnotes_upstream_snapshot", "../upstream.json", RELATIVE, "'_data/upstream.json'"),
    ("fieldnotes_upstream_snapshot", "C:/data.json", RELATIVE, "'_data/upstream.json'"),
    ("fieldnotes_upstream_api_url", "", API_URL, "'https://api.github.com'"),
    ("fieldnotes_upstream_behind_threshold", 0, "must be at least 1", "5"),
    ("fieldnotes_upstream_behind_threshold", 2.5, "must be a whole number", "5"),
]


def conf_line(site: Site, name: str) -> int:
    """The line of ``conf.py`` (as the test site wrote it) that assigns *name*."""
    lines = (site.srcdir / "conf.py").read_text().splitlines()
    return next(i for i, text in enumerate(lines, 1) if text.startswith(f"{name} = "))


@pytest.mark.parametrize(("name", "value", "expected", "instead"), BAD)
def test_a_bad_setting_is_reported_alone_and_falls_back_to_its_default(
    site: Site, name: str, value: Any, expected: str, instead: str
) -> None:
    site.write("index.md", PAGE)
    # The custom statuses are good: whatever else is bad, 'gamma' stays a status.
    conf: dict[str, Any] = {"fieldnotes_statuses": CUSTOM_STATUSES, name: value}
    built = site.build(**conf)
    message = f"{name} = {value!r} {expected}; using {instead}"
    config_findings = [f for f in built.findings if f.code == "config"]
    assert config_findings == [
        Finding("conf.py", conf_line(site, name), "ERROR", "config", message)
    ]
    assert built.status == 1  # an error, without -W
    assert not any(crash in built.warnings for crash in CRASH)
    # Sphinx's own type check sees the default that replaced the value: nothing said twice.
    assert "The config value" not in built.warnings
    status_findings = [f.code for f in built.findings if f.code == "bad-status"]
    assert status_findings == ([] if name != "fieldnotes_statuses" else ["bad-status"])


def test_a_bad_feed_length_keeps_custom_statuses_working(site: Site) -> None:
    site.write("index.md", PAGE)
    built = site.build(fieldnotes_statuses=CUSTOM_STATUSES, fieldnotes_feed_length=0)
    assert built.codes == ["config"]  # and no bad-status for 'gamma'
    exported = json.loads((built.outdir / "fieldnotes.json").read_text())
    assert [p["status"] for p in exported["projects"]] == ["gamma"]
    # The feed falls back to its default length, 50, rather than to nothing.
    assert built.page("feed.xml").count("<entry>") == 1


def test_every_bad_setting_is_reported(site: Site) -> None:
    site.write("index.md", PAGE)
    built = site.build(
        fieldnotes_statuses=CUSTOM_STATUSES,
        fieldnotes_feed=None,
        fieldnotes_json_export="../out.json",
        fieldnotes_stale_after_days=-5,
    )
    # In the order the settings table lists them.
    names = ("fieldnotes_stale_after_days", "fieldnotes_json_export", "fieldnotes_feed")
    lines = [conf_line(site, name) for name in names]
    assert [(f.line, f.code) for f in built.findings] == [(n, "config") for n in lines]
    # Each output falls back to its default name, inside the output directory.
    assert (built.outdir / "feed.xml").is_file() and (built.outdir / "fieldnotes.json").is_file()
    assert not (built.outdir.parent / "out.json").exists()


def test_good_settings_of_every_accepted_type_are_kept(site: Site) -> None:
    site.write("index.md", PAGE)
    built = site.build(
        fieldnotes_statuses=(" gamma ", "delta"),  # a tuple, names trimmed
        fieldnotes_priorities=["P1"],
        fieldnotes_stale_after_days=0,
        fieldnotes_json_export="",
        fieldnotes_feed="notes.atom",
        fieldnotes_feed_length=1,
        fieldnotes_site_url="https://notes.example.org/",
        fieldnotes_freeze_read_doctrees=False,
    )
    assert built.warnings == ""
    assert built.status == 0
    assert not (built.outdir / "fieldnotes.json").exists()
    feed = built.page("notes.atom")
    assert "https://notes.example.org/index.html#alpha" in feed


# -- conf.py as people write it, -D and SOURCE_DATE_EPOCH, through sphinx-build's own entry point --


CONF_HEAD = "".join(
    f"{k} = {v!r}\n" for k, v in {**BASE_CONF, "fieldnotes_statuses": CUSTOM_STATUSES}.items()
)


@pytest.fixture
def sphinx_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str]]:
    """``sphinx-build -b dummy -q [ARGS] src out`` in a site whose conf.py ends with *settings*:
    its exit status and everything it printed. Paths print relative to the source directory."""
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    monkeypatch.chdir(srcdir)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def run(settings: str, *args: str, page: str = PAGE) -> tuple[int, str]:
        (srcdir / "conf.py").write_text(CONF_HEAD + textwrap.dedent(settings))
        (srcdir / "index.md").write_text(textwrap.dedent(page).lstrip())
        status = build_main(["-b", "dummy", "-q", "--no-color", *args, ".", str(tmp_path / "out")])
        printed = capsys.readouterr()
        return status, printed.out + printed.err

    return run


COUNTED = """
import os

fieldnotes_feed_length = 10
if os.environ.get("NOTES_SHORT_FEED", "1"):
    fieldnotes_feed_length = 0  # the assignment that counts


def setup(app):
    fieldnotes_feed_length = 3  # a local name, not a setting
"""
COUNTED_LINE = (CONF_HEAD + COUNTED).splitlines().index(
    "    fieldnotes_feed_length = 0  # the assignment that counts"
) + 1


@pytest.mark.parametrize(
    ("settings", "args", "report"),
    [
        (
            COUNTED,
            (),
            f"conf.py:{COUNTED_LINE}: ERROR: fieldnotes_feed_length = 0 must be at least 1;"
            " using 50 [fieldnotes.config]",
        ),
        (
            'globals()["fieldnotes_feed"] = "../feed.xml"\n',
            (),
            f"ERROR: fieldnotes_feed = '../feed.xml' in conf.py {FILE_NAME}; using 'feed.xml'"
            " [fieldnotes.config]",
        ),
        (
            "fieldnotes_feed_length = 20\n",
            ("-D", "fieldnotes_feed_length=0"),
            "ERROR: fieldnotes_feed_length = 0 from -D must be at least 1; using 50"
            " [fieldnotes.config]",
        ),
    ],
    ids=["conf-line", "conf-without-line", "override"],
)
def test_the_report_says_where_the_setting_was_given(
    sphinx_build: Callable[..., tuple[int, str]], settings: str, args: tuple[str, ...], report: str
) -> None:
    assert sphinx_build(settings, *args) == (1, report + "\n")


def test_good_overrides_are_read_as_sphinx_converts_them(
    sphinx_build: Callable[..., tuple[int, str]],
) -> None:
    args = ("-D", "fieldnotes_feed_length=3", "-D", "fieldnotes_freeze_read_doctrees=0")
    assert sphinx_build("", *args) == (0, "")  # a number, and a bool from 0


@pytest.mark.parametrize(
    ("today", "instead", "future"),
    [("2000-01-01", "fieldnotes_today (2000-01-01)", True), (None, "the system date", False)],
)
def test_a_bad_source_date_epoch_is_reported_and_passed_over(
    sphinx_build: Callable[..., tuple[int, str]],
    monkeypatch: pytest.MonkeyPatch,
    today: str | None,
    instead: str,
    future: bool,
) -> None:
    # Sphinx reads SOURCE_DATE_EPOCH itself, as a float (gettext) and an int (copyright), and fails
    # on what neither accepts; a whole number beyond the calendar passes Sphinx but is no date.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    page = PAGE.replace("2018-06-02", "2001-01-01")
    status, output = sphinx_build(f"fieldnotes_today = {today!r}\n", page=page)
    lines = output.splitlines()
    assert status == 1
    assert lines[0] == (
        "ERROR: SOURCE_DATE_EPOCH = '99999999999999' must be a Unix time: whole seconds, within"
        f" the years 1 to 9999; using {instead} [fieldnotes.config]"
    )
    # Today is what the message says: 2001-01-01 is in the future of fieldnotes_today only.
    assert any("[fieldnotes.future-date]" in line for line in lines[1:]) == future
    assert not any(crash in output for crash in CRASH)
