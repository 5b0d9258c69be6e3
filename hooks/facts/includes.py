"""pymdownx.snippets include lines, expanded the way the extension expands them, for the checks
that must read what a page shows rather than what its source says (an alert section whose
commands come from a runbook through ``--8<-- "docs/runbooks/x.md:section"``).

Pure: no MkDocs, no Markdown. Covers the two inline forms, ``--8<-- "path"`` and
``--8<-- "path:section"`` (single quotes too), with paths relative to the snippets base folders;
sections run between ``--8<-- [start:name]`` and ``--8<-- [end:name]`` markers, other sections'
markers inside are dropped, and includes inside included text are expanded in turn. Every
expanded line remembers the line of the page it stands for: the include line for included text.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

INCLUDE = re.compile(r"""^(?P<space>[ \t]*)(?P<escape>;*)-+8<-+[ \t]+(?P<quote>["'])(?P<target>.+?)(?P=quote)[ \t]*$""")
SECTION_MARK = re.compile(r"(?<!;)-+8<-+[ \t]+\[[ \t]*(?P<kind>start|end)[ \t]*:[ \t]*(?P<name>[a-z][-_0-9a-z]*)[ \t]*\]", re.I)
SECTION_NAME = re.compile(r"^(?P<path>.+?):(?P<section>[A-Za-z][-_0-9A-Za-z]*)$")
LINE_RANGES = re.compile(r":-?\d")


@dataclass(frozen=True)
class Include:
    line: int            # 1-based line of the include in the text it was found in
    target: str          # as written: "path" or "path:section"
    path: str
    section: str | None


@dataclass(frozen=True)
class Expanded:
    text: str
    lines: tuple[int, ...]                       # for each line of ``text``: the 1-based line it stands for
    includes: tuple[Include, ...]                # the includes of the text itself (not nested ones)
    missing: tuple[tuple[Include, str], ...]     # includes that point nowhere, with why


def parse_target(target: str) -> tuple[str, str | None] | None:
    """``path`` and ``section`` of an include target; None for line ranges, which are not read here."""
    named = SECTION_NAME.match(target.strip())
    if named and not LINE_RANGES.search(target):
        return named.group("path").strip(), named.group("section")
    if LINE_RANGES.search(target):
        return None
    return target.strip(), None


def section_lines(lines: Sequence[str], name: str) -> list[str] | None:
    """The lines between the start and end markers of ``name``; None when it never starts."""
    found, inside, body = False, False, []
    for line in lines:
        mark = SECTION_MARK.search(line)
        if mark and mark.group("name") == name:
            if mark.group("kind").lower() == "start":
                found = inside = True
                continue
            break
        if mark:
            continue  # another section's marker: not content
        if inside:
            body.append(line)
    return body if found else None


def find_in(bases: Sequence[Path], restrict: bool = True) -> Callable[[str], Path | None]:
    """A resolver of include paths against the snippets base folders, first match wins."""
    def find(path: str) -> Path | None:
        for base in bases:
            candidate = (base / path).resolve()
            if restrict and base.resolve() not in candidate.parents:
                continue
            if candidate.is_file():
                return candidate
        return None
    return find


def expand(text: str, find: Callable[[str], Path | None], read: Callable[[Path], str] | None = None) -> Expanded:
    """The text with every include line replaced by what it includes."""
    reader = read or (lambda p: p.read_text(encoding="utf-8"))
    out_text: list[str] = []
    out_lines: list[int] = []
    includes: list[Include] = []
    missing: list[tuple[Include, str]] = []
    for number, line in enumerate(text.split("\n"), 1):
        match = INCLUDE.match(line)
        parsed = parse_target(match.group("target")) if match and not match.group("escape") else None
        if match is None or parsed is None:
            out_text.append(line)
            out_lines.append(number)
            continue
        include = Include(number, match.group("target"), *parsed)
        includes.append(include)
        body, reason = _included(include, find, reader, seen=frozenset())
        if reason:
            missing.append((include, reason))
        space = match.group("space")
        for included in body:
            out_text.append(space + included if included else included)
            out_lines.append(number)
    return Expanded("\n".join(out_text), tuple(out_lines), tuple(includes), tuple(missing))


def _included(include: Include, find: Callable[[str], Path | None], read: Callable[[Path], str],
              seen: frozenset[Path]) -> tuple[list[str], str | None]:
    file = find(include.path)
    if file is None:
        return [], f"no file '{include.path}' under the snippets base path"
    if file in seen:
        return [], None  # pymdownx.snippets skips a file that includes itself
    lines = read(file).split("\n")
    if include.section is not None:
        body = section_lines(lines, include.section)
        if body is None:
            return [], f"'{include.path}' has no section '{include.section}' (no '--8<-- [start:{include.section}]' marker)"
    else:
        body = [line for line in lines if not SECTION_MARK.search(line)]
    result: list[str] = []
    for line in body:
        match = INCLUDE.match(line)
        parsed = parse_target(match.group("target")) if match and not match.group("escape") else None
        if match is None or parsed is None:
            result.append(line)
            continue
        nested, _ = _included(Include(0, match.group("target"), *parsed), find, read, seen | {file})
        result.extend(match.group("space") + n if n else n for n in nested)
    return result, None
