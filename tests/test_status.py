"""hooks/status: the generated page-status page."""
from __future__ import annotations

import datetime as dt
import re

from sites import FixtureSite, page

from hooks.status.table import Row, status_rows

BUILD_DAY = {"SOURCE_DATE_EPOCH": "1770000000"}  # 2026-02-02


def row(title: str, due: dt.date | None, today=dt.date(2026, 2, 2)) -> Row:
    return Row(title, f"{title}/", "SRE Team", "monthly", None, due, (today - due).days if due else 0)


def test_rows_put_the_most_overdue_first_and_undated_pages_last():
    rows = status_rows([row("b", dt.date(2026, 3, 1)), row("none", None), row("a", dt.date(2026, 3, 1)),
                        row("late", dt.date(2025, 12, 1)), row("today", dt.date(2026, 2, 2))])
    assert [r.title for r in rows] == ["late", "today", "a", "b", "none"]
    assert [r.state for r in rows] == ["overdue", "today", "current", "current", "unknown"]


def test_every_page_is_listed_with_owner_and_dates_overdue_first(tmp_path):
    site = FixtureSite(tmp_path, {
        "index.md": page("# Home\n\nSee the [page status](page-status.md).\n", title="Home", review="weekly"),
        "fresh.md": page("# Fresh\n", title="Fresh", review="quarterly"),
        "stale.md": page("# Stale\n", title="Stale", review="monthly", last_updated="2025-11-04", owner="Support Team Lead"),
        "sub/deep.md": page("# Deep & <Odd> Title\n", title="Deep & <Odd> Title", review="monthly"),
    }, nav=["index.md", "fresh.md", "stale.md", "sub/deep.md"])
    site.commit_all(date="2026-01-30T12:00:00+00:00")
    result = site.build(env=BUILD_DAY)
    assert result.code == 0, result.output  # generated page: not in nav, no "not included in nav" warning
    html = (result.site_dir / "page-status/index.html").read_text()
    rows = re.findall(r'<tr data-portal-due="([\d-]+)" data-portal-state="(\w+)">\s*<td><a href="([^"]+)">(.*?)</a></td>'
                      r"\s*<td>(.*?)</td>", html)
    assert [(r[2], r[3]) for r in rows] == [("../stale/", "Stale"), ("../", "Home"), ("../sub/deep/", "Deep &amp; &lt;Odd&gt; Title"),
                                            ("../fresh/", "Fresh")]
    assert rows[0][:2] == ("2025-12-04", "overdue") and rows[0][4] == "Support Team Lead"
    assert rows[1][:2] == ("2026-02-06", "current")
    assert "page-status" not in "".join(r[2] for r in rows), "the status page lists itself"
    assert re.search(r"4 pages; <strong data-portal-overdue-count>1</strong> overdue", html)
    assert "Overdue by <span data-portal-days>60</span> days" in html
    assert 'href="page-status/"' in (result.site_dir / "index.html").read_text()
    assert "page-status" not in (result.site_dir / "search/search_index.json").read_text()


def test_a_hand_written_page_of_the_same_name_wins(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n"), "page-status.md": page("# Our own status\n")})
    site.commit_all()
    result = site.build()
    assert result.code == 0, result.output
    assert "Our own status" in (result.site_dir / "page-status/index.html").read_text()
