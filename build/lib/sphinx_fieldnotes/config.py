"""The ``fieldnotes_*`` configuration values, declared once and validated at ``config-inited``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError
from sphinx.util import logging

from sphinx_fieldnotes import vocabulary

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FieldnotesConfig:
    """Validated settings; each field is the conf.py value ``fieldnotes_<name>``."""

    statuses: tuple[str, ...] = field(
        default=vocabulary.STATUSES, metadata={"doc": "Accepted ``:status:`` values."}
    )
    priorities: tuple[str, ...] = field(
        default=vocabulary.PRIORITIES,
        metadata={"doc": "Accepted ``:priority:`` values, most urgent first."},
    )
    stale_after_days: int = field(
        default=730, metadata={"doc": "Age in days after which a note joins the review queue."}
    )
    today: str | None = field(
        default=None,
        metadata={"doc": "ISO date used as today when ``SOURCE_DATE_EPOCH`` is not set."},
    )
    json_export: str = field(
        default="fieldnotes.json",
        metadata={"doc": "File name of the JSON export in the HTML output ('' disables it)."},
    )
    feed: str = field(
        default="feed.xml",
        metadata={
            "doc": "File name of the Atom feed of new notes and updates in the HTML output "
            "('' disables it)."
        },
    )
    feed_length: int = field(
        default=50,
        metadata={"doc": "How many of the newest notes and updates the Atom feed lists."},
    )
    site_url: str = field(
        default="",
        metadata={
            "doc": "Absolute URL the site is published at, for absolute links in the feed "
            "(defaults to ``html_baseurl``)."
        },
    )
    freeze_read_doctrees: bool = field(
        default=True,
        metadata={
            "doc": "Keep Python's cycle collector from rescanning the doctrees Sphinx holds "
            "between reading and writing (``gc.freeze``; see the Performance page).",
            "rebuild": "",
        },
    )

    def __post_init__(self) -> None:
        for name in ("statuses", "priorities"):
            values = getattr(self, name)
            if not values or not all(isinstance(v, str) and v.strip() for v in values):
                raise ConfigError(f"fieldnotes_{name} must be a non-empty list of names")
            object.__setattr__(self, name, tuple(v.strip() for v in values))
        if isinstance(self.stale_after_days, bool) or not isinstance(self.stale_after_days, int):
            raise ConfigError("fieldnotes_stale_after_days must be a whole number of days")
        if self.stale_after_days < 0:
            raise ConfigError("fieldnotes_stale_after_days must not be negative")
        if isinstance(self.feed_length, bool) or not isinstance(self.feed_length, int):
            raise ConfigError("fieldnotes_feed_length must be a whole number")
        if self.feed_length < 1:
            raise ConfigError("fieldnotes_feed_length must be at least 1")
        if not isinstance(self.freeze_read_doctrees, bool):
            raise ConfigError("fieldnotes_freeze_read_doctrees must be True or False")
        for name in ("feed", "site_url"):
            if not isinstance(getattr(self, name), str):
                raise ConfigError(f"fieldnotes_{name} must be a string")
        if self.site_url and not re.match(r"https?://[^/\s]+", self.site_url):
            raise ConfigError(f"fieldnotes_site_url must be an http(s) URL, not {self.site_url!r}")
        if self.today is not None:
            try:
                dt.date.fromisoformat(str(self.today))
            except ValueError:
                raise ConfigError(
                    f"fieldnotes_today must be an ISO date YYYY-MM-DD, not {self.today!r}"
                ) from None
            object.__setattr__(self, "today", str(self.today))

    def resolve_today(self) -> dt.date:
        """Today for the build: ``SOURCE_DATE_EPOCH``, else ``fieldnotes_today``, else the clock."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            try:
                return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
            except (ValueError, OverflowError, OSError):
                raise ConfigError(f"SOURCE_DATE_EPOCH must be a Unix time, not {epoch!r}") from None
        if self.today:
            return dt.date.fromisoformat(self.today)
        return dt.date.today()


def add_config_values(app: Sphinx) -> None:
    for spec in dataclasses.fields(FieldnotesConfig):
        default: Any = spec.default
        if isinstance(default, tuple):
            default = list(default)
        rebuild = spec.metadata.get("rebuild", "env")
        app.add_config_value(f"fieldnotes_{spec.name}", default, rebuild)


def load(app: Sphinx, config: Config) -> None:
    """``config-inited``: validate once and keep the result on the app."""
    values = {
        spec.name: config[f"fieldnotes_{spec.name}"]
        for spec in dataclasses.fields(FieldnotesConfig)
    }
    try:
        settings = FieldnotesConfig(**values)
        settings.resolve_today()  # fail early on a bad SOURCE_DATE_EPOCH
    except ConfigError as error:
        # Raised here, Sphinx would print a traceback for a typo in conf.py. Report it as an error
        # instead; the build goes on with the defaults and then exits non-zero.
        logger.error("configuration error: %s", error)
        app.fieldnotes_config_error = True  # type: ignore[attr-defined]
        settings = FieldnotesConfig()
    app.fieldnotes_config = settings  # type: ignore[attr-defined]


def get(app: Sphinx) -> FieldnotesConfig:
    settings: FieldnotesConfig = app.fieldnotes_config  # type: ignore[attr-defined]
    return settings
