"""Replace ``{{ facts.dotted.key }}``, ``{{ page.key }}``, ``{{ policy.key }}`` and
``{{ table.name }}`` in a page's Markdown.

Only these prefixes are interpreted, so Alertmanager and Go templates such as
``{{ .CommonLabels.alertname }}`` or ``{{ $labels.pod }}`` in code blocks stay as written.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Mapping

NAMESPACES = ("facts", "page", "policy", "table")
REFERENCE = re.compile(r"\{\{\s*(facts|page|policy|table)\.([A-Za-z0-9_.\-]+)\s*\}\}")


@dataclass(frozen=True)
class UnknownReference:
    line: int
    reference: str
    suggestion: str | None
    reason: str


def render(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def _indent_continuation(text: str, indent: str) -> str:
    # A multi-line value (a PromQL expression) placed inside an indented code block keeps
    # every line inside that block.
    return text.replace("\n", "\n" + indent) if "\n" in text else text


def substitute(markdown: str, facts: Mapping[str, Any], page_values: Mapping[str, Any],
               line_offset: int = 0, more: Mapping[str, Mapping[str, Any]] | None = None
               ) -> tuple[str, list[UnknownReference]]:
    """The Markdown with every reference replaced, and the references that could not be.

    ``more`` holds the other namespaces (``policy``, ``table``); a reference to a namespace
    that is not given is reported as unknown.
    """
    unknown: list[UnknownReference] = []
    sources: dict[str, Mapping[str, Any]] = {"facts": facts, "page": page_values, **(more or {})}

    def replace(match: re.Match) -> str:
        kind, key = match.group(1), match.group(2).rstrip(".")
        values = sources.get(kind, {})
        # Counted only for a reference that fails: counting on every match is quadratic.
        line = lambda: markdown.count("\n", 0, match.start()) + 1 + line_offset  # noqa: E731
        reference = f"{kind}.{key}"
        value = values.get(key)
        if value is None:
            close = difflib.get_close_matches(key, [k for k, v in values.items() if not isinstance(v, dict)], n=1, cutoff=0.6)
            reason = f"{kind} has no value '{key}'" if key not in values else f"'{reference}' is empty"
            unknown.append(UnknownReference(line(), reference, f"{kind}.{close[0]}" if close else None, reason))
            return match.group(0)
        if isinstance(value, (dict, list)):
            children = sorted(k[len(key) + 1:] for k in values if k.startswith(key + ".") and "." not in k[len(key) + 1:])
            unknown.append(UnknownReference(line(), reference, f"{reference}.{children[0]}" if children else None,
                                            f"'{reference}' is a group, not a value (it holds: {', '.join(children)})"))
            return match.group(0)
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        indent = re.match(r"[ \t]*", markdown[line_start:match.start()]).group(0)
        return _indent_continuation(render(value), indent)

    return REFERENCE.sub(replace, markdown), unknown
