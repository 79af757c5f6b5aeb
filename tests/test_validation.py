"""Table-driven unit tests of ``sphinx_fieldnotes.validation``: the pure rules behind every option
(SPEC §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from sphinx_fieldnotes.codes import Code
from sphinx_fieldnotes.suggest import closest, did_you_mean
from sphinx_fieldnotes.validation import (
    Invalid,
    is_future,
    normalise_name,
    parse_choice,
    parse_date,
    parse_kubernetes,
    parse_tags,
    parse_url,
    parse_version,
)
from sphinx_fieldnotes.vocabulary import DEPTHS

# -- dates: ISO YYYY-MM-DD, a real calendar day, or 'unrecorded' ----------------------------------

GOOD_DATES = [
    ("2018-06-02", "2018-06-02"),
    ("  2018-06-02  ", "2018-06-02"),  # surrounding whitespace is trimmed
    ("2016-02-29", "2016-02-29"),  # leap day
    ("2000-02-29", "2000-02-29"),  # divisible by 400: leap
    ("0001-01-01", "0001-01-01"),
    ("9999-12-31", "9999-12-31"),
    ("unrecorded", "unrecorded"),
    ("Unrecorded ", "unrecorded"),
    ("UNRECORDED", "unrecorded"),
]

BAD_DATES = [
    "2018-02-30",  # not a real day
    "2017-02-29",  # not a leap year
    "1900-02-29",  # divisible by 100, not 400
    "2018-13-01",  # no month 13
    "2018-00-10",
    "2018-06-00",
    "2018-06-31",
    "0000-01-01",  # no year 0
    "2018-6-2",  # not zero-padded
    "06/02/2018",  # the legacy format
    "2018/06/02",
    "20180602",  # ISO basic format is not the accepted spelling
    "2018-06-02T10:00",
    "2018-06-02 10:00",
    "18-06-02",
    "June 2, 2018",
    "",
    "   ",
    "٢٠١٨-٠٦-٠٢",  # Arabic-Indic digits
    "２０１８-０６-０２",  # full-width digits  # noqa: RUF001
    "unreleased",  # only a version may be unreleased
    "unrecorded-ish",
    "none",
]


@pytest.mark.parametrize(("value", "expected"), GOOD_DATES)
def test_good_dates(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", BAD_DATES)
def test_bad_dates(value: str) -> None:
    with pytest.raises(Invalid) as raised:
        parse_date(value)
    assert raised.value.code is Code.BAD_DATE
    assert ":date:" in raised.value.message


def test_date_message_names_the_option_and_value() -> None:
    with pytest.raises(Invalid) as raised:
        parse_date("2018-02-30", "date")
    assert "2018-02-30" in raised.value.message
    assert "calendar day" in raised.value.message


# -- versions --------------------------------------------------------------------------------------

GOOD_VERSIONS = [
    ("v0.2", "v0.2"),
    ("1.5.3", "1.5.3"),
    ("v1.0.0-rc.1", "v1.0.0-rc.1"),
    ("v2.7.0", "v2.7.0"),
    ("0.6.0", "0.6.0"),
    ("3", "3"),
    ("v1.0.0-beta", "v1.0.0-beta"),
    ("1.0.0+build.5", "1.0.0+build.5"),
    (" v1.4.0 ", "v1.4.0"),
    ("unreleased", "unreleased"),
    ("Unreleased", "unreleased"),
    ("unrecorded", "unrecorded"),
    ("UNRECORDED ", "unrecorded"),
]

BAD_VERSIONS = [
    "v 1.3.1",
    "kops v1.5.3",
    "version 1.2",
    "latest",
    "",
    "v",
    "1.",
    ".1",
    "1..2",
    "v1.0.0-",
    "v1.0 rc1",
    "1.5.3,",
    "v١.٢",  # Arabic-Indic digits  # noqa: RUF001
    "１.５",  # full-width digits  # noqa: RUF001
    "no release",
]


@pytest.mark.parametrize(("value", "expected"), GOOD_VERSIONS)
def test_good_versions(value: str, expected: str) -> None:
    assert parse_version(value) == expected


@pytest.mark.parametrize("value", BAD_VERSIONS)
def test_bad_versions(value: str) -> None:
    with pytest.raises(Invalid) as raised:
        parse_version(value)
    assert raised.value.code is Code.BAD_VERSION
    assert ":version:" in raised.value.message


@pytest.mark.parametrize(
    ("value", "expected"), [("1.7", "1.7"), ("v1.7", "1.7"), (" 1.10 ", "1.10")]
)
def test_good_kubernetes_versions(value: str, expected: str) -> None:
    assert parse_kubernetes(value) == expected


@pytest.mark.parametrize("value", ["1.x", "unrecorded", "unreleased", "k8s 1.7", "", "١.٧"])  # noqa: RUF001
def test_bad_kubernetes_versions(value: str) -> None:
    with pytest.raises(Invalid) as raised:
        parse_kubernetes(value)
    assert raised.value.code is Code.BAD_VERSION
    assert ":kubernetes:" in raised.value.message


# -- URLs: absolute http or https ------------------------------------------------------------------

GOOD_URLS = [
    "https://github.com/intel/multus-cni",
    "http://example.com",
    "HTTPS://Example.com/path?q=1#frag",
    "https://github.com/kubernetes/contrib/tree/master/keepalived-vip",
    "https://example.com:8443/x",
    "  https://example.com  ",  # trimmed
]

BAD_URLS = [
    "ftp://example.com/file",
    "javascript:alert(1)",
    "mailto:someone@example.com",
    "file:///etc/passwd",
    "/relative/path",
    "relative/path",
    "github.com/intel/multus-cni",
    "//example.com/no-scheme",
    "https://",
    "http://",
    "https:///path-only",
    "http://:80",
    "https://exa mple.com",
    "https://example.com/a b",
    "https://example.com/\tx",
    "https://example.com/\x00",
    "",
    "http://[::1",  # unbalanced IPv6 bracket: urlsplit raises ValueError
    "http://example.com:port",  # a port that is not a number
]


@pytest.mark.parametrize("value", GOOD_URLS)
def test_good_urls(value: str) -> None:
    assert parse_url(value) == value.strip()


@pytest.mark.parametrize("value", BAD_URLS)
def test_bad_urls(value: str) -> None:
    with pytest.raises(Invalid) as raised:
        parse_url(value)
    assert raised.value.code is Code.BAD_URL


# -- choices (status, priority, depth): case-insensitive, configured spelling returned ----------

STATUSES = ("released", "beta", "alpha")
PRIORITIES = ("P0", "P1", "P2", "P3")


@pytest.mark.parametrize(
    ("value", "choices", "expected"),
    [
        ("beta", STATUSES, "beta"),
        ("BETA", STATUSES, "beta"),
        (" Released ", STATUSES, "released"),
        ("p1", PRIORITIES, "P1"),
        ("P3", PRIORITIES, "P3"),
        ("Deep", DEPTHS, "deep"),
        ("basic", DEPTHS, "basic"),
    ],
)
def test_good_choices(value: str, choices: tuple[str, ...], expected: str) -> None:
    assert parse_choice(value, choices, "opt", Code.BAD_STATUS) == expected


@pytest.mark.parametrize(
    ("value", "choices", "code"),
    [
        ("gamma", STATUSES, Code.BAD_STATUS),
        ("", STATUSES, Code.BAD_STATUS),
        ("P4", PRIORITIES, Code.BAD_PRIORITY),
        ("P 1", PRIORITIES, Code.BAD_PRIORITY),
        ("high", PRIORITIES, Code.BAD_PRIORITY),
        ("shallow", DEPTHS, Code.BAD_DEPTH),
    ],
)
def test_bad_choices(value: str, choices: tuple[str, ...], code: Code) -> None:
    with pytest.raises(Invalid) as raised:
        parse_choice(value, choices, "opt", code)
    assert raised.value.code is code
    # The message lists what is accepted.
    assert all(choice in raised.value.message for choice in choices)


def test_depths_are_the_spec_ones() -> None:
    assert DEPTHS == ("basic", "deep")


# -- tags ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cni, networking", ("cni", "networking")),
        ("cni,networking,", ("cni", "networking")),
        (" , ,", ()),
        ("", ()),
        ("a, a, b", ("a", "b")),
        ("load   balancer , bgp", ("load balancer", "bgp")),
        ("single", ("single",)),
    ],
)
def test_tags(value: str, expected: tuple[str, ...]) -> None:
    assert parse_tags(value) == expected


# -- names and today -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("Foo", " foo ", True),
        ("Cluster Autoscaler", "cluster   autoscaler", True),
        ("multus-cni", "MULTUS-CNI", True),
        ("Straße", "STRASSE", True),  # casefold, not lower
        ("multus-cni", "multus cni", False),
        ("foo", "foo2", False),
    ],
)
def test_names_compare_case_insensitively_after_trimming(left: str, right: str, same: bool) -> None:
    assert (normalise_name(left) == normalise_name(right)) is same


@pytest.mark.parametrize(
    ("date", "future"),
    [
        ("2026-01-02", True),
        ("2026-01-01", False),  # today itself is not in the future
        ("2025-12-31", False),
        ("unrecorded", False),
        (None, False),
    ],
)
def test_is_future(date: str | None, future: bool) -> None:
    assert is_future(date, dt.date(2026, 1, 1)) is future


# -- hints: the nearest allowed value, when one is close (difflib) --------------------------------


@pytest.mark.parametrize(
    ("value", "choices", "hint"),
    [
        ("betta", STATUSES, "; did you mean 'beta'?"),
        ("Alpah", STATUSES, "; did you mean 'alpha'?"),
        ("P 1", PRIORITIES, "; did you mean 'P1'?"),
        ("DEPP", DEPTHS, "; did you mean 'deep'?"),
        ("shiny", STATUSES, ""),  # nothing close: no far-fetched hint
        ("P9", PRIORITIES, ""),
    ],
)
def test_a_bad_choice_suggests_the_nearest_one(
    value: str, choices: tuple[str, ...], hint: str
) -> None:
    with pytest.raises(Invalid) as raised:
        parse_choice(value, choices, "opt", Code.BAD_STATUS)
    assert raised.value.hint == hint
    assert str(raised.value) == raised.value.message + hint


def test_names_are_suggested_as_written_and_compared_as_keys() -> None:
    names = ["Multus CNI", "kube router", "MetalLB"]
    assert did_you_mean("multus  cnii", names, fold=normalise_name) == (
        "; did you mean 'Multus CNI'?"
    )
    assert closest("METALB", names, fold=normalise_name) == "MetalLB"
    assert closest("Multus CNI", names, fold=normalise_name) is None  # no typo
    assert closest("", names) is None
    assert did_you_mean("dat", ("url", "date", "version"), "':{}:'") == "; did you mean ':date:'?"
