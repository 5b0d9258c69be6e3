"""MkDocs events for reading on a phone and on paper: every page's HTML rewritten once."""
from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.codeblocks import safety, syntax
from hooks.reading.compact import unwrap_plain_tokens
from hooks.reading.destructive import mark_destructive
from hooks.reading.diagrams import frame_diagrams
from hooks.reading.focus import focusable_code
from hooks.reading.placeholders import keep_placeholders_whole
from hooks.reading.tasklists import name_task_checkboxes


class Reading:
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = focusable_code(unwrap_plain_tokens(html))
        html = mark_destructive(html, safety.destructive_commands, syntax.DECLARED_NOT_RUNNABLE)
        html = keep_placeholders_whole(html)
        html = name_task_checkboxes(html)
        return frame_diagrams(html)
