"""MkDocs events for the source files: what the build reads, read once for every concern.

Symbolic links that leave the repository are refused before anything reads them (a page
linked to a system file would otherwise be published, or its lines printed by whichever
plugin failed to parse it). Pages are decoded here rather than by MkDocs, which ends the
build with a UnicodeDecodeError traceback on a Windows-1252 paste; every concern asks
``text(page)`` for the source instead of re-reading ``File.content_string`` (which reads the
file again on every access).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import YAML_RE

from hooks import cache
from hooks.report import Problem, Report, clip, log, project_root, source_path
from hooks.sources.files import Symlink, decode, symlinks_leaving

HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


class Sources:
    def __init__(self, report: Report, config: MkDocsConfig) -> None:
        self.report = report
        self._text: dict[str, str] = {}
        self._binary: set[str] = set()
        links = symlinks_leaving(Path(config["docs_dir"]), Path(project_root(config)))
        folders = [link for link in links if link.is_dir]
        if folders:
            raise PluginError("\n".join(f"{_shown(config, link)}: symbolic link to a folder that {link.reason} "
                                        f"({clip(link.target)}); MkDocs would read every file in it "
                                        "(remove the link, or copy the pages into docs/)" for link in folders))
        self._refused = {link.path: link for link in links}

    def text(self, page: Page) -> str:
        """The page's source as read for this build (or, for a page a dirty build did not read,
        from its file with undecodable bytes replaced)."""
        text = self._text.get(page.file.src_uri)
        if text is None:
            source_file = page.file.abs_src_path
            text = decode(Path(source_file).read_bytes()).text if source_file else page.file.content_string
        return text

    def is_binary(self, page: Page) -> bool:
        return page.file.src_uri in self._binary

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if cache.stale_outputs(config, files):
            log.info("An input outside docs/ changed: every page is rebuilt")
        for src_uri, link in self._refused.items():
            file = files.get_file_from_path(src_uri)
            if file is not None:
                files.remove(file)
            self.report.add(Problem(_shown(config, link), None,
                                    f"symbolic link that {link.reason} ({clip(link.target)}): not published",
                                    "put the file itself in docs/, or link to where it lives"))
        for file in [f for f in files if f.src_uri.endswith(".meta.yml")]:
            if file.abs_src_path is None:
                continue
            decoded = decode(Path(file.abs_src_path).read_bytes())
            if decoded.problem:
                files.remove(file)  # Material's meta plugin would end the build with the decode error
                self.report.add(Problem(source_path(config, file.src_uri), decoded.line,
                                        f"folder defaults file {decoded.problem}; its defaults are not applied",
                                        "re-save the file as UTF-8"))
        return files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        path = page.file.abs_src_path
        if path is None:
            return None  # a generated page: MkDocs holds its content
        decoded = decode(Path(path).read_bytes())
        self._text[page.file.src_uri] = decoded.text
        if decoded.problem:
            if decoded.binary:
                self._binary.add(page.file.src_uri)
            self.report.add(Problem(source_path(config, page.file.src_uri), decoded.line,
                                    f"page {decoded.problem}", "re-save it as UTF-8 (in most editors: Save As, "
                                    "encoding UTF-8)" if not decoded.binary else
                                    "a page must be UTF-8 Markdown: replace the file with its Markdown source"))
        return decoded.text

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri not in self._binary and not _has_content(markdown):
            front_matter = YAML_RE.match(self.text(page))
            line = self.text(page).count("\n", 0, front_matter.end()) if front_matter else 1  # its closing '---'
            self.report.add(Problem(source_path(config, page.file.src_uri), line,
                                    "page has nothing after its front matter: it would publish a blank page",
                                    "write its content, or remove the file and its nav entry"))
        return markdown


def _has_content(markdown: str) -> bool:
    if "<!--" in markdown:
        markdown = HTML_COMMENT.sub("", markdown)
    return bool(markdown.strip())


def _shown(config: Any, link: Symlink) -> str:
    return source_path(config, link.path)
