"""MkDocs events for runbook shape: every runbook (a page with ``alerts:`` in its front matter)
and every section an alert's runbook_url points at opens with "First five minutes"."""
from __future__ import annotations

from urllib.parse import urlsplit

from hooks.facts.hook import Facts, References
from hooks.report import Problem, Report, source_path
from hooks.runbooks.opening import alert_section_problems, runbook_problems


def alert_anchors(facts: Facts) -> dict[str, dict[str, str]]:
    """{page URL path: {section id: alert name}} from every alert's runbook_url."""
    anchors: dict[str, dict[str, str]] = {}
    alerts = facts.values.get("alerts", {})
    for name, alert in (alerts.items() if isinstance(alerts, dict) else []):
        url = urlsplit(str(alert.get("runbook_url", "")))
        if url.fragment:
            anchors.setdefault(url.path.strip("/") + "/", {})[url.fragment] = name
    return anchors


class RunbookOpening:
    def __init__(self, report: Report, facts: Facts, references: References) -> None:
        self.report = report
        self.references = references
        self.anchors = alert_anchors(facts)

    def on_page_markdown(self, markdown, *, page, config, files):
        text, offset = self.references.readable_source(page)
        problems = []
        if page.meta.get("alerts"):
            problems += runbook_problems(text, offset)
        sections = self.anchors.get(page.url) or self.anchors.get(page.url.rstrip("/") + "/")
        if sections:
            problems += alert_section_problems(text, offset, sections)
        path = source_path(config, page.file.src_uri)
        for line, message, hint in problems:
            self.report.add(Problem(path, line, message, hint))
        return markdown
