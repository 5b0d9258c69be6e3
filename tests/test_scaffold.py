"""scripts.new_page: each page type, scaffolded into a copy of the repository and added to nav
where the command says so, passes the strict build of the whole portal; knowledge-base pages
need no edit besides their own file."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
NOT_COPIED = shutil.ignore_patterns("site", "site-offline", "test-artifacts", ".pytest_cache", "__pycache__",
                                    "*.egg-info", "out", ".benchmarks")

PAGES = {
    "runbook": (["runbook", "redis-memory", "--title", "Redis Memory Pressure", "--alert", "RedisDown"],
                "runbooks/redis-memory.md"),
    "kb": (["kb", "celery-memory-leak", "--title", "Celery Memory Leak", "--alert", "WorkerCrashLooping",
            "--tag", "celery"], "support/knowledge-base/troubleshooting-celery-memory-leak.md"),
    "faq": (["faq", "missing-notes", "--title", "Missing Notes", "--review", "monthly"],
            "support/knowledge-base/faq-missing-notes.md"),
}
INCIDENT_SECTIONS = ["first-five-minutes", "summary", "symptoms", "diagnosis", "mitigation", "verification", "escalation", "related"]
FAQ_SECTIONS = ["short-answer", "investigation", "causes", "client-replies", "when-to-escalate", "related"]


def new_page(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.new_page", *args], cwd=repo,
                          capture_output=True, text=True, env=ENV)


def add_to_nav(mkdocs_yml: Path, section: str, line: str) -> None:
    """Insert ``line`` after the last entry of nav section ``section``, as an author would."""
    lines = mkdocs_yml.read_text().splitlines()
    header = next(i for i, text in enumerate(lines) if text.strip() == f"- {section}:")
    depth = len(lines[header]) - len(lines[header].lstrip())
    end = header + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > depth):
        end += 1
    lines.insert(end, line)
    mkdocs_yml.write_text("\n".join(lines) + "\n")


@dataclass
class ScaffoldedPortal:
    repo: Path
    commands: dict[str, subprocess.CompletedProcess]
    build: subprocess.CompletedProcess

    @property
    def site(self) -> Path:
        return self.repo / "site"


_PORTAL: ScaffoldedPortal | None = None


def scaffolded_portal(base: Path) -> ScaffoldedPortal:
    """The repository copied under ``base``, one page of each type scaffolded and added to nav and
    INDEX.md, then built with --strict. Built once per test session: tests/test_serving.py serves
    this same fresh build through nginx, which saves a second full build of the portal."""
    global _PORTAL
    if _PORTAL is None:
        repo = base / "scaffolded-portal"
        shutil.copytree(ROOT, repo, ignore=NOT_COPIED, symlinks=True)
        commands = {}
        for kind, (args, _) in PAGES.items():
            done = commands[kind] = new_page(repo, *args)
            if done.returncode != 0:
                continue
            lines = done.stdout.splitlines()
            section = re.search(r"at the end of the '([^']+)' section", done.stdout)
            if section:
                add_to_nav(repo / "mkdocs.yml", section[1], lines[lines.index(next(m for m in lines if "Add it to nav" in m)) + 1])
        build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(repo / "site")],
                               cwd=repo, capture_output=True, text=True, env=ENV)
        _PORTAL = ScaffoldedPortal(repo, commands, build)
    return _PORTAL


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> ScaffoldedPortal:
    return scaffolded_portal(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def repo(portal) -> Path:
    return portal.repo


@pytest.fixture(scope="module")
def scaffolded(portal) -> dict[str, subprocess.CompletedProcess]:
    for kind, done in portal.commands.items():
        assert done.returncode == 0, f"{kind}: {done.stderr}"
    return portal.commands


@pytest.fixture(scope="module")
def build(portal, scaffolded) -> subprocess.CompletedProcess:
    return portal.build


def test_the_command_prints_where_the_page_goes(scaffolded):
    done = scaffolded["runbook"]
    assert done.stdout.splitlines()[:3] == [
        "Wrote docs/runbooks/redis-memory.md",
        "Add it to nav in mkdocs.yml, at the end of the 'Runbooks' section:",
        "      - runbooks/redis-memory.md",
    ]


def test_knowledge_base_pages_need_no_edit_elsewhere(scaffolded):
    for kind in ("kb", "faq"):
        lines = scaffolded[kind].stdout.splitlines()
        assert lines[1] == ("Its front matter lists it in nav ('Knowledge Base') and in the table of all articles of "
                            "docs/support/knowledge-base/INDEX.md: nothing else to edit."), lines
        assert "Add it to nav" not in scaffolded[kind].stdout and len(lines) == 3


def test_knowledge_base_pages_are_in_nav_before_the_tags_page_and_in_the_index(build, repo):
    index = (repo / "site/support/knowledge-base/INDEX/index.html").read_text()
    table = index[index.index('id="all-articles"'):index.index('id="by-symptom"')]
    assert "FAQ: Missing Notes" in table and "Troubleshooting: Celery Memory Leak" in table
    assert "What to check and what to tell the client about Missing Notes." in table
    nav = index[:index.index('id="all-articles"')]  # the navigation comes before the page's content
    tags = nav.index('href="../tags/"')
    assert nav.index('href="../faq-missing-notes/"') < tags
    assert nav.index('href="../troubleshooting-celery-memory-leak/"') < tags


def test_the_kind_is_not_repeated_in_title_or_description():
    from scripts.page_templates import KINDS, Request, front_matter
    for title in ("FAQ: Missing Notes", "faq: Missing Notes", "Missing Notes"):
        meta = front_matter(Request(kind=KINDS["faq"], slug="missing-notes", title=title))
        assert meta["title"] == "FAQ: Missing Notes"
        assert meta["description"] == "What to check and what to tell the client about Missing Notes."
    runbook = front_matter(Request(kind=KINDS["runbook"], slug="redis", title="Redis Memory Runbook"))
    assert runbook["title"] == "Redis Memory Runbook" and "about Redis Memory:" in runbook["description"]


def test_a_runbook_names_a_threshold_by_its_fact():
    from scripts.page_templates import KINDS, Request, render
    text = render(Request(kind=KINDS["runbook"], slug="queue", title="Queue", alerts=["HighQueueDepth", "RedisDown"],
                          threshold_facts={"HighQueueDepth": "thresholds.queue_depth_scale"}))
    assert "| {{ facts.thresholds.queue_depth_scale }} |" in text
    assert "| {{ facts.alerts.RedisDown.threshold }} |" in text  # '== 0' is not a fact of its own
    assert "facts.alerts.HighQueueDepth.threshold" not in text


def test_scaffolded_pages_raise_no_problem_in_the_build(build):
    output = build.stdout + build.stderr
    # INFO lines are not problems (the new pages are uncommitted, so they show today's date).
    mentions = [line for line in output.splitlines() if not line.startswith("INFO")
                and any(path in line for _, path in PAGES.values())]
    assert mentions == []


def test_strict_build_passes_with_the_scaffolded_pages_in_nav(build, repo):
    assert build.returncode == 0, build.stdout + build.stderr
    for _, path in PAGES.values():
        assert (repo / "site" / path.removesuffix(".md") / "index.html").exists(), path


@pytest.mark.parametrize("kind", PAGES)
def test_each_page_has_its_sections_with_stable_ids(build, repo, kind):
    html = (repo / "site" / PAGES[kind][1].removesuffix(".md") / "index.html").read_text()
    for section in FAQ_SECTIONS if kind == "faq" else INCIDENT_SECTIONS:
        assert f'id="{section}"' in html, section
    assert html.count("<h1") == 1


@pytest.mark.parametrize("kind", PAGES)
def test_pages_hold_instructions_not_filler_words(repo, scaffolded, kind):
    text = (repo / "docs" / PAGES[kind][1]).read_text()
    assert not re.search(r"\b(TODO|TBD|FIXME|placeholder|lorem ipsum|coming soon)\b", text, re.I)
    body = text.split("\n---\n", 1)[1]
    prose = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    assert "<!--" in body and "-->" not in prose


def test_runbook_front_matter_names_its_alert_and_severity(repo, scaffolded):
    meta = yaml.safe_load((repo / "docs" / PAGES["runbook"][1]).read_text().split("---\n")[1])
    assert meta["alerts"] == ["RedisDown"]
    assert meta["severity"] == "P0"  # RedisDown's priority label in alerts.yml
    assert meta["title"] == "Redis Memory Pressure Runbook"


def test_the_runbook_shows_its_alert_from_the_rules_file(build, repo):
    html = (repo / "site/runbooks/redis-memory/index.html").read_text()
    assert "redis_up" in html  # RedisDown's expression, through {{ facts.alerts.RedisDown.expr }}


def test_it_refuses_to_overwrite(repo, scaffolded):
    page = repo / "docs" / PAGES["faq"][1]
    before = page.read_text()
    done = new_page(repo, *PAGES["faq"][0])
    assert done.returncode == 1
    assert "already exists" in done.stderr
    assert page.read_text() == before


def test_it_rejects_an_alert_the_rules_do_not_define(repo):
    done = new_page(repo, "runbook", "redis-latency", "--title", "Redis Latency", "--alert", "RedisDwn")
    assert done.returncode == 1
    assert "did you mean RedisDown?" in done.stderr
    assert not (repo / "docs/runbooks/redis-latency.md").exists()


def test_a_runbook_needs_an_alert(repo):
    done = new_page(repo, "runbook", "redis-latency", "--title", "Redis Latency")
    assert done.returncode == 1
    assert "--alert" in done.stderr
