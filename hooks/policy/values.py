"""What pages may reference from the policy: ``{{ policy.<dotted.key> }}`` and ``{{ table.<name> }}``."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from hooks.facts.values import flatten
from hooks.policy import tables
from hooks.policy.model import Policy


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _called(policy: Policy, role: str) -> str:
    """"L2" for a level whose name says it ("L2 On-Call"), "L3 (Engineering On-Call)" otherwise."""
    name = policy.roles[role].name
    if not role.startswith("L"):
        return name
    return role if name.startswith(role) else f"{role} ({name})"


def policy_values(policy: Policy, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The file's own values, plus sentences computed from them."""
    values = flatten(policy.values)  # lists numbered too: "also: [30 minutes]" -> policy.<key>.0
    alerts = facts.get("alerts", {})
    for alert, entry in (alerts.items() if isinstance(alerts, dict) else []):
        values[f"severity_rule.{alert}"] = tables.severity_rule(policy, alert, str(entry.get("priority", "")))
    for action in policy.actions.values():
        allowed = [_called(policy, r) for r, permission in action.who.items() if permission == "yes"]
        with_approval = [f"{_called(policy, r)} with {action.approver} approval"
                         for r, permission in action.who.items() if permission == "approval"]
        values[f"who.{action.key}"] = _join(allowed + with_approval) if allowed or with_approval else "nobody"
    return values


class TableValues(Mapping[str, str]):
    """``{{ table.<name> }}``: each table rendered for the page that shows it."""

    def __init__(self, policy: Policy, facts: Mapping[str, Any], page_src: str) -> None:
        self.policy = policy
        self.facts = dict(facts)
        self.page_src = page_src

    def __getitem__(self, name: str) -> str:
        rendered = tables.render(name, self.policy, self.facts, self.page_src)
        if rendered is None:
            raise KeyError(name)
        return rendered

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return iter(tables.TABLES)

    def __len__(self) -> int:
        return len(tables.TABLES)

    def items(self) -> list[tuple[str, str]]:  # type: ignore[override]
        # Only the names are needed for suggestions; rendering every table here would be waste.
        return [(name, "") for name in tables.TABLES]
