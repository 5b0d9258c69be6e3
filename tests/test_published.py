"""hooks/published: a URL the last release served keeps a page or a redirect.

The fixture sites are git repositories whose `main` branch is the release; the change under
test is a branch from it, or uncommitted work on it.
"""
from __future__ import annotations

import re

import yaml
from sites import FixtureSite, page

PAGES = {"index.md": page("# Home\n\n[Timeouts](guide/api-timeout.md#step-2)\n", last_updated="2026-01-15"),
         "guide/api-timeout.md": page("# API timeout\n\n## Step 2 {#step-2}\n", last_updated="2026-01-15"),
         "guide/other.md": page("# Other\n", last_updated="2026-01-15")}


def released_site(tmp_path, redirects=None) -> FixtureSite:
    site = FixtureSite(tmp_path, PAGES, redirects=redirects)
    site.commit_all("release")
    site.git("checkout", "-q", "-b", "change")
    return site


def set_redirects(site: FixtureSite, redirects: dict[str, str] | None) -> None:
    path = site.root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text())
    config["plugins"] = ["search"] + ([{"redirects": {"redirect_maps": redirects}}] if redirects else [])
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def move(site: FixtureSite) -> None:
    site.git("mv", "docs/guide/api-timeout.md", "docs/guide/external-api-timeouts.md")
    (site.docs / "index.md").write_text(PAGES["index.md"].replace("api-timeout.md", "external-api-timeouts.md"))


def test_a_page_moved_without_a_redirect_fails_with_the_line_to_add(tmp_path):
    site = released_site(tmp_path)
    move(site)
    result = site.build()
    assert result.code == 1
    assert re.search(r"mkdocs.yml:\d+: 'guide/api-timeout/' was served by the last release "
                     r"\(page guide/api-timeout.md on main at [0-9a-f]{7}\)", result.output), result.output
    assert ("and now has neither a page nor a redirect (add 'guide/api-timeout.md: "
            "guide/external-api-timeouts.md' under redirects.redirect_maps") in result.output


def test_the_same_move_with_its_redirect_passes_committed_or_not(tmp_path):
    site = released_site(tmp_path)
    move(site)
    set_redirects(site, {"guide/api-timeout.md": "guide/external-api-timeouts.md"})
    assert site.build().code == 0
    site.commit_all("move the runbook")
    result = site.build()
    assert result.code == 0, result.output


def test_removing_a_redirect_the_release_served_fails(tmp_path):
    site = released_site(tmp_path, redirects={"old-home.md": "index.md"})
    set_redirects(site, None)
    site.commit_all("drop the redirect")
    result = site.build()
    assert result.code == 1
    assert "'old-home/' was served by the last release (redirect old-home.md on main at " in result.output


def test_a_page_deleted_on_main_itself_fails_before_the_commit(tmp_path):
    site = FixtureSite(tmp_path, PAGES)
    site.commit_all("release")
    (site.docs / "guide/other.md").unlink()
    result = site.build()
    assert result.code == 1
    assert "'guide/other/' was served by the last release" in result.output


def test_new_pages_and_a_site_without_history_are_fine(tmp_path):
    site = released_site(tmp_path / "a")
    (site.docs / "guide/new.md").write_text(page("# New\n", last_updated="2026-01-15"))
    assert site.build().code == 0
    unversioned = FixtureSite(tmp_path / "b", {"index.md": page("# Home\n", last_updated="2026-01-15")})
    result = unversioned.build("-v")
    assert result.code == 0, result.output
    assert "Published URLs not compared with the last release:" in result.output


def test_the_offline_build_compares_its_own_addresses(tmp_path):
    site = released_site(tmp_path)
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text())
    config["use_directory_urls"] = False  # what the offline plugin sets
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    assert site.build().code == 0
    (site.docs / "guide/other.md").unlink()
    result = site.build()
    assert result.code == 1
    assert "'guide/other.html' was served by the last release" in result.output


def test_without_git_on_the_path_the_build_says_so_instead_of_a_traceback(tmp_path):
    site = FixtureSite(tmp_path / "site", {"index.md": page("# Home\n\nText.\n")})
    site.commit_all()
    no_git = tmp_path / "bin"          # python is called by its full path; git cannot be found
    no_git.mkdir()
    result = site.build(env={"PATH": str(no_git)})
    assert "Traceback" not in result.output, result.output
    assert "Published URLs not compared with the last release: git cannot be run" in result.output
    assert "git is not installed" in result.output   # Last Updated falls back, and says why
