"""data/policy.yml, read and checked: roles, the authority matrix, paging urgency, the
escalation clock and each alert's severity conditions.

``{{ facts.* }}`` references inside the file are resolved first, so a number that has a
home in data/facts.yml is written there once. Every problem names the line of the file.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hooks.facts.substitute import substitute
from hooks.policy.quantities import Duration, Quantity, parse_duration, parse_quantity

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PRIORITIES = ("P0", "P1", "P2", "P3")
PERMISSIONS = ("yes", "no", "approval")
URGENCIES = ("high", "low", "none")
OPERATORS = {">": "above", "<": "below"}


class PolicyError(ValueError):
    """The policy file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    called: tuple[str, ...]
    note: str = ""   # printed under the authority matrix: what the column means beyond yes/no


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    called: tuple[str, ...]
    who: dict[str, str]
    approver: str | None = None


@dataclass(frozen=True)
class Urgency:
    in_hours: str
    out_of_hours: str
    policy: str
    channel: str
    night_ack: str = ""     # when a page outside business hours is acknowledged, if not at once


@dataclass(frozen=True)
class Step:
    """When one escalation level is brought in for one priority."""

    level: str
    after: Duration
    also: tuple[Duration, ...]
    how: str

    def times(self) -> tuple[Duration, ...]:
        return (self.after, *self.also)


@dataclass(frozen=True)
class Limit:
    measure: str
    op: str          # ">" or "<"
    value: Quantity


@dataclass(frozen=True)
class Condition:
    to: str
    when: str
    limit: Limit | None = None


@dataclass(frozen=True)
class Measure:
    key: str
    called: tuple[str, ...]
    unit: str
    alert: str


@dataclass
class Policy:
    roles: dict[str, Role] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    business_hours: str = ""
    paging: dict[str, Urgency] = field(default_factory=dict)
    unacknowledged: dict[str, dict[str, Duration]] = field(default_factory=dict)
    stuck: Duration = field(default_factory=lambda: Duration(30))
    escalation: dict[str, dict[str, Step]] = field(default_factory=dict)
    immediate: list[dict[str, Any]] = field(default_factory=list)
    raises: dict[str, list[Condition]] = field(default_factory=dict)
    lowers: dict[str, list[Condition]] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # the resolved file, for {{ policy.* }}


def _key_lines(node: yaml.Node, path: tuple[str, ...] = (), lines: dict[tuple[str, ...], int] | None = None
               ) -> dict[tuple[str, ...], int]:
    lines = {} if lines is None else lines
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            lines[child] = key.start_mark.line + 1
            _key_lines(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, str(index))
            lines[child] = item.start_mark.line + 1
            _key_lines(item, child, lines)
    return lines


def _resolve_facts(tree: Any, facts: dict[str, Any], unknown: list[str]) -> Any:
    if isinstance(tree, dict):
        return {k: _resolve_facts(v, facts, unknown) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_resolve_facts(v, facts, unknown) for v in tree]
    if isinstance(tree, str) and "{{" in tree:
        text, missing = substitute(tree, facts, {})
        unknown.extend(ref.reference for ref in missing)
        return text
    return tree


class _Reader:
    """Reads the resolved tree and collects every problem with its line."""

    def __init__(self, path: Path, lines: dict[tuple[str, ...], int]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[str] = []

    def fail(self, where: tuple[str, ...], message: str) -> None:
        line = None
        for length in range(len(where), 0, -1):
            line = self.lines.get(where[:length])
            if line:
                break
        self.problems.append(f"{self.path}:{line or 1}: {'.'.join(where)}: {message}")

    def mapping(self, tree: Any, where: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(tree, dict):
            self.fail(where, "must be a mapping")
            return {}
        return tree

    def text_list(self, value: Any, where: tuple[str, ...]) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(where, "must be a list of words or phrases")
            return ()
        return tuple(v.strip() for v in value)

    def duration(self, value: Any, where: tuple[str, ...]) -> Duration:
        parsed = parse_duration(str(value))
        if parsed is None:
            self.fail(where, f"'{value}' is not a duration (write it as '30 minutes', '1 hour 30 minutes' or '2 business hours')")
            return Duration(0)
        return parsed


def load_policy(path: Path, facts: dict[str, Any], alert_priorities: dict[str, str]) -> Policy:
    """The policy in ``path``; ``alert_priorities`` maps each alert rule to its default priority."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=SafeLoader)
        raw = yaml.load(text, Loader=SafeLoader)
    except FileNotFoundError:
        raise PolicyError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise PolicyError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    reader = _Reader(path, _key_lines(node) if node is not None else {})
    unknown: list[str] = []
    tree = reader.mapping(_resolve_facts(raw, facts, unknown), ())
    for reference in unknown:
        reader.problems.append(f"{path}: unknown reference '{{{{ {reference} }}}}' (the key must exist in data/facts.yml)")
    policy = Policy(values=tree)
    _read_roles(reader, tree, policy)
    _read_actions(reader, tree, policy)
    _read_paging(reader, tree, policy)
    _read_escalation(reader, tree, policy)
    _read_measures(reader, tree, policy, alert_priorities)
    _read_severity(reader, tree, policy, alert_priorities)
    if reader.problems:
        raise PolicyError("\n".join(reader.problems))
    return policy


def _read_roles(reader: _Reader, tree: dict[str, Any], policy: Policy) -> None:
    for key, entry in reader.mapping(tree.get("roles"), ("roles",)).items():
        entry = reader.mapping(entry, ("roles", key))
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            reader.fail(("roles", key, "name"), "must name the role")
            name = key
        note = entry.get("note", "")
        if not isinstance(note, str):
            reader.fail(("roles", key, "note"), "must be a sentence (text), printed under the authority matrix")
            note = ""
        policy.roles[key] = Role(key, name, reader.text_list(entry.get("called", []), ("roles", key, "called")),
                                 re.sub(r"\s+", " ", note).strip())
    if not policy.roles:
        reader.fail(("roles",), "must list at least one role")


def _read_actions(reader: _Reader, tree: dict[str, Any], policy: Policy) -> None:
    for key, entry in reader.mapping(tree.get("actions"), ("actions",)).items():
        entry = reader.mapping(entry, ("actions", key))
        where = ("actions", key)
        who = reader.mapping(entry.get("who"), (*where, "who"))
        normalised: dict[str, str] = {}
        for role, permission in who.items():
            # YAML reads bare yes/no as booleans.
            value = {True: "yes", False: "no"}.get(permission, permission) if isinstance(permission, bool) else permission
            if role not in policy.roles:
                reader.fail((*where, "who", str(role)), f"'{role}' is not a role; roles: {', '.join(policy.roles)}")
            elif value not in PERMISSIONS:
                reader.fail((*where, "who", str(role)), f"'{permission}' must be one of: {', '.join(PERMISSIONS)}")
            else:
                normalised[role] = value
        missing = [r for r in policy.roles if r not in who]
        if missing:
            reader.fail((*where, "who"), f"says nothing about {', '.join(missing)}: every role needs yes, no or approval")
        approver = entry.get("approver")
        if "approval" in normalised.values():
            if approver not in policy.roles:
                reader.fail((*where, "approver") if approver else where,
                            "an action that needs approval must name the approving role in 'approver'")
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            reader.fail((*where, "label"), "must describe the action")
            label = key
        policy.actions[key] = Action(key, label, reader.text_list(entry.get("called", []), (*where, "called")),
                                     normalised, approver if isinstance(approver, str) else None)


def _read_paging(reader: _Reader, tree: dict[str, Any], policy: Policy) -> None:
    paging = reader.mapping(tree.get("paging"), ("paging",))
    policy.business_hours = str(paging.get("business_hours", ""))
    for priority in PRIORITIES:
        entry = reader.mapping(paging.get(priority), ("paging", priority))
        values = {}
        for when in ("in_hours", "out_of_hours"):
            value = entry.get(when)
            if value not in URGENCIES:
                reader.fail(("paging", priority, when), f"'{value}' must be one of: {', '.join(URGENCIES)}")
            values[when] = str(value)
        night_ack = entry.get("night_ack", "")
        if not isinstance(night_ack, str):
            reader.fail(("paging", priority, "night_ack"), "must be a sentence saying when, such as 'at the start of the next business day'")
        policy.paging[priority] = Urgency(values["in_hours"], values["out_of_hours"], str(entry.get("policy", "")),
                                          str(entry.get("channel", "")), str(night_ack or ""))
    chain = reader.mapping(paging.get("unacknowledged", {}), ("paging", "unacknowledged"))
    for name, levels in chain.items():
        levels = reader.mapping(levels, ("paging", "unacknowledged", name))
        policy.unacknowledged[name] = {}
        for level, value in levels.items():
            if level not in policy.roles:
                reader.fail(("paging", "unacknowledged", name, level), f"'{level}' is not a role")
            policy.unacknowledged[name][level] = reader.duration(value, ("paging", "unacknowledged", name, level))


def _read_escalation(reader: _Reader, tree: dict[str, Any], policy: Policy) -> None:
    escalation = reader.mapping(tree.get("escalation"), ("escalation",))
    policy.stuck = reader.duration(escalation.get("stuck"), ("escalation", "stuck"))
    for priority in PRIORITIES:
        steps = reader.mapping(escalation.get(priority, {}), ("escalation", priority))
        policy.escalation[priority] = {}
        for level, entry in steps.items():
            where = ("escalation", priority, level)
            if level not in policy.roles:
                reader.fail(where, f"'{level}' is not a role; roles: {', '.join(policy.roles)}")
                continue
            entry = reader.mapping(entry, where)
            also = entry.get("also", [])
            if not isinstance(also, list):
                reader.fail((*where, "also"), "must be a list of durations")
                also = []
            policy.escalation[priority][level] = Step(
                level, reader.duration(entry.get("after"), (*where, "after")),
                tuple(reader.duration(v, (*where, "also", str(i))) for i, v in enumerate(also)),
                str(entry.get("how", "")))
    immediate = escalation.get("immediate", [])
    if not isinstance(immediate, list):
        reader.fail(("escalation", "immediate"), "must be a list of {trigger, to}")
        immediate = []
    policy.immediate = [item for item in immediate if isinstance(item, dict)]
    for extra in set(escalation) - {*PRIORITIES, "stuck", "immediate"}:
        reader.fail(("escalation", str(extra)), f"unknown key; expected one of {', '.join(PRIORITIES)}, stuck, immediate")


def _read_measures(reader: _Reader, tree: dict[str, Any], policy: Policy, alerts: dict[str, str]) -> None:
    for key, entry in reader.mapping(tree.get("measures", {}), ("measures",)).items():
        entry = reader.mapping(entry, ("measures", key))
        alert = str(entry.get("alert", ""))
        if alert not in alerts:
            reader.fail(("measures", key, "alert"), f"'{alert}' is not an alert of the alert rules")
        policy.measures[key] = Measure(key, reader.text_list(entry.get("called", []), ("measures", key, "called")),
                                       str(entry.get("unit", "")), alert)


def _read_severity(reader: _Reader, tree: dict[str, Any], policy: Policy, alerts: dict[str, str]) -> None:
    severity = reader.mapping(tree.get("severity"), ("severity",))
    for alert, entry in severity.items():
        where = ("severity", alert)
        if alert not in alerts:
            close = difflib.get_close_matches(str(alert), list(alerts), n=1)
            reader.fail(where, f"'{alert}' is not an alert of the alert rules" + (f" (did you mean {close[0]}?)" if close else ""))
            continue
        entry = reader.mapping(entry, where)
        base = alerts[alert]
        if base not in PRIORITIES:
            reader.fail(where, f"alert {alert} has no priority label (P0-P3) in the alert rules, so nothing can raise or lower it")
            continue
        for direction, store in (("raise", policy.raises), ("lower", policy.lowers)):
            conditions = entry.get(direction, [])
            if not isinstance(conditions, list):
                reader.fail((*where, direction), "must be a list of {to, when}")
                continue
            store[alert] = []
            for index, item in enumerate(conditions):
                here = (*where, direction, str(index))
                item = reader.mapping(item, here)
                to = item.get("to")
                if to not in PRIORITIES:
                    reader.fail((*here, "to"), f"'{to}' must be one of {', '.join(PRIORITIES)}")
                    continue
                higher = PRIORITIES.index(to) < PRIORITIES.index(base)
                if (direction == "raise") != higher:
                    reader.fail((*here, "to"), f"{direction} to {to} from the rule's default {base} goes the wrong way")
                limit = _read_limit(reader, item.get("limit"), (*here, "limit"), policy)
                store[alert].append(Condition(to, re.sub(r"\s+", " ", str(item.get("when", ""))).strip(), limit))
    for alert in alerts:
        if alert not in severity:
            reader.fail(("severity",), f"says nothing about alert {alert}: add it, even with no conditions ({alert}: {{}})")


def _read_limit(reader: _Reader, value: Any, where: tuple[str, ...], policy: Policy) -> Limit | None:
    if value is None:
        return None
    value = reader.mapping(value, where)
    measure = value.get("measure")
    if measure not in policy.measures:
        reader.fail((*where, "measure"), f"'{measure}' is not one of the measures: {', '.join(policy.measures)}")
        return None
    op = value.get("op")
    if op not in OPERATORS:
        reader.fail((*where, "op"), "must be '>' or '<'")
        return None
    quantity = parse_quantity(str(value.get("value")), policy.measures[measure].unit)
    if quantity is None:
        reader.fail((*where, "value"), f"'{value.get('value')}' is not a number with an optional unit (50%, 90 s, 200)")
        return None
    return Limit(measure, op, quantity)
