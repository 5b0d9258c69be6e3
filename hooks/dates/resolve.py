"""Which date a page shows as "Last Updated", and why."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from hooks.dates.git import GitHistory

GIT = "git"
FRONT_MATTER = "front matter"
UNCOMMITTED = "uncommitted changes"
BUILD_DATE = "build date"


@dataclass(frozen=True)
class PageDate:
    date: dt.date
    source: str
    fallback_reason: str | None = None  # set when git could not give a trustworthy date


def as_date(value: object) -> dt.date | None:
    """A front-matter date: YAML's date, or the same written as a quoted 'YYYY-MM-DD' string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def build_date() -> dt.date:
    """Today in UTC, or SOURCE_DATE_EPOCH's date for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def page_date(src_uri: str, front_matter: dt.date | None, history: GitHistory, today: dt.date) -> PageDate:
    if front_matter is not None:
        return PageDate(front_matter, FRONT_MATTER)
    if history.unavailable:
        return PageDate(today, BUILD_DATE, history.unavailable)
    if src_uri in history.uncommitted:
        # The page is being changed now, so today is its real last-changed date.
        return PageDate(today, UNCOMMITTED)
    date = history.last_changed.get(src_uri)
    if date is None:
        return PageDate(today, BUILD_DATE, "not in git history")
    if history.last_commit.get(src_uri) in history.shallow_boundary:
        return PageDate(today, BUILD_DATE, "shallow clone: the page's last change is older than the fetched history")
    return PageDate(date, GIT)
