"""The real portal: a strict build of docs/, and what the spec promises about it."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sites import build

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "spec" / "docs-support-README.md"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    result = build(ROOT, tmp_path_factory.mktemp("real") / "site")
    assert result.code == 0, result.output
    return result.site_dir


def spec_links() -> list[str]:
    text = SPEC.read_text() if SPEC.exists() else (ROOT / "docs/support/README.md").read_text()
    return re.findall(r"\]\(([^)\s]+)\)", text)


def test_strict_build_passes(built_site):
    assert (built_site / "index.html").exists()


def test_no_unresolved_fact_reference_reaches_a_page(built_site):
    from hooks.facts.substitute import REFERENCE
    leftovers = [p for p in built_site.rglob("*.html") if REFERENCE.search(p.read_text())]
    assert leftovers == []


@pytest.mark.parametrize("target", sorted({t for t in spec_links() if "://" not in t}))
def test_every_page_and_anchor_the_spec_links_to_exists(built_site, target):
    path, _, fragment = target.partition("#")
    source = (ROOT / "docs" / "support" / path).resolve()
    if path.endswith(".md"):
        assert source.exists(), f"{path} is missing from docs/"
        url = os.path.relpath(source, ROOT / "docs")[:-3]
        html_file = built_site / ("support/" if url == "support/README" else url + "/") / "index.html"
        html_file = built_site / url.replace("README", "") / "index.html" if url.endswith("README") else built_site / url / "index.html"
    else:
        html_file = built_site / os.path.relpath(source, ROOT / "docs") / "index.html"
    assert html_file.exists(), f"{target} has no page in the site"
    if fragment:
        assert f'id="{fragment}"' in html_file.read_text(), f"#{fragment} missing in {path}"


def test_knowledge_base_index_lists_every_article(built_site):
    kb = ROOT / "docs" / "support" / "knowledge-base"
    index = (built_site / "support/knowledge-base/INDEX/index.html").read_text()
    table = index[index.index('id="all-articles"'):index.index('id="by-symptom"')]
    articles = sorted(p.stem for p in kb.glob("*.md") if p.name not in {"INDEX.md", "tags.md"})
    missing = [name for name in articles if f'href="../{name}/"' not in table]
    assert len(articles) >= 10
    assert missing == [], f"INDEX.md does not link to: {missing}"


def test_every_knowledge_base_article_is_tagged(built_site):
    tags_page = (built_site / "support/knowledge-base/tags/index.html").read_text()
    kb = ROOT / "docs" / "support" / "knowledge-base"
    for article in kb.glob("*.md"):
        if article.name in {"INDEX.md", "tags.md"}:
            continue
        assert f"{article.stem}/" in tags_page, f"{article.name} is not listed on the tags page"


def test_every_alert_has_a_runbook_page(built_site):
    import yaml
    rules = yaml.safe_load((ROOT / "monitoring/prometheus/alerts.yml").read_text())
    answered = set()
    for runbook in (ROOT / "docs/runbooks").glob("*.md"):
        text = runbook.read_text()
        match = re.search(r"^alerts:\s*\n((?:\s+-\s+\S+\n)+)|^alerts:\s*\[([^\]]*)\]", text, re.M)
        if match:
            answered |= set(re.findall(r"[A-Za-z]+", match.group(1) or match.group(2)))
    alerts = {r["alert"] for g in rules["groups"] for r in g["rules"] if "alert" in r}
    assert alerts - answered == set()


def test_search_splits_identifiers_people_paste(built_site):
    index = json.loads((built_site / "search/search_index.json").read_text())
    separator = re.compile(index["config"]["separator"])
    def tokens(text):
        return [t.lower() for t in separator.split(text) if t]
    assert tokens("app.current_tenant_id") == ["app", "current", "tenant", "id"]
    assert tokens("celery-worker") == ["celery", "worker"]
    assert tokens("HighQueueDepth") == ["high", "queue", "depth"]
    assert tokens("kubectl rollout restart") == ["kubectl", "rollout", "restart"]
    assert tokens("HTTP 401") == ["http", "401"]
    assert tokens("v1.2") == ["v1.2"]  # a dot before a digit stays: versions are one word


def test_links_checker_passes_on_the_built_site(built_site):
    done = subprocess.run([sys.executable, "-m", "hooks.links", str(built_site)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_pages_fetch_nothing_from_the_internet(built_site):
    # rel="canonical" names the page's own address; it is never fetched.
    external = re.compile(r"""<(?:script|img|iframe|link(?![^>]*rel="canonical"))\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.I)
    offenders = [str(p.relative_to(built_site)) for p in built_site.rglob("*.html") if external.search(p.read_text())]
    assert offenders == []


def test_every_alert_runbook_url_resolves_in_the_built_site(built_site):
    import yaml
    portal = yaml.safe_load((ROOT / "data/facts.yml").read_text())["portal"]["url"]
    rules = yaml.safe_load((ROOT / "monitoring/prometheus/alerts.yml").read_text())
    for rule in (r for g in rules["groups"] for r in g["rules"] if "alert" in r):
        url = rule["annotations"]["runbook_url"]
        assert url.startswith(portal), f"{rule['alert']}: runbook_url is not on the portal: {url}"
        path, _, fragment = url[len(portal):].partition("#")
        page = built_site / path / "index.html"
        assert page.exists(), f"{rule['alert']}: runbook_url page {path} does not exist"
        assert f'id="{fragment}"' in page.read_text(), f"{rule['alert']}: #{fragment} missing on {path}"


def _material_sections(html: str) -> list[tuple]:
    from material.plugins.search.plugin import Parser
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, "".join(s.title), "".join(s.text), s.depth) for s in parser.data]


def test_materials_parser_reads_every_page_alike_without_code_token_spans(built_site):
    """hooks/search/beside.py takes Pygments' token spans out of code blocks before Material's
    search parser reads a page: on every page of the real tree, the sections must not change."""
    from hooks.search.beside import without_code_spans
    stripped = 0
    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        plain = without_code_spans(html)
        stripped += plain != html
        assert _material_sections(plain) == _material_sections(html), path
    assert stripped >= 10   # the real tree's runbooks are full of highlighted blocks


@pytest.mark.parametrize("block", [
    '<pre><code><span class="n">a</span>  <span class="o">&lt;</span>\n\n<span class="s">"b"</span></code></pre>',
    '<pre><code><span class="n">kept</span><span data-search-exclude>secret</span></code></pre>',
    '<pre><code><span class="linenos">1</span><span>x</span>&amp;<span class="w"> </span></code></pre>',
    '<div><h2 id="x">X</h2><pre><code><span class="k">in</span> heading section</code></pre></div>'
    '<pre><code><span class="k">after</span></code></pre>',
    # raw HTML a page may hold: a <pre> named in a comment, an unclosed span, a heading in a span
    '<!-- an example: <pre><code> --><p><span class="badge">Beta</p><pre><code><span class="n">x</span></code></pre>',
    '<pre><code><span class="n">open</span><span class="x">never closed</code></pre><p>after</p>',
    '<pre><code><span class="n"><h2 id="inner">Inner</h2>after</span></code></pre><p>end</p>',
    '<pre><span></span><code><span class="gp">$ </span>kubectl<span class="w"> </span>get<span class="w"> </span>pods</code></pre>',
])
def test_materials_parser_reads_code_blocks_alike_without_token_spans(block):
    from hooks.search.beside import without_code_spans
    html = f"<h1 id='t'>T</h1><p>intro</p>{block}<p>end</p>"
    assert _material_sections(without_code_spans(html)) == _material_sections(html)
