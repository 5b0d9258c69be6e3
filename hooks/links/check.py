"""Resolve link targets against a site's pages and ids; say what is broken and what was meant."""
from __future__ import annotations

import difflib
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# Ids that tools generate for their own widgets; never suggested as link targets.
GENERATED_ID = re.compile(r"^(__|fn:|fnref:|__tabbed|__code|__span|__consent|__palette|__search|__drawer|__toc|__skip)")


@dataclass(frozen=True)
class Target:
    """Where a link points in the built site: a page URL (``dir/page/``) and a fragment."""

    url: str
    fragment: str


@dataclass(frozen=True)
class Broken:
    shown: str  # the link as its author would recognise it: "page.md#anchor", not the rendered URL
    message: str
    suggestion: str | None = None


def is_external(href: str) -> bool:
    if ":" not in href and not href.startswith("//"):
        return False  # the common case, decided without parsing
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc) or href.startswith(("mailto:", "tel:", "javascript:", "data:"))


def normalise_url(url: str) -> str:
    """``a/b/index.html`` and ``a/b/`` are the same page; the site root is ``''``."""
    url = url.lstrip("/")
    if url.endswith("index.html"):
        url = url[: -len("index.html")]
    return url


def resolve(href: str, from_url: str) -> Target:
    """The site URL and fragment a relative ``href`` on the page at ``from_url`` leads to."""
    parts = urlsplit(href)
    fragment = unquote(parts.fragment)
    if not parts.path:
        return Target(normalise_url(from_url), fragment)
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    joined = posixpath.normpath(posixpath.join("/" + base, unquote(parts.path)))
    if parts.path.endswith("/") and not joined.endswith("/"):
        joined += "/"
    return Target(normalise_url(joined.lstrip("/")), fragment)


def closest(word: str, options: list[str]) -> str | None:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return match[0] if match else None


class Site:
    """The pages of a built site (URL -> ids) and the other files a link may point at."""

    def __init__(self) -> None:
        self.page_ids: dict[str, set[str]] = {}
        self.files: set[str] = set()          # static files and redirect pages, by site path
        self.page_sources: dict[str, str] = {}  # page URL -> Markdown source path, for hints

    def add_page(self, url: str, ids: list[str], source: str | None = None) -> None:
        self.page_ids[normalise_url(url)] = set(ids)
        if source:
            self.page_sources[normalise_url(url)] = source

    def check(self, href: str, from_url: str) -> Broken | None:
        if not href or is_external(href):
            return None
        parts = urlsplit(href)
        if parts.path.endswith(".md"):
            # MkDocs leaves a link to a Markdown file as written when no such page exists.
            return self._missing_markdown(href, from_url)
        target = resolve(href, from_url)
        if target.url in self.page_ids:
            return self._check_fragment(href, target, from_url)
        if target.url in self.files or target.url.rstrip("/") in self.files:
            return None
        pages = sorted(self.page_ids)
        guess = closest(target.url, pages)
        return Broken(href, f"links to '{target.url or '/'}', which is not a page or file of the site",
                      f"did you mean '{guess}'?" if guess is not None else None)

    def _check_fragment(self, href: str, target: Target, from_url: str) -> Broken | None:
        if not target.fragment:
            return None
        ids = self.page_ids[target.url]
        if target.fragment in ids:
            return None
        candidates = sorted(i for i in ids if not GENERATED_ID.match(i))
        guess = closest(target.fragment, candidates)
        page = self.page_sources.get(target.url, target.url or "the home page")
        same_page = target.url == normalise_url(from_url) and not urlsplit(href).path
        shown = f"#{target.fragment}" if same_page else f"{page}#{target.fragment}"
        return Broken(shown, f"anchor '#{target.fragment}' does not exist in {page}",
                      f"did you mean '#{guess}'?" if guess else None)

    def _missing_markdown(self, href: str, from_url: str) -> Broken:
        from_source = self.page_sources.get(normalise_url(from_url), "")
        wanted = posixpath.normpath(posixpath.join(posixpath.dirname(from_source), urlsplit(href).path))
        sources = sorted(self.page_sources.values())
        guess = closest(wanted, sources)
        suggestion = None
        if guess:
            relative = posixpath.relpath(guess, posixpath.dirname(from_source) or ".")
            suggestion = f"did you mean '{relative}'?"
        return Broken(href, f"links to '{wanted}', which does not exist in the docs", suggestion)


def duplicate_ids(ids: list[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)
