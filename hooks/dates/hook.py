"""MkDocs events for "Last Updated": one git read per build, one date per page."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.background import Background, Later
from hooks.dates.git import GitHistory, read_history
from hooks.dates.resolve import UNCOMMITTED, as_date, build_date, page_date
from hooks.report import Problem, Report, log, source_path


class Dates:
    def __init__(self, report: Report, background: Background) -> None:
        self.report = report
        self.background = background
        self.today = build_date()
        self._history: Later[GitHistory] = Later(value=GitHistory())
        self._dates: dict[str, dt.date] = {}
        self._fallbacks: dict[str, list[str]] = defaultdict(list)
        self._uncommitted: list[str] = []

    def last_updated(self, page: Page) -> dt.date | None:
        """The page's "Last Updated" date, once its Markdown has been read."""
        return self._dates.get(page.file.src_uri)

    @property
    def history(self) -> GitHistory:
        return self._history.get()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # git runs beside the build while MkDocs reads the navigation and the first page.
        self._history = self.background.later(read_history, Path(config["docs_dir"]))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        front_matter = as_date(page.meta.get("last_updated"))  # a malformed value is reported by Metadata
        chosen = page_date(page.file.src_uri, front_matter, self.history, self.today)
        self._dates[page.file.src_uri] = chosen.date
        page.meta["last_updated"] = chosen.date.isoformat()  # for the templates
        page.meta["last_updated_source"] = chosen.source
        if chosen.fallback_reason:
            self._fallbacks[chosen.fallback_reason].append(page.file.src_uri)
        elif chosen.source == UNCOMMITTED:
            self._uncommitted.append(page.file.src_uri)
        return markdown

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        for reason, pages in sorted(self._fallbacks.items()):
            shown = ", ".join(sorted(pages)[:8]) + (f" and {len(pages) - 8} more" if len(pages) > 8 else "")
            hint = ("run 'git fetch --unshallow' (or clone with full history)" if reason.startswith("shallow")
                    else "build from a git clone, or set last_updated in the front matter")
            self.report.add(Problem(source_path(config, ""), None,
                                    f"Last Updated falls back to the build date {self.today} for {len(pages)} page(s): "
                                    f"{reason}: {shown}", hint))
        if self._uncommitted:
            log.info("Last Updated: %d page(s) with uncommitted changes show today's date: %s",
                     len(self._uncommitted), ", ".join(sorted(self._uncommitted)[:8]))
        return env
