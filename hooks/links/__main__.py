"""Check the links and anchors of an already built site: ``python -m hooks.links site/``.

The same checks as the build hook, over the HTML files alone, so they survive a change of
generator. Prints one line per problem (``file:line: ...``) and exits 1 if there are any.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from hooks.links import extract
from hooks.links.check import Site, duplicate_ids, normalise_url


def page_url(site_dir: Path, html_file: Path) -> str:
    return normalise_url(html_file.relative_to(site_dir).as_posix())


def check_site(site_dir: Path) -> list[str]:
    site = Site()
    documents: dict[Path, str] = {}
    for path in sorted(site_dir.rglob("*")):
        if path.is_dir():
            continue
        relative = path.relative_to(site_dir).as_posix()
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8", errors="replace")
            documents[path] = text
            site.add_page(page_url(site_dir, path), extract.ids(text), page_url(site_dir, path) or "index.html")
        site.files.add(relative)
    problems = []
    for path, text in documents.items():
        url = page_url(site_dir, path)
        shown = path.relative_to(site_dir.parent) if site_dir.parent != Path("") else path
        hrefs = extract.links(text)
        lines = _line_index(text)
        for href in hrefs:
            broken = site.check(href, url)
            if broken:
                suffix = f" ({broken.suggestion})" if broken.suggestion else ""
                problems.append(f"{shown}:{lines(href)}: broken link '{href}': {broken.message}{suffix}")
        for duplicate in duplicate_ids(extract.ids(text)):
            problems.append(f"{shown}: id '{duplicate}' is used more than once on the page")
    return problems


def _line_index(text: str) -> Callable[[str], int]:
    cursor: dict[str, int] = {}

    def line(href: str) -> int:
        needle = f'"{href}"'
        start = cursor.get(needle, 0)
        index = text.find(needle, start)
        if index < 0:
            index = text.find(href)
        cursor[needle] = index + 1
        return text.count("\n", 0, max(index, 0)) + 1
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hooks.links", description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path, help="a built site, e.g. site/")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").exists():
        print(f"{args.site_dir}: no index.html; build the site first (mkdocs build)", file=sys.stderr)
        return 2
    problems = check_site(args.site_dir)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {args.site_dir}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
