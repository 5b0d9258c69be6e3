"""MkDocs events for front matter: every page's metadata checked against the schema."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from hooks.dates.resolve import build_date
from hooks.metadata.frontmatter import read
from hooks.metadata.schema import validate
from hooks.report import Problem, Report, source_path


class Metadata:
    def __init__(self, report: Report, known_alerts: Callable[[], Iterable[str]]) -> None:
        self.report = report
        self.known_alerts = known_alerts
        self.today = build_date()

    def on_page_markdown(self, markdown, *, page, config, files):
        path = source_path(config, page.file.src_uri)
        front = read(page.file.content_string)
        if front.error:
            line, message = front.error
            self.report.add(Problem(path, line, message,
                                    "fix the YAML between the '---' lines; dates are YYYY-MM-DD and must exist"))
            return markdown
        own_keys = set(front.data or {})
        for issue in validate(page.meta, page.file.src_uri, list(self.known_alerts()), self.today):
            if issue.key in own_keys:
                line = front.key_lines.get(issue.key)
                where = ""
            else:
                line = 1 if issue.value is None else None
                where = "" if issue.value is None else " (value from a folder's .meta.yml)"
            shown = "" if issue.value is None else f" = {issue.value!r}"
            self.report.add(Problem(path, line, f"front matter '{issue.key}'{shown} {issue.message}{where}"))
        return markdown
