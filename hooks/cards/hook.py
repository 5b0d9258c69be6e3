"""MkDocs events for header cards: one at the top of each runbook (a page with ``alerts:``)
and one under each alert's heading (an h2 whose id is the alert's name in lower case, as
in the alert runbooks), inserted into the rendered page so the page's source stays as its
authors wrote it."""
from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Template
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.cards.card import AlertEntry, Card, alert_card, alert_entry, runbook_card
from hooks.cards.links import GROUP, tool_links
from hooks.cards.routing import RoutingError
from hooks.dates.hook import Dates
from hooks.facts.hook import Facts
from hooks.report import Problem, Report, line_of, project_root
from hooks.review.hook import Review

H1_END = re.compile(r"</h1>")
H2 = re.compile(r'<h2 id="(?P<id>[^"]+)"[^>]*>.*?</h2>', re.S)
TEMPLATE = "partials/portal/header-card.html"


class Cards:
    def __init__(self, report: Report, facts: Facts, dates: Dates, review: Review, settings: Any) -> None:
        self.report = report
        self.facts = facts
        self.dates = dates
        self.review = review
        self.settings = settings
        self.links, self._link_problems = tool_links(facts.values, set(facts.alert_names()))
        self.by_section_id = {name.lower(): name for name in facts.alert_names()}
        self.route: dict[str, Any] | None = None
        self._template: Template | None = None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = project_root(config)
        facts_file = str(self.settings.facts_file)
        text = Path(facts_file).read_text(encoding="utf-8")
        start = text.find(f"\n{GROUP}:")
        for key, message in self._link_problems:
            # "pagerduty.<receiver>.url" sits on its receiver's line: {service: ..., url: ...}
            needle = next(part for part in reversed(key.split(".")) if part != "url")
            line = line_of(text, f"{needle}:", max(start, 0))
            self.report.add(Problem(os.path.relpath(facts_file, root), line, message,
                                    "set the deployment's URL, or leave the value 'open'"))
        self.route = self._load_route(root)
        return files

    def _load_route(self, root: str) -> dict[str, Any] | None:
        path = self.settings.alertmanager_file
        if not path:
            return None
        shown = os.path.relpath(path, root)
        try:
            config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
            route: dict[str, Any] = config["route"]
            # Route every alert now, so that a matcher the routing walk cannot read is reported once,
            # here, rather than on the first page whose card needs it.
            for name in self.facts.alert_names():
                alert_entry(name, self.facts.values, self.links, route)
            return route
        except (yaml.YAMLError, KeyError, TypeError, RoutingError) as exc:
            self.report.add(Problem(shown, None, f"cannot read the Alertmanager routes: {exc}",
                                    "amtool check-config validates the file"))
            return None

    def entry(self, name: str) -> AlertEntry:
        return alert_entry(name, self.facts.values, self.links, self.route)

    def render(self, config: MkDocsConfig, card: Card) -> str:
        if self._template is None:
            self._template = config.theme.get_env().get_template(TEMPLATE)
        return str(self._template.render(card=card))

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        last, due, today = self.dates.last_updated(page), self.review.next_review(page), self.dates.today
        alerts = page.meta.get("alerts")
        if isinstance(alerts, list) and alerts:
            known = [name for name in alerts if name in self.by_section_id.values()]  # unknown: Metadata reports
            card = self.render(config, runbook_card(page.meta, [self.entry(n) for n in known], last, due, today))
            end = H1_END.search(html)
            html = html[:end.end()] + card + html[end.end():] if end else card + html
        if 'id="' in html:
            html = H2.sub(lambda m: self._section(m, config, page.meta, last, due, today), html)
        return html

    def _section(self, match: re.Match[str], config: MkDocsConfig, meta: Mapping[str, Any], last: dt.date | None,
                 due: dt.date | None, today: dt.date) -> str:
        name = self.by_section_id.get(match["id"])
        if name is None:
            return match.group()
        return match.group() + self.render(config, alert_card(meta, self.entry(name), last, due, today))
