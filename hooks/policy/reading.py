"""How a page's prose is read for policy: the names a sentence can use (roles, actions, alerts,
measures), the priority it is about, and its clauses. Shared by the claim checks in
authority.py, timing.py, alerts.py and paging.py."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hooks.policy.model import PRIORITIES, Policy
from hooks.policy.prose import Unit
from hooks.policy.quantities import Duration, Quantity, parse_duration, parse_quantity

PRIORITY = re.compile(r"\bP([0-3])s?\b")


CLAUSE = re.compile(r";|\s[—–]\s|\.\s|,\s+(?:because|since|so that|unless|or)\b")


# Narration of what happened (timelines, drill results, worked examples), not policy.
OBSERVATION = re.compile(r"\b\d{1,2}:\d\d\b|\bT\+|\b(?:joined|approved|took|was|were|recorded|measured|observed|happened"
                         r"|arrived|answered|reached|lasted|self-resolving|drill)\b", re.I)


NOT_A_ROLE = re.compile(r"\bexecutive\s+(?:brief|briefs|impact|summary|statement|template|sponsor)\b|\bengineering\s+ticket\b", re.I)


FROM_TO = re.compile(r"\bP[0-3]\s+to\s+(?:an?\s+)?(P[0-3])\b")


@dataclass(frozen=True)
class Finding:
    line: int
    message: str
    hint: str


@dataclass(frozen=True)
class Mention:
    key: str
    start: int
    end: int


def phrase_pattern(phrases: Iterable[str]) -> str:
    escaped = sorted({re.escape(p.strip()).replace(r"\ ", r"[\s-]+") for p in phrases if p.strip()}, key=len, reverse=True)
    return r"(?<![\w-])(?:" + "|".join(escaped) + r")(?![\w-])"


def prometheus_duration(text: str) -> Duration | None:
    parts = re.findall(r"(\d+)([smhd])", text)
    if not parts:
        return None
    seconds = sum(int(n) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[u] for n, u in parts)
    return Duration(seconds / 60)


@functools.lru_cache(maxsize=4096)
def words_of(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9_']+(?:\.[a-z0-9_']+)*", text.lower()))


class Lexicon:
    """Phrases that name things of one kind (roles, actions, measures), matched in one pass.

    One alternation, longest phrases first, so at any position the longest name wins
    ("Engineering Manager" over "engineering"); a compiled regex per phrase made the check
    the slowest part of the build.
    """

    def __init__(self, phrases: dict[str, Iterable[str]], case_sensitive: Iterable[str] = ()) -> None:
        exact = set(case_sensitive)
        self.keys: dict[str, str] = {}
        parts: list[tuple[int, str]] = []
        for key, names in phrases.items():
            for name in names:
                name = name.strip()
                if not name:
                    continue
                pattern = re.escape(name).replace(r"\ ", r"[\s-]+")
                parts.append((len(name), f"(?-i:{pattern})" if key in exact else pattern))
                self.keys.setdefault(self._normal(name, key in exact), key)
        self.exact = {self._normal(n, True) for key in exact for n in phrases.get(key, ())}
        # A phrase can only match where each of its words is: a set lookup of its longest word spares
        # most clauses the regex.
        self.by_word: dict[str, list[frozenset[str]]] = {}
        for names in phrases.values():
            for name in names:
                words = frozenset(w for w in re.split(r"[^a-z0-9_']+", name.lower()) if w)
                if words:
                    self.by_word.setdefault(max(words, key=len), []).append(words)
        self.first_words = frozenset(self.by_word)
        self._found: dict[str, list[Mention]] = {}
        alternation = "|".join(p for _, p in sorted(parts, key=lambda item: -item[0]))
        self.pattern = re.compile(r"(?<![\w-])(?:" + alternation + r")(?![\w-])", re.I) if parts else None

    @staticmethod
    def _normal(text: str, exact: bool = False) -> str:
        text = re.sub(r"[\s-]+", " ", text.strip())
        return text if exact else text.lower()

    def could_match(self, words: frozenset[str]) -> bool:
        """Are all the words of some phrase among ``words``? Set operations only."""
        return any(phrase <= words for word in words & self.first_words for phrase in self.by_word[word])

    def search(self, text: str) -> bool:
        return self.pattern is not None and self.pattern.search(text) is not None

    def find(self, text: str) -> list[Mention]:
        # Each clause is read by several checks; the same question is answered once.
        found = self._found.get(text)
        if found is None:
            if len(self._found) > 4096:
                self._found.clear()
            found = self._found[text] = self._find(text)
        return found

    def _find(self, text: str) -> list[Mention]:
        if self.pattern is None or not self.could_match(words_of(text)):
            return []
        found = []
        for match in self.pattern.finditer(text):
            raw = match.group(0)
            key = self.keys.get(self._normal(raw, True)) if self._normal(raw, True) in self.exact else None
            key = key or self.keys.get(self._normal(raw))
            if key is not None:
                found.append(Mention(key, match.start(), match.end()))
        return found


class Vocabulary:
    """Everything a sentence can name, compiled once per build from the policy and facts."""

    def __init__(self, policy: Policy, facts: dict[str, Any]) -> None:
        self.policy = policy
        self.facts = facts
        alerts = facts.get("alerts", {})
        self.alert_priority = {name: str(a.get("priority", "")) for name, a in alerts.items()} if isinstance(alerts, dict) else {}
        self.alert_threshold = {name: str(a.get("threshold", "")) for name, a in alerts.items()} if isinstance(alerts, dict) else {}
        self.alert_for = {name: prometheus_duration(str(a.get("for", ""))) for name, a in alerts.items()} if isinstance(alerts, dict) else {}
        self.alert_op = {}
        for name, a in (alerts.items() if isinstance(alerts, dict) else []):
            found = re.search(r"([<>]=?|==)\s*[\d.]+\s*$", str(a.get("expr", "")).strip())
            self.alert_op[name] = found.group(1) if found else ""
        self.roles = Lexicon({r.key: (*r.called, r.key, r.name) for r in policy.roles.values()}, case_sensitive={"IC"})
        self.actions = Lexicon({a.key: a.called for a in policy.actions.values()})
        self.alert_names = re.compile(r"\b(" + "|".join(sorted(self.alert_priority, key=len, reverse=True)) + r")\b") \
            if self.alert_priority else None
        self.measures = Lexicon({m.key: m.called for m in policy.measures.values()})
        self._alerts: dict[str, list[Mention]] = {}
        self._under_alert: dict[tuple[str, ...], bool] = {}
        self.measure_of_alert = {m.alert: m.key for m in policy.measures.values()}
        self.sla = {(p, kind): parse_duration(str(facts.get(f"sla.{p.lower()}.{kind}", "")))
                    for p in PRIORITIES for kind in ("ack", "engage", "resolve", "update_every")}

    def find(self, lexicon: Lexicon, text: str) -> list[Mention]:
        return lexicon.find(text)

    def alert_heading(self, headings: tuple[str, ...]) -> bool:
        known = self._under_alert.get(headings)
        if known is None:
            known = self._under_alert[headings] = any(self.alerts_in(heading) for heading in headings)
        return known

    def alerts_in(self, text: str) -> list[Mention]:
        found = self._alerts.get(text)
        if found is None:
            if len(self._alerts) > 4096:
                self._alerts.clear()
            found = self._alerts[text] = self._alerts_in(text)
        return found

    def _alerts_in(self, text: str) -> list[Mention]:
        if self.alert_names is None:
            return []
        return [Mention(m.group(1), m.start(), m.end()) for m in self.alert_names.finditer(text)]

    def valid_values(self, measure: str, firing: bool = False) -> list[Quantity]:
        """Every number the data states for a measure: the alert threshold and severity limits;
        when the sentence says the alert fires, only its threshold."""
        definition = self.policy.measures[measure]
        values = []
        threshold = parse_quantity(self.alert_threshold.get(definition.alert, ""), definition.unit)
        if threshold is not None:
            values.append(threshold)
        if firing:
            return values
        for conditions in (*self.policy.raises.values(), *self.policy.lowers.values()):
            values += [c.limit.value for c in conditions if c.limit and c.limit.measure == measure]
        for key, value in self.facts.items():
            if key.startswith("thresholds.") and measure in key.replace("-", "_"):
                parsed = parse_quantity(str(value), definition.unit)
                if parsed is not None:
                    values.append(parsed)
        return values


@dataclass
class Context:
    priorities: list[str]
    explicit: bool
    alert: str | None
    source: str = "none"  # clause | paragraph | heading | none: where the priorities came from


@functools.lru_cache(maxsize=4096)
def priorities_in(text: str) -> list[str]:
    upgraded = FROM_TO.search(text)
    if upgraded:  # "upgrading a P2 to P1": the statement is about the priority it becomes
        return [upgraded.group(1)]
    return sorted({f"P{m.group(1)}" for m in PRIORITY.finditer(text)})


class LazyContext:
    """The context of a clause, worked out only if a check asks for it: most clauses state no
    policy and never need it."""

    def __init__(self, unit: Unit, vocab: Vocabulary, clause: str) -> None:
        self._args = (unit, vocab, clause)
        self._value: Context | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._value is None:
            self._value = context_of(*self._args)
        return getattr(self._value, name)


def context_of(unit: Unit, vocab: Vocabulary, clause: str) -> Context:
    here = priorities_in(clause)
    alert = None
    for heading in reversed(unit.headings):
        names = vocab.alerts_in(heading)
        if names:
            alert = names[0].key
            break
    if here:
        return Context(here, True, alert, "clause")
    paragraph = priorities_in(unit.paragraph) if unit.paragraph else []
    if paragraph:
        return Context(paragraph, False, alert, "paragraph")
    for heading in reversed(unit.headings):
        found = priorities_in(heading)
        if found:
            return Context(found, False, alert, "heading")
        names = vocab.alerts_in(heading)
        if names:
            return Context([vocab.alert_priority[names[0].key]], False, names[0].key, "heading")
    return Context(list(PRIORITIES), False, alert)


def clauses_of(text: str, table: bool) -> list[str]:
    if table:
        # "first cell | column header | cell": the cell's own clauses, each with the row and
        # column it belongs to.
        first, header, cell = text.split(" | ", 2)
        return [f"{first} | {header} | {piece.strip()}" for piece in re.split(r";|\s[—–]\s|,\s+or\b", cell) if piece.strip()]
    pieces, start = [], 0
    for match in CLAUSE.finditer(text):
        pieces.append(text[start:match.start()])
        start = match.end()
    pieces.append(text[start:])
    return [piece for piece in pieces if piece.strip()]


def disagrees(results: list[bool], explicit: bool) -> bool:
    """True when the statement disagrees: with any named priority, or with every inferred one."""
    if not results:
        return False
    return any(not ok for ok in results) if explicit else not any(results)


def nearest_priority(clause: str, position: int, end: int) -> str | None:
    """The priority a value belongs to: "2 hours (P0)" or "30 min for P1" right after it, else
    the last priority written before it ("P0 within 2 hours, P1 within 4 hours")."""
    after = re.match(r"\s*(?:\(|for\s+(?:an?\s+)?|on\s+(?:an?\s+)?|in\s+(?:an?\s+)?)P([0-3])\b", clause[end:end + 14])
    if after:
        return f"P{after.group(1)}"
    before = [m for m in PRIORITY.finditer(clause) if m.end() <= position]
    return f"P{before[-1].group(1)}" if before else None


class Reading:
    """What every claim check holds: the policy, the vocabulary compiled from it."""

    policy: Policy
    vocab: Vocabulary

    def _roles(self, clause: str) -> list[Mention]:
        blanked = NOT_A_ROLE.sub(lambda m: " " * len(m.group(0)), clause)
        return self.vocab.find(self.vocab.roles, blanked)
