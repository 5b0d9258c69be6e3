"""MkDocs events for facts: loaded once per build, every page's references resolved."""
from __future__ import annotations

import html as html_text
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.dates.hook import Dates
from hooks.facts.substitute import LOOKS_LIKE_REFERENCE, malformed_references, substitute, visible_template_syntax
from hooks.facts.values import FactsError, load_facts
from hooks.report import Problem, Report, body_line_offset, clip, line_of, source_path
from hooks.review.hook import Review
from hooks.sources.hook import Sources


@dataclass(frozen=True)
class Facts:
    """The flattened facts (``data/facts.yml`` and the alert rules as ``alerts.*``)."""

    values: dict[str, Any]

    def alert_names(self) -> list[str]:
        alerts = self.values.get("alerts", {})
        return sorted(alerts) if isinstance(alerts, dict) else []


def load_facts_or_fail(settings: Any) -> Facts:
    try:
        return Facts(load_facts(Path(settings.facts_file), Path(settings.alert_rules_file)))
    except FactsError as exc:
        raise PluginError(f"facts: {exc}") from None


class References:
    """``{{ facts.* }}`` and ``{{ page.* }}`` in every page, resolved or reported."""

    def __init__(self, report: Report, sources: Sources, facts: Facts, dates: Dates, review: Review) -> None:
        self.report = report
        self.sources = sources
        self.facts = facts
        self.dates = dates
        self.review = review

    def page_values(self, page: Page) -> dict[str, Any]:
        values = {k: v for k, v in page.meta.items() if not k.startswith("_")}
        values.setdefault("title", page.title)
        last = self.dates.last_updated(page)
        due = self.review.next_review(page)
        if last is not None:
            values["last_updated"] = last.isoformat()
        if due is not None:
            values["next_review"] = due.isoformat()
        return values

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        front_matter_lines = body_line_offset(self.sources.text(page))
        text, unknown = substitute(markdown, self.facts.values, self.page_values(page), line_offset=front_matter_lines)
        for ref in unknown:
            hint = (f"did you mean '{{{{ {ref.suggestion} }}}}'?" if ref.suggestion
                    else "add it to data/facts.yml or fix the key")
            self.report.add(Problem(source_path(config, page.file.src_uri), ref.line,
                                    f"unknown reference '{{{{ {ref.reference} }}}}': {ref.reason}", hint))
        for bad in malformed_references(markdown, line_offset=front_matter_lines):
            self.report.add(Problem(source_path(config, page.file.src_uri), bad.line,
                                    f"'{bad.text}' {bad.reason}; it would show literally on the page",
                                    f"write '{bad.suggestion}'" if bad.suggestion else "write {{ facts.<group>.<key> }} or {{ page.<key> }}"))
        return text

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        source = None
        for leftover in visible_template_syntax(html):
            written = html_text.unescape(leftover)
            if LOOKS_LIKE_REFERENCE.match(written):
                continue  # reported from the Markdown, with its line
            source = source if source is not None else self.sources.text(page)
            self.report.add(Problem(source_path(config, page.file.src_uri), line_of(source, written),
                                    f"template syntax '{clip(written, 60)}' shows literally on the page: the build "
                                    "resolves only {{ facts.* }} and {{ page.* }}",
                                    "put it in `code` if the reader should see it, or write a facts reference"))
        return html

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["facts"] = self.facts.values  # templates show facts too (404.html)
        return env
