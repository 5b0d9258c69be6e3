"""Resolve link targets against a site's pages and ids; say what is broken and what was meant."""
from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from hooks.links.suggest import Closest
from hooks.shown import clip

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
    return Closest(options)(word)


class Site:
    """The pages of a built site (URL -> ids) and the other files a link may point at.

    URLs are kept unquoted (``my page/``, ``café/``): MkDocs writes them percent-encoded in
    the HTML, and ``resolve`` decodes what it reads, so both sides compare the same way.
    """

    def __init__(self) -> None:
        self.page_ids: dict[str, set[str]] = {}
        self.files: set[str] = set()          # static files and redirect pages, by site path
        self.page_sources: dict[str, str] = {}  # page URL -> Markdown source path, for hints
        self.moved: dict[str, str] = {}        # a redirect's old source path -> the page's source path
        self._closest: dict[str, Closest] = {}  # memoised suggestions, built on the first miss
        self._answers: dict[tuple[str, str], Broken | None] = {}
        self._url_of_source: dict[str, str] = {}

    def add_page(self, url: str, ids: list[str], source: str | None = None) -> None:
        key = normalise_url(unquote(url))
        self.page_ids[key] = set(ids)
        if source:
            self.page_sources[key] = source
            self._url_of_source[source] = key
        self._closest.clear()

    def _suggest(self, kind: str, word: str) -> str | None:
        if kind not in self._closest:
            names = self.page_sources.values() if kind == "sources" else self.page_ids
            self._closest[kind] = Closest(names)
        return self._closest[kind](word)

    def check(self, href: str, from_url: str) -> Broken | None:
        if not href or is_external(href):
            return None
        # The same link from the same page is answered once: a moved folder repeats it thousands of times.
        key = (href, from_url)
        if key not in self._answers:
            self._answers[key] = self._check(href, from_url)
        return self._answers[key]

    def _check(self, href: str, from_url: str) -> Broken | None:
        parts = urlsplit(href)
        if parts.path.endswith(".md"):
            # MkDocs leaves a link to a Markdown file as written when no such page exists.
            return self._missing_markdown(href, from_url)
        target = resolve(href, from_url)
        if target.url in self.page_ids:
            return self._check_fragment(href, target, from_url)
        if target.url in self.files or target.url.rstrip("/") in self.files:
            return None
        guess = self._suggest("urls", target.url)
        return Broken(href, f"links to '{clip(target.url or '/')}', which is not a page or file of the site",
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
        return Broken(shown, f"anchor '#{clip(target.fragment)}' does not exist in {page}",
                      f"did you mean '#{guess}'?" if guess else None)

    def _missing_markdown(self, href: str, from_url: str) -> Broken:
        from_source = self.page_sources.get(normalise_url(unquote(from_url)), "")
        folder = posixpath.dirname(from_source)
        parts = urlsplit(href)
        wanted = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        if wanted in self.moved:
            new = self.moved[wanted]
            return Broken(href, f"links to '{clip(wanted)}', which moved to '{new}' (a redirect in mkdocs.yml)",
                          f"link to '{self._relative(new, folder)}{self._kept(new, parts.fragment)}'")
        guess = self._suggest("sources", wanted)
        suggestion = None
        if guess is not None:
            relative = self._relative(guess, folder) + self._kept(guess, parts.fragment)
            if relative != href:
                suggestion = f"did you mean '{relative}'?"
        return Broken(href, f"links to '{clip(wanted)}', which does not exist in the docs", suggestion)

    @staticmethod
    def _relative(source: str, folder: str) -> str:
        return posixpath.relpath(source, folder or ".")

    def _kept(self, source: str, fragment: str) -> str:
        """The link's anchor, kept in a suggestion when the suggested page has that id."""
        if not fragment:
            return ""
        url = self._url_of_source.get(source)
        return "#" + fragment if url is not None and unquote(fragment) in self.page_ids.get(url, ()) else ""


def duplicate_ids(ids: list[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)
