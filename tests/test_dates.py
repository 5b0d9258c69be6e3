"""hooks/dates: Last Updated from one git read, with honest fallbacks."""
from __future__ import annotations

import datetime as dt
import re
import subprocess

from sites import FixtureSite, page

from hooks.dates.git import COMMIT_MARK, GitHistory, parse_log, parse_status
from hooks.dates.resolve import BUILD_DATE, FRONT_MATTER, GIT, UNCOMMITTED, page_date

TODAY = {"SOURCE_DATE_EPOCH": "1770000000"}  # 2026-02-02


def shown_date(result, path="index.html") -> str:
    html = (result.site_dir / path).read_text()
    return re.search(r'data-portal="last-updated".*?<time datetime="([^"]+)"', html, re.S).group(1)


def test_parse_log_keeps_the_newest_change_per_file():
    log = (f"{COMMIT_MARK}bbb 1768471200 \n\nA\tb.md\nM\ta.md\n"
           f"{COMMIT_MARK}aaa 1700000000 \n\nA\ta.md\nA\told.md\n")
    dates, commits = parse_log(log)
    assert dates == {"b.md": dt.date(2026, 1, 15), "a.md": dt.date(2026, 1, 15), "old.md": dt.date(2023, 11, 14)}
    assert commits["a.md"] == "bbb"


JAN_2026, JUN_2025, NOV_2023 = 1768471200, 1748779200, 1700000000


def test_trivial_changes_leave_the_date_of_the_last_content_change():
    log = (f"{COMMIT_MARK}ccc {JAN_2026} trivial\n\nM\ta.md\nA\tnew.md\n"
           f"{COMMIT_MARK}bbb {JUN_2025} \n\nM\ta.md\n"
           f"{COMMIT_MARK}aaa {NOV_2023} \n\nA\ta.md\n")
    dates, commits = parse_log(log)
    assert dates["a.md"] == dt.date(2025, 6, 1) and commits["a.md"] == "bbb"
    assert dates["new.md"] == dt.date(2026, 1, 15)  # a new page is content, trailer or not


def test_a_moved_page_keeps_the_date_of_its_content():
    log = (f"{COMMIT_MARK}ddd {JAN_2026} Trivial\n\nR093\told/a.md\tnew/a.md\nM\tb.md\n"
           f"{COMMIT_MARK}ccc {JAN_2026} \n\nR100\tc.md\tmoved/c.md\nR071\td.md\trewritten/d.md\n"
           f"{COMMIT_MARK}bbb {JUN_2025} \n\nM\told/a.md\nM\tc.md\nM\td.md\n"
           f"{COMMIT_MARK}aaa {NOV_2023} \n\nA\told/a.md\nA\tb.md\nA\tc.md\nA\td.md\n")
    dates, _ = parse_log(log)
    assert dates["new/a.md"] == dt.date(2025, 6, 1)     # moved with its links rewritten, marked trivial
    assert dates["moved/c.md"] == dt.date(2025, 6, 1)   # moved unchanged (100 % similar)
    assert dates["rewritten/d.md"] == dt.date(2026, 1, 15)  # moved and rewritten: content
    assert dates["b.md"] == dt.date(2023, 11, 14)       # touched by the trivial commit only


def test_commits_listed_to_ignore_are_trivial():
    log = (f"{COMMIT_MARK}c0ffee1234 {JAN_2026} \n\nM\ta.md\n"
           f"{COMMIT_MARK}aaa {NOV_2023} \n\nA\ta.md\n")
    assert parse_log(log, frozenset({"c0ffee12"}))[0]["a.md"] == dt.date(2023, 11, 14)
    assert parse_log(log)[0]["a.md"] == dt.date(2026, 1, 15)


def test_a_link_fix_commit_keeps_last_updated_and_the_review_date(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\nSee [b](b.md).\n", review="monthly"),
                                  "b.md": page("# B\n")})
    site.commit_all(date="2025-12-01T12:00:00+00:00")
    (site.docs / "index.md").write_text(page("# Home\n\nSee [the B page](b.md).\n", review="monthly"))
    site.commit_all(message="Link text\n\nDocs-Change: trivial", date="2026-01-20T12:00:00+00:00")
    site.git("mv", "docs/b.md", "docs/c.md")
    (site.docs / "index.md").write_text(page("# Home\n\nSee [the B page](c.md).\n", review="monthly"))
    site.commit_all(message="Move b.md to c.md\n\nDocs-Change: trivial", date="2026-01-25T12:00:00+00:00")
    result = site.build(env=TODAY)
    assert result.code == 0, result.output
    assert shown_date(result) == "2025-12-01"
    assert shown_date(result, "c/index.html") == "2025-12-01"
    assert 'datetime="2026-01-01"' in (result.site_dir / "index.html").read_text()  # next review: a month on
    (site.docs / "index.md").write_text(page("# Home\n\nSee [the B page](c.md) first.\n", review="monthly"))
    site.commit_all(message="Say when to read B", date="2026-01-28T12:00:00+00:00")
    assert shown_date(site.build(env=TODAY)) == "2026-01-28"


def test_parse_status_reads_renames_and_untracked():
    assert parse_status(" M docs/a.md\0?? docs/new.md\0R  docs/b.md\0docs/old-b.md\0") == {"docs/a.md", "docs/new.md", "docs/b.md"}


def test_front_matter_wins_over_git():
    history = GitHistory(last_changed={"a.md": dt.date(2026, 1, 1)})
    chosen = page_date("a.md", dt.date(2025, 11, 4), history, dt.date(2026, 2, 2))
    assert (chosen.date, chosen.source) == (dt.date(2025, 11, 4), FRONT_MATTER)


def test_git_author_date_is_stamped(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\nUpdated {{ page.last_updated }}.\n")})
    site.commit_all(date="2026-01-15T23:30:00-05:00")  # 2026-01-16 in UTC
    result = site.build(env=TODAY)
    assert result.code == 0, result.output
    assert shown_date(result) == "2026-01-16"
    assert "Updated 2026-01-16." in (result.site_dir / "index.html").read_text()


def test_one_git_log_for_the_whole_tree(tmp_path, monkeypatch):
    from hooks.dates import git as git_module
    site = FixtureSite(tmp_path, {f"p{i}.md": page(f"# P{i}\n") for i in range(20)})
    site.commit_all()
    calls = []
    real = git_module._git
    monkeypatch.setattr(git_module, "_git", lambda args, cwd: calls.append(args[0] if args[0] != "-c" else args[2]) or real(args, cwd))
    history = git_module.read_history(site.docs)
    assert len(history.last_changed) == 20
    assert calls == ["rev-parse", "log", "status"]


def test_uncommitted_file_shows_today_without_failing(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n")})
    site.commit_all()
    (site.docs / "new.md").write_text(page("# New\n"))
    result = site.build(env=TODAY)
    assert result.code == 0, result.output
    assert "Last Updated: 1 page(s) with uncommitted changes show today's date: new.md" in result.output
    assert shown_date(result, "new/index.html") == "2026-02-02"
    assert shown_date(result) == "2026-01-15"
    assert page_date("x.md", None, GitHistory(uncommitted={"x.md"}), dt.date(2026, 2, 2)).source == UNCOMMITTED


def test_no_git_falls_back_to_build_date_with_one_warning(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n"), "b.md": page("# B\n"),
                                  "c.md": page("# C\n", last_updated="2025-11-04")})
    result = site.build(env=TODAY)
    assert result.code == 1
    warnings = [w for w in result.warnings if "Last Updated" in w]
    assert len(warnings) == 1
    assert "docs: Last Updated falls back to the build date 2026-02-02 for 2 page(s):" in warnings[0]
    assert "is not in a git work tree" in warnings[0] and "b.md, index.md" in warnings[0]
    assert "(build from a git clone, or set last_updated in the front matter)" in warnings[0]
    assert shown_date(result, "c/index.html") == "2025-11-04"


def test_shallow_clone_never_stamps_the_tip_date_on_every_page(tmp_path):
    origin = FixtureSite(tmp_path / "origin", {"old.md": page("# Old\n"), "index.md": page("# Home\n")})
    origin.commit_all(date="2025-06-01T12:00:00+00:00")
    (origin.docs / "index.md").write_text(page("# Home\n\nChanged.\n"))
    origin.commit_all(message="change home", date="2026-01-20T12:00:00+00:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin.root}", str(clone)], check=True)
    site = FixtureSite.existing(clone)
    result = site.build(env=TODAY)
    warnings = [w for w in result.warnings if "Last Updated" in w]
    assert len(warnings) == 1
    assert "shallow clone: the page's last change is older than the fetched history" in warnings[0]
    assert "run 'git fetch --unshallow'" in warnings[0]
    # The boundary commit cannot tell when either page really changed: neither gets its date.
    assert shown_date(result, "old/index.html") == "2026-02-02"
    assert page_date("a.md", None, GitHistory(last_changed={"a.md": dt.date(2026, 1, 1)}, last_commit={"a.md": "c"},
                                               shallow_boundary={"c"}), dt.date(2026, 2, 2)).source == BUILD_DATE
    assert page_date("a.md", None, GitHistory(last_changed={"a.md": dt.date(2026, 1, 1)}, last_commit={"a.md": "d"},
                                               shallow_boundary={"c"}), dt.date(2026, 2, 2)).source == GIT
