"""hooks/articles: the knowledge base's articles listed in nav and in its index from their front matter."""
from __future__ import annotations

import yaml
from sites import FixtureSite, page

from hooks.articles.listing import Article, add_to_nav, article, in_nav_order, table

KB = "kb/INDEX.md"


def test_an_article_is_a_page_tagged_with_its_kind():
    assert article("kb/faq-x.md", {"title": "FAQ: X", "description": "Why.", "tags": ["client-facing", "faq"]}) == \
        Article("kb/faq-x.md", "FAQ: X", "FAQ", "Why.")
    assert article("kb/tags.md", {"title": "Tags", "tags": ["knowledge-base"]}) is None
    assert article("kb/broken.md", None) is None


def test_missing_articles_go_after_the_last_article_and_before_the_tags_page():
    nav = ["index.md", {"Support": ["s.md", {"KB": [KB, "kb/faq-a.md", "kb/known-issues.md", "kb/tags.md"]}]}]
    articles = [Article("kb/faq-a.md", "FAQ: A", "FAQ", ""), Article("kb/known-issues.md", "Known Issues", "Known issues", ""),
                Article("kb/troubleshooting-z.md", "Troubleshooting: Z", "Troubleshooting", ""),
                Article("kb/faq-b.md", "FAQ: B", "FAQ", "")]
    added = add_to_nav(nav, KB, articles)
    assert [a.src for a in added] == ["kb/faq-b.md", "kb/troubleshooting-z.md"]
    assert nav[1]["Support"][1]["KB"] == [KB, "kb/faq-a.md", "kb/known-issues.md", "kb/faq-b.md",
                                          "kb/troubleshooting-z.md", "kb/tags.md"]
    assert [a.src for a in in_nav_order(articles, nav)] == ["kb/faq-a.md", "kb/known-issues.md", "kb/faq-b.md",
                                                            "kb/troubleshooting-z.md"]


def test_the_table_links_from_the_index_and_escapes_pipes():
    rows = table([Article("kb/faq-a.md", "FAQ: A | B", "FAQ", "Why\n  it fails.")], KB).splitlines()
    assert rows == ["| Article | Type | Answers |", "|---|---|---|", "| [FAQ: A \\| B](faq-a.md) | FAQ | Why it fails. |"]


def kb_site(tmp_path, index_body: str) -> FixtureSite:
    pages = {
        "index.md": page("# Home\n"),
        KB: page(f"# Knowledge Base\n\n## All Articles\n\n{index_body}\n", tags=["faq"]),
        "kb/faq-listed.md": page("# FAQ: Listed\n", title="FAQ: Listed", description="The listed one.", tags=["faq"]),
        "kb/faq-new.md": page("# FAQ: New\n", title="FAQ: New", tags=["faq"],
                              description="The scaffolded one, about {{ facts.sla.p0.resolve }}."),
        "kb/tags.md": page("# Tags\n", tags=["knowledge-base"]),
    }
    nav = ["index.md", {"Knowledge Base": [KB, "kb/faq-listed.md", "kb/tags.md"]}]
    site = FixtureSite(tmp_path, pages, nav=nav)
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    config["extra"]["portal"]["knowledge_base_index"] = KB
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    site.commit_all()
    return site


def test_an_article_missing_from_nav_and_index_is_listed_in_both(tmp_path):
    result = kb_site(tmp_path, "<!-- portal/articles -->").build()
    assert result.code == 0, result.output
    html = (result.site_dir / "kb/INDEX/index.html").read_text()
    assert html.index('href="../faq-listed/"') < html.index('href="../faq-new/"') < html.index('href="../tags/"')
    assert "<td>The scaffolded one, about 2 hours.</td>" in html
    assert "portal/articles" not in html


def test_an_index_without_the_marker_is_reported(tmp_path):
    result = kb_site(tmp_path, "Articles are listed below.").build()
    assert result.code == 1
    assert "docs/kb/INDEX.md: the knowledge base index has no '<!-- portal/articles -->' line" in result.output
