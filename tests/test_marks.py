"""The "new", "updated" and stale marks, against their definitions.

The catalog computes them with shortcuts (each project's newest date once a build; no look at the
updates of a project whose newest date ends before the window): for any dates, of any precision,
and any day and window, the marks must be what the definitions say.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_fieldnotes.catalog import Catalog
from sphinx_fieldnotes.model import DocumentRecord, Project, Update
from sphinx_fieldnotes.validation import period
from sphinx_fieldnotes.vocabulary import UNRECORDED

DAYS = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2021, 12, 31))
# A date as the notes may record it: a day, a month or a year, "unrecorded", or none.
DATES = st.one_of(
    DAYS.map(dt.date.isoformat),
    DAYS.map(lambda day: day.isoformat()[:7]),
    DAYS.map(lambda day: day.isoformat()[:4]),
    st.just(UNRECORDED),
    st.none(),
)


def recent(date: str | None, today: dt.date, days: int) -> bool:
    """Recent: a valid date whose last day is within *days* before *today*, today included."""
    if date is None or date == UNRECORDED:
        return False
    return today - dt.timedelta(days=days) <= period(date)[1] <= today


def catalog_of(note: str | None, updates: list[str | None]) -> tuple[Catalog, Project]:
    record = DocumentRecord()
    record.projects.append(Project("tool", "tool", "page", 3, "tool", date=note))
    for n, date in enumerate(updates):
        record.updates.append(Update("page", 5 + n, f"u-{n}", "tool", date=date))
    catalog = Catalog.build({"page": record})
    return catalog, catalog.projects[0]


# Each test gets a note's date, its updates' dates, today and a window in days.
each_case = settings(max_examples=500, derandomize=True, deadline=None)(
    given(DATES, st.lists(DATES, max_size=4), DAYS, st.integers(min_value=0, max_value=800))
)


@each_case
def test_new_and_updated_follow_their_definition(
    note: str | None, updates: list[str | None], today: dt.date, days: int
) -> None:
    catalog, project = catalog_of(note, updates)
    if recent(note, today, days):
        expected = "new"
    elif any(recent(date, today, days) for date in updates):
        expected = "updated"
    else:
        expected = None
    assert catalog.change(project, today, days) == expected
    assert catalog.change(project, today, days) == expected  # asked twice, as the listings do


@each_case
def test_stale_follows_its_definition(
    note: str | None, updates: list[str | None], today: dt.date, days: int
) -> None:
    """Stale: the latest last day of any of its valid dates is before the threshold."""
    catalog, project = catalog_of(note, updates)
    ends = [period(d)[1] for d in [note, *updates] if d is not None and d != UNRECORDED]
    expected = bool(ends) and max(ends) < today - dt.timedelta(days=days)
    assert catalog.is_stale(project, today, days) is expected
