"""The importer on real legacy notes (issue 15): every date written in a source's date and update
lines ends up in ``fieldnotes.json`` as its entry's note or update date (with the version beside
it), or is listed, with its legacy line, in what the importer's summary could not map."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sphinx_fieldnotes.cli.importer import summary
from sphinx_fieldnotes.cli.importer.parse import parse
from sphinx_fieldnotes.cli.importer.render import render
from sphinx_fieldnotes.cli.importer.write import write_pages
from test_importer_site import SEED, sphinx_build

REAL_NOTES = Path("/work/shared/real-notes")
SOURCES = sorted(REAL_NOTES.glob("*.md")) + [SEED]
SOURCES = [p for p in SOURCES if p.name != "SOURCES.md"]

# Written for this test, independently of the importer's parser: a date or update line (bulleted,
# italic or bold or plain) and the first date in it, MM/DD/YYYY, YYYY/MM/DD or MM/YYYY.
DATED_LINE = re.compile(r"^[\W_]*(?:Date\b|Update on\b)", re.I)
DATE = re.compile(r"\b(\d{4})/(\d\d)/(\d\d)\b|\b(\d\d?)/(\d\d?)/(\d{4})\b|\b(\d\d?)/(\d{4})\b")
VERSION = re.compile(r"\bv\d+(?:\.\d+)*\b")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*$")
# ``(deprecated) x`` and ``(closed) x``: the entry is x, the prefix its status.
STATUS_PREFIX = re.compile(r"^\((?:deprecated|closed)\)\s+")


def source_dates(text: str) -> list[tuple[int, str, str, str | None]]:
    """(line, heading above it, ISO date, version written beside it) for each dated line."""
    found, in_fence, heading = [], False, ""
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        if m := HEADING.match(line):
            heading = STATUS_PREFIX.sub("", m.group(2))
        if not DATED_LINE.match(line) or not (d := DATE.search(line)):
            continue
        if d.group(1):
            iso = f"{d.group(1)}-{d.group(2)}-{d.group(3)}"
        elif d.group(6):
            iso = f"{d.group(6)}-{int(d.group(4)):02d}-{int(d.group(5)):02d}"
        else:
            iso = f"{d.group(8)}-{int(d.group(7)):02d}"
        versions = [
            v.group(0)
            for part in line[d.end() :].split(",")
            if not re.match(r"\W*(kubernetes|k8s)\b", part, re.I) and (v := VERSION.search(part))
        ]
        found.append((number, heading, iso, versions[0] if versions else None))
    return found


def kept(export: dict, heading: str, iso: str, version: str | None) -> bool:
    """Whether the entry named *heading* has *iso* (and *version*) as its note or an update."""
    for project in export["projects"]:
        if project["name"] != heading:
            continue
        dated = [project, *project.get("updates", [])]
        if any(d["date"] == iso and version in (None, d["version"]) for d in dated):
            return True
    return False


@pytest.mark.parametrize("source", SOURCES, ids=[p.name for p in SOURCES])
def test_every_date_in_the_real_notes_is_kept_or_listed(source, tmp_path):
    text = source.read_text(encoding="utf-8")
    notes = parse(text)
    pages = render(notes, with_index=True)
    src = tmp_path / "src"
    written = write_pages(pages, src)
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design", "sphinx_fieldnotes"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'root_doc = "index"\n',
        encoding="utf-8",
    )
    result = sphinx_build(src, tmp_path / "out", "--keep-going")
    assert "Traceback" not in result.stderr and "Extension error" not in result.stderr
    # The build reports only what the summary announced (missing URLs, dates the notes wrote out
    # of order): no date or version the importer wrote is refused.
    codes = re.findall(r"\[fieldnotes\.([\w-]+)\]$", result.stderr, re.M)
    assert set(codes) <= {"missing-url", "update-order", "update-before-project"}, result.stderr
    for code in ("missing-url", "update-order", "update-before-project"):
        assert codes.count(code) == sum(p.kind == code for p in notes.problems), code
    export = json.loads((tmp_path / "out" / "fieldnotes.json").read_text(encoding="utf-8"))
    report = summary(source.name, pages, written, notes)
    unmapped = report.split("Mapped with changes")[0]
    dates = source_dates(text)
    kept_count, missing = 0, []
    for line, heading, iso, version in dates:
        if kept(export, heading, iso, version):
            kept_count += 1
        elif f"{source.name}:{line}: " not in unmapped:
            missing.append((line, heading, iso, version))
    updates = sum(len(p.get("updates", [])) for p in export["projects"])
    print(
        f"\n{source.name}: {len(export['projects'])} entries, {updates} updates, "
        f"dates kept {kept_count}/{len(dates)}, listed in the summary {len(dates) - kept_count}"
    )
    assert dates or source.name == "ddysher-dex.md"  # dex's date lines hold no dates
    assert not missing, missing
