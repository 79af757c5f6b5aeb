"""How the upstream snapshot's state of an entry reads: on the entry, in listings, in the review
queue. Only what the record says is shown; the snapshot's day says how old it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_fieldnotes.i18n import _, ngettext

if TYPE_CHECKING:
    from sphinx_fieldnotes.upstream_view import Upstream

# A phrase, or a phrase that ends with a link to a URL ("moved to <URL>").
Phrase = str | tuple[str, str]


def phrases(upstream: Upstream) -> list[Phrase]:
    """What the record says, most telling first."""
    record = upstream.record
    if not record.found:
        return [_("not found (404): deleted or private")]
    said: list[Phrase] = []
    if record.archived:
        said.append(
            _("archived upstream; last push {date}").format(date=record.pushed_at[:10])
            if record.pushed_at
            else _("archived upstream")
        )
    if record.moved_to:
        said.append((_("moved to"), record.moved_to))
    said.append(_latest(upstream))
    if upstream.releases_since is not None:
        said.append(
            ngettext(
                "{count} release since the version studied",
                "{count} releases since the version studied",
                upstream.releases_since,
            ).format(count=upstream.releases_since)
        )
    return said


def _latest(upstream: Upstream) -> str:
    latest = upstream.record.latest_release
    if latest is None:
        return _("no release or tag")
    if latest.source == "tag":
        if latest.date:
            return _("latest tag {tag}, {date}").format(tag=latest.tag, date=latest.date[:10])
        return _("latest tag {tag}").format(tag=latest.tag)
    if latest.date:
        return _("latest {tag}, {date}").format(tag=latest.tag, date=latest.date[:10])
    return _("latest {tag}").format(tag=latest.tag)


def lead(upstream: Upstream) -> str:
    return _("upstream, as of {date}:").format(date=upstream.as_of)


def upstream_line(upstream: Upstream) -> nodes.inline:
    """The entry's line: "upstream, as of 2026-03-01: archived upstream; …; moved to <link>"."""
    line = nodes.inline("", "", classes=["fieldnotes-upstream"])
    line += nodes.Text(lead(upstream) + " ")
    for index, phrase in enumerate(phrases(upstream)):
        if index:
            line += nodes.Text("; ")
        if isinstance(phrase, str):
            line += nodes.Text(phrase)
        else:
            words, url = phrase
            line += [nodes.Text(words + " "), nodes.reference(url, url, refuri=url)]
    return line


def upstream_text(upstream: Upstream) -> str:
    """The same as plain text, for a listing's cell."""
    said = [p if isinstance(p, str) else f"{p[0]} {p[1]}" for p in phrases(upstream)]
    return f"{lead(upstream)} {'; '.join(said)}"


def review_reasons(upstream: Upstream | None, behind_threshold: int) -> list[str]:
    """Why the snapshot puts a project in the review queue."""
    if upstream is None:
        return []
    record = upstream.record
    if not record.found:
        return [_("not found upstream (404)")]
    reasons = []
    if record.archived:
        reasons.append(_("archived upstream"))
    if record.moved_to:
        reasons.append(_("moved upstream to {url}").format(url=record.moved_to))
    behind = upstream.releases_since
    if behind is not None and behind >= behind_threshold:
        reasons.append(
            ngettext(
                "{count} release behind upstream", "{count} releases behind upstream", behind
            ).format(count=behind)
        )
    return reasons
