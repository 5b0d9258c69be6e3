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


from collections.abc import Iterable
from typing import Any

from hooks.policy.alerts import AlertClaims
from hooks.policy.authority import AuthorityClaims
from hooks.policy.model import Policy
from hooks.policy.paging import PagingClaims
from hooks.policy.prose import Unit
from hooks.policy.reading import OBSERVATION, Finding, Vocabulary, clauses_of, context_of
from hooks.policy.timing import TimingClaims

__all__ = ["Checker", "Finding"]


class Checker(AuthorityClaims, TimingClaims, AlertClaims, PagingClaims):
    def __init__(self, policy: Policy, facts: dict[str, Any]) -> None:
        self.policy = policy
        self.vocab = Vocabulary(policy, facts)

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
        context = context_of(unit, self.vocab, clause)
        observed = bool(OBSERVATION.search(clause))
        findings = self._authority(unit, clause, table) + self._alert_priorities(unit, clause, context)
        findings += self._business_hours(unit, clause)
        if observed:
            return findings  # what happened, not what must happen
        claimed: set[int] = set()
        findings += self._response(unit, clause, context, claimed) + self._targets_met(unit, clause)
        findings += self._escalation(unit, clause, context, claimed)
        findings += self._thresholds(unit, clause, context)
        findings += self._paging(unit, clause, context)
        return findings
