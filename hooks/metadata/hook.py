"""MkDocs events for front matter: every page's metadata checked against the schema."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.dates.resolve import build_date
from hooks.metadata.frontmatter import read
from hooks.metadata.schema import MATERIAL_KEYS, validate
from hooks.report import Problem, Report, show, source_path
from hooks.sources.hook import Sources


class Metadata:
    def __init__(self, report: Report, sources: Sources, known_alerts: Callable[[], Iterable[str]]) -> None:
        self.report = report
        self.sources = sources
        self.known_alerts = known_alerts
        self.today = build_date()

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        path = source_path(config, page.file.src_uri)
        if self.sources.is_binary(page):
            return markdown  # Sources said what is wrong with it
        front = read(self.sources.text(page))
        if front.error:
            error_line, message = front.error
            self.report.add(Problem(path, error_line, message,
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
            shown = "" if issue.value is None else f" = {show(issue.value)}"
            self.report.add(Problem(path, line, f"front matter '{issue.key}'{shown} {issue.message}{where}"))
            if issue.key in MATERIAL_KEYS and issue.value is not None:
                # Material reads these keys without checking them (`search: yes` ends the build
                # in a traceback from its search plugin): the problem is reported, and the page
                # is rendered without the key until the strict gate fails the build.
                page.meta.pop(issue.key, None)
        return markdown
