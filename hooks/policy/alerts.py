"""Alerts in prose: an alert's default priority and what raises or lowers it, the threshold at
which it fires (value, comparison and `for`), and the numbers of its severity conditions."""
from __future__ import annotations

import re

from hooks.policy.model import Condition
from hooks.policy.prose import Unit
from hooks.policy.quantities import WORD_NUMBERS, Quantity, find_durations, parse_quantity
from hooks.policy.reading import FROM_TO, PRIORITY, Context, Finding, Mention, Reading

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


def _compatible(stated: Quantity, unit: str) -> bool:
    if unit == "%":
        return stated.unit == "%" or (stated.unit == "" and stated.value <= 1)
    if unit == "s":
        return stated.unit in ("s", "ms")
    return stated.unit not in ("%", "s", "ms")


class AlertClaims(Reading):
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
            if moved and any(other.key != alert for other in self.vocab.alerts_in(moved.group(0))):
                moved = None  # "raise ExternalAPITimeouts to P1": the move names its own alert
            if moved is None:  # "raise HighQueueDepth to P0": the verb before the alert's name
                moved = re.search(rf"\b(rais\w*|upgrad\w*|lower\w*|downgrad\w*)\s+(?:the\s+)?`?{alert}`?\s+(?:alert\s+)?"
                                  r"to\s+(?:an?\s+)?P([0-3])\b", clause, re.I)
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
            named = re.match(r"\W{0,3}(?:is\s+(?:an?\s+)?|(?:becomes?|goes\s+to|moves\s+to|is\s+treated\s+as)\s+(?:an?\s+)?"
                             r"|pages as\s+|as\s+|at\s+|→\s*|->\s*|\(|:\s*|-\s*)?P([0-3])\b",
                             clause[after:after + 20]) if after else None
            if named:
                priority = f"P{named.group(1)}"
                conditional = re.search(r"\b(?:if|when|once|becomes?|unless|while|raise\w*|lower\w*|upgrade\w*|downgrade\w*)\b",
                                        clause[after:], re.I)
                allowed = {base} | ((set(raised) | set(lowered)) if conditional else set())
                if priority not in allowed:
                    findings.append(Finding(unit.line, f"policy: the page gives {alert} priority {priority}; its default is "
                                            f"{base} and it only moves to "
                                            f"{', '.join(sorted(a for a in allowed if a and a != base)) or 'no other priority'}",
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
            for after_time, start, _end in find_durations(clause):
                if not re.search(r"\b(?:after|for|once)\s*(?:a |an |the )?$", clause[max(0, start - 12):start], re.I):
                    continue
                owner = [a for a in alerts if a.start < start]
                alert = (owner[-1] if owner else alerts[0]).key
                verb = re.search(r"\b(?:fires?|firing|triggers?|down for|has been)\b", clause[(owner[-1].end if owner else 0):start], re.I)
                if verb is None or re.search(r",|\bor\b|\band\b", clause[(owner[-1].end if owner else 0) + verb.end():start]):
                    continue  # the time belongs to another part of the sentence, not to the alert's firing
                expected = self.vocab.alert_for.get(alert)
                if expected is not None and after_time != expected and not re.search(r"\bin\s*$", clause[max(0, start - 5):start]):
                    if re.search(r"\bin\s+(?:the last\s+)?$|\bwithin\s*$", clause[max(0, start - 14):start]):
                        continue
                    findings.append(Finding(unit.line, f"policy: the page says {alert} fires after {after_time}; the rule's `for` is "
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
            firing = any(self._fires(clause, mention) for mention in alerts if mention.key == alert) or (
                not alerts and bool(FIRES.search(clause)))
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

    def _fires(self, clause: str, mention: Mention) -> bool:
        """Does the sentence say that this alert fires (rather than another one)?"""
        if FIRES.match(clause, mention.end) or re.match(r"\s+(?:\w+\s+){0,2}?(?:fires?|triggers?|is firing)\b",
                                                        clause[mention.end:mention.end + 30], re.I):
            return True
        # "A fires above 50 jobs, and B above 90 s": the verb said once for both.
        earlier = FIRES.search(clause, 0, mention.start)
        return earlier is not None and re.search(r"(?:,|\band|\bor)\s*$", clause[:mention.start]) is not None

    def _priorities_for(self, clause: str, position: int, alert: str) -> list[str]:
        """Priorities that belong to the value at ``position``: none of another alert's."""
        found = []
        for match in PRIORITY.finditer(clause):
            low, high = sorted((match.start(), position))
            between = clause[low:high]
            others = [a for a in self.vocab.alerts_in(between) if a.key != alert]
            # Another alert between them takes the priority, unless it is part of the condition
            # ("P1 if EnhancementSuccessRateLow fires too, or p95 stays above 90 s").
            if not others or (match.start() < position and re.search(r"\b(?:if|when|unless)\b", between[:others[0].start])):
                found.append(f"P{match.group(1)}")
        upgraded = FROM_TO.search(clause)
        return [upgraded.group(1)] if upgraded else sorted(set(found))
