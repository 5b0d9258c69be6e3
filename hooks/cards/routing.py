"""Which Alertmanager receivers an alert reaches, read from the routing tree itself.

The same walk Alertmanager does: from the root, the first child route whose matchers match
takes the alert, and so do later siblings while each matching route says ``continue: true``;
a route no child takes it from is where it ends. Matchers are the ``matchers`` list
(``name=value``, ``!=``, ``=~``, ``!~``; regular expressions anchored) and the older
``match`` / ``match_re`` maps.
"""
from __future__ import annotations

import json
import re
from typing import Any

MATCHER = re.compile(r"^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$")


class RoutingError(ValueError):
    """A route or matcher Alertmanager would not accept either."""


def parse_matcher(text: str) -> tuple[str, str, str]:
    match = MATCHER.match(text)
    if not match:
        raise RoutingError(f"matcher {text!r} is not name=value, name!=value, name=~regex or name!~regex")
    name, op, value = match.groups()
    if value.startswith('"'):
        try:
            value = json.loads(value)
        except ValueError:
            raise RoutingError(f"matcher {text!r}: the quoted value does not end where it should") from None
    return name, op, value


def matcher_holds(labels: dict[str, str], name: str, op: str, value: str) -> bool:
    actual = str(labels.get(name, ""))
    if op in ("=", "!="):
        return (actual == value) == (op == "=")
    try:
        found = re.fullmatch(value, actual) is not None
    except re.error as exc:
        raise RoutingError(f"matcher {name}{op}{value!r}: {exc}") from None
    return found == (op == "=~")


def route_matches(labels: dict[str, str], route: dict[str, Any]) -> bool:
    checks = [parse_matcher(m) for m in route.get("matchers") or []]
    checks += [(name, "=", str(value)) for name, value in (route.get("match") or {}).items()]
    checks += [(name, "=~", str(value)) for name, value in (route.get("match_re") or {}).items()]
    return all(matcher_holds(labels, *check) for check in checks)


def receivers(labels: dict[str, str], route: dict[str, Any], inherited: str | None = None) -> list[str]:
    """The receivers an alert with ``labels`` is sent to, in routing order, without repeats."""
    own = route.get("receiver") or inherited
    reached: list[str] = []
    for child in route.get("routes") or []:
        if route_matches(labels, child):
            reached += receivers(labels, child, own)
            if not child.get("continue", False):
                break
    if not reached and own:
        reached = [own]
    return list(dict.fromkeys(reached))
