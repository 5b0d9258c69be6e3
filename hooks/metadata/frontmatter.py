"""Read a page's front matter the way MkDocs does, but keep the errors MkDocs swallows.

MkDocs ignores front matter that fails to parse (a YAML syntax error, or an impossible date
such as 2025-02-30) and renders it as page text. Here the same block is parsed again to
say what is wrong, on which line.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml
from mkdocs.utils.meta import YAML_RE

from hooks.yaml_errors import error_line, message

# libyaml's loader when PyYAML has it: the same safe subset, several times faster.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DATE_LIKE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any] | None
    key_lines: dict[str, int]          # top-level key -> 1-based line in the file
    error: tuple[int, str] | None      # (line, message) when the block cannot be read


def _key_lines(block: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for offset, line in enumerate(block.splitlines()):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if match:
            lines.setdefault(match.group(1), first_line + offset)
    return lines


def _unreadable_block(source: str) -> str:
    """Why a page starting with '---' has no front matter MkDocs would read."""
    lines = source.split("\n")
    closing = next((number for number, line in enumerate(lines[1:], 2) if line.rstrip() in ("---", "...")), None)
    if closing == 2:
        return "front matter is empty: nothing between the '---' lines 1 and 2"
    if closing is None:
        return "front matter starts with '---' but has no closing '---' line"
    return f"front matter between lines 1 and {closing} is not read: the first line must be exactly '---'"


def read(source: str) -> FrontMatter:
    match = YAML_RE.match(source)
    if not match:
        if source.startswith("---"):
            return FrontMatter(None, {}, (1, _unreadable_block(source)))
        return FrontMatter(None, {}, None)
    block, first_line = match.group(1), 2
    keys = _key_lines(block, first_line)
    try:
        data = yaml.load(block, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        line = error_line(block, exc)
        return FrontMatter(None, keys, (first_line + (line or 0), f"front matter is not valid YAML: {message(exc)}"))
    except ValueError as exc:
        # PyYAML builds dates with datetime.date, which rejects impossible days and months.
        for offset, text in enumerate(block.splitlines()):
            for found in DATE_LIKE.finditer(text):
                try:
                    dt.date(*map(int, found.groups()))
                except ValueError:
                    return FrontMatter(None, keys, (first_line + offset, f"impossible date {found.group(0)}: {exc}"))
        return FrontMatter(None, keys, (first_line, f"front matter cannot be read: {exc}"))
    if not isinstance(data, dict):
        return FrontMatter(None, keys, (first_line, "front matter must be a mapping of keys to values"))
    return FrontMatter(data, keys, None)
