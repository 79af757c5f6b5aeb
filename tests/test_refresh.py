"""``fieldnotes refresh`` against a loopback server that answers like GitHub's REST API.

Every request goes to 127.0.0.1 (:mod:`github_server`); the client is the real httpx with the
real tenacity retries. Request counts are asserted exactly: they are what a refresh costs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from github_server import Answer, FakeGitHub, load_fixture, rate_limited_body
from sites import run_command
from sphinx_fieldnotes.upstream.github import FetchSettings
from sphinx_fieldnotes.upstream.hosts import parse_repository_url
from sphinx_fieldnotes.upstream.refresh import RefreshResult, refresh
from sphinx_fieldnotes.upstream.site import Target
from sphinx_fieldnotes.upstream.snapshot import (
    SCHEMA_PATH,
    LatestRelease,
    Snapshot,
    dumps,
    parse_snapshot,
    read_snapshot,
)

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "upstream" / "shipped-site.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
TOKEN = "ghp_test0123456789abcdefTOKEN"


@pytest.fixture
def api() -> Any:
    with FakeGitHub() as server:
        yield server


def fetch_settings(api: FakeGitHub, **changes: Any) -> FetchSettings:
    # backoff 0: a retried 502 is asked again at once (no sleep in a test)
    return FetchSettings(**{"api_url": api.url, "timeout": 5.0, "backoff": 0.0, **changes})


def target(url: str, **studied: str | None) -> Target:
    return Target(parse_repository_url(url), {k.replace("_", "-"): v for k, v in studied.items()})


def run(
    api: FakeGitHub,
    targets: list[Target],
    old: Snapshot | None = None,
    now: dt.datetime = NOW,
    **options: Any,
) -> RefreshResult:
    settings = options.pop("settings", None) or fetch_settings(api)
    result = refresh(targets, old, settings, now=now, **options)
    jsonschema.validate(json.loads(dumps(result.snapshot)), SCHEMA)
    return result


def statuses(result: RefreshResult) -> dict[str, str]:
    return {o.key.removeprefix("https://github.com/"): o.status for o in result.outcomes}


MULTUS = "https://github.com/intel/multus-cni"
KUBE_LEGO = "https://github.com/jetstack/kube-lego"
HELM = "https://github.com/helm/helm"


def add_multus(api: FakeGitHub) -> None:
    api.add(
        "k8snetworkplumbingwg/multus-cni",
        releases=[
            ("v4.1.0", "2025-03-02T10:00:00Z"),
            ("v4.1.0-rc.1", "2025-02-01T10:00:00Z"),
            ("v4.0", "2024-01-01T00:00:00Z"),
            ("v3.9.3", "2024-06-01T00:00:00Z"),  # a backport, published after v4.0
            ("v3.1", "2018-12-01T00:00:00Z"),
        ],
        prereleases=frozenset({"v4.1.0-rc.1"}),
    )
    api.rename("intel/multus-cni", "k8snetworkplumbingwg/multus-cni")


# -- one refresh, then another ------------------------------------------------------------------


def test_first_and_second_refresh_cost_and_find_what_the_api_says(api: FakeGitHub) -> None:
    add_multus(api)
    api.add(
        "jetstack/kube-lego",
        archived=True,
        tags=[
            ("0.1.6", "b" * 40, "2018-02-01T09:00:00Z"),
            ("0.1.7", "a" * 40, "2018-04-25T09:00:00Z"),
            ("latest", "c" * 40, "2018-04-25T09:00:00Z"),
        ],
    )
    api.add("helm/helm", default_branch="main", releases=[("v3.17.1", "2025-02-12T18:00:00Z")])
    targets = [target(MULTUS, multus_cni="v3.1"), target(KUBE_LEGO, kube_lego=None), target(HELM)]

    first = run(api, targets)
    assert statuses(first) == {"helm/helm": "new", "intel/multus-cni": "new", "jetstack/kube-lego": "new"}  # fmt: skip
    # helm: repo + releases; multus: 301 + repo + releases; kube-lego: repo + releases (none)
    # + tags + the newest tag's commit
    assert (first.requests, dict(first.statuses)) == (9, {200: 8, 301: 1})
    assert api.statuses() == {200: 8, 301: 1}

    multus = first.snapshot.records[MULTUS]
    assert multus.moved_to == "https://github.com/k8snetworkplumbingwg/multus-cni"
    assert multus.archived is False
    assert multus.latest_release == LatestRelease(
        "v4.1.0", "2025-03-02T10:00:00Z", "release", "published"
    )
    # v4.0 and v4.1.0 are above v3.1 (and so is the backport v3.9.3); the rc is not counted
    assert multus.entries["multus-cni"].releases_since == 3
    lego = first.snapshot.records[KUBE_LEGO]
    assert lego.archived is True
    assert lego.latest_release == LatestRelease(
        "0.1.7", "2018-04-25T09:00:00Z", "tag", "commit", "a" * 40
    )
    assert first.snapshot.records[HELM].default_branch == "main"
    assert first.snapshot.generated == "2026-03-01T09:30:00Z"

    api.forget()
    second = run(api, targets, first.snapshot, NOW + dt.timedelta(days=3))
    assert statuses(second) == {k: "unchanged" for k in statuses(first)}
    # Every answer a 304: the moved repository is asked at its new name, the commit not at all.
    assert (second.requests, dict(second.statuses)) == (7, {304: 7})
    assert [s.path for s in api.requests() if s.path.startswith("/repos/k8snetworkplumbingwg")] == [
        "/repos/k8snetworkplumbingwg/multus-cni",
        "/repos/k8snetworkplumbingwg/multus-cni/releases",
    ]
    assert all(s.if_none_match for s in api.requests())
    assert dumps(second.snapshot) == dumps(first.snapshot)  # byte-identical, dates and all


def test_a_changed_upstream_changes_its_record_only(api: FakeGitHub) -> None:
    add_multus(api)
    api.add("helm/helm", releases=[("v3.17.1", "2025-02-12T18:00:00Z")])
    targets = [target(MULTUS, multus_cni="v3.1"), target(HELM, helm="v3.17.1")]
    first = run(api, targets)
    repository = api.repositories["helm/helm"]
    repository.releases.insert(0, dict(repository.releases[0], tag_name="v3.18.0"))
    repository.repo["archived"] = True
    later = NOW + dt.timedelta(days=1)
    second = run(api, targets, first.snapshot, later)
    assert statuses(second) == {"helm/helm": "updated", "intel/multus-cni": "unchanged"}
    helm = second.snapshot.records[HELM]
    assert (helm.archived, helm.latest_release and helm.latest_release.tag) == (True, "v3.18.0")
    assert helm.entries["helm"].releases_since == 1
    assert helm.fetched_at == second.snapshot.generated == "2026-03-02T09:30:00Z"
    assert second.snapshot.records[MULTUS] == first.snapshot.records[MULTUS]


def test_a_changed_studied_version_asks_for_the_releases_unconditionally(api: FakeGitHub) -> None:
    add_multus(api)
    first = run(api, [target(MULTUS, multus_cni="v3.1")])
    api.forget()
    second = run(api, [target(MULTUS, multus_cni="v4.0")], first.snapshot)
    releases = api.requests("/repos/k8snetworkplumbingwg/multus-cni/releases")
    assert [(s.if_none_match, s.status) for s in releases] == [(None, 200)]
    assert second.snapshot.records[MULTUS].entries["multus-cni"].releases_since == 1


# -- what repositories look like ------------------------------------------------------------------


def test_a_repository_without_releases_or_tags_has_no_latest_release(api: FakeGitHub) -> None:
    api.add("atlassian/smith", archived=True)
    result = run(api, [target("https://github.com/atlassian/smith", smith="unreleased")])
    record = result.snapshot.records["https://github.com/atlassian/smith"]
    assert (record.latest_release, record.entries["smith"].releases_since) == (None, 0)
    assert [s.path for s in api.requests()] == [
        "/repos/atlassian/smith",
        "/repos/atlassian/smith/releases",
        "/repos/atlassian/smith/tags",
    ]


def test_a_deleted_repository_is_recorded_as_not_found(api: FakeGitHub) -> None:
    result = run(api, [target("https://github.com/kaptaind/kaptaind", kaptaind=None)])
    record = result.snapshot.records["https://github.com/kaptaind/kaptaind"]
    assert (record.found, record.archived, record.latest_release) == (False, None, None)
    assert result.outcomes[0].detail == "not found (404): deleted or private"
    again = run(api, [target("https://github.com/kaptaind/kaptaind", kaptaind=None)], result.snapshot, NOW + dt.timedelta(days=1))  # fmt: skip
    assert dumps(again.snapshot) == dumps(result.snapshot)


def test_long_release_lists_are_paged_until_the_studied_version_is_found(api: FakeGitHub) -> None:
    tags = [f"v1.{minor}.{patch}" for minor in range(30, 0, -1) for patch in range(4, -1, -1)]
    api.add("kubernetes/kops", releases=[(t, "2025-01-01T00:00:00Z") for t in tags])
    kops = "https://github.com/kubernetes/kops"
    result = run(api, [target(kops, kops="v1.5.3")])
    pages = [s.query.get("page", "1") for s in api.requests("/repos/kubernetes/kops/releases")]
    assert pages == ["1", "2"]  # of 2: v1.5.3 is the 129th release
    assert result.snapshot.records[kops].entries["kops"].releases_since == tags.index("v1.5.3")
    api.forget()
    run(api, [target(kops, kops="v1.30.4")])
    assert len(api.requests("/repos/kubernetes/kops/releases")) == 1  # found on page 1


def test_pages_on_another_origin_are_not_followed(api: FakeGitHub) -> None:
    with FakeGitHub() as elsewhere:
        api.add("helm/helm", releases=[("v3.17.1", "2025-02-12T18:00:00Z")])
        link = f'<{elsewhere.url}/repos/helm/helm/releases?page=2>; rel="next"'
        body = [api.repositories["helm/helm"].releases[0]]
        api.on("/repos/helm/helm/releases", Answer(200, body, {"Link": link}))
        settings = fetch_settings(api, token=TOKEN)
        result = run(api, [target(HELM, helm="v2.0")], settings=settings)
        assert elsewhere.requests() == []  # the token never went there
    assert result.snapshot.records[HELM].entries["helm"].releases_since is None


# -- the network misbehaving ----------------------------------------------------------------------


def test_the_token_is_sent_on_every_request_and_written_nowhere(api: FakeGitHub) -> None:
    add_multus(api)
    api.on("/repos/helm/helm", Answer(500, {"message": f"echo {TOKEN}"}))
    result = run(api, [target(MULTUS), target(HELM)], settings=fetch_settings(api, token=TOKEN))
    assert {s.authorization for s in api.requests()} == {f"Bearer {TOKEN}"}  # redirect included
    assert TOKEN not in dumps(result.snapshot)
    assert TOKEN not in repr(fetch_settings(api, token=TOKEN))
    failed = [o for o in result.outcomes if o.status == "failed"]
    assert [o.detail for o in failed] == ["GET /repos/helm/helm: HTTP 500 echo [GITHUB_TOKEN]"]


def test_a_secondary_rate_limit_with_a_short_retry_after_is_waited_out(api: FakeGitHub) -> None:
    api.add("helm/helm", releases=[("v3.17.1", "2025-02-12T18:00:00Z")])
    api.on(
        "/repos/helm/helm", Answer(429, {"message": "secondary rate limit"}, {"Retry-After": "0"})
    )
    result = run(api, [target(HELM)])
    assert statuses(result) == {"helm/helm": "new"}
    assert [s.status for s in api.requests("/repos/helm/helm")] == [429, 200, 200]


def test_a_limit_that_persists_after_short_waits_stops_the_run(api: FakeGitHub) -> None:
    api.add("helm/helm")
    api.on(
        "/repos/helm/helm", Answer(429, {"message": "slow down"}, {"Retry-After": "0"}, times=None)
    )
    result = run(api, [target(HELM)])
    assert result.stopped is not None
    assert (
        "the API rate limit (limit 5000 requests an hour) still limits after 3 tries"
        in result.stopped
    )
    assert [s.status for s in api.requests()] == [429, 429, 429]


def test_an_exhausted_quota_that_resets_now_is_waited_out(api: FakeGitHub) -> None:
    api.add("helm/helm", releases=[("v3.17.1", "2025-02-12T18:00:00Z")])
    reset = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) - 1)}
    api.on("/repos/helm/helm/releases", Answer(403, rate_limited_body(), reset))
    result = run(api, [target(HELM)])
    assert statuses(result) == {"helm/helm": "new"} and result.stopped is None
    assert [s.status for s in api.requests("/repos/helm/helm/releases")] == [403, 200]


def test_a_limit_that_resets_too_late_stops_the_run_and_keeps_what_was_fetched(
    api: FakeGitHub,
) -> None:
    for name in ("a/one", "b/two", "c/three", "d/four"):
        api.add(name, releases=[("v1.0", "2025-01-01T00:00:00Z")])
    targets = [target(f"https://github.com/{n}") for n in ("a/one", "b/two", "c/three", "d/four")]
    old = run(api, targets[3:]).snapshot  # d/four was fetched by an earlier run
    api.forget()
    api.quota = 4  # two repositories' worth of answers, then 403 with X-RateLimit-Remaining: 0
    result = run(api, targets, old, settings=fetch_settings(api, concurrency=1))
    assert statuses(result) == {
        "a/one": "new",
        "b/two": "new",
        "c/three": "not fetched",
        "d/four": "not fetched",
    }
    assert result.stopped is not None
    # The server's reset is an hour after its clock's current second.
    assert re.match(
        r"stopped: the API rate limit \(limit 5000 requests an hour\) asks to wait 3[56]\d\d s "
        r"\(until \d{4}-\d\d-\d\d \d\d:\d\d UTC\), ",
        result.stopped,
    ), result.stopped
    assert "longer than the 60 s allowed (--max-wait)" in result.stopped
    assert "a token in GITHUB_TOKEN raises the limit" in result.stopped
    assert list(result.snapshot.records) == [f"https://github.com/{n}" for n in ("a/one", "b/two", "d/four")]  # fmt: skip
    assert result.snapshot.records["https://github.com/d/four"] == old.records["https://github.com/d/four"]  # fmt: skip
    assert api.statuses() == {200: 4, 403: 1}  # nothing asked after the stop


def test_a_long_retry_after_stops_the_run(api: FakeGitHub) -> None:
    api.add("helm/helm")
    api.on("/repos/helm/helm", Answer(403, {"message": "You have exceeded a secondary rate limit"}, {"Retry-After": "900"}))  # fmt: skip
    result = run(api, [target(HELM)], settings=fetch_settings(api, max_wait=30))
    assert result.stopped is not None and "longer than the 30 s allowed" in result.stopped
    assert result.snapshot.records == {}


def test_a_forbidden_repository_is_not_a_rate_limit(api: FakeGitHub) -> None:
    api.add("helm/helm")
    api.on("/repos/helm/helm", Answer(403, {"message": "Repository access blocked"}))
    result = run(api, [target(HELM)])
    assert result.stopped is None
    assert result.outcomes[0].detail == "GET /repos/helm/helm: HTTP 403 Repository access blocked"


def test_refused_credentials_stop_the_run_without_showing_them(api: FakeGitHub) -> None:
    api.add("helm/helm")
    api.on("/repos/helm/helm", Answer(401, {"message": "Bad credentials"}))
    result = run(api, [target(HELM)], settings=fetch_settings(api, token=TOKEN))
    assert result.stopped == (
        "stopped: GET /repos/helm/helm: the API refused the credentials (401 Bad credentials): "
        "renew GITHUB_TOKEN or unset it"
    )


def test_a_busy_server_is_asked_again(api: FakeGitHub) -> None:
    api.add("helm/helm")
    api.on("/repos/helm/helm", Answer(502, {"message": "Server Error"}))
    result = run(api, [target(HELM)])
    assert statuses(result) == {"helm/helm": "new"}
    api.on("/repos/helm/helm", Answer(503, {}, times=None))
    failed = run(api, [target(HELM)], result.snapshot)
    assert failed.outcomes[0].detail == "GET /repos/helm/helm: HTTP 503 (tried 3 times)"
    assert failed.snapshot.records == result.snapshot.records  # the old record is kept


def test_a_timeout_fails_that_repository_only_and_keeps_its_old_record(api: FakeGitHub) -> None:
    api.add("helm/helm")
    add_multus(api)
    targets = [target(HELM), target(MULTUS)]
    old = run(api, targets).snapshot
    api.repositories["k8snetworkplumbingwg/multus-cni"].repo["archived"] = True
    api.on("/repos/helm/helm", Answer(200, {}, hang=True))  # answers only when the server stops
    result = run(api, targets, old, NOW + dt.timedelta(days=1), settings=fetch_settings(api, timeout=0.3))  # fmt: skip
    assert statuses(result) == {"helm/helm": "failed", "intel/multus-cni": "updated"}
    assert result.outcomes[0].detail == "GET /repos/helm/helm: no answer within 0.3 s"
    assert result.snapshot.records[HELM] == old.records[HELM]
    assert result.snapshot.records[MULTUS].archived is True


def test_an_answer_that_is_not_json_fails_that_repository(api: FakeGitHub) -> None:
    api.add("helm/helm")
    api.on("/repos/helm/helm", Answer(200, raw=b'{"id": 1, "full_name": '))
    api.add("ksonnet/ksonnet", archived=True)
    api.on("/repos/ksonnet/ksonnet/tags", Answer(200, {"message": "not a list"}))
    result = run(api, [target(HELM), target("https://github.com/ksonnet/ksonnet")])
    details = {o.key: o.detail for o in result.outcomes}
    assert details[HELM].startswith("GET /repos/helm/helm: the answer is not JSON (")
    assert details["https://github.com/ksonnet/ksonnet"] == (
        "GET /repos/ksonnet/ksonnet/tags: the answer is not a JSON array of objects"
    )
    assert result.snapshot.records == {}


# -- what a run asks -----------------------------------------------------------------------------


def test_max_age_skips_fresh_records_unless_the_studied_versions_changed(api: FakeGitHub) -> None:
    api.add("helm/helm", releases=[("v3.17.1", "2025-02-12T18:00:00Z")])
    add_multus(api)
    old = run(api, [target(HELM, helm="v3.17.1"), target(MULTUS, multus_cni="v3.1")]).snapshot
    api.forget()
    later = NOW + dt.timedelta(days=2)
    targets = [target(HELM, helm="v3.17.1"), target(MULTUS, multus_cni="v4.0")]
    result = run(api, targets, old, later, max_age=dt.timedelta(days=7))
    assert statuses(result) == {"helm/helm": "skipped", "intel/multus-cni": "updated"}
    assert {s.path.split("/")[2] for s in api.requests()} == {"k8snetworkplumbingwg"}
    api.forget()
    stale = run(api, targets, result.snapshot, NOW + dt.timedelta(days=8), max_age=dt.timedelta(days=7))  # fmt: skip
    assert statuses(stale) == {"helm/helm": "unchanged", "intel/multus-cni": "skipped"}


def test_only_refreshes_the_named_repositories_and_keeps_the_others(api: FakeGitHub) -> None:
    api.add("helm/helm")
    add_multus(api)
    targets = [target(HELM), target(MULTUS)]
    old = run(api, targets).snapshot
    api.forget()
    api.repositories["helm/helm"].repo["archived"] = True
    api.repositories["k8snetworkplumbingwg/multus-cni"].repo["archived"] = True
    result = run(api, targets, old, only={HELM})
    assert statuses(result) == {"helm/helm": "updated"}
    assert result.snapshot.records[MULTUS] == old.records[MULTUS]
    assert {s.path.split("/")[2] for s in api.requests()} == {"helm"}


def test_records_of_repositories_the_site_no_longer_links_to_are_dropped(api: FakeGitHub) -> None:
    api.add("helm/helm")
    add_multus(api)
    old = run(api, [target(HELM), target(MULTUS)]).snapshot
    result = run(api, [target(HELM)], old, NOW + dt.timedelta(days=1))
    assert list(result.snapshot.records) == [HELM]
    assert result.snapshot.generated == "2026-03-02T09:30:00Z"


# -- the command --------------------------------------------------------------------------------


SITE_CONF = """\
extensions = ["myst_parser", "sphinx_design", "sphinx_fieldnotes"]
myst_enable_extensions = ["colon_fence"]
fieldnotes_today = "2026-01-01"
fieldnotes_upstream_snapshot = "source/_data/upstream.json"
"""

SITE_PAGE = """\
# Networking

::::{project} multus-cni
:url: https://github.com/intel/multus-cni
:date: 2018-06-02
:version: v0.2

Notes.

:::{update}
:date: 2018-12-13
:version: v3.1

More notes.
:::
::::

:::{project} portal
:url: https://gitlab.com/example/portal
:date: 2019-01-01
:version: v1.0
:::

:::{todo-item} helm
:priority: P1
:url: https://github.com/helm/helm/tree/main/docs
:::
"""


def fieldnotes(*args: str, cwd: Path, token: str | None = None) -> subprocess.CompletedProcess[str]:
    """``fieldnotes refresh ARGS``, with no token or API URL from this environment."""
    return run_command(
        "refresh",
        *args,
        cwd=cwd,
        unset=("GITHUB_TOKEN", "GITHUB_API_URL"),
        env={"GITHUB_TOKEN": token} if token else None,
    )


def test_the_command_refreshes_a_site(api: FakeGitHub, tmp_path: Path) -> None:
    add_multus(api)
    api.add("helm/helm", releases=[("v3.17.1", "2025-02-12T18:00:00Z")])
    (tmp_path / "conf.py").write_text(SITE_CONF)
    (tmp_path / "index.md").write_text(SITE_PAGE)
    first = fieldnotes("--api-url", api.url, cwd=tmp_path, token=TOKEN)
    assert first.returncode == 0, first.stdout + first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == (
        "https://gitlab.com/example/portal: unsupported host gitlab.com "
        "(fieldnotes refresh asks GitHub only): not refreshed (portal)"
    )
    assert sorted(lines[1:3]) == [
        "https://github.com/helm/helm: new: latest release v3.17.1, 2025-02-12",
        "https://github.com/intel/multus-cni: new: moved to "
        "https://github.com/k8snetworkplumbingwg/multus-cni; latest release v4.1.0, 2025-03-02",
    ]
    assert lines[3] == (
        "fieldnotes refresh: 2 repositories (2 new); 5 requests (200: 4, 301: 1); "
        "wrote source/_data/upstream.json"
    )
    path = tmp_path / "source" / "_data" / "upstream.json"
    written = path.read_bytes()
    known = {MULTUS: {"multus-cni"}, HELM: {"helm"}}
    snapshot, problems = read_snapshot(path, known)
    assert problems == [] and snapshot is not None
    assert snapshot.records[MULTUS].entries["multus-cni"].studied_version == "v3.1"  # the update's
    assert {s.authorization for s in api.requests()} == {f"Bearer {TOKEN}"}
    assert TOKEN not in first.stdout + first.stderr + written.decode()

    api.forget()
    second = fieldnotes("--api-url", api.url, cwd=tmp_path, token=TOKEN)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.splitlines()[-1] == (
        "fieldnotes refresh: 2 repositories (2 unchanged); 4 requests (304: 4); "
        "source/_data/upstream.json unchanged"
    )
    assert path.read_bytes() == written


def test_the_command_says_what_it_cannot_do(api: FakeGitHub, tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(SITE_CONF)
    (tmp_path / "index.md").write_text(SITE_PAGE)
    unknown = fieldnotes("--api-url", api.url, "--only", "multus", cwd=tmp_path)
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr == (
        "fieldnotes refresh: --only multus: no project or TODO item with a URL has that name "
        "(did you mean 'multus-cni'?)\n"
    )
    (tmp_path / "conf.py").write_text("raise RuntimeError('broken conf')\n")
    broken = fieldnotes("--api-url", api.url, cwd=tmp_path)
    assert broken.returncode == 2
    assert broken.stderr.startswith(f"fieldnotes refresh: cannot read the site at {tmp_path}: ")
    assert "broken conf" in broken.stderr and "Traceback" not in broken.stderr
    assert api.requests() == []


def test_the_command_replaces_a_malformed_snapshot(api: FakeGitHub, tmp_path: Path) -> None:
    api.add("helm/helm")
    (tmp_path / "conf.py").write_text(SITE_CONF)
    (tmp_path / "index.md").write_text("# Tools\n\n:::{todo-item} helm\n:priority: P1\n:url: https://github.com/helm/helm\n:::\n")  # fmt: skip
    path = tmp_path / "upstream.json"
    path.write_text('{"schema": 1,\n "generated": ')
    result = fieldnotes("--api-url", api.url, "--snapshot", "upstream.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "upstream.json:2: the snapshot is not valid JSON: Expecting value "
        "[fieldnotes.upstream-malformed] (the snapshot is written anew)"
    )
    assert parse_snapshot(path.read_text(), "upstream.json")[1] == []


def test_a_stopped_command_writes_what_it_fetched_and_fails(
    api: FakeGitHub, tmp_path: Path
) -> None:
    add_multus(api)
    api.add("helm/helm")
    api.quota = 3  # helm costs 3 answers (repository, no releases, no tags); multus-cni gets 403
    (tmp_path / "conf.py").write_text(SITE_CONF)
    (tmp_path / "index.md").write_text(SITE_PAGE)
    result = fieldnotes("--api-url", api.url, "--concurrency", "1", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith(
        "fieldnotes refresh: stopped: the API rate limit (limit 5000 requests an hour) asks to wait"
    )
    snapshot, _ = read_snapshot(tmp_path / "source" / "_data" / "upstream.json")
    assert snapshot is not None and list(snapshot.records) == [HELM]


# -- the shipped site ----------------------------------------------------------------------------


def test_refreshing_the_shipped_site_costs_few_requests_the_second_time(
    api: FakeGitHub, tmp_path: Path
) -> None:
    """The figures of issue 16: a first and a second refresh of every repository the shipped
    site links to, against the fixture's answers."""
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    load_fixture(api, fixture)
    snapshot = tmp_path / "upstream.json"
    first = fieldnotes("--api-url", api.url, "--snapshot", str(snapshot), cwd=REPO, token=TOKEN)
    assert first.returncode == 0, first.stdout + first.stderr
    # 25 repositories: 25 repository answers (24 found, kaptaind/kaptaind 404) and 7 redirects
    # (renamed or transferred); 24 release lists, kops's on 2 pages; 7 tag lists for those that
    # publish no releases; 2 commits, the dates of the newest tags of the 2 that have tags.
    assert first.stdout.splitlines()[-1] == (
        f"fieldnotes refresh: 25 repositories (25 new); 66 requests (200: 58, 301: 7, 404: 1); "
        f"wrote {snapshot}"
    )
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    records = data["repositories"]
    assert sorted(k for k, r in records.items() if r["moved_to"]) == [
        "https://github.com/directxman12/k8s-prometheus-adapter",
        "https://github.com/google/metallb",
        "https://github.com/googlecloudplatform/metacontroller",
        "https://github.com/huawei-paas/cni-genie",
        "https://github.com/intel/multus-cni",
        "https://github.com/kubernetes/contrib",
        "https://github.com/kubespray/kargo-cli",
    ]
    since = {
        name: entry["releases_since"]
        for record in records.values()
        for name, entry in record["entries"].items()
        if entry["studied_version"]
    }
    assert since == {
        "addon-resizer": 2,  # unreleased: both addon-resizer-* releases of the monorepo
        "draft": 2,  # unreleased: every release
        "kargo": 2,
        "kismatic": 2,
        "kops": 130,  # v1.5.3 is on the second page; v1.31.4 is a pre-release
        "ksonnet": 6,
        "multus-cni": 6,
        "node problem detector": 3,
        "resorcerer": 0,  # unreleased, and still no release
        "virtlet": 3,
        "virtual-kubelet": 3,
    }
    assert TOKEN not in first.stdout + first.stderr + snapshot.read_text()

    written = snapshot.read_bytes()
    api.forget()
    second = fieldnotes("--api-url", api.url, "--snapshot", str(snapshot), cwd=REPO, token=TOKEN)
    assert second.returncode == 0, second.stdout + second.stderr
    # 24 repositories (at their new names), 24 release lists (first pages) and 7 tag lists
    # answer 304; the 404 is asked again; no redirect, no second page, no commit.
    assert second.stdout.splitlines()[-1] == (
        f"fieldnotes refresh: 25 repositories (25 unchanged); 56 requests (304: 55, 404: 1); "
        f"{snapshot} unchanged"
    )
    assert snapshot.read_bytes() == written


def on_a_terminal(*args: str, cwd: Path, env: dict[str, str]) -> str:
    """What the command shows on a 100-column terminal (a pseudo-terminal, as a person's)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    with subprocess.Popen(
        [sys.executable, "-m", "sphinx_fieldnotes", "refresh", *args],
        cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave,
    ) as process:  # fmt: skip
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the command closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        process.wait(timeout=300)
    os.close(master)
    return shown.decode("utf-8", "replace")


def test_a_terminal_gets_a_progress_bar_and_ci_gets_lines(api: FakeGitHub, tmp_path: Path) -> None:
    add_multus(api)
    api.add("helm/helm")
    (tmp_path / "conf.py").write_text(SITE_CONF)
    (tmp_path / "index.md").write_text(SITE_PAGE)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_TOKEN", "GITHUB_API_URL")}
    bar = on_a_terminal("--api-url", api.url, "--snapshot", "a.json", cwd=tmp_path, env=env)
    assert "\rfieldnotes refresh:   0%|" in bar and "| 0/2 [00:00<?, ?repo/s]" in bar
    assert "new: moved to" not in bar  # no line per repository
    assert "fieldnotes refresh: 2 repositories (2 new)" in bar
    lines = on_a_terminal("--api-url", api.url, "--snapshot", "b.json", cwd=tmp_path, env={**env, "CI": "true"})  # fmt: skip
    assert "%|" not in lines
    assert "https://github.com/helm/helm: new: no release or tag\r\n" in lines


def test_the_command_imports_neither_sphinx_nor_the_http_client_until_it_runs() -> None:
    probe = (
        "import sys, sphinx_fieldnotes.__main__, sphinx_fieldnotes.cli.refresh, "
        "sphinx_fieldnotes.upstream.snapshot\n"
        "print(sorted(m for m in ('sphinx', 'httpx', 'tenacity', 'tqdm') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"
