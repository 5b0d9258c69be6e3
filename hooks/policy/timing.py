"""Time in prose: response targets ("acknowledge a P0 within 5 minutes"), the share of incidents
that meet them, the escalation clock ("escalate to L4 after 1 hour"), PagerDuty's chain when
nobody acknowledges, the immediate triggers and the business hours."""
from __future__ import annotations

import re

from hooks.policy.prose import Unit
from hooks.policy.quantities import Duration, Quantity, find_durations, parse_quantity
from hooks.policy.reading import (
    Context,
    Finding,
    Mention,
    Reading,
    disagrees,
    nearest_priority,
    phrase_pattern,
    priorities_in,
)

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


# "Time to acknowledge: 2 minutes (SLA 5 minutes)": only the number after SLA/target is a target.
TARGET_MARK = re.compile(r"\b(?:SLA|target)\b", re.I)


TARGET_CUE = re.compile(r"\b(?:must|should|within|SLA|targets?|deadline|no later than|at the latest|is expected|are expected"
                        r"|expected to|every|has to|have to|needs? to)\b|^(?:acknowledge|engage|resolve|update|post)\b", re.I)


def _adjacent(between: str) -> bool:
    """A duration that opens the clause of the verb it times: at most one comma, a few words."""
    if not between.strip() or re.fullmatch(r"\s*(?:before|until|and then|then)\s*", between):
        return True  # "wait two hours before involving L4"
    if re.search(r"\b(?:and|or|but)\b", between):
        return False  # a second clause, with its own verb
    return between.count(",") == 1 and len(re.findall(r"\w+", between)) <= 5


class TimingClaims(Reading):
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
        for start, _end, kind in kinds:
            for d, ds, de in durations:
                if de <= start and start - de <= 4 and re.fullmatch(r"\s*(?:-\s*)?", clause[de:start]) and ds not in used:
                    pairs.append((kind, d, ds, de))
                    used.add(ds)
        # "ack 10 min", "engage: 15 min": the value right after its kind.
        for _start, end, kind in kinds:
            for d, ds, de in durations:
                if ds not in used and ds >= end and re.fullmatch(r"\s*:?\s*", clause[end:ds]) and (kind == "update_every") == bool(
                        re.search(r"every\s*$", clause[max(0, ds - 8):ds], re.I)):
                    pairs.append((kind, d, ds, de))
                    used.add(ds)
        rest = [(d, ds, de) for d, ds, de in durations if ds not in used]
        if len(kinds) == len(rest) > 1 and kinds[-1][1] <= rest[0][1]:
            pairs += [(k[2], d[0], d[1], d[2]) for k, d in zip(kinds, rest, strict=True)]  # "engage / resolve | 30 min / 4 h"
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
        several = len(set(priorities_in(clause))) > 1
        for kind, stated, start, end in pairs:
            if RELATIVE.search(clause[max(0, start - 12):end + 12]):
                continue
            if kind in ("ack", "engage"):
                claimed.add(start)
            priorities, explicit = context.priorities, context.explicit
            if several:
                nearest = nearest_priority(clause, start, end)
                if nearest:
                    priorities, explicit = [nearest], True
            results = []
            for priority in priorities:
                expected = self.vocab.sla.get((priority, kind))
                if expected is not None:
                    results.append(expected == stated)
            if disagrees(results, explicit):
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
            for stated, start, _end in find_durations(clause):
                if STUCK.search(clause[max(0, start - 40):start]) and stated != self.policy.stuck:
                    findings.append(Finding(unit.line, f"policy: the page says escalate when stuck for {stated}; "
                                            f"the escalation policy says {self.policy.stuck}",
                                            "use {{ facts.sla.escalate_when_stuck }}"))
            return findings
        immediate = self._immediate_levels(clause)
        unacked = UNACKNOWLEDGED.search(clause)
        several = len(set(priorities_in(clause))) > 1
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
                valid_stuck = {self.policy.stuck}
                if level is not None:
                    for priority in context.priorities:
                        step = self.policy.escalation.get(priority, {}).get(level)
                        valid_stuck |= set(step.times()) if step else set()
                if stated not in valid_stuck:
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
                nearest = nearest_priority(clause, start, end)
                if nearest:
                    priorities, explicit = [nearest], True
            if level in immediate and stated.minutes > 0 and not re.search(r"\bat once\b|\bimmediately\b|\bstraight away\b", clause[end:], re.I):
                findings.append(Finding(unit.line, f"policy: the page says {level} ({self.policy.roles[level].name}) is brought "
                                        f"in after {stated} for {immediate[level]}; the escalation policy says at once",
                                        "show {{ table.escalation_immediate }}"))
                continue
            if unacked:
                chains = sorted({self.policy.paging[p].policy for p in priorities if p in self.policy.paging})
                chain_times = [self.policy.unacknowledged.get(c, {}).get(level) for c in chains]
                valid = [v for v in chain_times if v is not None]
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
            if disagrees(results, explicit):
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
            if words and re.search(phrase_pattern(words), clause, re.I):
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
