"""MkDocs events for published addresses: every URL the last release served still leads somewhere.

Alerts' runbook_url, incident tickets and bookmarks point at page URLs. A page moved or removed
without a redirect turns them into 404s; the build fails instead, naming the URL, the page it
was and the line of mkdocs.yml where the redirect goes.
"""
from __future__ import annotations

import difflib
import posixpath
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from hooks.background import Background, Later
from hooks.published.release import Release, read_release
from hooks.report import Problem, Report, config_path, line_of, log


def served_url(src_path: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives a Markdown path, and the URL mkdocs-redirects writes for it.

    The offline build turns directory URLs off (``page.html``); both sides of the comparison
    are then computed that way.
    """
    return File(src_path, src_dir=None, dest_dir="", use_directory_urls=use_directory_urls).url


def _redirect_keys(config: MkDocsConfig) -> list[str]:
    plugin = config["plugins"].get("redirects")
    return list((plugin.config.get("redirect_maps") or {}).keys()) if plugin else []


class Published:
    def __init__(self, report: Report, branch: str, background: Background) -> None:
        self.report = report
        self.branch = branch
        self.background = background
        self._release: Later[Release] | None = None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # git runs beside the build; the release is compared once every plugin has its files.
        self._release = self.background.later(read_release, Path(config["docs_dir"]),
                                              Path(config["config_file_path"]), self.branch)
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self._release is not None:
            self.compare(self._release.get(), config, files)
        return env

    def compare(self, release: Release, config: MkDocsConfig, files: Files) -> None:
        if release.unavailable:
            log.info("Published URLs not compared with the last release: %s", release.unavailable)
            return
        directory_urls = bool(config["use_directory_urls"])
        now = {file.url for file in files.documentation_pages()} | \
            {served_url(k, directory_urls) for k in _redirect_keys(config)}
        pages = sorted(file.src_uri for file in files.documentation_pages())
        for missing, source in sorted(self.missing(release, now, directory_urls).items()):
            self.report_missing(config, release, missing, source, pages)

    @staticmethod
    def missing(release: Release, now: set[str], directory_urls: bool = True) -> dict[str, str]:
        """URL -> what served it at the release (a page, or the source of a redirect)."""
        before = {served_url(p, directory_urls): p for p in release.pages}
        before.update({served_url(k, directory_urls): k for k in release.redirects
                       if served_url(k, directory_urls) not in before})
        return {url: source for url, source in before.items() if url not in now}

    def report_missing(self, config: MkDocsConfig, release: Release, url: str, source: str, pages: list[str]) -> None:
        yml_text = Path(config["config_file_path"]).read_text(encoding="utf-8")
        line = line_of(yml_text, "redirect_maps:") or line_of(yml_text, "plugins:")
        guess = difflib.get_close_matches(source, pages, n=1, cutoff=0.75) or \
            [p for p in pages if posixpath.basename(p) == posixpath.basename(source)][:1]
        target = guess[0] if guess else "<the page that replaces it>.md"
        what = "page" if source in release.pages else "redirect"
        self.report.add(Problem(
            config_path(config), line,
            f"'{url}' was served by the last release ({what} {source} on {release.ref} at {release.commit[:7]}) "
            f"and now has neither a page nor a redirect",
            f"add '{source}: {target}' under redirects.redirect_maps, or move pages with "
            f"`python -m scripts.move_page`, which adds it"))
