"""MkDocs events for the knowledge base's article list: nav entries and the index table."""
from __future__ import annotations

import posixpath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.articles.listing import MARKER, Article, add_to_nav, article, in_nav_order, table
from hooks.facts.hook import Facts
from hooks.facts.substitute import substitute
from hooks.metadata.frontmatter import read
from hooks.report import Problem, Report, log, source_path


class Articles:
    def __init__(self, report: Report, index: str, facts: Facts) -> None:
        self.report = report
        self.facts = facts
        self.index = index                      # e.g. support/knowledge-base/INDEX.md
        self.folder = posixpath.dirname(index)
        self.articles: list[Article] = []

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        index = files.get_file_from_path(self.index)
        if index is None:
            return files
        found = []
        for file in files.documentation_pages():
            if posixpath.dirname(file.src_uri) == self.folder and file.src_uri != self.index:
                item = article(file.src_uri, read(file.content_string).data)
                if item is not None:
                    found.append(item)
        if config["nav"] is not None:
            added = add_to_nav(config["nav"], self.index, found)
            if added:
                log.info("Knowledge base: in nav from their front matter: %s", ", ".join(a.src for a in added))
        self.articles = in_nav_order(found, config["nav"])
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri != self.index:
            return markdown
        if MARKER not in markdown:
            self.report.add(Problem(source_path(config, self.index), None,
                                    f"the knowledge base index has no '{MARKER}' line, so it lists no article",
                                    "put the marker where the table of every article belongs"))
            return markdown
        # The page's own references were resolved already (facts runs first, so its line numbers
        # are the source's); those in the articles' titles and descriptions are resolved here.
        listing, _ = substitute(table(self.articles, self.index), self.facts.values, {})
        return markdown.replace(MARKER, listing, 1)
