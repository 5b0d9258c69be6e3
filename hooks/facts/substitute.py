"""Replace ``{{ facts.dotted.key }}``, ``{{ page.key }}``, ``{{ policy.key }}`` and
``{{ table.name }}`` in a page's Markdown.

Only these prefixes are interpreted, so Alertmanager and Go templates such as
``{{ .CommonLabels.alertname }}`` or ``{{ $labels.pod }}`` in code blocks stay as written.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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

    def replace(match: re.Match[str]) -> str:
        kind, key = match.group(1), match.group(2).rstrip(".")
        values = sources.get(kind, {})

        def line() -> int:  # counted only for a reference that fails: counting on every match is quadratic
            return markdown.count("\n", 0, match.start()) + 1 + line_offset

        reference = f"{kind}.{key}"
        value = values.get(key)
        if value is None:
            close = difflib.get_close_matches(key, [k for k, v in values.items() if not isinstance(v, dict)], n=1, cutoff=0.6)
            reason = f"{kind} has no value '{key}'" if key not in values else f"'{reference}' is empty"
            unknown.append(UnknownReference(line(), reference, f"{kind}.{close[0]}" if close else None, reason))
            return str(match.group(0))
        if isinstance(value, (dict, list)):
            children = sorted(k[len(key) + 1:] for k in values if k.startswith(key + ".") and "." not in k[len(key) + 1:])
            unknown.append(UnknownReference(line(), reference, f"{reference}.{children[0]}" if children else None,
                                            f"'{reference}' is a group, not a value (it holds: {', '.join(children)})"))
            return str(match.group(0))
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        before = markdown[line_start:match.start()]
        indent = before[: len(before) - len(before.lstrip(" \t"))]
        return _indent_continuation(render(value), indent)

    return REFERENCE.sub(replace, markdown), unknown


# Anything that starts like a reference: ``{{ facts``, ``{{ fact.``, ``{{- page``...
LOOKS_LIKE_REFERENCE = re.compile(r"\{\{-?[ \t]*(?:facts?|page|polic(?:y|ies)|tables?)\b")
ILLUSTRATION = re.compile(r"\.\*|<[a-z_]+>|\.\.\.|…")


@dataclass(frozen=True)
class Malformed:
    line: int
    text: str        # the reference as written, cut to its line and a bounded length
    reason: str
    suggestion: str | None


def malformed_references(markdown: str, line_offset: int = 0) -> list[Malformed]:
    """References the resolver does not read, which would otherwise ship literally:
    ``{{ facts }}``, ``{{ fact.x }}``, ``{{ facts.x | upper }}``, ``{{ facts.x }`` and the like."""
    found = []
    for match in LOOKS_LIKE_REFERENCE.finditer(markdown):
        if REFERENCE.match(markdown, match.start()):
            continue  # resolved, or reported as unknown by substitute()
        line_end = markdown.find("\n", match.start())
        rest = markdown[match.start(): line_end if line_end >= 0 else len(markdown)]
        closing = rest.find("}}")
        text = rest[: closing + 2] if closing >= 0 else rest
        inner = text[2:-2] if closing >= 0 else text[2:]
        if ILLUSTRATION.search(inner):
            continue  # '{{ facts.* }}', '{{ facts.<group>.<key> }}': the syntax explained, not used
        name, dot, key = inner.strip(" \t-").partition(".")
        key = re.split(r"[\s|}]", key, maxsplit=1)[0]
        namespace = {"page": "page", "policy": "policy", "policies": "policy", "table": "table", "tables": "table"}.get(name, "facts")
        fixed = f"{{{{ {namespace}.{key} }}}}" if key and re.fullmatch(r"[A-Za-z0-9_.\-]+", key) else None
        if closing < 0:
            reason = "is not closed with '}}'"
        elif "|" in inner:
            reason = "uses a filter: only plain references are resolved"
        elif not dot and name in NAMESPACES:
            reason = f"names all of '{name}', not one value"
        elif name in ("fact", "policies", "tables"):
            reason = f"starts with '{name}.', not '{namespace}.'"
        else:
            reason = "is not a dotted key: only {{ facts.a.b }}, {{ page.a }}, {{ policy.a.b }} and {{ table.name }} are resolved"
        line = markdown.count("\n", 0, match.start()) + 1 + line_offset
        found.append(Malformed(line, text[:80], reason, fixed))
    return found


# What a template language would have interpreted: left in the page's visible text, it shows
# literally. Code (``<pre>``, ``<code>``) and HTML comments show Go and Jinja templates on purpose.
TEMPLATE_SYNTAX = re.compile(r"\{\{[^\n]{0,80}?\}\}|\{%[^\n]{0,80}?%\}|\{[{%][^\n<]{0,40}")
NOT_SHOWN_AS_TEXT = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>|<!--.*?-->|<script\b.*?</script>", re.S)


def visible_template_syntax(page_html: str) -> list[str]:
    """Template syntax left in the text a reader sees (outside code and comments)."""
    if "{{" not in page_html and "{%" not in page_html:
        return []
    visible = NOT_SHOWN_AS_TEXT.sub("", page_html)
    return [match.group(0) for match in TEMPLATE_SYNTAX.finditer(visible)]
