"""MkDocs events for runbook shape: every runbook (a page with ``alerts:`` in its front matter)
and every section an alert's runbook_url points at opens with "First five minutes".

Both are read as the reader sees them (``References.readable_source``): an alert section whose
first five minutes come from its runbook through pymdownx.snippets is checked with the included
words and commands, and a problem inside included text is reported at the include line."""
from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.facts.hook import Facts, References
from hooks.report import Problem, Report, source_path
from hooks.runbooks.opening import alert_section_problems, runbook_problems
from hooks.runbooks.tables import incomplete_alert_tables


def alert_anchors(facts: Facts, site_path: str = "/") -> dict[str, dict[str, str]]:
    """{page path as a URL, e.g. 'operations/alert-runbooks/': {section id: alert name}} from
    every alert's runbook_url; ``site_path`` is the path of the site's own URL."""
    anchors: dict[str, dict[str, str]] = {}
    alerts = facts.values.get("alerts", {})
    prefix = "/" + site_path.strip("/") + "/" if site_path.strip("/") else "/"
    for name, alert in (alerts.items() if isinstance(alerts, dict) else []):
        url = urlsplit(str(alert.get("runbook_url", "")))
        path = url.path if url.path.startswith(prefix) else "/"
        if url.fragment:
            anchors.setdefault(_as_directory(path[len(prefix):]), {})[url.fragment] = name
    return anchors


def page_path(src_uri: str) -> str:
    """The URL path of a page from its source file, whatever use_directory_urls says."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    folder, name = posixpath.split(stem)
    return _as_directory(folder if name in ("index", "README") else stem)


def _as_directory(path: str) -> str:
    path = path.strip("/")
    for suffix in ("/index.html", ".html"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    return path + "/" if path else ""


class RunbookOpening:
    def __init__(self, report: Report, facts: Facts, references: References) -> None:
        self.report = report
        self.facts = facts
        self.references = references
        self.anchors: dict[str, dict[str, str]] | None = None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.anchors is None:
            self.anchors = alert_anchors(self.facts, urlsplit(config.get("site_url") or "/").path)
        self._check_alert_tables(page, config)
        sections = self.anchors.get(page_path(page.file.src_uri))
        if not (page.meta.get("alerts") or sections):
            return markdown
        readable = self.references.readable_source(page)
        problems = runbook_problems(readable.text, 0) if page.meta.get("alerts") else []
        if sections:
            problems += alert_section_problems(readable.text, 0, sections)
        path = source_path(config, page.file.src_uri)
        for line, message, hint in problems:
            source_line = readable.source_line(line)
            target = readable.includes.get(source_line)
            if target:
                message += f" (in the text included from '{target}')"
            self.report.add(Problem(path, source_line, message, hint))
        return markdown

    def _check_alert_tables(self, page: Page, config: MkDocsConfig) -> None:
        alerts = self.facts.values.get("alerts", {})
        if not isinstance(alerts, dict) or not alerts:
            return
        # The file as written: readable_source leaves tables out, and a table's line is its own.
        for line, missing in incomplete_alert_tables(self.references.sources.text(page), alerts):
            self.report.add(Problem(source_path(config, page.file.src_uri), line,
                                    f"this table lists every alert but {', '.join(missing)}",
                                    "add a row for each: the alert rules file lists them all"))
