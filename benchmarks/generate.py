"""Generate a realistic support-docs tree for build benchmarks.

Pages have a heading every ~300 words, tables, fenced code, admonitions and cross-page
``#anchor`` links, like the real runbooks. Deterministic for a given page count.
"""
from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import yaml

WORDS = ("queue worker tenant webhook signature latency redis celery postgres pod replica rollout "
         "deployment alert threshold escalate client ticket enhancement trace span metric dashboard "
         "incident severity mitigation verify restart scale backlog timeout retry policy secret").split()


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def broken_links(index: int, count: int, per_page: int, rng: random.Random) -> list[str]:
    """Links as a folder move and hurried edits leave them: the old folder, a misspelt name,
    a page that is gone, an anchor that is not there. Each one distinct."""
    kinds = [
        lambda m: f"[moved](../old{m // 50}/page-{m}.md)",
        lambda m: f"[typo](../p{m // 50}/pgae-{m}.md)",
        lambda m: f"[gone](../p{m // 50}/retired-{m}-{index}.md)",
        lambda m: f"[anchor](../p{m // 50}/page-{m}.md#section-9-of-page-{m})",
    ]
    return [kinds[n % len(kinds)](rng.randrange(count)) for n in range(per_page)]


def page_text(index: int, count: int, rng: random.Random, broken: int = 0) -> str:
    lines = ["---", f"title: Generated page {index}", f"description: Generated support page number {index}.",
             "owner: SRE Team", "review: quarterly", "tags:", "  - generated", "---", "", f"# Generated page {index}", ""]
    for section in range(8):
        lines += [f"## Section {section} of page {index}", ""]
        for _ in range(3):
            lines += [paragraph(rng, 100), ""]
        other = rng.randrange(count)
        lines += [f"See [section {section}](../p{other // 50}/page-{other}.md#section-{section}-of-page-{other}) "
                  f"and [this page's first section](#section-0-of-page-{index}).", ""]
        if section % 3 == 0:
            lines += ["| Check | Command | Healthy |", "|---|---|---|"]
            lines += [f"| {rng.choice(WORDS)} | `kubectl get pods -n ai-agents` | {rng.randrange(100)} |" for _ in range(5)]
            lines += [""]
        if section % 3 == 1:
            lines += ["```bash", "kubectl -n ai-agents logs deploy/celery-worker --since=15m | grep ERROR",
                      "kubectl -n ai-agents rollout status deployment/celery-worker", "```", ""]
        if section % 3 == 2:
            lines += ['!!! warning "Before you scale"', "", "    " + paragraph(rng, 40), ""]
    if broken:
        lines += ["## Related", "", *(f"- {link}" for link in broken_links(index, count, broken, rng)), ""]
    return "\n".join(lines) + "\n"


def generate(root: Path, count: int, broken_per_page: int = 0) -> Path:
    rng = random.Random(count)
    docs = root / "docs"
    for index in range(count):
        target = docs / f"p{index // 50}" / f"page-{index}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_text(index, count, rng, broken_per_page), encoding="utf-8")
    (docs / "index.md").write_text("---\ntitle: Home\ndescription: Generated home page.\nowner: SRE Team\n"
                                   "review: quarterly\ntags:\n  - generated\n---\n\n# Home\n\n[First](p0/page-0.md)\n")
    return docs


COPIED_FOLDERS = ("support/knowledge-base", "runbooks")
COPY_MARK = "-copy-"


def generate_copies(root: Path, source_docs: Path, count: int) -> Path:
    """The real tree plus copies of its knowledge base and runbooks, until it has ``count`` pages.

    Real pages are several times longer than generated ones and use the real vocabulary, so
    this tree is what a knowledge base that grows with every resolved ticket looks like. Each
    copy is a whole folder next to its original (``support/knowledge-base-copy-3/``), so the
    pages' relative links resolve: within the copy, or to the originals outside it.
    """
    docs = root / "docs"
    shutil.copytree(source_docs, docs)
    total = sum(1 for _ in docs.rglob("*.md"))
    copy = 0
    while total < count:
        copy += 1
        for folder in COPIED_FOLDERS:
            target = docs / f"{folder}{COPY_MARK}{copy}"
            shutil.copytree(docs / folder, target)
            for page in target.glob("*.md"):
                text = page.read_text(encoding="utf-8")
                page.write_text(re.sub(r"(?m)^title: (.*)$", lambda m, copy=copy: f"title: {retitled(m[1], copy)}", text, count=1),
                                encoding="utf-8")
                total += 1
    return docs


def retitled(title: str, copy: int) -> str:
    """The YAML of ``title`` with the copy's number appended (a JSON string is valid YAML)."""
    return json.dumps(f"{yaml.safe_load(title)} (copy {copy})")


def original_of(url: str) -> str:
    """The page a copy was made from: 'runbooks-copy-7/worker-failures/' -> 'runbooks/worker-failures/'."""
    return re.sub(rf"{COPY_MARK}\d+/", "/", url)
