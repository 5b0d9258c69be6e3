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
from dataclasses import dataclass
from typing import Any

from hooks.policy.model import PRIORITIES, Condition, Policy
from hooks.policy.prose import Unit
from hooks.policy.quantities import WORD_NUMBERS, Duration, Quantity, find_durations, parse_duration, parse_quantity

PRIORITY = re.compile(r"\bP([0-3])s?\b")
CLAUSE = re.compile(r";|\s[—–]\s|\.\s|,\s+(?:because|since|so that|unless|or)\b")
# Narration of what happened (timelines, drill results, worked examples), not policy.
OBSERVATION = re.compile(r"\b\d{1,2}:\d\d\b|\bT\+|\b(?:joined|approved|took|was|were|recorded|measured|observed|happened"
                         r"|arrived|answered|reached|lasted|self-resolving|drill)\b", re.I)
# "Time to acknowledge: 2 minutes (SLA 5 minutes)": only the number after SLA/target is a target.
TARGET_MARK = re.compile(r"\b(?:SLA|target)\b", re.I)
TARGET_CUE = re.compile(r"\b(?:must|should|within|SLA|targets?|deadline|no later than|at the latest|is expected|are expected"
                        r"|expected to|every|has to|have to|needs? to)\b|^(?:acknowledge|engage|resolve|update|post)\b", re.I)
NOT_A_ROLE = re.compile(r"\bexecutive\s+(?:brief|briefs|impact|summary|statement|template|sponsor)\b|\bengineering\s+ticket\b", re.I)
FROM_TO = re.compile(r"\bP[0-3]\s+to\s+(?:an?\s+)?(P[0-3])\b")
# Between a permission word and its action only these may stand: "may roll back", "cannot use
# the admin role", "is not allowed to run a rollback"; "does not wait for L3 to roll back" is not one.
MODAL_GAP = re.compile(r"^\s*(?:(?:also|ever|alone|directly|themselves|itself|then|only|be|allowed|able|permitted|authori[sz]ed"
                       r"|to|use|run|do|perform|execute|approve|send|the|a|an|any|its|their|own)\s+)*$", re.I)

POSITIVE = re.compile(
    r"\b(?:may(?:\s+also)?|can(?:\s+also)?|could|is allowed to|are allowed to|is authori[sz]ed to|are authori[sz]ed to"
    r"|has the rights? to|have the rights? to|is permitted to|are permitted to|can authori[sz]e|may authori[sz]e"
    r"|authori[sz]es|is able to|are able to|gets to|is responsible for|are responsible for)\b", re.I)
NEGATIVE = re.compile(
    r"\b(?:may not|must not|mustn't|cannot|can not|can't|could not|is not allowed to|are not allowed to"
    r"|is not authori[sz]ed to|are not authori[sz]ed to|has no rights? to|have no rights? to|no rights? to"
    r"|is not permitted to|are not permitted to|never|does not|do not|doesn't|don't|is not able to|are not able to"
    r"|has no permission to|have no permission to|lacks? the rights? to|is never allowed to)\b", re.I)
ONLY = re.compile(r"\bonly\b", re.I)
REQUIRES = re.compile(r"\b(?:requires|require|needs|need|is reserved for|are reserved for|is for|is done by|are done by"
                      r"|is run by|are run by|is made by|are made by|belongs to)\b", re.I)
AND_ABOVE = re.compile(r"^\W{0,3}(?:or|and)\s+(?:above|higher|up)\b|^\W{0,3}(?:and|or)\s+up\b|^\W{0,3}upwards\b", re.I)
APPROVAL = re.compile(r"(?<!without )(?<!no )(?<!without the )(?<!without an )\bapprov\w*|\bsign-?off\b|\bgo-ahead\b|\"go\"", re.I)
PASSIVE_BY = re.compile(r"\b(?:is|are|be|been|get|gets)\s+(?:\w+\s+){0,4}?\w+(?:ed|en|ne|un|de)\s+(?:\w+\s+){0,6}?by\b", re.I)

ESCALATE = re.compile(
    r"\b(?:escalat\w*|pag(?:e|es|ed|ing)|engag\w*|inform\w*|notif\w*|brings? in|brought in|pull(?:s|ed)? in"
    r"|(?<!on-)call(?:s|ed)? in|add(?:s|ed)?|join\w*|goes to|go to|involv\w*|wakes?|woken|loop(?:s|ed)? in|hand(?:s|ed)?"
    r"|(?<!on-)calls?|hears? about|learns? of|brought into|told)\b", re.I)
# "- L4: after 2 h", "L2 — when stuck": a level named first, as a line of an escalation list.
LEVEL_LINE = re.compile(r"^\W{0,4}(L[2-5])\b[^:—–|]{0,30}[:—–]\s", re.I)
JOIN = re.compile(r"\bjoin\w*", re.I)
PASSIVE_TARGET = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:is|are|gets?|must be|should be|will be)\s+(?:\w+\s+){0,2}?"
                            r"(?:paged|engaged|informed|notified|brought in|brought into|called|added|pulled in|escalated to|woken"
                            r"|involved|told)\b|^\s*(?:\w+\s+)?(?:hears?|learns?) (?:about|of)\b", re.I)
DURATION_LEAD = re.compile(r"(?:\bafter|\bat|\bpast|\bbeyond|\bby|\bwithin|\bover|\bpasses|\bpassed|\breaches|\bexceeds"
                           r"|\bonce|\bin|\+|\bat the|\bafter the|\bbeyond the|\bpast the)\s*(?:the\s+|a\s+|an\s+)?$", re.I)
UNACKNOWLEDGED = re.compile(r"\b(?:unacknowledged|not acknowledged|no acknowledgement|no acknowledgment|without acknowledg\w+"
                            r"|does not acknowledge|doesn't acknowledge|did not acknowledge|not ack(?:ed)?|does not answer the page"
                            r"|doesn't answer the page|no one acknowledges|nobody acknowledges|nobody answers the page|(?:nobody|no one) has acknowledged"
                            r"|has not acknowledged|hasn't acknowledged|not been acknowledged|goes unacknowledged)\b", re.I)
STUCK = re.compile(r"\b(?:stuck|without progress|no progress)\s+(?:for\s+)?(?:more than\s+|over\s+|longer than\s+|>\s*)?$", re.I)
RELATIVE = re.compile(r"\banother\s+\d|\bmore\s+\d+\s*min|\bfurther\s+\d", re.I)

KINDS = {
    "ack": re.compile(r"\back(?:nowledg\w*|ed|s)?\b", re.I),
    "engage": re.compile(r"\bengag\w*|\b(?:an? )?Incident Commander (?:is )?named|\bname an Incident Commander\b"
                         r"|\bIC named\b|\bhas an Incident Commander\b|\bname the IC\b|\bIC is named\b|\bopen the bridge\b"
                         r"|\bbridge (?:is )?open(?:ed)?\b", re.I),
    "resolve": re.compile(r"\bresol(?:ve[sd]?|ving|ution)\b", re.I),
    "update_every": re.compile(r"\bupdates?\b|\bcadence\b", re.I),
}
KIND_TEXT = {"ack": "acknowledge", "engage": "engage", "resolve": "resolve", "update_every": "status updates every"}
TARGET_LEAD = re.compile(r"(?:\bwithin|\bin|\bunder|\binside|\bby|\bof|\bevery|:|\||\btarget|\bis|\bare|\bSLA|\bto|<|≤|\bmax\.?|\bmaximum)\s*"
                         r"(?:the\s+|a\s+|an\s+)?$", re.I)

COMPARE = re.compile(r"(?:\babove|\bover|\bmore than|\bgreater than|\bhigher than|\bexceeds?|\bexceeding|\bpasses|\bpast"
                     r"|\bbeyond|>=?|\bbelow|\bunder|\bless than|\blower than|\bdrops? (?:below|under|to)|\bfalls? (?:below|under)"
                     r"|<=?|\bat least|\bat most|\btops|\bdeeper than|\blonger than|\bslower than|\bat or above|\bat or below"
                     r"|\breaches|\bhits|\bcrosses|\b(?:fires?|triggers?|alerts?|pages?)\s+at|\bthreshold\s+(?:is|of)"
                     r"|\bthreshold:|\bfewer than)\s*(?:(?:the|a|an|about|roughly)\s+)?(?:[\w%-]+\s+of\s+)?$", re.I)
LOWER_WORDS = re.compile(r"below|under|less|lower|drops?|falls?|<|at most", re.I)
FIRES = re.compile(r"\b(?:fires?|triggers?|triggered|is firing|starts firing)\b(?!\s+alerts?\b)", re.I)
TRIGGER = re.compile(r"\b(?:fires?|firing|fired|triggers?|triggered|alerts?|threshold|thresholds|scale|scaling|pages?|paged"
                     r"|add workers|add capacity)\b", re.I)
NOT_A_MEASURE_AFTER = re.compile(r"^\s*(?:minutes?|mins?|hours?|hrs?|h\b|days?|m\b|business|:|\d|x\b|×|replicas?|pods?|tenants?"
                                 r"|tickets?|workers?|connections?|requests?|calls?)", re.I)
SEVERITY_CUE = re.compile(r"\b(?:becomes?|is a|is an|raise[sd]?|upgrade[sd]?|treat(?:ed)? as|counts? as|declare|→|->|escalates? to"
                          r"|priority|severity|is P[0-3]|as P[0-3])\b|→|->", re.I)

HIGH = re.compile(r"\bhigh[- ]urgency\b|\bphone call\b|\bcalls? (?:the|you|them)\b|\bwakes?\b|\bphone, SMS\b|\bphones\b|\brings\b", re.I)
LOW = re.compile(r"\blow[- ]urgency\b|\bno (?:phone )?call\b|\bwithout a (?:phone )?call\b|\bpush and e-?mail\b|\bdoes not wake\b"
                 r"|\bpush notifications?\b|\ba push\b"
                 r"|\bdoesn't wake\b|\bnot woken\b", re.I)
NONE = re.compile(r"\bno page\b|\bdoes not page\b|\bdoesn't page\b|\bnever pages?\b|\bnot paged\b|\bnever paged\b"
                  r"|\bdo not page\b|\bdon't page\b|\bnobody is paged\b|\bno one is paged\b|\bis not a page\b|\bwithout paging\b", re.I)
PAGING_CUE = re.compile(r"\bpag(?:e|es|ed|ing)\b|\burgency\b|\bphone call\b|\bwakes?\b|\bPagerDuty\b|\bnotif\w*", re.I)
OUT_OF_HOURS = re.compile(r"\bat night\b|\bout of (?:business )?hours\b|\boutside (?:of )?(?:business |working )?hours\b"
                          r"|\bovernight\b|\bafter hours\b|\bnights?\b|\bweekends?\b|\boutside them\b|\boff-hours\b"
                          r"|\b(?:[0-5]|1[01])\s*a\.?m\.?(?!\w)", re.I)
IN_HOURS = re.compile(r"\bin (?:business|working|office) hours\b|\bduring (?:business|working|office) hours\b"
                      r"|\bduring the day\b|\bin hours\b|\bdaytime\b", re.I)
ALWAYS = re.compile(r"\bat any hour\b|\b24x7\b|\b24/7\b|\balways\b|\bday and night\b|\bround the clock\b|\baround the clock\b", re.I)


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


def _phrase_pattern(phrases: Iterable[str]) -> str:
    escaped = sorted({re.escape(p.strip()).replace(r"\ ", r"[\s-]+") for p in phrases if p.strip()}, key=len, reverse=True)
    return r"(?<![\w-])(?:" + "|".join(escaped) + r")(?![\w-])"


class Vocabulary:
    """Everything a sentence can name, compiled once per build from the policy and facts."""

    def __init__(self, policy: Policy, facts: dict[str, Any]) -> None:
        self.policy = policy
        self.facts = facts
        alerts = facts.get("alerts", {})
        self.alert_priority = {name: str(a.get("priority", "")) for name, a in alerts.items()} if isinstance(alerts, dict) else {}
        self.alert_threshold = {name: str(a.get("threshold", "")) for name, a in alerts.items()} if isinstance(alerts, dict) else {}
        self.alert_for = {name: _prometheus_duration(str(a.get("for", ""))) for name, a in alerts.items()} if isinstance(alerts, dict) else {}
        self.alert_op = {}
        for name, a in (alerts.items() if isinstance(alerts, dict) else []):
            found = re.search(r"([<>]=?|==)\s*[\d.]+\s*$", str(a.get("expr", "")).strip())
            self.alert_op[name] = found.group(1) if found else ""
        self.roles = [(re.compile(_phrase_pattern(r.called + (r.key, r.name)), re.I if r.key != "IC" else 0), r.key)
                      for r in policy.roles.values()]
        self.actions = [(re.compile(_phrase_pattern(a.called), re.I), a.key) for a in policy.actions.values()]
        self.alert_names = re.compile(r"\b(" + "|".join(sorted(self.alert_priority, key=len, reverse=True)) + r")\b") \
            if self.alert_priority else None
        self.measures = [(re.compile(_phrase_pattern(m.called), re.I), m.key) for m in policy.measures.values()]
        self.measure_of_alert = {m.alert: m.key for m in policy.measures.values()}
        self.sla = {(p, kind): parse_duration(str(facts.get(f"sla.{p.lower()}.{kind}", "")))
                    for p in PRIORITIES for kind in KINDS}

    def find(self, patterns: list[tuple[re.Pattern[str], str]], text: str) -> list[Mention]:
        found: list[Mention] = []
        for pattern, key in patterns:
            for match in pattern.finditer(text):
                found.append(Mention(key, match.start(), match.end()))
        # Longest match wins where two overlap ("Engineering Manager" over "engineering").
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for mention in found:
            if kept and mention.start < kept[-1].end:
                continue
            kept.append(mention)
        return kept

    def alerts_in(self, text: str) -> list[Mention]:
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


def _priorities(text: str) -> list[str]:
    upgraded = FROM_TO.search(text)
    if upgraded:  # "upgrading a P2 to P1": the statement is about the priority it becomes
        return [upgraded.group(1)]
    return sorted({f"P{m.group(1)}" for m in PRIORITY.finditer(text)})


def _context(unit: Unit, vocab: Vocabulary, clause: str) -> Context:
    here = _priorities(clause)
    alert = None
    for heading in reversed(unit.headings):
        names = vocab.alerts_in(heading)
        if names:
            alert = names[0].key
            break
    if here:
        return Context(here, True, alert, "clause")
    paragraph = _priorities(unit.paragraph) if unit.paragraph else []
    if paragraph:
        return Context(paragraph, False, alert, "paragraph")
    for heading in reversed(unit.headings):
        found = _priorities(heading)
        if found:
            return Context(found, False, alert, "heading")
        names = vocab.alerts_in(heading)
        if names:
            return Context([vocab.alert_priority[names[0].key]], False, names[0].key, "heading")
    return Context(list(PRIORITIES), False, alert)


def _clauses(text: str, table: bool) -> list[str]:
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


def _verdict(results: list[bool], explicit: bool) -> bool:
    """True when the statement disagrees: with any named priority, or with every inferred one."""
    if not results:
        return False
    return any(not ok for ok in results) if explicit else not any(results)


def _nearest_priority(clause: str, position: int, end: int) -> str | None:
    """The priority a value belongs to: "2 hours (P0)" or "30 min for P1" right after it, else
    the last priority written before it ("P0 within 2 hours, P1 within 4 hours")."""
    after = re.match(r"\s*(?:\(|for\s+(?:an?\s+)?|on\s+(?:an?\s+)?|in\s+(?:an?\s+)?)P([0-3])\b", clause[end:end + 14])
    if after:
        return f"P{after.group(1)}"
    before = [m for m in PRIORITY.finditer(clause) if m.end() <= position]
    return f"P{before[-1].group(1)}" if before else None


class Checker:
    def __init__(self, policy: Policy, facts: dict[str, Any]) -> None:
        self.policy = policy
        self.vocab = Vocabulary(policy, facts)

    def check(self, units: Iterable[Unit]) -> list[Finding]:
        findings: list[Finding] = []
        for unit in units:
            for clause in _clauses(unit.text, unit.table):
                findings += self._check_clause(unit, clause, unit.table)
        unique: dict[tuple[int, str], Finding] = {}
        for finding in findings:
            unique.setdefault((finding.line, finding.message), finding)
        return list(unique.values())

    def _check_clause(self, unit: Unit, clause: str, table: bool) -> list[Finding]:
        context = _context(unit, self.vocab, clause)
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

    def _roles(self, clause: str) -> list[Mention]:
        blanked = NOT_A_ROLE.sub(lambda m: " " * len(m.group(0)), clause)
        return self.vocab.find(self.vocab.roles, blanked)

    # -- who may do what -------------------------------------------------------------------
    def _authority(self, unit: Unit, clause: str, table: bool) -> list[Finding]:
        actions = self.vocab.find(self.vocab.actions, clause)
        if not actions:
            return []
        question = re.match(r"^\W*who\s+(?:can|may|is allowed to|is authori[sz]ed to)\b.*\?\s*$", clause, re.I)
        if question and unit.paragraph:
            # "Who can roll back? L2 and above.": the answer is the paragraph's next sentence.
            rest = unit.paragraph.split(clause.strip(), 1)[-1].strip()
            answer = re.split(r"(?<=[.!?])\s", rest, maxsplit=1)[0] if rest else ""
            asked = re.sub(r"^\W*who\s+(?:can|may|is allowed to|is authori[sz]ed to)\s+|\?\s*$", "", clause, flags=re.I)
            if answer:
                clause = f"Only {answer.rstrip('.')} may {asked}."
                actions = self.vocab.find(self.vocab.actions, clause)
        roles = self._roles(clause)
        if not roles:
            return []
        findings: list[Finding] = []
        matrix = self.policy.actions
        approval = bool(APPROVAL.search(clause))

        def disagree(role: str, action: str, says: str) -> None:
            allowed = matrix[action].who.get(role, "no")
            if says == "may" and (allowed == "no" or (allowed == "approval" and not approval)):
                data = "no" if allowed == "no" else f"only with {matrix[action].approver} approval"
            elif says == "may not" and allowed == "yes":
                data = "yes"
            else:
                return
            role_name = self.policy.roles[role].name
            findings.append(Finding(unit.line, f"policy: the page says {role} ({role_name}) {says} "
                                    f"'{matrix[action].label}'; the authority matrix says {data}",
                                    f"state it from data/policy.yml (actions.{action}.who.{role}) or show {{{{ table.authority }}}}"))

        if table:
            # An authority table: "action | L2 and above | Yes" or "role | Can authorise | actions".
            first, header, cell = clause.split(" | ", 2)
            answer = re.match(r"\s*(yes|no|never|allowed|not allowed)\b", cell, re.I)
            header_roles = [r for r in roles if clause.index(header) <= r.start < clause.index(header) + len(header)]
            first_actions = [a for a in actions if a.start < len(first)]
            if answer and header_roles and first_actions:
                says = "may not" if answer.group(1).lower() in ("no", "never", "not allowed") else "may"
                named = {header_roles[0].key} | (self._levels_above(header_roles[0].key)
                                                  if AND_ABOVE.search(header[header.find(header_roles[0].key) + 2:] if header_roles[0].key in header else "") else set())
                for action in first_actions:
                    for role in named:
                        disagree(role, action.key, says)
                return findings

        # "only X may ...": X may, and every other role may not.
        for only in ONLY.finditer(clause):
            following = [r for r in roles if r.start >= only.end()
                         and re.fullmatch(r"\s*(?:the\s+|an?\s+)?", clause[only.end():r.start])]
            if not following:
                continue
            named = {following[0].key}
            position = following[0].end
            for other in roles:
                if other.start >= position and re.fullmatch(r"\s*(?:,|and|or|,\s*and|,\s*or)\s*(?:the\s+)?", clause[position:other.start]):
                    named.add(other.key)
                    position = other.end
            rest = clause[position:]
            if AND_ABOVE.search(rest):
                named |= self._levels_above(following[0].key)
            for action in actions:
                if action.start < only.start() or action.start - position > 60:
                    continue
                for role in named:
                    disagree(role, action.key, "may")
                for role in self.policy.roles:
                    if role not in named and matrix[action.key].who.get(role) == "yes":
                        findings.append(Finding(unit.line, f"policy: the page says only {', '.join(sorted(named))} may "
                                                f"'{matrix[action.key].label}'; the authority matrix also allows {role}",
                                                f"state it from data/policy.yml (actions.{action.key}.who) or show {{{{ table.authority }}}}"))
                        break
            return findings

        # "<action> requires L2 (or above)"
        for need in REQUIRES.finditer(clause):
            after = [r for r in roles if 0 <= r.start - need.end() <= 20]
            before = [a for a in actions if a.end <= need.start() and need.start() - a.end <= 60]
            if not after or not before or approval:
                continue
            required = after[0].key
            named = {required} | (self._levels_above(required) if AND_ABOVE.search(clause[after[0].end:]) else set())
            below = self._levels_below(required)
            for action in before:
                for role in named:
                    disagree(role, action.key, "may")
                for role in below:
                    disagree(role, action.key, "may not")
            return findings

        # "<role> may / cannot <action>" and the passive "<action> can be done by <role>"
        modals = self._modals(clause)
        for index, modal in enumerate(modals):
            negative = modal[2]
            subject = [r for r in roles if r.end <= modal[0] and modal[0] - r.end <= 40
                       and not re.search(r"[;.]", clause[r.end:modal[0]])]
            next_modal = modals[index + 1][0] if index + 1 < len(modals) else len(clause)
            targets = [a for a in actions if modal[1] <= a.start < next_modal and MODAL_GAP.match(clause[modal[1]:a.start])][:1]
            for action in actions:  # "may restart pods and purge the queue": the actions listed after the first
                if targets and action.start > targets[-1].end and action.start < next_modal and \
                        re.fullmatch(r"\s*(?:,|and|or|, and|, or)\s+(?:also\s+)?", clause[targets[-1].end:action.start]):
                    targets.append(action)
            if not subject:
                passive = PASSIVE_BY.search(clause, modal[0])
                if passive:
                    subject = [r for r in roles if r.start >= passive.end()][:1]
                    targets = [a for a in actions if a.start < passive.start()]
            if not subject or not targets:
                continue
            role = subject[-1].key
            for action in targets:
                disagree(role, action.key, "may not" if negative else "may")
        # "<role> rolls back ..." : a role directly followed by the action, as a statement.
        for role in roles:
            for action in actions:
                gap = clause[role.end:action.start]
                if 0 <= action.start - role.end <= 25 and re.fullmatch(r"\s*(?:\(\w+\)\s*)?(?:then\s+|also\s+|itself\s+)?", gap):
                    if action.key in ("rollback", "restart", "revoke", "purge", "requeue", "scale"):
                        disagree(role.key, action.key, "may")
        return findings

    def _modals(self, clause: str) -> list[tuple[int, int, bool]]:
        found = [(m.start(), m.end(), True) for m in NEGATIVE.finditer(clause)]
        taken = [(s, e) for s, e, _ in found]
        for m in POSITIVE.finditer(clause):
            if not any(s <= m.start() < e or m.start() <= s < m.end() for s, e in taken):
                found.append((m.start(), m.end(), False))
        return sorted(found)

    def _levels_above(self, role: str) -> set[str]:
        if not re.fullmatch(r"L\d", role):
            return set()
        return {r for r in self.policy.roles if re.fullmatch(r"L\d", r) and r > role}

    def _levels_below(self, role: str) -> set[str]:
        if not re.fullmatch(r"L\d", role):
            return set()
        return {r for r in self.policy.roles if re.fullmatch(r"L\d", r) and r < role}

    # -- response targets -----------------------------------------------------------------
    def _response(self, unit: Unit, clause: str, context: Context, claimed: set[int]) -> list[Finding]:
        kinds = []
        for kind, pattern in KINDS.items():
            for match in pattern.finditer(clause):
                around = clause[max(0, match.start() - 20):match.end() + 12]
                if kind == "ack" and UNACKNOWLEDGED.search(around):
                    continue
                if re.search(r"timeout|auto-resolve", around, re.I):
                    continue  # PagerDuty's acknowledgement timeout and auto-resolve are settings, not targets
                if re.search(r"(?:\bnot|n't|\bun)\s*$", clause[max(0, match.start() - 5):match.start()], re.I):
                    continue  # "not resolved within 2 hours": a condition, not a target
                kinds.append((match.start(), match.end(), kind))
        if not kinds:
            return []
        kinds.sort()
        durations = find_durations(clause)
        marks = [m.end() for m in TARGET_MARK.finditer(clause)]
        if marks:  # "2 minutes (SLA 5 minutes)": only values right after SLA/target state a target
            durations = [d for d in durations if any(0 <= d[1] - m <= 12 for m in marks)]
        if not durations:
            return []
        if not (context.explicit or TARGET_CUE.search(clause)):
            return []
        pairs: list[tuple[str, Duration, int, int]] = []
        used: set[int] = set()
        # "5 minutes acknowledgement", "a 2-hour resolution target": the value right before its kind.
        for start, end, kind in kinds:
            for d, ds, de in durations:
                if de <= start and start - de <= 4 and re.fullmatch(r"\s*(?:-\s*)?", clause[de:start]) and ds not in used:
                    pairs.append((kind, d, ds, de))
                    used.add(ds)
        # "ack 10 min", "engage: 15 min": the value right after its kind.
        for start, end, kind in kinds:
            for d, ds, de in durations:
                if ds not in used and ds >= end and re.fullmatch(r"\s*:?\s*", clause[end:ds]) and (kind == "update_every") == bool(
                        re.search(r"every\s*$", clause[max(0, ds - 8):ds], re.I)):
                    pairs.append((kind, d, ds, de))
                    used.add(ds)
        rest = [(d, ds, de) for d, ds, de in durations if ds not in used]
        if len(kinds) == len(rest) > 1 and kinds[-1][1] <= rest[0][1]:
            pairs += [(k[2], d[0], d[1], d[2]) for k, d in zip(kinds, rest)]  # "engage / resolve | 30 min / 4 h"
        else:
            for d, ds, de in rest:
                before = [k for k in kinds if k[1] <= ds and ds - k[1] <= 60]
                if not before or not TARGET_LEAD.search(clause[max(0, ds - 12):ds]):
                    continue
                kind = before[-1][2]
                if any(before[-1][1] <= other_start < ds for _, other_start, _ in durations):
                    continue  # another value stands between the kind and this one
                every = bool(re.search(r"every\s*$", clause[max(0, ds - 8):ds], re.I))
                if (kind == "update_every") != every:
                    continue
                pairs.append((kind, d, ds, de))
        findings = []
        several = len(set(_priorities(clause))) > 1
        for kind, stated, start, end in pairs:
            if RELATIVE.search(clause[max(0, start - 12):end + 12]):
                continue
            if kind in ("ack", "engage"):
                claimed.add(start)
            priorities, explicit = context.priorities, context.explicit
            if several:
                nearest = _nearest_priority(clause, start, end)
                if nearest:
                    priorities, explicit = [nearest], True
            results = []
            for priority in priorities:
                expected = self.vocab.sla.get((priority, kind))
                if expected is not None:
                    results.append(expected == stated)
            if _verdict(results, explicit):
                expected_text = ", ".join(f"{p}: {self.vocab.sla.get((p, kind))}" for p in priorities
                                          if self.vocab.sla.get((p, kind)) is not None)
                findings.append(Finding(unit.line, f"policy: the page says {KIND_TEXT[kind]} {stated}"
                                        f"{' for ' + '/'.join(priorities) if explicit else ''}; "
                                        f"the response targets say {expected_text}",
                                        f"use {{{{ facts.sla.{priorities[0].lower()}.{kind} }}}} or show {{{{ table.response }}}}"))
        return findings

    # -- escalation clock -------------------------------------------------------------------
    def _escalation(self, unit: Unit, clause: str, context: Context, claimed: set[int]) -> list[Finding]:
        levels = [r for r in self._roles(clause) if re.fullmatch(r"L[2-5]", r.key)]
        in_escalation_section = any("escalat" in h.lower() for h in unit.headings)
        verb = ESCALATE.search(clause)
        if not (verb or in_escalation_section or LEVEL_LINE.match(clause)):
            return []
        findings = []
        if not levels:
            # "if you are stuck for an hour, escalate to the next level"
            for stated, start, end in find_durations(clause):
                if STUCK.search(clause[max(0, start - 40):start]) and stated != self.policy.stuck:
                    findings.append(Finding(unit.line, f"policy: the page says escalate when stuck for {stated}; "
                                            f"the escalation policy says {self.policy.stuck}",
                                            "use {{ facts.sla.escalate_when_stuck }}"))
            return findings
        immediate = self._immediate_levels(clause)
        unacked = UNACKNOWLEDGED.search(clause)
        several = len(set(_priorities(clause))) > 1
        for stated, start, end in find_durations(clause):
            lead = clause[max(0, start - 40):start]
            if start in claimed or RELATIVE.search(clause[max(0, start - 12):end + 8]):
                continue
            if re.search(r"\b(?:answers?|repl(?:y|ies)|responds?|no answer|no reply|no response|returns?|returning|recurs?"
                         r"|recurring|comes? back|coming back|again)\b\s*(?:within|in|after)\s*$",
                         clause[max(0, start - 30):start], re.I):
                continue  # a wait for a reply, or a recurrence window: conditions, not the clock
            if re.match(r"\s+(?:in|of)\s+business hours\b", clause[end:end + 25], re.I) and not stated.business:
                stated = Duration(stated.minutes, True)
            if STUCK.search(lead):
                level = self._target_level(clause, levels, start, end, verb)
                valid = {self.policy.stuck}
                if level is not None:
                    for priority in context.priorities:
                        step = self.policy.escalation.get(priority, {}).get(level)
                        valid |= set(step.times()) if step else set()
                if stated not in valid:
                    findings.append(Finding(unit.line, f"policy: the page says escalate when stuck for {stated}; "
                                            f"the escalation policy says {self.policy.stuck}",
                                            "use {{ facts.sla.escalate_when_stuck }}"))
                continue
            lead_word = DURATION_LEAD.search(clause[max(0, start - 16):start])
            if not lead_word or re.fullmatch(r"\s*in\s*", lead_word.group(0), re.I):
                continue
            level = self._target_level(clause, levels, start, end, verb)
            if level is None:
                continue
            priorities, explicit = context.priorities, context.explicit
            if several:
                nearest = _nearest_priority(clause, start, end)
                if nearest:
                    priorities, explicit = [nearest], True
            if level in immediate and stated.minutes > 0 and not re.search(r"\bat once\b|\bimmediately\b|\bstraight away\b", clause[end:], re.I):
                findings.append(Finding(unit.line, f"policy: the page says {level} ({self.policy.roles[level].name}) is brought "
                                        f"in after {stated} for {immediate[level]}; the escalation policy says at once",
                                        "show {{ table.escalation_immediate }}"))
                continue
            if unacked:
                chains = sorted({self.policy.paging[p].policy for p in priorities if p in self.policy.paging})
                valid = [self.policy.unacknowledged.get(c, {}).get(level) for c in chains]
                valid = [v for v in valid if v is not None]
                if valid and stated not in valid:
                    findings.append(Finding(unit.line, f"policy: the page says an unacknowledged page reaches {level} after "
                                            f"{stated}; PagerDuty's chain says {', '.join(str(v) for v in valid)}",
                                            f"use {{{{ policy.paging.unacknowledged.{chains[0]}.{level} }}}} or show {{{{ table.unacknowledged }}}}"))
                continue
            engaging = bool(re.search(r"\bengag\w*|\bjoin\w*", clause, re.I))
            results, expected = [], []
            for priority in priorities:
                step = self.policy.escalation.get(priority, {}).get(level)
                if step is None:
                    results.append(False)
                    expected.append(f"{priority}: no {level} escalation")
                    continue
                times = list(step.times())
                engage = self.vocab.sla.get((priority, "engage"))
                if engaging and engage is not None and 0 in [t.minutes for t in times]:
                    times.append(engage)  # paged at declaration, engaged within the engage target
                results.append(stated in times)
                expected.append(f"{priority}: {' or '.join(str(t) for t in times)}")
            if _verdict(results, explicit):
                findings.append(Finding(unit.line, f"policy: the page says {level} "
                                        f"({self.policy.roles[level].name}) is brought in at {stated}"
                                        f"{' for ' + '/'.join(priorities) if explicit else ''}; "
                                        f"the escalation clock says {'; '.join(expected)}",
                                        f"use {{{{ policy.escalation.{priorities[0]}.{level}.after }}}} or show {{{{ table.escalation }}}}"))
        return findings

    def _immediate_levels(self, clause: str) -> dict[str, str]:
        """Levels that a trigger named in the clause sends for at once: {level: trigger}."""
        levels: dict[str, str] = {}
        for item in self.policy.immediate:
            words = [str(w) for w in item.get("called", [])]
            if words and re.search(_phrase_pattern(words), clause, re.I):
                for level in item.get("to", []):
                    levels.setdefault(str(level), str(item.get("trigger", "")))
        return levels

    def _target_level(self, clause: str, levels: list[Mention], start: int, end: int,
                      verb: re.Match[str] | None) -> str | None:
        """The level a duration brings in: the object of "escalate to / page / inform", the
        subject of "is paged / is engaged / joins", what follows "condition: " in a list, or the
        level a table row is about ("L3 | P2 | when stuck 2 business hours")."""
        line = LEVEL_LINE.match(clause)
        if line and start > line.end() - 2:
            return line.group(1).upper()  # "- L4: after 2 h without mitigation"
        first_cell = clause.split(" | ", 1)[0] if " | " in clause else ""
        in_row = [m for m in levels if m.end <= len(first_cell)]
        if in_row:
            arrow = re.search(r"→|->|\bto\b", first_cell)
            targets = [m for m in in_row if arrow and m.start > arrow.start()] or in_row
            return targets[-1].key if arrow else targets[0].key  # "L3 → L4": the level escalated to
        for match in ESCALATE.finditer(clause):
            if JOIN.fullmatch(match.group(0)):
                continue
            after = [m for m in levels if 0 <= m.start - match.end() <= 25]
            if not after:
                continue
            if start >= match.start() and start - after[0].end <= 60:
                return after[0].key  # "page L3 after 30 minutes"
            if end <= match.start() and _adjacent(clause[end:match.start()]):
                return after[0].key  # "after 30 minutes, page L3"; "if it passes 1 hour, the IC informs L4"
        for mention in levels:
            tail = clause[mention.end:mention.end + 50]
            if PASSIVE_TARGET.search(tail) or re.match(r"^\s*(?:\([^)]*\)\s*)?(?:[\w-]+\s+)?(?:joins?|must join|should join)\b", tail, re.I):
                if start >= mention.end and start - mention.end <= 70:
                    return mention.key  # "L4 is engaged after 1 hour"
                if end <= mention.start and _adjacent(clause[end:mention.start]):
                    return mention.key  # "after 1 hour, L4 is engaged"
        for mention in levels:
            if mention.start > end and re.fullmatch(r"[^.;:|]{0,40}[:|]\s*(?:then\s+)?(?:the\s+)?", clause[end:mention.start]):
                return mention.key  # "outage beyond one hour: L4"
        if verb is not None:
            to_level = [m for m in levels if m.end <= start and re.search(r"\bto\s+(?:the\s+)?$", clause[max(0, m.start - 8):m.start])]
            if to_level:
                return to_level[-1].key  # "escalated to L3 at once, and to L4 only if not mitigated within an hour"
        return None

    def _alert_priorities(self, unit: Unit, clause: str, context: Context) -> list[Finding]:
        """"<Alert> (P0)", "<Alert> is a P1 by default", "<Alert> is lowered to P2": the priority
        must be the rule's default, or one the severity policy moves it to, for the stated reason."""
        findings: list[Finding] = []
        named_alerts = [(a.key, a.end) for a in self.vocab.alerts_in(clause)]
        if not named_alerts and context.alert and re.search(r"\b(?:default priority|by default|lower|rais|upgrad|downgrad)", clause, re.I):
            named_alerts = [(context.alert, 0)]  # "Default priority: P1." under the alert's heading
        for alert, after in named_alerts:
            base = self.vocab.alert_priority.get(alert)
            raised = {c.to: c for c in self.policy.raises.get(alert, [])}
            lowered = {c.to: c for c in self.policy.lowers.get(alert, [])}
            window = clause[after:after + 90] if after else clause
            moved = re.search(r"\b(rais\w*|upgrad\w*|lower\w*|downgrad\w*|drops?)\s+(?:\w+\s+){0,2}?to\s+(?:an?\s+)?P([0-3])\b",
                              window, re.I)
            if moved:
                priority = f"P{moved.group(2)}"
                up = moved.group(1).lower().startswith(("rais", "upgrad"))
                moves = raised if up else lowered
                if priority not in moves:
                    findings.append(Finding(unit.line, f"policy: the page says {alert} is {'raised' if up else 'lowered'} to "
                                            f"{priority}; the severity policy {'raises' if up else 'lowers'} it only to "
                                            f"{', '.join(sorted(moves)) or 'no other priority'}",
                                            "show {{ table.severity }} or {{ policy.severity_rule." + alert + " }}"))
                else:
                    findings += self._condition_durations(unit, clause, alert, moves[priority])
            default = re.search(r"\b(?:default priority|priority label)\W{0,3}(?:is\s+)?P([0-3])\b|\bP([0-3])\s+by default\b"
                                r"|\bdefaults? to\s+P([0-3])\b|\bis\s+(?:an?\s+)?P([0-3])\s+(?:alert\s+)?by default\b", window, re.I)
            if default:
                priority = "P" + next(g for g in default.groups() if g is not None)
                if priority != base:
                    findings.append(Finding(unit.line, f"policy: the page gives {alert} the default priority {priority}; "
                                            f"its rule's priority label is {base}",
                                            "use {{ facts.alerts." + alert + ".priority }}"))
                continue
            if moved:
                continue
            named = re.match(r"\W{0,3}(?:is\s+(?:an?\s+)?|pages as\s+|as\s+|at\s+|→\s*|->\s*|\(|:\s*|-\s*)?P([0-3])\b",
                             clause[after:after + 20]) if after else None
            if named:
                priority = f"P{named.group(1)}"
                conditional = re.search(r"\b(?:if|when|once|becomes?|unless|while|raise\w*|lower\w*|upgrade\w*|downgrade\w*)\b",
                                        clause[after:], re.I)
                allowed = {base} | ((set(raised) | set(lowered)) if conditional else set())
                if priority not in allowed:
                    findings.append(Finding(unit.line, f"policy: the page gives {alert} priority {priority}; its default is "
                                            f"{base} and it only moves to "
                                            f"{', '.join(sorted(a for a in allowed if a != base)) or 'no other priority'}",
                                            "use {{ facts.alerts." + alert + ".priority }} or show {{ table.severity }}"))
        return findings

    def _condition_durations(self, unit: Unit, clause: str, alert: str, condition: Condition) -> list[Finding]:
        """"lower it to P3 if it drains within 30 minutes": times in the condition must be the policy's."""
        expected = [d for d, _, _ in find_durations(condition.when)]
        stated = [d for d, _, _ in find_durations(clause)]
        others = [c for c in (*self.policy.raises.get(alert, []), *self.policy.lowers.get(alert, [])) if c is not condition]
        elsewhere = [c for c in others if stated and any(d in [x for x, _, _ in find_durations(c.when)] for d in stated)]
        if not expected and elsewhere:  # the times of another condition: "lowered to P2 when back within 5 minutes"
            return [Finding(unit.line, f"policy: the page moves {alert} to {condition.to} on the condition the severity policy "
                            f"gives for {elsewhere[0].to} ({elsewhere[0].when}); {condition.to} is for: {condition.when}",
                            "use {{ policy.severity_rule." + alert + " }} or show {{ table.severity }}")]
        if expected and stated and not any(d in expected for d in stated):
            return [Finding(unit.line, f"policy: the page moves {alert} to {condition.to} on a condition with "
                            f"{', '.join(str(d) for d in stated)}; the severity policy says {condition.to} if {condition.when}",
                            "use {{ policy.severity_rule." + alert + " }} or show {{ table.severity }}")]
        return []

    # -- thresholds and severity conditions --------------------------------------------------
    def _thresholds(self, unit: Unit, clause: str, context: Context) -> list[Finding]:
        alerts = self.vocab.alerts_in(clause)
        measures = self.vocab.find(self.vocab.measures, clause)
        findings: list[Finding] = []
        if alerts and re.search(r"\bfires?\b|\bfiring\b|\btriggers?\b|\bdown for\b|\bhas been\b", clause, re.I):
            # "APIDown fires after five minutes": the rule's `for`.
            for stated, start, end in find_durations(clause):
                if not re.search(r"\b(?:after|for|once)\s*(?:a |an |the )?$", clause[max(0, start - 12):start], re.I):
                    continue
                owner = [a for a in alerts if a.start < start]
                alert = (owner[-1] if owner else alerts[0]).key
                expected = self.vocab.alert_for.get(alert)
                if expected is not None and stated != expected and not re.search(r"\bin\s*$", clause[max(0, start - 5):start]):
                    if re.search(r"\bin\s+(?:the last\s+)?$|\bwithin\s*$", clause[max(0, start - 14):start]):
                        continue
                    findings.append(Finding(unit.line, f"policy: the page says {alert} fires after {stated}; the rule's `for` is "
                                            f"{expected}", f"use {{{{ facts.alerts.{alert}.for }}}}"))
        subjects = [(m.start, m.key) for m in measures]
        subjects += [(a.start, self.vocab.measure_of_alert[a.key]) for a in alerts if a.key in self.vocab.measure_of_alert]
        subjects.sort()
        if not subjects and context.alert in self.vocab.measure_of_alert:
            subjects = [(-1, self.vocab.measure_of_alert[context.alert])]
        if not subjects:
            return findings
        for match in NUMBER.finditer(clause):
            lead = COMPARE.search(clause[max(0, match.start() - 24):match.start()])
            if not lead or NOT_A_MEASURE_AFTER.match(clause[match.end():]) or clause[match.end():match.end() + 1] in (":", "/"):
                continue
            before = [s for s in subjects if s[0] < match.start()]
            measure = (before[-1] if before else subjects[0])[1]
            unit_name = self.policy.measures[measure].unit
            written = (match.group(2) or "").strip()
            if unit_name == "s" and not written:
                continue  # a bare number next to a latency is not a latency
            if unit_name == "%" and not written and float(match.group(1)) > 1:
                continue
            number = match.group(1).lower()
            number = str(WORD_NUMBERS[number]) if number in WORD_NUMBERS else number
            stated = parse_quantity(f"{number} {written}".strip(), unit_name)
            if stated is None or not _compatible(stated, unit_name):
                continue
            if unit_name == "/s" and re.match(r"\s*(?:[\w-]+\s+){0,3}?(?:per minute|a minute|/\s*min)", clause[match.end():], re.I):
                stated = Quantity(stated.value / 60, stated.unit)  # "3 failures per minute" is 0.05 per second
            lower = bool(LOWER_WORDS.search(lead.group(0)))
            alert = self.policy.measures[measure].alert
            base = self.vocab.alert_priority.get(alert)
            priorities = self._priorities_for(clause, match.start(), alert)
            moving = [p for p in priorities if p != base]
            if moving:
                for priority in moving:
                    limits = [c.limit for conditions in (self.policy.raises, self.policy.lowers)
                              for cs in conditions.values() for c in cs
                              if c.to == priority and c.limit and c.limit.measure == measure]
                    if limits and not any(l.value.same_as(stated) for l in limits):
                        want = "; ".join(sorted({f"{'below' if l.op == '<' else 'above'} {l.value}" for l in limits}))
                        findings.append(Finding(unit.line, f"policy: the page says {priority} when {measure.replace('_', ' ')} is "
                                                f"{'below' if lower else 'above'} {stated}; the severity policy says {priority} when it is {want}",
                                                "show {{ table.severity }} or {{ policy.severity_rule." + alert + " }}"))
                continue
            if not TRIGGER.search(clause) and not SEVERITY_CUE.search(clause):
                continue
            firing = bool(FIRES.search(clause))
            valid = self.vocab.valid_values(measure, firing=firing)
            said = _operator(lead.group(0))
            rule = self.vocab.alert_op.get(alert, "")
            named = [a for a in alerts if a.key == alert and a.start < match.start()]
            if firing and named and valid and any(v.same_as(stated) for v in valid) and said and rule in (">", "<", ">=", "<=") \
                    and said != rule:
                findings.append(Finding(unit.line, f"policy: the page says {alert} fires at {OPERATOR_TEXT[said]} {stated}; "
                                        f"the rule fires at {OPERATOR_TEXT[rule]} {stated}",
                                        f"say '{OPERATOR_TEXT[rule]} {{{{ facts.alerts.{alert}.threshold }}}}'"))
                continue
            if valid and not any(v.same_as(stated) for v in valid):
                shown = sorted({str(v) for v in valid})
                findings.append(Finding(unit.line, f"policy: the page states {stated} as a {measure.replace('_', ' ')} threshold; "
                                        f"the alert rules and severity policy use {', '.join(shown)}",
                                        f"use {{{{ facts.alerts.{alert}.threshold }}}} or the matching fact"))
        return findings

    def _priorities_for(self, clause: str, position: int, alert: str) -> list[str]:
        """Priorities that belong to the value at ``position``: none of another alert's."""
        found = []
        for match in PRIORITY.finditer(clause):
            low, high = sorted((match.start(), position))
            others = [a for a in self.vocab.alerts_in(clause[low:high]) if a.key != alert]
            if not others:
                found.append(f"P{match.group(1)}")
        upgraded = FROM_TO.search(clause)
        return [upgraded.group(1)] if upgraded else sorted(set(found))

    def _business_hours(self, unit: Unit, clause: str) -> list[Finding]:
        """"Business hours are 09:00-17:00": the hours the SLA clock and paging use."""
        if not re.search(r"\bbusiness hours\b|\bworking hours\b|\boffice hours\b", clause, re.I):
            return []
        keyword = re.search(r"\b(?:business|working|office) hours\b", clause, re.I)
        stated = re.compile(r"(\d{1,2}:\d\d)\s*(?:[–-]|to|until)\s*(\d{1,2}:\d\d)(?!\s*local)").search(
            clause, keyword.end(), keyword.end() + 45) if keyword else None
        expected = re.search(r"(\d{1,2}:\d\d)\s*(?:[–-]|to|until)\s*(\d{1,2}:\d\d)", self.policy.business_hours)
        if stated and expected and (stated.group(1).zfill(5), stated.group(2).zfill(5)) != (expected.group(1).zfill(5), expected.group(2).zfill(5)):
            return [Finding(unit.line, f"policy: the page says business hours are {stated.group(1)}-{stated.group(2)}; "
                            f"the policy says {self.policy.business_hours}", "use {{ policy.paging.business_hours }}")]
        return []

    def _targets_met(self, unit: Unit, clause: str) -> list[Finding]:
        """"resolve 95 % of P0/P1 within SLA": the share of incidents the team aims to meet."""
        if not re.search(r"\bwithin (?:the )?(?:SLA|target)|\bin time\b|\bon time\b", clause, re.I):
            return []
        findings = []
        for kind, key in (("resol", "sla.resolution_target"), ("acknowledg", "sla.ack_target")):
            if not re.search(rf"\b{kind}", clause, re.I):
                continue
            expected = parse_quantity(str(self.vocab.facts.get(key, "")).strip("<> "), "%")
            shares = list(re.finditer(r"(\d+(?:\.\d+)?)\s*(%|per ?cent\b|percent\b)", clause, re.I))
            for index, match in enumerate(shares):
                until = shares[index + 1].start() if index + 1 < len(shares) else len(clause)
                since = shares[index - 1].end() if index else 0
                if not (re.search(rf"\b{kind}", clause[match.end():min(until, match.end() + 50)], re.I)
                        or re.search(rf"\b{kind}\w*\s+(?:\w+\s+)?$", clause[max(since, match.start() - 25):match.start()], re.I)):
                    continue  # "90 % of P0/P1 resolved", "resolve 90 % of": the share names its own kind
                stated = Quantity(float(match.group(1)), "%")
                if expected is not None and not stated.same_as(expected):
                    findings.append(Finding(unit.line, f"policy: the page says {stated} of incidents meet the "
                                            f"{'resolution' if kind == 'resol' else 'acknowledgement'} target; the target is {expected}",
                                            "use {{ facts." + key + " }}"))
        return findings

    # -- paging urgency -----------------------------------------------------------------------
    def _paging(self, unit: Unit, clause: str, context: Context) -> list[Finding]:
        if not PAGING_CUE.search(clause) and not (HIGH.search(clause) or LOW.search(clause) or NONE.search(clause)):
            return []
        if NONE.search(clause):
            stated = "none"
        elif LOW.search(clause):
            stated = "low"
        elif HIGH.search(clause):
            stated = "high"
        else:
            return []
        if context.source == "none":
            return []  # urgency with no priority in sight: nothing to hold it to
        out, inside, always = OUT_OF_HOURS.search(clause), IN_HOURS.search(clause), ALWAYS.search(clause)
        results, expected = [], []
        for priority in context.priorities:
            urgency = self.policy.paging.get(priority)
            if urgency is None:
                continue
            if always or (out and inside):
                ok = urgency.in_hours == stated and urgency.out_of_hours == stated
            elif out:
                ok = urgency.out_of_hours == stated
            elif inside:
                ok = urgency.in_hours == stated
            else:
                ok = stated in (urgency.in_hours, urgency.out_of_hours)
            results.append(ok)
            expected.append(f"{priority}: {urgency.in_hours} in business hours, {urgency.out_of_hours} outside")
        if _verdict(results, context.explicit):
            when = "at any hour" if always else "outside business hours" if out else "in business hours" if inside else ""
            return [Finding(unit.line, f"policy: the page says {'/'.join(context.priorities)} pages with {stated} urgency"
                            f"{' ' + when if when else ''}; the paging policy says {'; '.join(expected)}",
                            "show {{ table.paging }} or use {{ policy.paging." + context.priorities[0] + ".out_of_hours }}")]
        return []


NUMBER = re.compile(r"(?<![\w.:/#-])(\d+(?:\.\d+)?|" + "|".join(w for w in sorted(WORD_NUMBERS, key=len, reverse=True)
                                                                  if w not in ("a", "an")) +
                    r")(?![\w-])\s*(%|percent\b|per cent\b|s\b|sec\b|seconds?\b|ms\b)?", re.I)
OPERATOR_TEXT = {">": "more than", ">=": "at least", "<": "less than", "<=": "at most", "==": "exactly"}


def _operator(lead: str) -> str:
    lead = lead.lower()
    if re.search(r"at least|at or above|reaches|hits|>=", lead):
        return ">="
    if re.search(r"at most|at or below|<=", lead):
        return "<="
    if re.search(r"below|under|less|lower|fewer|drops?|falls?|<", lead):
        return "<"
    if re.search(r"above|over|more|greater|higher|exceed|passes|past|beyond|tops|deeper|longer|slower|>", lead):
        return ">"
    return ""


def _prometheus_duration(text: str) -> Duration | None:
    parts = re.findall(r"(\d+)([smhd])", text)
    if not parts:
        return None
    seconds = sum(int(n) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[u] for n, u in parts)
    return Duration(seconds / 60)


def _adjacent(between: str) -> bool:
    """A duration that opens the clause of the verb it times: at most one comma, a few words."""
    if not between.strip() or re.fullmatch(r"\s*(?:before|until|and then|then)\s*", between):
        return True  # "wait two hours before involving L4"
    if re.search(r"\b(?:and|or|but)\b", between):
        return False  # a second clause, with its own verb
    return between.count(",") == 1 and len(re.findall(r"\w+", between)) <= 5


def _compatible(stated: Quantity, unit: str) -> bool:
    if unit == "%":
        return stated.unit == "%" or (stated.unit == "" and stated.value <= 1)
    if unit == "s":
        return stated.unit in ("s", "ms")
    return stated.unit not in ("%", "s", "ms")
