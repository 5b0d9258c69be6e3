"""Policy stated in prose, held to the data.

A sentence that gives a role an action, states an escalation time, a response target, an
alert's threshold or severity condition, or a paging urgency is read for what it claims and
compared with data/policy.yml, the SLA facts and the alert rules. Only disagreements are
reported; a sentence that states no policy, or states it right, is left alone.

How a sentence is read (deliberately narrow, so that it stays quiet on ordinary prose):
- who: a role, then a permission word ("may", "cannot", "has no rights to", "only ... may",
  "requires L2"), then an action from the authority matrix;
- when to escalate: a level (L2-L5 or its name), an escalation word ("escalate", "page",
  "inform", or an "Escalation" heading), and a duration after "after", "at", "beyond" ...;
- response targets: "acknowledge" / "engage" / "resolve" / "updates every" with a duration;
- thresholds and severity: an alert name or a measure ("queue depth", "success rate"), a
  comparison ("above", "more than", "below") and a number; with a priority it is a severity
  condition, with a trigger word ("fires", "threshold", "scale") it is a threshold;
- paging: a priority, an urgency ("high urgency", "no phone call", "does not page") and
  optionally a time of day ("at night", "in business hours").
The priority a statement is about comes from the sentence, else from its paragraph, else
from the enclosing headings (a priority, or an alert whose default priority counts). A
statement about priorities it names must hold for each of them; one about priorities only
inferred from its surroundings must hold for at least one.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from hooks.policy.alerts import AlertClaims
from hooks.policy.authority import AuthorityClaims
from hooks.policy.model import Policy
from hooks.policy.paging import PagingClaims
from hooks.policy.prose import Unit
from hooks.policy.quantities import WORD_NUMBERS
from hooks.policy.reading import OBSERVATION, Finding, LazyContext, Vocabulary, clauses_of, priorities_in, words_of
from hooks.policy.timing import KINDS, TimingClaims

# Gates: a clause without any of these cannot state that kind of policy.
NUMBERISH = re.compile(r"\d|\b(?:" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r"|half)\b", re.I)
RESPONSE_WORDS = re.compile("|".join(pattern.pattern for pattern in KINDS.values()), re.I)
STUCK_WORDS = re.compile(r"\bstuck\b|\bprogress\b", re.I)
MOVES = re.compile(r"\b(?:default priority|by default|lower|rais|upgrad|downgrad)", re.I)
COMPARE_WORDS = re.compile(r"above|over|more|greater|higher|exceed|pass|past|beyond|[<>]|below|under|less|lower|drop|fall"
                           r"|least|most|tops|deeper|longer|slower|reach|hits|cross|fire|trigger|threshold|fewer|after|for", re.I)
PAGING_WORDS = re.compile(r"\bpag(?:e|es|ed|ing)\b|urgency|phone|\bwake|PagerDuty|notif|\bcall\b|\bpush\b|\brings\b", re.I)

__all__ = ["Checker", "Finding"]


DIGIT = re.compile(r"\d")
KIND_WORDS = frozenset("""ack acked acks acknowledge acknowledged acknowledges acknowledgement acknowledgment acknowledging
    engage engaged engages engagement engaging resolve resolved resolves resolution resolving update updates cadence
    named bridge""".split())
MOVE_WORDS = frozenset("default lower lowered lowers raise raised raises upgrade upgraded downgrade downgraded drops".split())
COMPARE_TOKENS = frozenset("""above over more greater higher exceeds exceed exceeding passes past beyond below under less lower
    drops falls least most tops deeper longer slower reaches hits crosses fires fire triggers threshold fewer""".split())
PAGING_TOKENS = frozenset("page pages paged paging urgency phone phones wake wakes pagerduty push rings notification notified".split())
PRIORITY_TOKENS = frozenset({"p0", "p1", "p2", "p3", "p0s", "p1s", "p2s", "p3s"})
TIME_WORDS = frozenset("""minute minutes min mins hour hours h hr hrs day days business""".split())


class Checker(AuthorityClaims, TimingClaims, AlertClaims, PagingClaims):
    def __init__(self, policy: Policy, facts: dict[str, Any]) -> None:
        self.policy = policy
        self.vocab = Vocabulary(policy, facts)
        self.alert_words = frozenset(name.lower() for name in self.vocab.alert_priority)
        self.number_words = frozenset(WORD_NUMBERS) | {"half"}

    def relevant(self, text: str, headings: tuple[str, ...] = ()) -> bool:
        """Could this paragraph or table row state policy at all? Word-set tests only: the build
        reads every paragraph of every page, and most state no policy."""
        words = words_of(text)
        if words & self.alert_words:
            return True
        if self.vocab.actions.could_match(words) and self.vocab.roles.could_match(words):
            return True
        number = bool(DIGIT.search(text) or words & self.number_words)
        under_alert = self.vocab.alert_heading(headings)
        if under_alert and (words & MOVE_WORDS or (number and words & COMPARE_TOKENS)):
            return True
        if words & PAGING_TOKENS and (words & PRIORITY_TOKENS or "urgency" in words or priorities_in(" ".join(headings))):
            return True
        if "hours" in words and ":" in text:
            return True
        if not number:
            return False
        if words & TIME_WORDS and (words & KIND_WORDS or "stuck" in words or self.vocab.roles.could_match(words)):
            return True
        if self.vocab.measures.could_match(words) and words & COMPARE_TOKENS:
            return True
        return ("%" in text or "cent" in words) and bool(words & KIND_WORDS)

    def check(self, units: Iterable[Unit]) -> list[Finding]:
        findings: list[Finding] = []
        for unit in units:
            for clause in clauses_of(unit.text, unit.table):
                findings += self._check_clause(unit, clause, unit.table)
        unique: dict[tuple[int, str], Finding] = {}
        for finding in findings:
            unique.setdefault((finding.line, finding.message), finding)
        return list(unique.values())

    def _check_clause(self, unit: Unit, clause: str, table: bool) -> list[Finding]:
        # Cheap tests first: most clauses name no action, no number and no urgency, and the build
        # reads every clause of every page.
        context: Any = LazyContext(unit, self.vocab, clause)
        findings: list[Finding] = []
        if self.vocab.actions.find(clause):
            findings += self._authority(unit, clause, table)
        if self.vocab.alerts_in(clause) or MOVES.search(clause):
            findings += self._alert_priorities(unit, clause, context)
        if "hours" in clause:
            findings += self._business_hours(unit, clause)
        if OBSERVATION.search(clause):
            return findings  # what happened, not what must happen
        if NUMBERISH.search(clause):
            claimed: set[int] = set()
            if RESPONSE_WORDS.search(clause):
                findings += self._response(unit, clause, context, claimed)
            if "%" in clause or "cent" in clause:
                findings += self._targets_met(unit, clause)
            if self.vocab.roles.find(clause) or STUCK_WORDS.search(clause):
                findings += self._escalation(unit, clause, context, claimed)
            if COMPARE_WORDS.search(clause) and (self.vocab.alerts_in(clause) or self.vocab.measures.find(clause)
                                                 or self.vocab.alert_heading(unit.headings)):
                findings += self._thresholds(unit, clause, context)
        if PAGING_WORDS.search(clause):
            findings += self._paging(unit, clause, context)
        return findings
