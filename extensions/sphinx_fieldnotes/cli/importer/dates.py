"""What a legacy date line says: ``*Date: 06/02/2018, kops v1.5.3, Kubernetes v1.7*`` (or the
text after ``Update on``) split into an ISO date, a version, a Kubernetes version and a status."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from sphinx_fieldnotes.vocabulary import STATUSES, UNRELEASED

_DATE_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_MONTH_MY = re.compile(r"^(\d{1,2})/(\d{4})$")
_MONTH_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_DATED = re.compile(r"^\d{1,4}[/-]\d{1,2}(?:[/-]\d{1,4})?$")
# Status words written bare after the date or as a heading prefix (KEP stages) that are not
# statuses themselves: ``stable`` is a released feature, a ``design`` has no release yet, and a
# ``closed`` proposal was given up.
_STATUS_WORDS = {
    "stable": "released",
    "ga": "released",
    "design": "unreleased",
    "closed": "archived",
}
_KUBERNETES_NAMES = ("kubernetes", "k8s", "kube")
_KUBE = re.compile(r"^(?:kubernetes|k8s|kube)\s*v?\s*(\d+\.\d+(?:\.\d+)?)$", re.I)
_STATUS = re.compile(r"^(?:project\s+)?status\s*:?\s*(?P<status>[\w-]+)$", re.I)
_NO_RELEASE = re.compile(r"^(?:no\s+release|not\s+released|unreleased)$", re.I)
_VERSION = re.compile(
    r"^(?:(?P<prefix>[A-Za-z][\w.-]*)\s+)?(?P<v>v)?\s*"
    r"(?P<num>\d+(?:\.\d+)*(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$",
    re.I,
)

_NAMES_VERSION = re.compile(r"\bv\d", re.I)
_TRAILING_VERSION = re.compile(r"\sv\d+(?:\.\d+)*$", re.I)


@dataclass
class DateLine:
    """What one ``*Date: ...*`` or ``*Update on ...*`` line says."""

    date: str | None  # ISO, or None when the line has no parseable date
    version: str | None  # None when the line says nothing about the version
    kubernetes: str | None = None
    status: str | None = None
    unparsed: list[str] = field(default_factory=list)  # parts nothing matched
    worded: list[str] = field(default_factory=list)  # parts whose words are kept, version read
    raw_date: str | None = None  # the date text as written, when it did not parse


def parse_date_line(rest: str) -> DateLine:
    """Parse the text after ``Date:`` or ``Update on``: ``06/02/2018, kops v1.5.3, ...``."""
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    result = DateLine(date=None, version=None)
    if not parts:
        return result
    _read_first_part(parts[0], result)
    for part in parts[1:]:
        _read_part(part, result)
    return result


def _read_first_part(part: str, result: DateLine) -> None:
    """The date; or, when the line records none, its version (``*Update on v1.2*``) or words."""
    result.date = iso(part)
    if result.date is not None:
        return
    if (version := _version(part)) is not None and version.startswith("v"):
        result.version = version  # a version and no date: the date stays unrecorded
    elif _NAMES_VERSION.search(part):
        result.unparsed.append(part)  # ``dex v2.3.0 -> v2.6.1``: no date, the words kept
    else:
        result.raw_date = part


def looks_dated(rest: str) -> bool:
    """Whether the text after ``Update on`` starts with something shaped like a date, or with a
    version (an update that records its version but not its date)."""
    first = rest.split(",", 1)[0].strip()
    return bool(_DATED.match(first)) or (_version(first) or "").startswith("v")


def status_word(word: str) -> str | None:
    """The status a word of the notes names (``beta``, ``stable``, ``design``), or None."""
    word = word.strip().lower()
    if word in STATUSES:
        return word
    return _STATUS_WORDS.get(word)


def iso(text: str) -> str | None:
    """``MM/DD/YYYY`` or ``YYYY/MM/DD`` (or ISO) to ISO ``YYYY-MM-DD``, ``MM/YYYY`` to the month
    ``YYYY-MM`` (never a guessed day); None when it is not a real calendar day or month."""
    text = text.strip()
    if m := _MONTH_MY.match(text):
        return _month(int(m.group(2)), int(m.group(1)))
    if m := _MONTH_ISO.match(text):
        return _month(int(m.group(1)), int(m.group(2)))
    if m := _DATE_MDY.match(text):
        month, day, year = (int(g) for g in m.groups())
    elif m := _DATE_ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None


def _read_part(part: str, result: DateLine) -> None:
    """Record what one comma-separated part after the date says, or that nothing matched it."""
    if _NO_RELEASE.match(part):
        result.version = UNRELEASED
    elif m := _KUBE.match(part):
        result.kubernetes = m.group(1)
    elif (status := status_word(part)) is not None:
        result.status = status
    elif m := _STATUS.match(part):
        status = m.group("status").lower()
        if status in STATUSES:
            result.status = status
        else:
            result.unparsed.append(part)
    elif (version := _version(part)) is not None:
        result.version = version
    else:
        # ``project release v17.04``, ``changes since v0.0.6``: the words stay in the body, and a
        # version they end with is the line's version when no other part gives one.
        trailing = _TRAILING_VERSION.search(part)
        if trailing and result.version is None and "since" not in part.lower():
            result.version = _version(trailing.group(0).strip())
            result.worded.append(part)
        else:
            result.unparsed.append(part)


def _version(part: str) -> str | None:
    """``kops v1.5.3`` or ``v 1.3.1`` as ``v1.5.3`` / ``v1.3.1``; None for anything else."""
    m = _VERSION.match(part)
    if not m or (m.group("prefix") or "").lower() in _KUBERNETES_NAMES:
        return None
    v = m.group("v") or (m.group("prefix") or "").lower() == "v"
    if not v and "." not in m.group("num"):
        return None  # a bare number (``2018``) is no version; ``v1`` is
    return ("v" if v else "") + m.group("num")
