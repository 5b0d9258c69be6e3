"""The rows of the page-status page, in the order a team lead works through them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    title: str
    url: str
    owner: str
    review: str
    last_updated: dt.date | None
    next_review: dt.date | None
    days_past_due: int         # as of the build (negative: days left); the browser works it out again

    @property
    def state(self) -> str:
        if self.next_review is None:
            return "unknown"
        return "overdue" if self.days_past_due > 0 else "today" if self.days_past_due == 0 else "current"


def status_rows(rows: list[Row]) -> list[Row]:
    """Earliest review date first, so overdue pages lead, the most overdue at the top; pages
    without a review date (a broken front matter, reported elsewhere) last."""
    return sorted(rows, key=lambda row: (row.next_review is None, row.next_review or dt.date.max, row.title.lower()))


def front_matter(today: dt.date) -> str:
    """The generated page's front matter: valid like any page's, dated by the build that wrote it."""
    return ("---\n"
            "title: Page Status\n"
            "description: Every page of the portal with its owner, last update and next review date, overdue pages first.\n"
            "owner: Support Team Lead\n"
            "review: weekly\n"
            "tags: [page-status]\n"
            f"last_updated: {today.isoformat()}\n"
            "hide: [navigation, toc]\n"
            "search:\n"
            "  exclude: true\n"
            "---\n")
