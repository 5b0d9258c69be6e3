"""References in text that pymdownx.snippets includes, and includes that point nowhere.

MkDocs hands hooks a page's Markdown before any extension runs, so ``{{ facts.* }}`` written in
an included runbook section would reach the HTML as written. This extension uses the hook
pymdownx.snippets offers for rewriting included lines (``process_snippet_lines``) to resolve
them the same way as the page's own. With ``check_paths`` on, a missing file or section makes
the extension raise from inside the Markdown render, which MkDocs turns into a traceback; here
it is reported as a problem instead, and the page is rendered without that include.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Python-Markdown and pymdown-extensions ship no type information.
from markdown import Extension, Markdown  # type: ignore[import-untyped]
from pymdownx.snippets import SnippetMissingError  # type: ignore[import-untyped]


class IncludedReferences(Extension):  # type: ignore[misc]
    def __init__(self, resolve: Callable[[list[str], dict[str, Any]], list[str]], missing: Callable[[str], None]) -> None:
        super().__init__()
        self.resolve = resolve
        self.missing = missing

    def extendMarkdown(self, md: Markdown) -> None:
        if "snippet" not in md.preprocessors:
            return
        snippets = md.preprocessors["snippet"]
        process, run = snippets.process_snippet_lines, snippets.run

        def resolved(lines: list[str], target: dict[str, Any]) -> list[str]:
            return self.resolve(list(process(lines, target)), target)

        def run_or_report(lines: list[str]) -> list[str]:
            try:
                return list(run(lines))
            except SnippetMissingError as error:
                self.missing(str(error))
                snippets.check_paths = False
                try:
                    return list(run(lines))
                finally:
                    snippets.check_paths = True

        snippets.process_snippet_lines = resolved
        snippets.run = run_or_report
