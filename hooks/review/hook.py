"""MkDocs events for review dates: stamp each page's next review, list the overdue ones.

Overdue is information, not a failure: the page shows a banner and the build prints the
list, but a stale page never blocks an urgent fix to another one.
"""
from __future__ import annotations

import datetime as dt

from hooks.dates.resolve import build_date
from hooks.report import REPORT, log
from hooks.review.schedule import CADENCES, days_overdue, next_review

_overdue: dict[str, tuple[str, int, str]] = {}


def on_config(config):
    REPORT.begin(config)


def on_files(files, config):
    _overdue.clear()
    return files


def on_page_markdown(markdown, page, config, files):
    cadence = page.meta.get("review")
    last = page.meta.get("last_updated")
    if cadence not in CADENCES or not last:
        return markdown  # missing or bad values are reported by hooks/metadata
    due = next_review(dt.date.fromisoformat(last), cadence)
    late = days_overdue(due, build_date())
    page.meta["next_review"] = due.isoformat()
    page.meta["review_overdue_days"] = late
    if late:
        _overdue[page.file.src_uri] = (due.isoformat(), late, str(page.meta.get("owner", "no owner")))
    return markdown


def on_env(env, config, files):
    if _overdue:
        lines = [f"  {src} (due {due}, {late} days overdue, owner: {owner})"
                 for src, (due, late, owner) in sorted(_overdue.items(), key=lambda item: -item[1][1])]
        log.info("%d page(s) overdue for review:\n%s", len(_overdue), "\n".join(lines))
    return env


def on_post_build(config):
    REPORT.gate(config)
