"""Policy rendered as Markdown, for ``{{ table.<name> }}`` on any page.

A table is built for the page that shows it, so its links are relative to that page. Tables
are the only way policy reaches a page as a list; sentences use ``{{ policy.* }}`` values.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from hooks.policy.model import PRIORITIES, Condition, Policy, Role
from hooks.policy.quantities import Duration

PERMISSION_TEXT = {"yes": "Yes", "no": "No"}
URGENCY_TEXT = {"high": "High urgency: phone call, SMS and push", "low": "Low urgency: push and e-mail, no call",
                "none": "No page: Slack and the ticket queue"}


def when(duration: Duration) -> str:
    return "at declaration" if duration.minutes == 0 else f"after {duration}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join([_row(header), "|" + "---|" * len(header), *(_row(r) for r in rows)])


def _column(role: Role) -> str:
    return role.key if role.key.startswith("L") or role.key == "IC" else role.name


def authority(policy: Policy, **_: Any) -> str:
    roles = list(policy.roles.values())
    rows = []
    for action in policy.actions.values():
        cells = [action.label]
        for role in roles:
            permission = action.who.get(role.key, "no")
            cells.append(f"With {action.approver} approval" if permission == "approval" else PERMISSION_TEXT[permission])
        rows.append(cells)
    table = _table(["Action", *[_column(role) for role in roles]], rows)
    notes = [f"**{_column(role)}**: {role.note}" for role in roles if role.note]
    return "\n\n".join([table, *notes])


def roles(policy: Policy, **_: Any) -> str:
    return _table(["Short name", "Role"], [[role.key, role.name] for role in policy.roles.values()])


def paging(policy: Policy, **_: Any) -> str:
    rows = [[priority, URGENCY_TEXT[u.in_hours], URGENCY_TEXT[u.out_of_hours], u.policy, f"`{u.channel}`"]
            for priority, u in policy.paging.items()]
    return _table(["Priority", f"In business hours ({policy.business_hours})", "Outside business hours",
                   "PagerDuty escalation policy", "Slack"], rows)


def unacknowledged(policy: Policy, **_: Any) -> str:
    rows = []
    for chain, levels in policy.unacknowledged.items():
        for level, duration in levels.items():
            rows.append([chain, f"{level} ({policy.roles[level].name})", f"{duration} after the page"])
    return _table(["PagerDuty policy", "Paged next when nobody acknowledges", "When"], rows)


def escalation(policy: Policy, **_: Any) -> str:
    levels = sorted({level for steps in policy.escalation.values() for level in steps})
    rows = []
    for level in levels:
        name = policy.roles[level].name
        cells = [f"**{level}**" + ("" if name.startswith(level) else f" {name}")]
        for priority in PRIORITIES:
            step = policy.escalation[priority].get(level)
            cells.append(f"**{when(step.after)}**: {step.how}" if step else "—")
        rows.append(cells)
    rows.append(["Any level", *[f"next level up when stuck for {policy.stuck}"] * len(PRIORITIES)])
    return _table(["Level", *PRIORITIES], rows)


def immediate(policy: Policy, **_: Any) -> str:
    rows = [[str(item.get("trigger", "")), ", ".join(str(t) for t in item.get("to", []))] for item in policy.immediate]
    return _table(["Trigger (skips the clock)", "Escalate at once to"], rows)


def response(policy: Policy, facts: dict[str, Any], **_: Any) -> str:
    rows = []
    for priority in PRIORITIES:
        key = f"sla.{priority.lower()}"
        ack = str(facts.get(f"{key}.ack", ""))
        night_ack = policy.paging[priority].night_ack if priority in policy.paging else ""
        if night_ack:
            ack = f"{ack} in business hours; outside them {night_ack}"
        rows.append([str(facts.get(f"{key}.name", priority)), ack,
                     str(facts.get(f"{key}.engage", "")), f"every {facts.get(f'{key}.update_every', '')}",
                     str(facts.get(f"{key}.resolve", ""))])
    return _table(["Priority", "Acknowledge", "Engage (IC named, responders working)", "Status updates",
                   "Resolve (service restored)"], rows)


def prometheus_duration(text: str) -> str:
    """Prometheus' "5m", "1h30m" as a reader says it."""
    units = {"s": "second", "m": "minute", "h": "hour", "d": "day"}
    parts = re.findall(r"(\d+)([smhd])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return text
    return " ".join(f"{n} {units[u]}{'s' if n != '1' else ''}" for n, u in parts)


def _conditions(conditions: list[Condition]) -> str:
    return "; ".join(f"{c.to} if {c.when}" for c in conditions) or "—"


def runbook_link(url: str, page_src: str) -> str:
    """A Markdown link from ``page_src`` to the section an alert's runbook_url names."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    target = (path + ".md") if path else "index.md"
    relative = posixpath.relpath(target, posixpath.dirname(page_src) or ".")
    return relative + (f"#{parts.fragment}" if parts.fragment else "")


def severity(policy: Policy, facts: dict[str, Any], page_src: str = "", **_: Any) -> str:
    rows = []
    for name, alert in sorted(facts.get("alerts", {}).items()):
        link = runbook_link(str(alert.get("runbook_url", "")), page_src) if alert.get("runbook_url") else ""
        rows.append([f"`{name}`", f"{alert.get('summary', '')}, for {prometheus_duration(str(alert.get('for', '')))}", str(alert.get("priority", "")),
                     _conditions(policy.raises.get(name, [])), _conditions(policy.lowers.get(name, [])),
                     f"[{name}]({link})" if link else "—"])
    return _table(["Alert", "Fires when", "Default", "Raise", "Lower", "Runbook"], rows)


def severity_rule(policy: Policy, alert: str, base: str) -> str:
    """One sentence: the alert's default priority and what moves it."""
    parts = [f"{base} by default"]
    parts += [f"{c.to} if {c.when}" for c in policy.raises.get(alert, [])]
    parts += [f"{c.to} if {c.when}" for c in policy.lowers.get(alert, [])]
    return "; ".join(parts) + "."


TABLES: dict[str, Callable[..., str]] = {
    "authority": authority,
    "roles": roles,
    "paging": paging,
    "unacknowledged": unacknowledged,
    "escalation": escalation,
    "escalation_immediate": immediate,
    "response": response,
    "severity": severity,
}


def render(name: str, policy: Policy, facts: dict[str, Any], page_src: str) -> str | None:
    table = TABLES.get(name)
    return table(policy, facts=facts, page_src=page_src) if table else None
