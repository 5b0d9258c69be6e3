"""MkDocs events for review dates: stamp each page's next review, list the overdue ones.

Overdue is information, not a failure: the page shows a banner and the build prints the
list, but a stale page never blocks an urgent fix to another one.
"""
from __future__ import annotations

import datetime as dt

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.dates.hook import Dates
from hooks.report import Report, log
from hooks.review.schedule import CADENCES, days_overdue, next_review


class Review:
    def __init__(self, report: Report, dates: Dates) -> None:
        self.report = report
        self.dates = dates
        self._due: dict[str, dt.date] = {}
        self._overdue: dict[str, tuple[str, int, str]] = {}

    def next_review(self, page: Page) -> dt.date | None:
        return self._due.get(page.file.src_uri)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        cadence = page.meta.get("review")
        last = self.dates.last_updated(page)
        if cadence not in CADENCES or last is None:
            return markdown  # missing or bad values are reported by Metadata
        due = next_review(last, cadence)
        late = days_overdue(due, self.dates.today)
        self._due[page.file.src_uri] = due
        page.meta["next_review"] = due.isoformat()  # for the templates
        page.meta["review_overdue_days"] = late
        if late:
            self._overdue[page.file.src_uri] = (due.isoformat(), late, str(page.meta.get("owner", "no owner")))
        return markdown

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self._overdue:
            lines = [f"  {src} (due {due}, {late} days overdue, owner: {owner})"
                     for src, (due, late, owner) in sorted(self._overdue.items(), key=lambda item: -item[1][1])]
            log.info("%d page(s) overdue for review:\n%s", len(self._overdue), "\n".join(lines))
        return env
