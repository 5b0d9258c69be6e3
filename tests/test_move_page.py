"""scripts.move_page: a page moved with every link, nav entry, redirect and search question following it."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sites import FixtureSite, page

from scripts.move_page import MoveError, add_redirect, main, plan_move, rewrite_links

OLD, NEW = "runbooks/api-timeout.md", "operations/external-api-timeouts.md"


def everything_exists(path: str) -> bool:
    return True


@pytest.mark.parametrize("written, expected", [
    ("[Step 2](api-timeout.md#step-2-which-tenant)", "[Step 2](../operations/external-api-timeouts.md#step-2-which-tenant)"),
    ("[t](./api-timeout.md \"Timeouts\")", "[t](../operations/external-api-timeouts.md \"Timeouts\")"),
    ("[timeouts]: api-timeout.md#diagnosis", "[timeouts]: ../operations/external-api-timeouts.md#diagnosis"),
    ('<a href="api-timeout.md#step-2">step 2</a>', '<a href="../operations/external-api-timeouts.md#step-2">step 2</a>'),
    ("[address](../runbooks/api-timeout/#step-2)", "[address](../operations/external-api-timeouts/#step-2)"),
    ("Write links as `[x](api-timeout.md)`.", "Write links as `[x](api-timeout.md)`."),
    ("[other](worker-failures.md), [web](https://example.com/api-timeout.md)",
     "[other](worker-failures.md), [web](https://example.com/api-timeout.md)"),
])
def test_links_to_the_page_are_rewritten_with_their_anchor(written, expected):
    text, _ = rewrite_links(written, "runbooks/index.md", "runbooks/index.md", OLD, NEW, everything_exists)
    assert text == expected


def test_links_in_code_blocks_stay_as_written():
    text = "```markdown\n[x](api-timeout.md)\n```\n\n[y](api-timeout.md)\n"
    rewritten, count = rewrite_links(text, "runbooks/index.md", "runbooks/index.md", OLD, NEW, everything_exists)
    assert count == 1
    assert rewritten == "```markdown\n[x](api-timeout.md)\n```\n\n[y](../operations/external-api-timeouts.md)\n"


def test_the_moved_pages_own_links_follow_it_to_its_new_folder():
    text = "[sibling](worker-failures.md#m1) [self](#diagnosis) [up](../index.md) [gone](missing.md)"
    exists = {"runbooks/worker-failures.md", "index.md"}.__contains__
    rewritten, count = rewrite_links(text, OLD, NEW, OLD, NEW, exists)
    assert rewritten == "[sibling](../runbooks/worker-failures.md#m1) [self](#diagnosis) [up](../index.md) [gone](missing.md)"
    assert count == 1


def test_the_redirect_goes_under_the_existing_ones():
    config = "plugins:\n  - redirects:\n      redirect_maps:\n        a.md: b.md\n\n  - offline\n"
    assert add_redirect(config, OLD, NEW) == ("plugins:\n  - redirects:\n      redirect_maps:\n        a.md: b.md\n"
                                              f"        {OLD}: {NEW}\n\n  - offline\n")


# Runbooks open with their first commands (the build checks it).
FIRST_FIVE = "## First five minutes\n\n```bash\nkubectl get pods -n ai-agents\n```\n\n**Triage:** read on.\n\n"

PAGES = {
    "index.md": page("# Home\n\n- [Timeouts, step 2](runbooks/api-timeout.md#step-2)\n", last_updated=None),
    OLD: page("# API Timeout\n\n" + FIRST_FIVE + "## Step 2 {#step-2}\n\nSee [workers](worker-failures.md).\n",
              last_updated=None, severity="P2", alerts=["HighQueueDepth"], tags=["runbook"]),
    "runbooks/worker-failures.md": page("# Workers\n\n" + FIRST_FIVE + "[Timeouts](api-timeout.md)\n", last_updated=None,
                                        severity="P2", alerts=["HighQueueDepth"], tags=["runbook"]),
    "operations/index.md": page("# Operations\n", last_updated=None),
}
NAV = ["index.md", {"Runbooks": [OLD, "runbooks/worker-failures.md"]}, {"Operations": ["operations/index.md"]}]


@pytest.fixture
def portal(tmp_path) -> FixtureSite:
    site = FixtureSite(tmp_path, PAGES, nav=NAV, redirects={"old-home.md": "index.md"})
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/search_queries.yml").write_text(
        "- {query: LLM timeout, page: runbooks/api-timeout/, also: [runbooks/worker-failures/], rank: 3}\n")
    site.commit_all("release", date="2025-10-01T12:00:00+00:00")
    return site


def test_a_moved_page_builds_strict_and_keeps_its_dates(portal):
    done = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from scripts.move_page import main; "
                           f"sys.exit(main(sys.argv[1:], Path({str(portal.root)!r})))", OLD, NEW],
                          cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "3 link(s) rewritten in 3 page(s), anchors kept" in done.stdout  # two pages link to it, and its own link
    assert '--trailer "Docs-Change: trivial"' in done.stdout
    assert not (portal.docs / OLD).exists() and (portal.docs / NEW).exists()
    assert "(operations/external-api-timeouts.md#step-2)" in (portal.docs / "index.md").read_text()
    assert "[workers](../runbooks/worker-failures.md)" in (portal.docs / NEW).read_text()
    config = (portal.root / "mkdocs.yml").read_text()
    assert f"{OLD}: {NEW}" in config and f"- {NEW}" in config
    assert "page: operations/external-api-timeouts/," in (portal.root / "tests/search_queries.yml").read_text()
    portal.git("add", "-A")
    portal.git("commit", "-q", "-m", f"Move {OLD} to {NEW}", "--trailer", "Docs-Change: trivial",
               date="2026-01-20T12:00:00+00:00")
    result = portal.build(env={"SOURCE_DATE_EPOCH": "1770000000"})
    assert result.code == 0, result.output
    for moved_or_relinked in ("operations/external-api-timeouts/index.html", "index.html"):
        html = (result.site_dir / moved_or_relinked).read_text()
        assert re.search(r'data-portal="last-updated".*?<time datetime="2025-10-01"', html, re.S), moved_or_relinked
    assert (result.site_dir / "runbooks/api-timeout/index.html").exists()  # the redirect page


def test_it_refuses_to_overwrite_or_to_move_what_is_not_there(portal):
    (portal.docs / NEW).parent.mkdir(parents=True, exist_ok=True)
    (portal.docs / NEW).write_text("# Taken\n")
    with pytest.raises(MoveError, match="already exists"):
        plan_move(portal.root, OLD, NEW)
    with pytest.raises(MoveError, match=r"docs/runbooks/nope\.md does not exist"):
        plan_move(portal.root, "runbooks/nope.md", "runbooks/yes.md")
    assert main(["docs/runbooks/nope.md", "x.md"], portal.root) == 1


def test_dry_run_changes_nothing(portal, capsys):
    before = {p: p.read_text() for p in portal.root.rglob("*.md")}
    assert main([OLD, NEW, "--dry-run"], portal.root) == 0
    assert "Would move docs/runbooks/api-timeout.md" in capsys.readouterr().out
    assert {p: p.read_text() for p in portal.root.rglob("*.md")} == before
