"""MkDocs events for reading on a phone and on paper: every page's HTML rewritten once."""
from __future__ import annotations

from hooks.reading.compact import unwrap_plain_tokens
from hooks.reading.focus import focusable_code


class Reading:
    def on_page_content(self, html, *, page, config, files):
        return focusable_code(unwrap_plain_tokens(html))
