"""The facts pages may reference: ``data/facts.yml`` plus the Prometheus alert rules.

The alert rules file is the source of truth for alert names, expressions, thresholds and
severities, so pages read them from it (``facts.alerts.<AlertName>.expr`` and so on) instead
of restating them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hooks.yaml_errors import error_line, message

# libyaml's loader when PyYAML has it: the same safe subset, several times faster.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FactsError(ValueError):
    """A facts source that cannot be read; the message names the file and the line."""


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FactsError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        bad_line = path.read_bytes().count(b"\n", 0, exc.start) + 1
        raise FactsError(f"{path}:{bad_line}: not UTF-8: byte 0x{exc.object[exc.start]:02x} cannot be read "
                         "(re-save the file as UTF-8)") from None
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        line = error_line(text, exc)
        where = f"{path}:{line + 1}" if line is not None else str(path)
        raise FactsError(f"{where}: not valid YAML: {message(exc)}") from None


def alerts_from_rules(rules: Any, source: str = "alert rules") -> dict[str, dict[str, Any]]:
    """``{alert name: {expr, for, severity, priority, summary, threshold, runbook_url, ...}}``."""
    alerts: dict[str, dict[str, Any]] = {}
    if not isinstance(rules, dict) or not isinstance(rules.get("groups"), list):
        raise FactsError(f"{source}: expected a Prometheus rules file with a 'groups' list")
    for group in rules["groups"]:
        for rule in group.get("rules", []):
            name = rule.get("alert")
            if not name:
                continue  # recording rules
            if name in alerts:
                raise FactsError(f"{source}: alert {name} is defined twice")
            entry = {"name": name, "expr": str(rule.get("expr", "")).strip(), "for": rule.get("for", "0s")}
            entry.update(rule.get("labels") or {})
            entry.update(rule.get("annotations") or {})
            alerts[name] = entry
    return alerts


def flatten(tree: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted keys for every leaf and every group: ``{'sla.p0.resolve': '2 hours', 'sla.p0': {...}}``.

    A list's items are numbered (``examples.log.api.2``), so a page can show one sample line of a
    list instead of copying it."""
    flat: dict[str, Any] = {}
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else ()
    for key, value in items:
        dotted = f"{prefix}.{key}" if prefix else str(key)
        flat[dotted] = value
        flat.update(flatten(value, dotted))
    return flat


def load_facts(facts_file: Path, rules_file: Path | None = None, examples_file: Path | None = None) -> dict[str, Any]:
    """The facts, the alert rules as ``alerts.*`` and the example entities as ``examples.*``, flattened."""
    facts = load_yaml(facts_file)
    if not isinstance(facts, dict):
        raise FactsError(f"{facts_file}: expected a mapping of fact groups at the top level")
    for key, source in (("alerts", rules_file), ("alert_count", rules_file), ("examples", examples_file)):
        if source is not None and key in facts:
            raise FactsError(f"{facts_file}: '{key}' comes from {source}; do not define it here")
    if rules_file is not None:
        facts["alerts"] = alerts_from_rules(load_yaml(rules_file), str(rules_file))
        facts["alert_count"] = len(facts["alerts"])   # "the 12 alerts" follows the rules file
    if examples_file is not None:
        examples = load_yaml(examples_file)
        if not isinstance(examples, dict):
            raise FactsError(f"{examples_file}: expected a mapping of example groups at the top level")
        facts["examples"] = examples
    return flatten(facts)
