"""What a reader sees in the built portal: navigation, deep links, copy buttons, palette,
task lists, tags, the 404 page, edit links, page dates and the printed page.

One strict build of the real tree per module, served on 127.0.0.1 by a handler that answers
missing paths with site/404.html and status 404, driven in Debian's headless Chromium.
Screenshots of home, a runbook and a search result are tests/test_browser.py's.
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.search import build_site, serve  # noqa: E402

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

DEEP_LINKS = {
    "support/incident-response-playbook/": ["severity-level-definitions", "incident-response-workflow",
                                            "escalation-matrix", "communication-templates"],
    "support/on-call-rotation/": ["on-call-runbook-p0p1-scenarios", "handoff-procedures", "handoff-note-template"],
    "support/client-support-procedures/": ["ticket-investigation-workflow", "step-by-step-investigation-procedure"],
}
RUNBOOK = "runbooks/high-queue-depth/"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("experience") / "site")
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(color_scheme="light")
    tab = context.new_page()
    # Material's scripts run before DOMContentLoaded; waiting for every image and the Mermaid
    # bundle of a 30,000-word page on a loaded 2-core machine only adds seconds.
    goto = tab.goto
    tab.goto = lambda url, **kw: goto(url, **{"wait_until": "domcontentloaded", **kw})
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_tabs_and_sections_lead_to_the_pages(page, base):
    page.goto(base)
    page.locator(".md-tabs__link", has_text="Runbooks").click()
    page.wait_for_url("**/runbooks/")
    sidebar = [normalise(t) for t in page.locator(".md-sidebar--primary .md-nav__link").all_inner_texts()]
    assert "High Queue Depth Runbook" in sidebar and "Worker Failures Runbook" in sidebar, sidebar
    page.goto(base + "support/")
    # navigation.sections: the knowledge base is a labelled section of the Support tab.
    sections = [normalise(t) for t in page.locator(
        ".md-sidebar--primary .md-nav__item--section > .md-nav__link").all_inner_texts()]
    assert "Knowledge Base" in sections, sections
    page.locator(".md-sidebar--primary a.md-nav__link", has_text="Incident Response Playbook").first.click()
    page.wait_for_url("**/support/incident-response-playbook/")
    assert page.locator(".md-tabs__item--active").inner_text().strip() == "Support"


@pytest.mark.parametrize("path,anchor", [(p, a) for p, anchors in DEEP_LINKS.items() for a in anchors])
def test_deep_link_lands_on_its_heading(page, base, path, anchor):
    page.goto(f"{base}{path}#{anchor}")
    heading = page.locator(f"#{anchor}")
    assert heading.evaluate("el => el.tagName") in {"H2", "H3"}
    page.wait_for_function("id => { const t = document.getElementById(id).getBoundingClientRect().top;"
                           " return t >= 0 && t < 200; }", arg=anchor)
    header_bottom = page.locator(".md-header").evaluate("el => el.getBoundingClientRect().bottom")
    assert heading.evaluate("el => el.getBoundingClientRect().top") >= header_bottom - 5, "heading hidden under the header"


def test_copy_button_copies_the_command(browser, base):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base + RUNBOOK)
    block = page.locator(".language-bash pre").first
    # textContent, not innerText: with line spans innerText puts a blank line between the lines
    # of a multi-line block, which the copy button (rightly) does not.
    expected = block.locator("code").text_content()
    assert "kubectl" in expected, expected
    block.hover()
    # Material 9.8 renders the copy button as md-code__button; older releases as md-clipboard.
    block.locator('button.md-code__button[data-md-type="copy"], button.md-clipboard').click()
    copied = page.evaluate("navigator.clipboard.readText()")
    context.close()
    assert copied.strip() == expected.strip()


def _alert_ids() -> list[str]:
    import yaml
    rules = yaml.safe_load((ROOT / "monitoring/prometheus/alerts.yml").read_text())
    return [r["alert"].lower() for g in rules["groups"] for r in g["rules"] if "alert" in r]


def test_each_alert_section_shows_its_runbook_commands_and_copies_them(browser, base):
    """The first five minutes come from the runbook through pymdownx.snippets: on the page an
    alert's runbook_url opens, the first command is there, resolved, and its copy button works."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base + "operations/alert-runbooks/", wait_until="domcontentloaded")
    for alert in _alert_ids():
        block = page.locator(f"xpath=//h3[@id='{alert}-first-five-minutes']"
                             "/following-sibling::div[contains(@class, 'language-bash')][1]")
        inside = block.evaluate(f"""el => !!(document.getElementById('{alert}-rule')
            .compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)""")
        assert inside, f"{alert}: no command between its first-five-minutes heading and its rule"
        expected = block.locator("code").text_content()
        assert "kubectl" in expected and "{{" not in expected and "<" not in expected.split("\n")[0], expected
        block.scroll_into_view_if_needed()
        block.hover()
        block.locator('button.md-code__button[data-md-type="copy"], button.md-clipboard').click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == expected.strip(), alert
    context.close()


def test_dark_mode_choice_survives_a_reload(page, base):
    page.goto(base + RUNBOOK)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.locator('label[for="__palette_1"]').click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.reload()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.goto(base + "support/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_task_list_renders_as_checkboxes(page, base):
    page.goto(base + "support/")
    items = page.locator("li.task-list-item")
    assert items.count() >= 3
    assert items.first.locator('input[type="checkbox"]').count() == 1
    indicator = items.first.locator(".task-list-indicator")
    # custom_checkbox: Material draws the box as the indicator's ::before.
    assert indicator.evaluate("el => parseFloat(getComputedStyle(el, '::before').width)") > 0
    assert "[ ]" not in page.locator("article").inner_text()


def test_tags_page_lists_every_knowledge_base_article(page, base):
    page.goto(base + "support/knowledge-base/tags/")
    listed = {href.split("#")[0].rstrip("/").rsplit("/", 1)[-1]
              for href in page.locator("article a[href]").evaluate_all("els => els.map(a => a.href)")}
    articles = {p.stem for p in (ROOT / "docs/support/knowledge-base").glob("*.md") if p.stem not in {"tags"}}
    assert articles <= listed, f"not on the tags page: {sorted(articles - listed)}"


def test_missing_page_answers_404_with_the_portal_page(page, base):
    response = page.goto(base + "runbooks/no-such-runbook/")
    assert response.status == 404
    assert page.locator("h1").inner_text().strip() == "Page not found"
    assert page.locator(".md-search__input").count() == 1, "the 404 page lost the search box"
    page.locator("article a", has_text="Knowledge base index").click()
    page.wait_for_url("**/support/knowledge-base/INDEX/")
    assert page.locator("h1").first.inner_text().startswith("Knowledge Base Index")


def test_edit_this_page_points_at_the_source_file(page, base):
    for path, source in [(RUNBOOK, "runbooks/high-queue-depth.md"), ("support/", "support/README.md"),
                         ("support/knowledge-base/faq-webhook-setup/", "support/knowledge-base/faq-webhook-setup.md")]:
        page.goto(base + path)
        href = page.locator('a.md-content__button[rel="edit"]').get_attribute("href")
        assert href.endswith(f"/edit/main/docs/{source}"), href
        assert (ROOT / "docs" / source).is_file()


def test_last_updated_and_review_due_on_every_kind_of_page(page, base):
    for path in ["", "support/incident-response-playbook/", RUNBOOK, "operations/alert-runbooks/",
                 "support/knowledge-base/known-issues/", "metrics/weekly-metrics-review-template/"]:
        page.goto(base + path)
        last = page.locator('[data-portal="last-updated"] time').get_attribute("datetime")
        due = page.locator('[data-portal="next-review"] time').get_attribute("datetime")
        assert page.locator('[data-portal="next-review"]').is_visible(), path
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", last) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", due), (path, last, due)
        assert due > last, f"{path}: review due {due} is not after last update {last}"


def test_printed_runbook_keeps_code_and_tables_and_drops_navigation(page, base):
    pypdf = pytest.importorskip("pypdf")
    page.goto(base + RUNBOOK)
    # Blocks off screen are not laid out on screen (content-visibility), so they have no rendered
    # text until laid out; print lays them all out by itself, so the style goes before printing.
    everything = page.add_style_tag(content="* { content-visibility: visible !important; }")
    article = normalise(page.locator("article").inner_text())
    command = normalise(page.locator("article pre code").first.inner_text()).split(" | ")[0][:40]
    cell = normalise(page.locator("article table td").first.inner_text())
    navigation = {normalise(t) for t in page.locator(".md-tabs__link, .md-sidebar .md-nav__link").all_inner_texts()}
    # Labels that only navigation shows: if they are printed, navigation was printed.
    nav_only = {label for label in navigation if len(label) > 3 and label not in article}
    assert len(nav_only) >= 5, nav_only
    everything.evaluate("style => style.remove()")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    printed = normalise(" ".join(p.extract_text() or "" for p in pdf.pages))
    assert command in printed, f"command {command!r} missing from the printed page"
    assert cell in printed, f"table cell {cell!r} missing from the printed page"
    leaked = sorted(label for label in nav_only if label in printed)
    assert not leaked, f"navigation printed: {leaked}"
