"""Search as a reader uses it, in headless Chromium: Material's search box and result list,
answered by the portal's worker from the index prepared at build time.

Behaviour only (results, keyboard, highlighting, sharing, suggestions); how fast is
benchmarks/search.py's question, not a test's.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sites import FixtureSite
from sites import page as markdown_page

from benchmarks.search import build_site, serve

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("search-browser") / "site")
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(15000)
    tab.worker_requests = []
    tab.on("request", lambda r: tab.worker_requests.append(r.url) if "/search/" in r.url or "/workers/" in r.url else None)
    yield tab
    context.close()


def ask(page, query: str):
    """Open the search and enter ``query``; Material reads the field on keyup."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    field = page.locator("input.md-search__input")
    field.fill(query)
    field.press("End")
    return field


def results(page) -> list[str]:
    page.wait_for_selector(".md-search-result__item")
    return [a.get_attribute("href") for a in page.locator(".md-search-result__item > a").all()]


def test_slash_focuses_the_search_and_the_portals_worker_answers(page, base):
    page.goto(base + "runbooks/high-queue-depth/")
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("escalation matrix")
    assert "support/incident-response-playbook/" in results(page)[0]
    assert any(re.search(r"/workers/portal-search\.[0-9a-f]{8}\.min\.js", url) for url in page.worker_requests)
    assert not any(url.endswith("workers/search.a7633da7.min.js") for url in page.worker_requests)
    fetched = [url for url in page.worker_requests if "/search/chunks/" in url or "/search/pages/" in url]
    assert fetched, "the worker answered without fetching a chunk"


def test_s_focuses_the_search_and_arrows_and_enter_open_a_result(page, base):
    page.goto(base)
    page.locator("body").press("s")
    page.keyboard.type("knowledge check")
    first = results(page)[0]
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == first
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/support/support-team-training-guide/**")
    assert urlsplit(page.url).fragment == "knowledge-check"


def test_a_section_result_lands_on_its_heading_with_the_words_highlighted(page, base):
    page.goto(base)
    ask(page, "roll back a deployment")
    results(page)
    link = page.locator('.md-search-result__item a[href*="production-deployment-runbook/"][href*="#roll"]').first
    href = link.get_attribute("href")
    assert parse_qs(urlsplit(href).query)["h"], href
    link.click()
    page.wait_for_url("**/operations/production-deployment-runbook/**")
    anchor = urlsplit(page.url).fragment
    heading = page.locator(f"#{anchor}")
    assert heading.evaluate("el => el.getBoundingClientRect().top") < 300
    marks_in_section = heading.evaluate("""el => {
        let n = 0, node = el.nextElementSibling;
        while (node && !/^H[1-3]$/.test(node.tagName)) { n += node.querySelectorAll('mark[data-md-highlight]').length; node = node.nextElementSibling; }
        return n + el.querySelectorAll('mark[data-md-highlight]').length; }""")
    assert marks_in_section > 0


def test_results_show_teasers_with_the_matching_words_marked(page, base):
    page.goto(base)
    ask(page, "WorkerLostError")
    results(page)
    marked = page.locator(".md-search-result__item mark").all_inner_texts()
    # Marked as the index splits it, like Material's own highlighting: Worker, Lost, Error.
    assert {"Worker", "Lost", "Error"} <= set(marked), marked
    meta = page.locator(".md-search-result__meta").inner_text()
    assert re.search(r"\d+ matching documents?", meta), meta


def test_share_link_and_suggestion_follow_the_query(page, base):
    page.goto(base)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    field = page.locator("input.md-search__input")
    field.type("escalation matr")
    results(page)
    page.wait_for_function("document.querySelector('.md-search__suggest').textContent.trim() === 'escalation matrix'")
    field.press("ArrowRight")
    assert field.input_value() == "escalation matrix"
    share = page.locator('a.md-search__icon[title="Share"], .md-search__options a[href*="?q="]').first
    assert "q=escalation+matr" in share.get_attribute("href")


def test_a_shared_search_link_opens_with_its_results(page, base):
    page.goto(base + "?q=escalation+matrix")
    assert page.locator("input.md-search__input").input_value() == "escalation matrix"
    assert "support/incident-response-playbook/" in results(page)[0]


def test_the_answer_shown_is_the_last_query_typed(page, base):
    page.goto(base)
    for query in ["queue", "webhook secret", "who can be incident commander"]:
        ask(page, query)
    page.wait_for_function("""() => {
        const a = document.querySelector('.md-search-result__item > a');
        return a && a.href.includes('incident-response-playbook'); }""")
    page.wait_for_timeout(500)   # a late answer to an earlier query would replace the list now
    assert "incident-response-playbook" in results(page)[0]


def test_a_query_with_no_match_says_so(page, base):
    page.goto(base)
    ask(page, "xylophonequartz")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('No matching')")
    assert page.locator(".md-search-result__item").count() == 0


def test_a_word_named_in_passing_does_not_complete_a_sections_match(browser, tmp_path):
    # "who" is in one section's heading and "rollback" in one line of its table; the other
    # section is the rollback procedure, which never says "who". Counting the passing mention
    # as a full match put the table first.
    rows = "\n".join(f"| {action} | L2 |" for action in ("Restart a pod", "Scale the workers", "Create a silence",
                                                         "Purge a queue", "Rotate a secret", "Roll back a deployment"))
    site = FixtureSite(tmp_path, {
        "index.md": markdown_page("# Home\n\nThe support portal.\n"),
        "roles.md": markdown_page(f"# Roles\n\n## Who may act {{#who-may-act}}\n\nWho approves each action.\n\n"
                                  f"| Action | Who |\n|---|---|\n{rows}\n"),
        "deploy.md": markdown_page("# Deployment\n\n## Roll back {#roll-back}\n\nRoll back first and investigate "
                                   "afterwards: `kubectl rollout undo`. A rollback that stalls is rolled back "
                                   "again to the previous revision.\n\n## Verify {#verify}\n\nCheck the health "
                                   "endpoints.\n"),
        "on-call.md": markdown_page("# On-call\n\n## Who is on call {#who}\n\nThe rota names who answers pages.\n"),
    })
    site.commit_all()
    result = site.build()
    assert result.code == 0, result.output
    with serve(result.site_dir) as url:
        tab = browser.new_page()
        tab.goto(url)
        ask(tab, "who can roll back")
        shown = results(tab)
        assert urlsplit(shown[0]).path == "/deploy/" and shown[1].endswith("/deploy/#roll-back"), shown
        tab.close()
