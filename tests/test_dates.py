"""Dates as precise as the notes: ISO 8601 reduced precision (``YYYY-MM``, ``YYYY``) wherever a
date is accepted, compared as the period it stands for (see the authoring guide)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sites import Site

from sphinx_fieldnotes.validation import Invalid, is_before, is_future, parse_date, period

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2016-09", dt.date(2016, 9, 1), dt.date(2016, 9, 30)),
        ("2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),  # leap February
        ("2017-02", dt.date(2017, 2, 1), dt.date(2017, 2, 28)),
        ("2016", dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
        ("9999-12", dt.date(9999, 12, 1), dt.date(9999, 12, 31)),
        ("2018-06-02", dt.date(2018, 6, 2), dt.date(2018, 6, 2)),
    ],
)
def test_a_reduced_date_is_accepted_as_written_and_stands_for_its_period(
    text: str, first: dt.date, last: dt.date
) -> None:
    assert parse_date(f" {text} ") == text
    assert period(text) == (first, last)


@pytest.mark.parametrize(
    ("text", "unit"),
    [("2016-13", "month"), ("2016-00", "month"), ("0000", "year"), ("2016-9", None),
     ("201", None), ("2016-09-", None), ("16-09", None), ("２０１６", None)],  # noqa: RUF001
)
def test_a_malformed_reduced_date_is_bad_date(text: str, unit: str | None) -> None:
    with pytest.raises(Invalid) as raised:
        parse_date(text)
    assert raised.value.code.value == "bad-date"
    if unit:
        assert f"not a real calendar {unit}" in raised.value.message
    else:
        assert "YYYY-MM-DD, YYYY-MM or YYYY" in raised.value.message


def test_future_means_the_whole_period_is_after_today() -> None:
    assert not is_future("2026-12", TODAY)
    assert not is_future("2026", TODAY)
    assert is_future("2027", TODAY)
    assert is_future("2026-12-03", TODAY)


def test_before_means_the_period_ends_before_the_other_begins() -> None:
    assert not is_before("2016-09-15", "2016-09")
    assert not is_before("2016-09", "2016-09-15")
    assert is_before("2016-08-31", "2016-09")
    assert is_before("2015", "2016-01-01")
    assert not is_before("2016", "2016-06")


NOTES = """\
# Storage

::::{project} early
:url: https://example.com/early
:date: 2016-09
:version: v0.1

Noted in September 2016; the day is not recorded.

:::{update}
:date: 2016-09-15
:version: v0.2
:::

:::{update}
:date: 2017
:version: v0.3
:::
::::

:::{project} late
:url: https://example.com/late
:date: 2026-12
:version: v1
:::

:::{project} bad
:url: https://example.com/bad
:date: 2016-13
:version: v1
:::
"""

INDEX = """\
# Home

```{toctree}
storage
```

:::{timeline}
:::

:::{review-queue}
:::
"""


def _build(site: Site, today: str = "2026-12-02", stale: int = 730):
    site.write("index.md", INDEX)
    site.write("storage.md", NOTES)
    return site.build(fieldnotes_today=today, fieldnotes_stale_after_days=stale)


def test_a_site_with_reduced_dates_keeps_them_as_written(site: Site) -> None:
    built = _build(site)
    # Only the month that does not exist is reported: no update-before-project for 2016-09-15 on
    # a 2016-09 note, no future-date for 2026-12 on 2026-12-02, no update-order.
    bad_line = NOTES.splitlines().index(":date: 2016-13") + 1
    assert [(f.line, f.code) for f in built.findings] == [(bad_line, "bad-date")]
    export = json.loads(built.page("fieldnotes.json"))
    by_name = {p["name"]: p for p in export["projects"]}
    assert by_name["early"]["date"] == "2016-09"
    assert [u["date"] for u in by_name["early"]["updates"]] == ["2016-09-15", "2017"]
    assert by_name["late"]["date"] == "2026-12"
    assert by_name["bad"]["date"] is None
    assert export["schema"] == 3


def test_the_timeline_groups_and_orders_reduced_dates(site: Site) -> None:
    html = _build(site).page("index.html")
    timeline = html[html.index("fieldnotes-timeline") :]
    # newest first: 2026-12, then 2017, then the day inside September 2016 before the month.
    order = [timeline.index(text) for text in (">2026-12<", ">2017<", ">2016-09-15<", ">2016-09<")]
    assert order == sorted(order)
    for year in ("2026", "2017", "2016"):
        assert f">{year}</" in timeline


def test_staleness_counts_from_the_last_day_of_the_period(site: Site) -> None:
    # early's newest date is 2017, whose last day is 2017-12-31. Built on 2019-12-31, the stale
    # threshold is 2017-12-31 itself (not stale); a day later it is.
    not_yet = _build(site, today="2019-12-31", stale=730)
    assert "early" not in _review_queue(not_yet.page("index.html"))
    now = _build(site, today="2020-01-01", stale=730)
    queue = _review_queue(now.page("index.html"))
    assert "early" in queue
    assert "newest date is 731 days old" in queue  # 2020-01-01 minus 2017-12-31


def _review_queue(html: str) -> str:
    start = html.index("fieldnotes-review-queue")
    return html[start : html.index("</div>", start)]


def test_the_feed_gives_a_reduced_date_as_its_first_day(site: Site) -> None:
    feed = _build(site).page("feed.xml")
    assert "<published>2016-09-01T00:00:00Z</published>" in feed
    assert "<published>2017-01-01T00:00:00Z</published>" in feed
