"""The upstream snapshot file: version matching, the writer, and the validating reader.

The reader is checked against hand-written files (exact lines and codes), against the shipped
JSON Schema (whatever the schema rejects, the reader reports), and never raises.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_fieldnotes.upstream import versions
from sphinx_fieldnotes.upstream.hosts import github_hosts, parse_repository_url
from sphinx_fieldnotes.upstream.snapshot import (
    SCHEMA_PATH,
    EntryState,
    LatestRelease,
    ProblemCode,
    Record,
    Snapshot,
    dumps,
    parse_snapshot,
    read_snapshot,
    write_snapshot,
)

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

# -- versions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("studied", "tags", "entry", "expected"),
    [
        ("v0.2", ["0.3", "0.2"], "x", 1),  # a leading v does not matter
        ("0.2", ["v0.2.1", "v0.2.0"], "x", 1),  # 0.2 is 0.2.0
        ("v0.2", ["v0.3", "0.3", "v0.2"], "x", 1),  # one version tagged twice counts once
        ("v1.0.0-rc.1", ["v1.0.0", "v1.0.0-rc.2", "v1.0.0-rc.1"], "x", 1),  # no pre-releases
        ("v2.0", ["v2.1", "v1.9.9", "v2.0"], "x", 1),  # a backport is not "since 2.0"
        ("v2.0", ["latest", "nightly-2020", "v2.1", "v2.0"], "x", 1),  # tags that are no version
        ("1.2.0", ["cluster-autoscaler-1.3.0", "vpa-9.0", "cluster-autoscaler-1.2.0"], "Cluster Autoscaler", 1),
        ("1.2.0", ["other-1.3.0", "other-1.2.0"], "mine", None),  # another component's tags
        ("v9.9", ["v1.0"], "x", None),  # never tagged
        ("unreleased", ["v0.2", "v0.1", "v0.2-beta.1", "latest"], "x", 2),
        ("unreleased", [], "x", 0),
        ("unreleased", ["addon-resizer-1.8.1", "cluster-autoscaler-1.2", "addon-resizer-1.8.0"], "addon-resizer", 2),
        ("unreleased", ["foo-1.0"], "bar", None),
        ("unrecorded", ["v1.0"], "x", None),
        (None, ["v1.0"], "x", None),
    ],
)  # fmt: skip
def test_releases_since_matches_versions_as_documented(
    studied: str | None, tags: list[str], entry: str, expected: int | None
) -> None:
    found = versions.releases_since(studied, [versions.Tag(t) for t in tags], entry)
    assert found == expected


def test_releases_flagged_prerelease_on_github_are_not_counted() -> None:
    tags = [versions.Tag("v1.2", prerelease=True), versions.Tag("v1.1"), versions.Tag("v1.0")]
    assert versions.releases_since("v1.0", tags, "x") == 1
    assert versions.latest_release(tags) == versions.Tag("v1.1")


def test_latest_tag_is_the_highest_stable_version_not_the_first_listed() -> None:
    tags = [versions.Tag(t) for t in ["v0.9.0", "v0.10.0-rc.1", "v0.10.0", "latest"]]
    assert versions.latest_tag(tags) == versions.Tag("v0.10.0")
    assert versions.latest_tag([versions.Tag("v1.0-rc.1")]) == versions.Tag("v1.0-rc.1")
    assert versions.latest_tag([versions.Tag("latest"), versions.Tag("edge")]) == versions.Tag(
        "latest"
    )
    assert versions.latest_tag([]) is None


# -- hosts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://github.com/intel/multus-cni", "https://github.com/intel/multus-cni"),
        ("https://www.github.com/Mirantis/k8s-AppController/", "https://github.com/mirantis/k8s-appcontroller"),
        ("http://github.com/kubernetes/contrib/tree/master/keepalived-vip", "https://github.com/kubernetes/contrib"),
        ("https://github.com/helm/helm.git", "https://github.com/helm/helm"),
    ],
)  # fmt: skip
def test_repository_urls_have_one_canonical_key(url: str, key: str) -> None:
    assert parse_repository_url(url).key == key


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://gitlab.com/gitlab-org/gitlab", "unsupported host gitlab.com"),
        ("https://kubernetes.io/docs/", "unsupported host kubernetes.io"),
        ("https://github.com/kubernetes", "not a repository URL"),
        ("https://github.com/orgs/kubernetes/repositories", "not a repository URL"),
        ("ftp://github.com/a/b", "not an http(s) URL"),
    ],
)
def test_other_urls_are_refused_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_repository_url(url)


def test_a_github_enterprise_api_makes_its_web_host_a_github_host() -> None:
    hosts = github_hosts("https://git.example.com/api/v3")
    key = parse_repository_url("https://git.example.com/team/tool", hosts).key
    assert key == "https://git.example.com/team/tool"
    assert github_hosts("https://api.github.com") == frozenset({"github.com"})


# -- writer --------------------------------------------------------------------------------------


def sample() -> Snapshot:
    records = {
        "https://github.com/intel/multus-cni": Record(
            url="https://github.com/intel/multus-cni",
            host="github.com",
            repository="intel/multus-cni",
            found=True,
            fetched_at="2026-03-01T09:30:00Z",
            archived=False,
            moved_to="https://github.com/k8snetworkplumbingwg/multus-cni",
            default_branch="master",
            pushed_at="2026-02-27T17:01:12Z",
            latest_release=LatestRelease("v4.1", "2025-03-02T10:00:00Z", "release", "published"),
            entries={"multus-cni": EntryState("v3.1", 12)},
            etags={"releases": 'W/"r1"', "repository": 'W/"a1"'},
        ),
        "https://github.com/jetstack/kube-lego": Record(
            url="https://github.com/jetstack/kube-lego",
            host="github.com",
            repository="jetstack/kube-lego",
            found=True,
            fetched_at="2026-03-01T09:30:00Z",
            archived=True,
            default_branch="master",
            pushed_at=None,
            latest_release=LatestRelease("0.1.7", None, "tag", None, "a" * 40),
            entries={"kube-lego": EntryState(None, None)},
            etags={"repository": 'W/"b"', "tags": 'W/"t"'},
        ),
        "https://github.com/kaptaind/kaptaind": Record(
            url="https://github.com/kaptaind/kaptaind",
            host="github.com",
            repository="kaptaind/kaptaind",
            found=False,
            fetched_at="2026-03-01T09:30:00Z",
            entries={"kaptaind": EntryState(None, None)},
        ),
    }
    return Snapshot(generated="2026-03-01T09:30:00Z", records=records)


def test_the_written_file_is_valid_against_the_shipped_schema_and_reads_back_equal() -> None:
    text = dumps(sample())
    VALIDATOR.validate(json.loads(text))
    snapshot, problems = parse_snapshot(text, "upstream.json")
    assert problems == []
    assert snapshot == sample()


def test_the_written_file_is_sorted_whatever_order_the_records_came_in() -> None:
    shuffled = Snapshot(sample().generated, dict(reversed(list(sample().records.items()))))
    text = dumps(shuffled)
    assert text == dumps(sample())
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert list(data["repositories"]) == sorted(data["repositories"])
    assert text.endswith("}\n")


def test_writing_the_same_snapshot_again_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "_data" / "upstream.json"
    assert write_snapshot(path, sample()) is True
    before = path.stat().st_mtime_ns, path.read_bytes()
    assert write_snapshot(path, sample()) is False
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert [p.name for p in path.parent.iterdir()] == ["upstream.json"]  # no temporary left


# -- reader: exact problems ------------------------------------------------------------------------


def problems_of(text: str, known: dict[str, set[str]] | None = None) -> list[tuple[int, str]]:
    _, problems = parse_snapshot(text, "upstream.json", known)
    assert all(p.file == "upstream.json" for p in problems)
    return [(p.line, p.code) for p in problems]


def test_no_file_is_no_snapshot_and_no_problem(tmp_path: Path) -> None:
    assert read_snapshot(tmp_path / "missing.json") == (None, [])


def test_malformed_json_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "upstream.json"
    path.write_text('{\n  "schema": 1,\n  "generated": "2026-03-01T09:30:00Z"\n  "x": 1\n}\n')
    snapshot, problems = read_snapshot(path, shown="source/_data/upstream.json")
    assert snapshot is None
    assert [(p.file, p.line, p.code) for p in problems] == [
        ("source/_data/upstream.json", 4, ProblemCode.MALFORMED)
    ]
    assert "not valid JSON: Expecting ',' delimiter" in problems[0].message
    assert problems[0].format().startswith("source/_data/upstream.json:4: the snapshot is not")


def test_a_file_that_is_not_utf8_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "upstream.json"
    path.write_bytes(b'{"schema": 1, "generated": "\xff"}')
    snapshot, problems = read_snapshot(path)
    assert snapshot is None
    assert [p.code for p in problems] == [ProblemCode.MALFORMED]


@pytest.mark.parametrize(
    ("text", "expected", "says"),
    [
        ("[]", [(1, ProblemCode.MALFORMED)], "not a JSON object"),
        ('{\n"generated": "2026-03-01T09:30:00Z", "repositories": {}}', [(0, ProblemCode.SCHEMA)], "no 'schema'"),
        ('{\n  "schema": 0,\n  "repositories": {}}', [(2, ProblemCode.SCHEMA)], "older than this"),
        ('{\n  "schema": 2,\n  "repositories": {}}', [(2, ProblemCode.SCHEMA)], "upgrade sphinx-fieldnotes"),
        ('{\n  "schema": "1",\n  "repositories": {}}', [(2, ProblemCode.SCHEMA)], "not a version number"),
        ('{"schema": 1,\n "generated": "yesterday",\n "repositories": {}}', [(2, ProblemCode.INVALID)], "not a UTC time"),
        ('{"schema": 1,\n "generated": "2026-02-30T00:00:00Z",\n "repositories": {}}', [(2, ProblemCode.INVALID)], "not a real time"),
        ('{"schema": 1, "generated": "2026-03-01T09:30:00Z",\n "repositories": []}', [(2, ProblemCode.INVALID)], "not an object"),
    ],
)  # fmt: skip
def test_a_file_of_the_wrong_shape_gives_no_snapshot_and_says_why(
    text: str, expected: list[tuple[int, str]], says: str
) -> None:
    snapshot, problems = parse_snapshot(text, "upstream.json")
    assert snapshot is None
    assert [(p.line, p.code) for p in problems] == expected
    assert says in problems[0].message


def record_text(**changes: Any) -> str:
    """A hand-laid file of two records: kube-lego's record starts on line 5."""
    kube_lego = {
        "archived": True,
        "default_branch": "master",
        "entries": {"kube-lego": {"releases_since": None, "studied_version": None}},
        "etags": {"repository": 'W/"b"'},
        "fetched_at": "2026-03-01T09:30:00Z",
        "found": True,
        "host": "github.com",
        "latest_release": None,
        "moved_to": None,
        "pushed_at": "2018-05-01T00:00:00Z",
        "repository": "jetstack/kube-lego",
    }
    helm = dict(kube_lego, repository="helm/helm", archived=False)
    helm["entries"] = {"helm": {"releases_since": None, "studied_version": None}}
    for key, value in changes.items():
        if value is KeyError:
            del kube_lego[key]
        else:
            kube_lego[key] = value
    data = {
        "generated": "2026-03-01T09:30:00Z",
        "repositories": {
            "https://github.com/helm/helm": helm,
            "https://github.com/jetstack/kube-lego": kube_lego,
        },
        "schema": 1,
    }
    return json.dumps(data, indent=2, sort_keys=True)


def line_of(text: str, needle: str, after: str = '"https://github.com/jetstack/kube-lego"') -> int:
    start = text.index(after)
    return text.count("\n", 0, text.index(needle, start)) + 1


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"archived": "yes"}, '"archived"', "'archived' of https://github.com/jetstack/kube-lego is 'yes', not true or false"),
        ({"found": None}, '"found"', "'found' of https://github.com/jetstack/kube-lego is None"),
        ({"pushed_at": "2018-05-01"}, '"pushed_at"', "not a UTC time"),
        ({"moved_to": "elsewhere"}, '"moved_to"', "not a URL"),
        ({"repository": "helm/helm"}, '"https://github.com/jetstack/kube-lego"', "names another repository"),
        ({"etags": {"page2": "x"}}, '"etags"', "must map repository, releases, tags"),
        ({"entries": {"kube-lego": {"releases_since": -1, "studied_version": None}}}, '"releases_since"', "not a count"),
        ({"entries": {"kube-lego": {"releases_since": 1}}}, '"kube-lego": {', "has no 'studied_version'"),
        ({"latest_release": {"tag": "v1", "date": None, "source": "github", "date_source": None, "commit": None}}, '"source"', "not release or tag"),
        ({"latest_release": {"tag": "v1", "date": "2026-01-01T00:00:00Z", "source": "tag", "date_source": None, "commit": None}}, '"date_source"', "when a date is known"),
        ({"latest_release": []}, '"latest_release"', "not an object or null"),
        ({"default_branch": KeyError}, '"https://github.com/jetstack/kube-lego"', "has no 'default_branch'"),
    ],
)  # fmt: skip
def test_a_bad_record_is_left_out_and_reported_at_its_line(
    changes: dict[str, Any], field: str, says: str
) -> None:
    text = record_text(**changes)
    snapshot, problems = parse_snapshot(text, "upstream.json")
    assert snapshot is not None
    assert list(snapshot.records) == ["https://github.com/helm/helm"]  # the other record stays
    assert [(p.line, p.code) for p in problems] == [(line_of(text, field), ProblemCode.INVALID)]
    assert says in problems[0].message
    assert problems[0].message.endswith(
        "the record of https://github.com/jetstack/kube-lego is left out"
    )


def test_unknown_fields_are_reported_and_the_record_kept() -> None:
    text = record_text(stars=5)
    snapshot, problems = parse_snapshot(text, "upstream.json")
    assert snapshot is not None and len(snapshot.records) == 2
    assert [(p.line, p.code) for p in problems] == [(line_of(text, '"stars"'), ProblemCode.INVALID)]
    assert "unknown field 'stars'" in problems[0].message


def test_a_key_that_is_not_a_canonical_repository_url_is_left_out() -> None:
    text = record_text().replace('"https://github.com/helm/helm"', '"https://github.com/Helm/helm"')
    snapshot, problems = parse_snapshot(text, "upstream.json")
    assert snapshot is not None and list(snapshot.records) == [
        "https://github.com/jetstack/kube-lego"
    ]
    assert [(p.line, p.code) for p in problems] == [(4, ProblemCode.INVALID)]
    assert "not written as a repository key (https://github.com/helm/helm)" in problems[0].message


def test_records_and_entries_the_site_no_longer_has_are_stale() -> None:
    text = record_text()
    known = {"https://github.com/jetstack/kube-lego": {"cert-manager"}}
    snapshot, problems = parse_snapshot(text, "upstream.json", known)
    assert snapshot is not None and len(snapshot.records) == 2  # kept: the build decides
    assert [(p.line, p.code) for p in problems] == [
        (4, ProblemCode.STALE),
        (line_of(text, '"kube-lego": {'), ProblemCode.STALE),
    ]
    assert (
        "no project or TODO links to https://github.com/helm/helm any more" in problems[0].message
    )
    assert "the snapshot says 'kube-lego' links to" in problems[1].message
    assert problems_of(text, {k: set(r.entries) for k, r in snapshot.records.items()}) == []


# -- reader: agrees with the schema, never raises ---------------------------------------------


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=12)
    | st.sampled_from(["2026-03-01T09:30:00Z", "https://github.com/a/b", "release", "tag"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(paths(item, (*prefix, key)))
    return found


VALID = json.loads(dumps(sample()))
VALID_PATHS = paths(VALID)[1:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    where=st.sampled_from(VALID_PATHS),
    action=st.sampled_from(["replace", "delete", "add"]),
    value=JSON_VALUES,
)
def test_whatever_the_schema_rejects_the_reader_reports(
    where: tuple[Any, ...], action: str, value: Any
) -> None:
    data = copy.deepcopy(VALID)
    parent = data
    for key in where[:-1]:
        parent = parent[key]
    if action == "replace":
        parent[where[-1]] = value
    elif action == "delete":
        del parent[where[-1]]
    elif isinstance(parent[where[-1]], dict):
        parent[where[-1]]["zz-unknown"] = value
    text = json.dumps(data, indent=2)
    snapshot, problems = parse_snapshot(text, "upstream.json")  # never raises
    if not VALIDATOR.is_valid(data):
        assert problems, f"schema rejects, reader accepts: {where} {action} {value!r}"
    if not problems:
        assert snapshot is not None


@pytest.mark.parametrize(
    "text", ["", "null", "1", '"x"', "{" * 5000, '{"schema": 1e999}', "\ufeff{}"]
)
def test_the_reader_never_raises(text: str) -> None:
    snapshot, problems = parse_snapshot(text, "upstream.json")
    assert snapshot is None
    assert problems and problems[0].code in (ProblemCode.MALFORMED, ProblemCode.SCHEMA)
