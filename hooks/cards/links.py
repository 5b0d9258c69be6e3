"""The tool links a deployment sets in ``data/facts.yml`` (``tool_links``), checked.

A value is either an ``http(s)://`` URL or marked open (it starts with "open"); an open
value is never turned into a link. Anything else, or a name that refers to nothing, is a
problem in the facts file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

GROUP = "tool_links"


@dataclass(frozen=True)
class ToolLinks:
    alert_rule: str | None = None                      # URL with {alert}, or None while open
    dashboards: dict[str, str | None] = field(default_factory=dict)           # grafana key -> URL
    pagerduty: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # receiver -> (pagerduty key, URL)
    alert_dashboard: dict[str, str] = field(default_factory=dict)              # alert -> grafana key

    def rule_url(self, alert: str) -> str | None:
        return self.alert_rule.replace("{alert}", quote(alert)) if self.alert_rule else None


def url_or_open(value: Any, key: str, problems: list[tuple[str, str]]) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith("open"):
        return None
    if isinstance(value, str) and value.startswith(("https://", "http://")) and " " not in value.strip():
        return value.strip()
    problems.append((key, f"{GROUP}.{key} = {value!r} must be an http(s):// URL, or 'open' until the deployment has one"))
    return None


def tool_links(facts: dict[str, Any], alert_names: set[str]) -> tuple[ToolLinks, list[tuple[str, str]]]:
    """The links from the flattened facts, and ``(key, message)`` for each problem."""
    group = facts.get(GROUP)
    if group is None:
        return ToolLinks(), []
    problems: list[tuple[str, str]] = []
    if not isinstance(group, dict):
        return ToolLinks(), [(GROUP, f"{GROUP} must be a mapping of link names to URLs")]
    rule = url_or_open(group.get("alert_rule", "open"), "alert_rule", problems)
    dashboards = {}
    for name, value in _mapping(group, "dashboards", problems).items():
        if f"grafana.{name}" not in facts:
            problems.append((name, f"{GROUP}.dashboards.{name}: no dashboard of that name under grafana:"))
        dashboards[name] = url_or_open(value, f"dashboards.{name}", problems)
    pagerduty = {}
    for receiver, entry in _mapping(group, "pagerduty", problems).items():
        if not isinstance(entry, dict) or "service" not in entry:
            problems.append((receiver, f"{GROUP}.pagerduty.{receiver} must give 'service' (a name under pagerduty:) and 'url'"))
            continue
        if f"pagerduty.{entry['service']}" not in facts:
            problems.append((receiver, f"{GROUP}.pagerduty.{receiver}: no service '{entry['service']}' under pagerduty:"))
        pagerduty[receiver] = (str(entry["service"]), url_or_open(entry.get("url", "open"), f"pagerduty.{receiver}.url", problems))
    alert_dashboard = {}
    for alert, name in _mapping(group, "alert_dashboard", problems).items():
        if alert not in alert_names:
            problems.append((alert, f"{GROUP}.alert_dashboard.{alert}: no alert of that name in the alert rules"))
        elif name not in dashboards:
            problems.append((alert, f"{GROUP}.alert_dashboard.{alert} = {name!r} is not one of {GROUP}.dashboards"))
        else:
            alert_dashboard[alert] = name
    return ToolLinks(rule, dashboards, pagerduty, alert_dashboard), problems


def _mapping(group: dict[str, Any], key: str, problems: list[tuple[str, str]]) -> dict[str, Any]:
    value = group.get(key) or {}
    if not isinstance(value, dict):
        problems.append((key, f"{GROUP}.{key} must be a mapping"))
        return {}
    return value
