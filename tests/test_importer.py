"""The legacy-notes importer (``fieldnotes import``): parser, renderer, writer, command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_fieldnotes.cli.importer.dates import parse_date_line
from sphinx_fieldnotes.cli.importer.links import find_repository
from sphinx_fieldnotes.cli.importer.model import LinkEntry, Page, Section
from sphinx_fieldnotes.cli.importer.parse import parse
from sphinx_fieldnotes.cli.importer.render import render
from sphinx_fieldnotes.cli.importer.write import ImportRefused, safe_target, write_pages

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "importer"
SEED = (
    FIXTURES / "legacy-seed.md"
)  # a byte-for-byte copy of ../shared/seed/000_ad6b56831b139f16.txt
MINI = FIXTURES / "mini.md"

CATEGORY_PAGES = [
    "networking.md",
    "security.md",
    "storage.md",
    "application.md",
    "developer.md",
    "codegen.md",
    "insight.md",
    "node-resource.md",
    "scheduling.md",
    "virtualization.md",
    "cluster.md",
    "templating.md",
    "nodeless.md",
]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sphinx_fieldnotes`` as a user would."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "extensions"), env.get("PYTHONPATH", "")) if p
    )
    return subprocess.run(
        [sys.executable, "-m", "sphinx_fieldnotes", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` that equals ``needle``."""
    return text.splitlines().index(needle) + 1


def options(block_head: str, text: str) -> dict[str, str]:
    """The ``:key: value`` lines right after the fence line ``block_head`` in a rendered page."""
    lines = text.splitlines()
    start = next(
        i for i, line in enumerate(lines) if re.fullmatch(r":{3,}" + re.escape(block_head), line)
    )
    found: dict[str, str] = {}
    for line in lines[start + 1 :]:
        m = re.match(r"^:([\w-]+): (.*)$", line)
        if not m:
            break
        found[m.group(1)] = m.group(2)
    return found


def one_entry(date_line: str | None, name: str = "proj") -> str:
    lines = ["# Cat", "", f"## {name}", ""]
    if date_line is not None:
        lines += [date_line, ""]
    lines += [f"[{name}](https://github.com/example/{name}) does things.", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Date lines, table-driven: parser level and through to the rendered page and the summary
# --------------------------------------------------------------------------------------------

# rest of the line -> (date, version, kubernetes, status, unparsed parts)
DATE_LINES = [
    ("06/02/2018, v0.2", ("2018-06-02", "v0.2", None, None, [])),
    ("04/26/2017, v 1.3.1", ("2017-04-26", "v1.3.1", None, None, [])),
    ("04/26/2017, kops v1.5.3", ("2017-04-26", "v1.5.3", None, None, [])),
    ("04/26/2017, kargo v2.1.1", ("2017-04-26", "v2.1.1", None, None, [])),
    ("08/06/2017, Kubernetes v1.7, no release", ("2017-08-06", "unreleased", "1.7", None, [])),
    ("05/13/2017, k8s 1.6", ("2017-05-13", None, "1.6", None, [])),
    ("08/06/2017, Kubernetes v1.7, project status beta", ("2017-08-06", None, "1.7", "beta", [])),
    ("10/03/2018, 0.6.0", ("2018-10-03", "0.6.0", None, None, [])),
    ("06/06/2017, no release", ("2017-06-06", "unreleased", None, None, [])),
    ("08/19/2017", ("2017-08-19", None, None, None, [])),
    ("1/5/2019, v1.0.0-rc.1", ("2019-01-05", "v1.0.0-rc.1", None, None, [])),
    ("01/02/2018, v2.0, lots of text", ("2018-01-02", "v2.0", None, None, ["lots of text"])),
    (
        "01/02/2018, project status shiny",
        ("2018-01-02", None, None, None, ["project status shiny"]),
    ),
    # the variants of the real notes (issue 15)
    ("2020/06/26", ("2020-06-26", None, None, None, [])),
    ("09/2016", ("2016-09", None, None, None, [])),
    ("2016/09, v2.0", ("2016-09", "v2.0", None, None, [])),
    ("01/01/2018, v1", ("2018-01-01", "v1", None, None, [])),
    ("03/07/2018, v1.10, beta", ("2018-03-07", "v1.10", None, "beta", [])),
    ("06/24/2018, v1.10, stable", ("2018-06-24", "v1.10", None, "released", [])),
    ("05/23/2017, v1.6, design", ("2017-05-23", "v1.6", None, "unreleased", [])),
    ("02/28/2018, v1.9, closed", ("2018-02-28", "v1.9", None, "archived", [])),
    # a version and no date: the date stays unrecorded (None here), never guessed
    ("v1.15", (None, "v1.15", None, None, [])),
    ("dex v2.6.1", (None, "v2.6.1", None, None, [])),
    ("dex v2.3.0 -> v2.6.1", (None, None, None, None, ["dex v2.3.0 -> v2.6.1"])),
    ("02/28/2018, v1.9, deprecated", ("2018-02-28", "v1.9", None, "deprecated", [])),
    (
        "06/01/2017, project release v17.04",
        ("2017-06-01", "v17.04", None, None, []),
    ),
    (
        "06/01/2017, changes since v0.0.6",
        ("2017-06-01", None, None, None, ["changes since v0.0.6"]),
    ),
]


@pytest.mark.parametrize(("rest", "expected"), DATE_LINES, ids=[r for r, _ in DATE_LINES])
def test_date_line_variants_parse(rest, expected):
    parsed = parse_date_line(rest)
    assert (
        parsed.date,
        parsed.version,
        parsed.kubernetes,
        parsed.status,
        parsed.unparsed,
    ) == expected


@pytest.mark.parametrize("rest", ["13/45/2017, v1.0", "02/30/2019", "2019.01.01, v1", "yesterday"])
def test_date_that_is_not_a_calendar_day_is_not_converted(rest):
    parsed = parse_date_line(rest)
    assert parsed.date is None
    assert parsed.raw_date == rest.split(",")[0]


# date line as written in the legacy file -> (rendered options, problem kinds reported)
PAGE_VARIANTS = [
    ("*Date: 06/02/2018, v0.2*", {"date": "2018-06-02", "version": "v0.2"}, []),
    ("*Date: 04/26/2017, v 1.3.1*", {"date": "2017-04-26", "version": "v1.3.1"}, []),
    ("*Date: 04/26/2017, kops v1.5.3*", {"date": "2017-04-26", "version": "v1.5.3"}, []),
    (
        "*Date: 08/06/2017, Kubernetes v1.7, no release*",
        {"date": "2017-08-06", "version": "unreleased", "kubernetes": "1.7"},
        [],
    ),
    (
        "*Date: 05/13/2017, k8s 1.6*",
        {"date": "2017-05-13", "version": "unrecorded", "kubernetes": "1.6"},
        ["missing-version"],
    ),
    (
        "*Date: 08/06/2017, Kubernetes v1.7, project status beta*",
        {"date": "2017-08-06", "version": "unrecorded", "kubernetes": "1.7", "status": "beta"},
        ["missing-version"],
    ),
    ("*Date: 10/03/2018, 0.6.0*", {"date": "2018-10-03", "version": "0.6.0"}, []),
    ("*Date: 08/19/2017*", {"date": "2017-08-19", "version": "unrecorded"}, ["missing-version"]),
    (None, {"date": "unrecorded", "version": "unrecorded"}, ["missing-date", "missing-version"]),
    ("*Date: 13/45/2017, v1.0*", {"date": "13/45/2017", "version": "v1.0"}, ["unparsed-date"]),
    ("_Date: 06/02/2018, v0.2_", {"date": "2018-06-02", "version": "v0.2"}, []),
    ("- *Date: 2020/06/26, v0.1*", {"date": "2020-06-26", "version": "v0.1"}, []),
    ("*Date 03/18/2018, v1.2*", {"date": "2018-03-18", "version": "v1.2"}, []),
    ("*Date:12/15/2018, v1*", {"date": "2018-12-15", "version": "v1"}, []),
    ("*Date: 09/2016, v3.0*", {"date": "2016-09", "version": "v3.0"}, []),
]


@pytest.mark.parametrize(
    ("date_line", "expected", "kinds"), PAGE_VARIANTS, ids=[str(v[0]) for v in PAGE_VARIANTS]
)
def test_date_line_variants_render(date_line, expected, kinds):
    notes = parse(one_entry(date_line))
    (page,) = render(notes)
    found = options("{project} proj", page.text)
    assert found == {"url": "https://github.com/example/proj", **expected}
    assert sorted(p.kind for p in notes.problems if p.unmapped) == sorted(kinds)
    # the date line itself is not repeated in the body
    assert "Date:" not in page.text
    if date_line is not None:
        reported_line = 5  # "# Cat", "", "## proj", "", date line
        assert all(p.line == reported_line for p in notes.problems if p.unmapped)


def test_unmapped_date_line_part_is_kept_in_the_body_and_reported():
    notes = parse(one_entry("*Date: 01/02/2018, v2.0, studied on a train*"))
    (page,) = render(notes)
    assert "*studied on a train*" in page.text
    (problem,) = [p for p in notes.problems if p.unmapped]
    assert problem.kind == "unparsed-line" and problem.line == 5


def test_bulleted_dates_are_the_note_then_updates_even_with_no_text():
    text = one_entry("- *Date: 06/02/2018, v0.2*\n- *Date: 12/13/2018, v3.1*")
    (project,) = parse(text).projects
    assert (project.date, project.version) == ("2018-06-02", "v0.2")
    assert [(u.date, u.version, u.body) for u in project.updates] == [("2018-12-13", "v3.1", [])]


@pytest.mark.parametrize(
    ("update_line", "body"),
    [
        ("_**Update on 11/27/2018, v2.4.0**_", []),
        ("Update on 11/27/2018: now with v2.4.0", ["now with v2.4.0"]),
    ],
)
def test_update_line_markup_variants(update_line, body):
    (project,) = parse(one_entry(f"*Date: 06/02/2018, v0.2*\n\n{update_line}")).projects
    (update,) = project.updates
    assert update.date == "2018-11-27" and update.body[: len(body)] == body
    assert update.body[-1].endswith("does things.")


def test_ref_line_is_a_link_entry():
    notes = parse("# Cat\n\n## hostnic\n\nref: [hostnic](./hostnic.md)\n")
    (entry,) = notes.categories[0].items
    assert isinstance(entry, LinkEntry) and entry.target == "./hostnic.md"


def test_update_with_a_version_and_no_date_keeps_the_version_and_an_unrecorded_date():
    notes = parse(one_entry("*Date: 06/02/2018, v0.2*\n\n*Update on v1.15*\n\nNow in core."))
    (page,) = render(notes)
    (project,) = notes.projects
    (update,) = project.updates
    assert (update.date, update.version) == ("unrecorded", "v1.15")
    assert options("{update}", page.text) == {"date": "unrecorded", "version": "v1.15"}
    (problem,) = [p for p in notes.problems if p.unmapped]
    assert (problem.kind, problem.line) == ("missing-date", 7)


def test_date_line_with_a_version_and_no_date():
    notes = parse(one_entry("*Date: dex v2.6.1*"))
    (project,) = notes.projects
    assert (project.date, project.version) == ("unrecorded", "v2.6.1")
    assert [p.kind for p in notes.problems if p.unmapped] == ["missing-date"]


def test_dated_text_under_a_category_heading_is_an_entry_named_by_it():
    text = (
        "# Experiments (v2.3.0)\n\n*Date: 03/25/2018, v2.3.0*\n\nRan it:\n\n"
        "```sh\n# clone spark source code\ngit clone x\n```\n\n"
        "# Overview\n\n- *Date: 06/01/2017, project release v17.04*\n"
        "- *Date: 10/20/2019, project release v19.07*\n"
    )
    notes = parse(text)
    assert [c.name for c in notes.categories] == ["Experiments (v2.3.0)", "Overview"]
    spark, trident = notes.projects
    assert (spark.name, spark.date, spark.version) == (
        "Experiments (v2.3.0)",
        "2018-03-25",
        "v2.3.0",
    )
    assert "# clone spark source code" in spark.body  # a shell comment, not a category
    assert (trident.date, trident.version) == ("2017-06-01", "v17.04")
    assert [(u.date, u.version) for u in trident.updates] == [("2019-10-20", "v19.07")]
    pages = render(notes)
    assert options("{project} Experiments (v2.3.0)", pages[0].text)["date"] == "2018-03-25"
    assert not any("date line under" in p.message for p in notes.problems)


@pytest.mark.parametrize(
    ("heading", "date_line", "name", "status"),
    [
        ("(deprecated) operatorkit", "*Date: 01/10/2018*", "operatorkit", "deprecated"),
        ("(closed) pvc taint", "- *Date: 02/15/2019, v1.13, design*", "pvc taint", "archived"),
        ("(deprecated) mounter", "- *Date: 02/13/2019, v1.13, design*", "mounter", "deprecated"),
        ("(large) volume snapshot", "- *Date: 06/16/2017, v1.7, design*", None, "unreleased"),
        ("feature gates", "*Date: 03/07/2018, v1.10, beta*", None, "beta"),
        ("csi", "*Date: 06/24/2018, v1.13, stable*", None, "released"),
    ],
)
def test_status_from_heading_prefix_and_date_line_words(heading, date_line, name, status):
    notes = parse(one_entry(date_line, name=heading))
    (project,) = notes.projects
    assert (project.name, project.status) == (name or heading, status)
    (page,) = render(notes)
    assert options("{project} " + (name or heading), page.text)["status"] == status
    assert not any(p.kind == "unparsed-line" for p in notes.problems)


@pytest.mark.parametrize(
    ("words", "version", "kinds"),
    [
        ("project release v17.04", "v17.04", []),
        ("changes since v0.0.6", "unrecorded", ["missing-version", "unparsed-line"]),
    ],
)
def test_extra_words_in_a_date_line_are_kept_in_the_body(words, version, kinds):
    notes = parse(one_entry(f"*Date: 06/01/2017, {words}*"))
    (project,) = notes.projects
    assert project.version == version
    assert project.body[:2] == [f"*{words}*", ""] and project.body[2].endswith("does things.")
    assert sorted(p.kind for p in notes.problems if p.unmapped) == kinds


def test_headings_in_a_fenced_dockerfile_are_not_headings():
    body = "```dockerfile\n### From CONTAINER\n# comment\nFROM x\n```"
    notes = parse(one_entry("*Date: 06/02/2018, v0.2*") + "\n" + body + "\n\n## next\n")
    first, second = notes.projects
    assert first.name == "proj" and second.name == "next"
    assert "### From CONTAINER" in first.body and "# comment" in first.body
    assert not any(p.kind == "heading-demoted" for p in notes.problems)


@pytest.mark.parametrize(
    ("dates", "kinds"),
    [
        (["06/02/2018", "05/01/2018"], ["update-before-project"]),
        (["06/02/2018", "12/09/2019", "06/23/2018"], ["update-order"]),
        (["06/02/2018", "07/2018", "07/15/2018"], []),  # the month holds the day: not before
        (["06/02/2018", "13/45/2018", "2018/02/30"], []),  # no calendar days: nothing to order
    ],
)
def test_dates_out_of_order_are_kept_as_written_and_announced(dates, kinds):
    note, *updates = dates
    lines = [f"- *Date: {note}, v0.1*", *(f"- *Date: {d}, v0.2*" for d in updates)]
    notes = parse(one_entry("\n".join(lines)))
    (project,) = notes.projects
    assert len(project.updates) == len(updates)
    order = ("update-order", "update-before-project")
    assert [p.kind for p in notes.problems if p.kind in order] == kinds
    assert not any(p.unmapped for p in notes.problems if p.kind in order)


def test_repeated_headings_get_distinct_names_and_so_distinct_anchors():
    text = (
        "# A\n\n## Overview\n\nOne.\n\n## Overview\n\nTwo.\n\n"
        "## tool\n\n*Date: 06/02/2018, v0.2*\n\n# B\n\n## Overview\n\nThree.\n\n"
        "## Tool\n\n*Date: 06/03/2018, v0.3*\n"
    )
    notes = parse(text)
    first, second = notes.categories
    assert [i.title for i in first.items if isinstance(i, Section)] == ["Overview", "Overview (2)"]
    assert [i.title for i in second.items if isinstance(i, Section)] == ["Overview"]  # own page
    assert [p.name for p in notes.projects] == ["tool", "Tool (2)"]  # names are site-wide
    assert [p.kind for p in notes.problems if p.kind == "renamed"] == ["renamed", "renamed"]
    assert [p.name for p in parse(text).projects] == ["tool", "Tool (2)"]  # the same every time


# --------------------------------------------------------------------------------------------
# Entries, updates, links, prose sections, TODOs (the mini fixture)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mini():
    text = MINI.read_text(encoding="utf-8")
    notes = parse(text)
    pages = {p.filename: p for p in render(notes)}
    return text, notes, pages


def test_categories_and_doctoc(mini):
    _text, notes, pages = mini
    assert [c.name for c in notes.categories] == ["Alpha & Beta"]
    assert list(pages) == ["alpha-beta.md", "todos.md"]
    page = pages["alpha-beta.md"].text
    assert page.startswith("# Alpha & Beta\n")
    assert "Table of Contents" not in page and "doctoc" not in page
    assert any(p.kind == "dropped" and p.line == 1 for p in notes.problems)


def test_code_blocks_are_not_headings(mini):
    _, notes, pages = mini
    page = pages["alpha-beta.md"].text
    assert "# not a heading\n## not an entry either\n" in page
    assert [p.name for p in notes.projects] == ["dated", "nourl", "nodate"]


def test_update_paragraphs_become_nested_update_blocks(mini):
    _, notes, pages = mini
    dated = notes.projects[0]
    assert [(u.date, u.version) for u in dated.updates] == [
        ("2018-12-13", "v3.1"),
        ("2019-01-05", "v3.2"),
    ]
    assert dated.updates[0].body == ["Update text with a [link](https://example.org/doc)."]
    page = pages["alpha-beta.md"].text
    block = page[page.index("::::{project} dated") : page.index("\n::::\n") + 6]
    assert block.count(":::{update}") == 2
    assert "\n:::{update}\n:date: 2018-12-13\n:version: v3.1\n\nUpdate text with a" in block
    assert (
        "\n:::{update}\n:date: 2019-01-05\n:version: v3.2\n\nSecond update.\n:::\n::::\n" in block
    )
    assert "Update on" not in page
    # the project's own body ends before the first update
    assert block.index("is a project with a version.") < block.index(":::{update}")


def test_link_entry_becomes_p3_todo_item_in_its_category(mini):
    text, notes, pages = mini
    page = pages["alpha-beta.md"].text
    assert options("{todo-item} elsewhere", page) == {"priority": "P3"}
    assert (
        "The notes on elsewhere were kept in a separate file, `./elsewhere`, not included here."
        in page
    )
    assert "](./elsewhere)" not in page
    (problem,) = [p for p in notes.problems if p.kind == "link-entry"]
    assert problem.line == line_of(text, "link: [elsewhere](./elsewhere)")


def test_prose_section_kept_after_the_entries(mini):
    _, notes, pages = mini
    page = pages["alpha-beta.md"].text
    assert "## dated vs. nodate\n\n- a comparison, kept as prose\n" in page
    assert page.rindex(":::") < page.index("## dated vs. nodate")
    assert "dated vs. nodate" not in [p.name for p in notes.projects]


def test_bare_urls_become_autolinks_outside_code(mini):
    _, _, pages = mini
    assert "see <https://example.org/nodate> for more" in pages["alpha-beta.md"].text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "with-url",
            {"priority": "P1", "depth": "basic", "url": "https://github.com/example/with-url"},
        ),
        ("with-description", {"priority": "P2", "depth": "deep"}),
        ("bare", {"priority": "P0", "depth": "basic"}),
    ],
)
def test_todo_list_forms(mini, name, expected):
    _, notes, pages = mini
    page = pages["todos.md"].text
    assert page.startswith("# TODOs\n")
    assert options("{todo-item} " + name, page) == expected
    todo = next(t for t in notes.todos if t.name == name)
    assert todo.body == (["Bridge one thing and another."] if name == "with-description" else [])


def test_todo_description_is_the_body(mini):
    _, _, pages = mini
    assert (
        ":::{todo-item} with-description\n:priority: P2\n:depth: deep\n\n"
        "Bridge one thing and another.\n:::" in pages["todos.md"].text
    )


def test_malformed_todo_line_is_reported_not_lost():
    notes = parse(
        "# TODOs\n\n- good (TODO: basic, P1)\n- just a thought\n- nopriority (TODO: deep)\n"
    )
    assert [t.name for t in notes.todos] == ["good", "nopriority"]
    assert notes.todos[1].priority == "P3"
    reported = {(p.line, p.kind) for p in notes.problems}
    assert (4, "unparsed-line") in reported and (5, "unparsed-line") in reported
    assert "just a thought" in render(notes)[0].text


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        (
            "metallb",
            "[MetalLB](https://github.com/google/metallb) is",
            "https://github.com/google/metallb",
        ),
        (
            "service-loadbalancer",
            "[service loadbalancer](https://github.com/k/contrib/tree/master/service-loadbalancer)",
            "https://github.com/k/contrib/tree/master/service-loadbalancer",
        ),
        (
            "kops",
            "- https://github.com/kubernetes/kops/blob/1.5.3/docs/aws.md",
            "https://github.com/kubernetes/kops",
        ),
        (
            "k8s-prometheus-adaptor",
            "framework [here](https://github.com/x/other) and\n- [deploy](https://github.com/D/k8s-prometheus-adapter/tree/master/deploy)",
            "https://github.com/D/k8s-prometheus-adapter",
        ),
        (
            "cluster autoscaler",
            "ref [here](https://github.com/kubernetes/autoscaler/tree/ca-0.6.0/cluster-autoscaler)",
            "https://github.com/kubernetes/autoscaler",
        ),
        (
            "gpushare (aliyun)",
            "- [a device plugin](https://github.com/A/gpushare-device-plugin)",
            None,
        ),
        (
            "virtlet",
            "uses [criproxy](https://github.com/Mirantis/criproxy)\n- [arch](https://github.com/Mirantis/virtlet/blob/v1.4.0/docs/a.md)",
            "https://github.com/Mirantis/virtlet",
        ),
        ("ksonnet", "- https://ksonnet.io/docs/tutorial", None),
        ("helm", "```\ngit clone https://github.com/helm/helm\n```", None),
        ("draft", "", None),
    ],
)
def test_repository_url_is_the_first_link_to_the_repository(name, body, expected):
    assert find_repository(name, body.splitlines()) == expected


def test_missing_url_is_left_out_and_reported():
    notes = parse("# Cat\n\n## helm\n\nHelm is a tool.\n")
    (page,) = render(notes)
    assert options("{project} helm", page.text) == {"date": "unrecorded", "version": "unrecorded"}
    assert sorted(p.kind for p in notes.problems) == [
        "missing-date",
        "missing-url",
        "missing-version",
    ]
    assert {p.line for p in notes.problems} == {3}


def test_body_with_colon_fence_gets_a_longer_outer_fence():
    legacy = (
        "# Cat\n\n## proj\n\n*Date: 01/02/2018, v1.0*\n\n[proj](https://github.com/e/proj)\n\n"
        "::::{note}\nan admonition in the notes\n::::\n\n"
        "*Update on 02/03/2018, v1.1*\n\n:::{tip}\ninside an update\n:::\n"
    )
    (page,) = render(parse(legacy))
    lines = page.text.splitlines()
    outer = next(line for line in lines if "{project}" in line).split("{")[0]
    inner = next(line for line in lines if "{update}" in line).split("{")[0]
    assert len(inner) > 3  # longer than the ::: inside the update body
    assert len(outer) > max(len(inner), 4)  # longer than the update fence and the :::: in the body
    assert lines[-2:] == [inner, outer]  # the update closes, then the project
    assert lines[lines.index(inner + "{update}") :].count(inner) == 1


def test_deeper_headings_in_a_body_become_bold_lines():
    notes = parse("# Cat\n\n## proj\n\n*Date: 01/02/2018, v1.0*\n\n### Workflow\n\ntext\n")
    (page,) = render(notes)
    assert "**Workflow**" in page.text and "### Workflow" not in page.text
    assert any(p.kind == "heading-demoted" and p.line == 7 for p in notes.problems)


def test_odd_input_never_raises():
    for text in [
        "",
        "\n\n",
        "no headings at all",
        "## entry before category\n",
        "# \n## \n",
        "```\n# x\n",
    ]:
        notes = parse(text)
        render(notes)


# --------------------------------------------------------------------------------------------
# Safety: file names, paths, existing files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "filename"),
    [
        ("../x", "x.md"),
        ("/etc", "etc.md"),
        ("..", "category-1.md"),
        ("../../etc/passwd", "etc-passwd.md"),
        ("C:\\Windows", "c-windows.md"),
        ("Node & Resource", "node-resource.md"),
        ("TODO-ish: todos", "todo-ish-todos.md"),
    ],
)
def test_hostile_category_names_become_safe_file_names(tmp_path, category, filename):
    out = tmp_path / "out"
    pages = render(parse(f"# {category}\n\n## proj\n\n*Date: 01/02/2018, v1.0*\n"))
    assert [p.filename for p in pages] == [filename]
    written = write_pages(pages, out)
    assert [p.resolve().parent for p in written] == [out.resolve()]
    assert sorted(x.name for x in tmp_path.iterdir()) == ["out"]
    assert written[0].read_text().startswith(f"# {category}\n")


def test_colliding_category_names_get_distinct_files():
    pages = render(parse("# Cluster\n\n# cluster\n\n# Index\n\n# TODOs\n"), with_index=True)
    names = ["index.md", "cluster.md", "cluster-2.md", "index-2.md", "todos.md"]
    assert [p.filename for p in pages] == names


@pytest.mark.parametrize("filename", ["../x.md", "/etc/passwd", "..", ".", "a/b.md", "a\\b.md", ""])
def test_writer_rejects_paths_outside_out(tmp_path, filename):
    out = tmp_path / "out"
    with pytest.raises(ImportRefused):
        write_pages([Page("ok.md", "Ok", "# Ok\n"), Page(filename, "Bad", "# Bad\n")], out)
    assert not out.exists()  # all targets are checked before anything is written
    assert sorted(x.name for x in tmp_path.iterdir()) == []


def test_writer_refuses_a_symlink_pointing_outside(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.md"
    victim.write_text("precious\n")
    (out / "page.md").symlink_to(victim)
    with pytest.raises(ImportRefused):
        write_pages([Page("page.md", "Page", "# Page\n")], out, force=True)
    assert victim.read_text() == "precious\n"


def test_existing_file_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    existing = out / "alpha-beta.md"
    existing.write_text("hand-finished work\n")
    result = cli("import", str(MINI), "--out", str(out))
    assert result.returncode == 1
    assert "--force" in result.stderr and "alpha-beta.md" in result.stderr
    assert existing.read_text() == "hand-finished work\n"
    assert sorted(x.name for x in out.iterdir()) == ["alpha-beta.md"]  # nothing else written either

    result = cli("import", str(MINI), "--out", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert existing.read_text().startswith("# Alpha & Beta\n")
    assert sorted(x.name for x in out.iterdir()) == ["alpha-beta.md", "todos.md"]


# --------------------------------------------------------------------------------------------
# The command line and its summary
# --------------------------------------------------------------------------------------------


def test_summary_lists_what_could_not_be_mapped_with_legacy_line_numbers(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    result = cli("import", str(MINI), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Wrote 2 pages:" in out
    assert (
        str(tmp_path / "out" / "alpha-beta.md") in out and str(tmp_path / "out" / "todos.md") in out
    )
    nourl, nodate = line_of(text, "## nourl"), line_of(text, "## nodate")
    nourl_date = line_of(text, "*Date: 05/13/2017, k8s 1.6*")
    assert f"{MINI}:{nourl}: missing-url: nourl:" in out
    assert f"{MINI}:{nourl_date}: missing-version: nourl:" in out
    assert f"{MINI}:{nodate}: missing-date: nodate:" in out
    assert f"{MINI}:{nodate}: missing-version: nodate:" in out
    assert (
        f"{MINI}:{line_of(text, 'link: [elsewhere](./elsewhere)')}: link-entry: elsewhere:" in out
    )
    # nodate links only example.org, not a repository named like it
    assert f"{MINI}:{nodate}: missing-url: nodate:" in out
    unmapped = out.split("Could not map (")[1].split("\n\n")[0]
    assert len([line for line in unmapped.splitlines() if f"{MINI}:" in line]) == 5


def test_cli_on_the_legacy_file_writes_one_page_per_category_and_a_todo_page(tmp_path):
    out = tmp_path / "imported"
    result = cli("import", str(SEED), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(x.name for x in out.iterdir()) == sorted([*CATEGORY_PAGES, "todos.md"])
    assert f"Wrote {len(CATEGORY_PAGES) + 1} pages:" in result.stdout
    for name in CATEGORY_PAGES:
        text = (out / name).read_text(encoding="utf-8")
        assert re.match(r"# \S", text), name
    todos = (out / "todos.md").read_text(encoding="utf-8")
    assert todos.count(":::{todo-item}") == 7
    # what the legacy file lacks is announced, with its line
    seed = SEED.read_text(encoding="utf-8")
    for name in ("addon-resizer", "gpushare (aliyun)", "helm", "ksonnet"):
        assert f"{SEED}:{line_of(seed, '## ' + name)}: missing-url: {name}:" in result.stdout
    assert f"{SEED}:{line_of(seed, '## helm')}: missing-date: helm:" in result.stdout


def test_cli_help_is_the_module_docstring():
    result = cli("import", "--help")
    assert result.returncode == 0
    assert "One page per ``#`` category plus a TODO page" in result.stdout
    assert "--force" in result.stdout and "--out" in result.stdout


def test_cli_missing_input_file(tmp_path):
    result = cli("import", str(tmp_path / "nope.md"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_with_index_writes_a_toctree(tmp_path):
    result = cli("import", str(MINI), "--out", str(tmp_path), "--with-index")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "```{toctree}" in index and "\nalpha-beta\ntodos\n```" in index


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

_legacy_lines = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.builds(lambda s: "# " + s, st.text(max_size=20)),
        st.builds(lambda s: "## " + s, st.text(max_size=20)),
        st.builds(lambda s: f"*Date: {s}*", st.text(max_size=20)),
        st.builds(lambda s: f"*Update on {s}*", st.text(max_size=20)),
        st.builds(lambda s: f"- {s} (TODO: basic, P1)", st.text(max_size=10)),
        st.sampled_from(["```", "~~~", ":::{note}", ":::", "link: [x](./x)", ""]),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(_legacy_lines)
def test_any_input_parses_and_renders_to_safe_unique_file_names(lines):
    pages = render(parse("\n".join(lines)), with_index=True)
    names = [p.filename for p in pages]
    assert len(set(names)) == len(names)
    for name in names:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*\.md", name), name
        assert safe_target(Path("out"), name) == Path("out") / name
