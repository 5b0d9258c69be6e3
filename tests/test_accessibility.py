"""Accessibility of the built portal.

Static checks over every built page (one h1, images with alt text, every Mermaid diagram
introduced by a sentence and carrying its flowchart text in the page source), and axe-core
(the copy shipped in the axe-playwright-python wheel) in headless Chromium on a sample of
pages, in the light and dark palettes. Violations inside the page content and the portal's
own templates fail; violations in Material's chrome (header, tabs, sidebars, footer) are
printed as Material's, because the portal does not patch the theme.
"""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.search import build_site, chromium, serve  # noqa: E402

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

AXE_RULES = ["color-contrast", "image-alt", "page-has-heading-one", "duplicate-id"]
SAMPLE = ["", "runbooks/high-queue-depth/", "support/incident-response-playbook/",
          "support/knowledge-base/faq-webhook-setup/", "runbooks/worker-failures/"]
# Where the portal's own markup lives: page content, and overrides/ (page facts, review banner).
OURS = ".md-content, .portal-page-facts, .portal-review-overdue"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("a11y") / "site")


def pages(site: Path) -> list[Path]:
    found = [p for p in site.rglob("index.html")
             if "assets" not in p.parts and "http-equiv=\"refresh\"" not in p.read_text(encoding="utf-8")[:2000]]
    return sorted(found) + [site / "404.html"]


def article(page_html: str) -> str:
    start = page_html.find('<article class="md-content__inner')
    return page_html[start:page_html.find("</article>", start)] if start >= 0 else ""


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_every_page_has_exactly_one_h1(site):
    wrong = {}
    for page in pages(site):
        count = len(re.findall(r"<h1[\s>]", page.read_text(encoding="utf-8")))
        if count != 1:
            wrong[str(page.relative_to(site))] = count
    assert not wrong, f"pages without exactly one h1: {wrong}"


def test_images_have_text_alternatives(site):
    missing = []
    for page in pages(site):
        for img in re.findall(r"<img\b[^>]*>", article(page.read_text(encoding="utf-8"))):
            alt = re.search(r'\balt="([^"]*)"', img)
            if not alt or not alt.group(1).strip():
                missing.append(f"{page.relative_to(site)}: {img[:120]}")
    assert not missing, "images without alt text:\n" + "\n".join(missing)


def test_every_mermaid_diagram_is_introduced_and_its_text_is_in_the_page(site):
    """Material renders diagrams into a closed shadow root that assistive technology cannot
    read; what a screen-reader user gets is the sentence before the diagram and the flowchart
    source, which stays in the page as text."""
    problems, diagrams = [], 0
    for page in pages(site):
        body = article(page.read_text(encoding="utf-8"))
        for match in re.finditer(r'<pre class="mermaid"><code>(.*?)</code></pre>', body, re.S):
            diagrams += 1
            where = f"{page.relative_to(site)} diagram at {match.start()}"
            source = text_of(match.group(1))
            if len(re.findall(r"[A-Za-z]{3,}", source)) < 5:
                problems.append(f"{where}: no readable diagram text")
            # The diagram's own section (from its heading on) must say in prose what it shows.
            section = re.split(r"<h[1-6][\s>]", body[:match.start()])[-1]
            sentences = [text_of(p) for p in re.findall(r"<p>(.*?)</p>", section, re.S)]
            if not any(len(s.split()) >= 6 for s in sentences):
                problems.append(f"{where}: no sentence in its section introduces it")
    assert diagrams > 0, "no Mermaid diagram found: the check would prove nothing"
    assert not problems, "\n".join(problems)


def axe_violations(page) -> list[dict]:
    axe = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"
    page.add_script_tag(path=str(axe))
    result = page.evaluate("rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})", AXE_RULES)
    violations = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            selector = node["target"][0] if isinstance(node["target"][0], str) else node["target"][0][0]
            ours = page.evaluate("([sel, ours]) => { const el = document.querySelector(sel);"
                                 " return !!(el && el.closest(ours)); }", [selector, OURS])
            violations.append({"rule": violation["id"], "target": selector, "ours": ours,
                               "summary": node.get("failureSummary", "").replace("\n", " ")[:200]})
    return violations


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_our_content_or_templates(site, scheme):
    pytest.importorskip("axe_playwright_python")
    ours, materials = [], []
    with chromium() as browser, serve(site) as base:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.set_default_timeout(30000)
        for path in SAMPLE:
            page.goto(base + path, wait_until="domcontentloaded")
            for v in axe_violations(page):
                (ours if v["ours"] else materials).append(f"/{path} {v['rule']} {v['target']}: {v['summary']}")
        context.close()
    if materials:
        print(f"\nMaterial's own ({scheme}), not patched here:\n" + "\n".join(sorted(set(materials))))
    assert not ours, f"violations in portal content or overrides ({scheme}):\n" + "\n".join(ours)
