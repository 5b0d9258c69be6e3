"""hooks/review: next review date, the overdue banner and the overdue list."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sites import FixtureSite, page

from hooks.review.schedule import add_months, days_overdue, next_review


def test_cadences():
    assert next_review(dt.date(2026, 1, 31), "weekly") == dt.date(2026, 2, 7)
    assert next_review(dt.date(2026, 1, 31), "monthly") == dt.date(2026, 2, 28)
    assert next_review(dt.date(2025, 11, 30), "quarterly") == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 12, 15), 1) == dt.date(2026, 1, 15)
    assert days_overdue(dt.date(2026, 1, 1), dt.date(2026, 1, 11)) == 10
    assert days_overdue(dt.date(2026, 1, 11), dt.date(2026, 1, 1)) == 0
    with pytest.raises(ValueError, match="allowed: weekly, monthly, quarterly"):
        next_review(dt.date(2026, 1, 1), "yearly")


def test_overdue_page_shows_banner_and_is_listed(tmp_path):
    site = FixtureSite(tmp_path, {
        "index.md": page("# Home\n", review="weekly"),
        "stale.md": page("# Stale\n", review="monthly", last_updated="2025-11-04", owner="Support Team Lead"),
    })
    site.commit_all(date="2026-01-30T12:00:00+00:00")
    result = site.build(env={"SOURCE_DATE_EPOCH": "1770000000"})  # 2026-02-02
    assert result.code == 0, result.output  # overdue informs, it does not fail the build
    assert "1 page(s) overdue for review:" in result.output
    assert "stale.md (due 2025-12-04, 60 days overdue, owner: Support Team Lead)" in result.output
    # The banner is in every page with its review date; the build's own day decides its first
    # state, the reader's browser the state it shows (tests/test_phone.py).
    banner = re.compile(r'<div class="admonition warning portal-review-overdue"[^>]*data-portal-due="([\d-]+)" '
                        r'data-portal-state="(\w+)">')
    stale = (result.site_dir / "stale/index.html").read_text()
    assert banner.search(stale).groups() == ("2025-12-04", "overdue")
    assert "due for its monthly review on" in stale and "(<span data-portal-days>60</span> days ago)" in stale
    assert 'data-portal="next-review"' in stale and "2025-12-04" in stale
    home = (result.site_dir / "index.html").read_text()
    assert banner.search(home).groups() == ("2026-02-06", "current")
