"""What a header card shows, assembled from the page, the alert rules and the tool links."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hooks.cards.links import ToolLinks
from hooks.cards.routing import receivers


@dataclass(frozen=True)
class Link:
    label: str        # what it is: "Grafana", "PagerDuty"; "" when the text says it
    text: str
    url: str | None   # None: the deployment has not set it; shown as text, never as a dead link


@dataclass(frozen=True)
class AlertEntry:
    name: str
    priority: str
    severity: str
    summary: str
    links: tuple[Link, ...]   # rule (only once its URL is set), dashboard, PagerDuty services


@dataclass(frozen=True)
class Card:
    label: str                 # accessible name of the card
    severity: str
    alerts: tuple[AlertEntry, ...]
    owner: str
    last_updated: dt.date | None
    next_review: dt.date | None
    review: str
    overdue: bool


def alert_entry(name: str, facts: dict[str, Any], links: ToolLinks, route: dict[str, Any] | None) -> AlertEntry:
    rule = facts.get(f"alerts.{name}") or {}
    labels = {"alertname": name, **{k: str(v) for k, v in rule.items() if isinstance(v, (str, int, float))}}
    shown: list[Link] = []
    rule_url = links.rule_url(name)
    if rule_url:
        shown.append(Link("", "Alert rule", rule_url))
    dashboard = links.alert_dashboard.get(name)
    if dashboard:
        shown.append(Link("Grafana", str(facts.get(f"grafana.{dashboard}", dashboard)), links.dashboards.get(dashboard)))
    for receiver in (receivers(labels, route) if route else []):
        if receiver in links.pagerduty:
            service, url = links.pagerduty[receiver]
            shown.append(Link("PagerDuty", str(facts.get(f"pagerduty.{service}", service)), url))
    return AlertEntry(name, str(rule.get("priority", "")), str(rule.get("severity", "")), str(rule.get("summary", "")),
                      tuple(dict.fromkeys(shown)))


def runbook_card(meta: Mapping[str, Any], entries: list[AlertEntry], last: dt.date | None, due: dt.date | None,
                 today: dt.date) -> Card:
    return Card("Runbook summary", str(meta.get("severity", "")), tuple(entries), str(meta.get("owner", "")),
                last, due, str(meta.get("review", "")), bool(due and due < today))


def alert_card(meta: Mapping[str, Any], entry: AlertEntry, last: dt.date | None, due: dt.date | None,
               today: dt.date) -> Card:
    return Card(f"{entry.name} summary", entry.priority, (entry,), str(meta.get("owner", "")),
                last, due, str(meta.get("review", "")), bool(due and due < today))
