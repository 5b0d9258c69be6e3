"""The front matter every page must carry, and what each key may hold.

Pure functions over a parsed mapping: ``validate`` returns the problems as
``(key, value, message)`` and knows nothing of MkDocs.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hooks.dates.resolve import as_date
from hooks.shown import clip, show_each

OWNERS = ("Support Team Lead", "SRE Team", "Engineering Team")
REVIEW = ("weekly", "monthly", "quarterly")
SEVERITIES = ("P0", "P1", "P2", "P3")
TAG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# Keys Material and its plugins read from front matter; allowed, not required.
MATERIAL_KEYS = {"hide", "search", "icon", "status", "subtitle", "template", "comments"}


Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Issue:
    key: str
    value: Any
    message: str


def _text(max_len: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return "must be non-empty text"
        if len(value) > max_len:
            return f"must be at most {max_len} characters (has {len(value)})"
        return None
    return check


def _sentence(value: Any) -> str | None:
    problem = _text(200)(value)
    if problem:
        return problem
    if not value.rstrip().endswith((".", "?")):
        return "must be one sentence ending with a full stop"
    return None


def _one_of(allowed: Iterable[str]) -> Callable[[Any], str | None]:
    allowed = tuple(allowed)

    def check(value: Any) -> str | None:
        return None if value in allowed else f"must be one of: {', '.join(allowed)}"
    return check


def _tags(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of tags"
    bad = [t for t in value if not isinstance(t, str) or not TAG.match(t)]
    return f"tags must be lower-case words joined by '-'; not: {show_each(bad)}" if bad else None


def _date(today: dt.date) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        value = as_date(value)
        if value is None:
            return "must be a date written YYYY-MM-DD"
        if value > today:
            return f"is in the future (today is {today.isoformat()})"
        return None
    return check


def _alerts(known: Iterable[str]) -> Callable[[Any], str | None]:
    known = sorted(known)

    def check(value: Any) -> str | None:
        if not isinstance(value, list) or not value:
            return "must be a non-empty list of alert names from the alert rules"
        unknown = [a for a in value if a not in known]
        if unknown:
            hints = [f"{clip(str(a), 40)} (did you mean {m[0]}?)" if (m := difflib.get_close_matches(str(a)[:100], known, n=1))
                     else clip(str(a), 40) for a in unknown[:5] if isinstance(a, (str, int, float))]
            return f"names alerts that the alert rules do not define: {', '.join(hints) or show_each(unknown)}; defined: {', '.join(known)}"
        return None
    return check


def _phrases(value: Any) -> str | None:
    # Numbers too: an author writes `[401, 403]` for the status codes a section explains.
    if not isinstance(value, list) or not value or \
            not all((isinstance(v, str) and v.strip()) or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
        return "must be a non-empty list of words or phrases"
    return None


def _search(value: Any) -> str | None:
    """Material's `search` key (boost, exclude) and the portal's search keywords (hooks/search):
    `keywords` are words people type for the page, `sections` the same for one heading id."""
    if not isinstance(value, dict):
        return "must be a mapping (boost, exclude, keywords, sections)"
    unknown = sorted(set(value) - {"boost", "exclude", "keywords", "sections"})
    if unknown:
        return f"has unknown keys {', '.join(map(str, unknown))}; allowed: boost, exclude, keywords, sections"
    if "boost" in value and (isinstance(value["boost"], bool) or not isinstance(value["boost"], (int, float))
                             or value["boost"] <= 0):
        return "boost must be a number above 0"
    if "exclude" in value and not isinstance(value["exclude"], bool):
        return "exclude must be true or false"
    if "keywords" in value and (problem := _phrases(value["keywords"])):
        return f"keywords {problem}"
    sections = value.get("sections", {})
    if not isinstance(sections, dict):
        return "sections must map heading ids to lists of words or phrases"
    for anchor, phrases in sections.items():
        if (problem := _phrases(phrases)):
            return f"sections.{anchor} {problem}"
    return None


def rules_for(src_uri: str, known_alerts: Iterable[str], today: dt.date) -> dict[str, tuple[bool, Check]]:
    """``{key: (required, check)}`` for the page at ``src_uri``."""
    rules: dict[str, tuple[bool, Check]] = {
        "title": (True, _text(90)),
        "description": (True, _sentence),
        "owner": (True, _one_of(OWNERS)),
        "review": (True, _one_of(REVIEW)),
        "tags": (True, _tags),
        "last_updated": (False, _date(today)),
        "search": (False, _search),
    }
    is_runbook = src_uri.startswith("runbooks/") and not src_uri.endswith("index.md")
    rules["severity"] = (is_runbook, _one_of(SEVERITIES))
    rules["alerts"] = (is_runbook, _alerts(known_alerts))
    return rules


def validate(meta: Mapping[str, Any], src_uri: str, known_alerts: Iterable[str], today: dt.date) -> list[Issue]:
    rules = rules_for(src_uri, known_alerts, today)
    issues: list[Issue] = []
    for key, (required, check) in rules.items():
        if key not in meta or meta[key] is None:
            if required:
                issues.append(Issue(key, None, "is required"))
            continue
        problem = check(meta[key])
        if problem:
            issues.append(Issue(key, meta[key], problem))
    known_keys = set(rules) | MATERIAL_KEYS
    for key in meta:
        if key not in known_keys and not key.startswith("_"):
            match = difflib.get_close_matches(str(key)[:100], sorted(known_keys), n=1)
            hint = f"; did you mean '{match[0]}'?" if match else f"; allowed keys: {', '.join(sorted(known_keys))}"
            issues.append(Issue(clip(str(key), 60), meta[key], "is not a known front-matter key" + hint))
    return issues
