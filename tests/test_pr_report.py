"""scripts.pr_report: the pull request's changed pages with the build's own problems, a preview
listing them, and screenshots of those pages (not of fixed ones)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sites import FixtureSite, page

from hooks.report import Problem, github_annotation
from scripts.pr_report import Changed, changed_html, changed_pages, screenshots, summary

ROOT = Path(__file__).resolve().parent.parent


def test_annotations_are_escaped_workflow_commands():
    problem = Problem("docs/a b,c.md", 12, "broken link 'x.md': 100% wrong\nsecond line", "did you mean 'y.md'?")
    assert github_annotation(problem) == ("::error file=docs/a b%2Cc.md,line=12,title=portal build::"
                                          "broken link 'x.md': 100%25 wrong%0Asecond line (did you mean 'y.md'?)")
    assert github_annotation(Problem("docs", None, "no git")) == "::error file=docs,title=portal build::no git"


def link_line(site) -> int:
    return (site.docs / "guide.md").read_text().splitlines().index("See [nothing](missing.md).") + 1


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory):
    root = tmp_path_factory.mktemp("pr")
    site = FixtureSite(root, {"index.md": page("# Home\n\n[Guide](guide.md)\n"), "guide.md": page("# Guide\n"),
                              "old.md": page("# Old\n\nThe old page, moved unchanged.\n"),
                              "gone.md": page("# Gone\n\nA page removed, with a redirect to the home page.\n")})
    site.commit_all("release")
    site.git("checkout", "-q", "-b", "change")
    (site.docs / "guide.md").write_text(page("# Guide\n\nSee [nothing](missing.md).\n"))
    (site.docs / "new.md").write_text(page("# New\n\n" + "A page the pull request adds.\n" * 20, title="New"))
    site.git("mv", "docs/old.md", "docs/renamed.md")
    site.git("rm", "-q", "docs/gone.md")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n- search\n", "plugins:\n- search\n- redirects:\n    redirect_maps:\n"
                                                 "      gone.md: index.md\n      old.md: renamed.md\n"))
    site.commit_all("change pages")
    problems = root / "problems.json"
    result = site.build(env={"PORTAL_ANNOTATIONS": "github", "PORTAL_PROBLEMS_FILE": str(problems)})
    return site, result, problems


def test_the_build_annotates_its_problems_and_writes_them_as_data(pull_request):
    site, result, problems = pull_request
    assert result.code == 1
    listed = json.loads(problems.read_text())
    line = link_line(site)
    assert any(p["path"] == "docs/guide.md" and p["line"] == line and "broken link 'missing.md'" in p["message"] for p in listed)
    annotations = [line for line in result.output.splitlines() if line.startswith("::error ")]
    assert len(annotations) == len(listed) > 0, result.output
    assert any(a.startswith(f"::error file=docs/guide.md,line={line},title=portal build::broken link 'missing.md'")
               for a in annotations), annotations


def test_the_summary_lists_changed_pages_with_their_problems(pull_request):
    site, _, problems = pull_request
    pages = changed_pages("main", site.root)
    assert {(p.path, p.status) for p in pages} == {("guide.md", "changed"), ("new.md", "added"),
                                                   ("renamed.md", "moved"), ("gone.md", "removed")}
    text = summary(pages, json.loads(problems.read_text()), "main")
    assert "| `docs/guide.md` | changed | `/guide/` | 1 |" in text
    assert "| `docs/renamed.md` | moved from `old.md` | `/renamed/` | — |" in text
    assert "### Problems on the changed pages" in text
    assert f"- `docs/guide.md:{link_line(site)}`: broken link 'missing.md'" in text
    assert "The build wrote no problem list" in summary(pages, None, "main")


def test_the_preview_lists_changed_pages_by_their_files():
    listing = changed_html([Changed("runbooks/x.md", "changed"), Changed("old.md", "removed")],
                           [{"path": "docs/runbooks/x.md", "line": 3, "message": "m", "hint": ""}])
    assert '<a href="runbooks/x/index.html">docs/runbooks/x.md</a>: changed (1 problem)' in listing
    assert "<li>docs/old.md: removed</li>" in listing


@pytest.mark.browser
def test_screenshots_are_of_the_changed_pages(pull_request, tmp_path):
    site, _, _ = pull_request
    built = site.root / "preview-site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(built)], cwd=site.root,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                                                                 "DISABLE_MKDOCS_2_WARNING": "true"})
    assert done.returncode == 0, done.stderr
    taken = screenshots(built, changed_pages("main", site.root), tmp_path)
    assert sorted(p.name for p in taken) == ["guide.png", "new.png", "renamed.png"]
    assert all(p.stat().st_size > 5000 for p in taken)
