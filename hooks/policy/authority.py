"""Who may do what: "L1 may use the admin role", "only L3 may purge the queue", "rollback
requires L2", an authority table written by hand, "Who can roll back? L2 and above."."""
from __future__ import annotations

import re

from hooks.policy.prose import Unit
from hooks.policy.reading import Finding, Reading

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


class AuthorityClaims(Reading):
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
                first_role = header_roles[0].key
                after_role = header[header.find(first_role) + len(first_role):] if first_role in header else ""
                named = {first_role} | (self._levels_above(first_role) if AND_ABOVE.search(after_role) else set())
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
        for mention in roles:
            for action in actions:
                gap = clause[mention.end:action.start]
                if 0 <= action.start - mention.end <= 25 and re.fullmatch(r"\s*(?:\(\w+\)\s*)?(?:then\s+|also\s+|itself\s+)?", gap):
                    if action.key in ("rollback", "restart", "revoke", "purge", "requeue", "scale"):
                        disagree(mention.key, action.key, "may")
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
