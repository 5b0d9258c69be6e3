"""Paging urgency in prose: "P3 pages with high urgency at night", "P2 never phones"."""
from __future__ import annotations

import re

from hooks.policy.prose import Unit
from hooks.policy.reading import Context, Finding, Reading, disagrees

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


class PagingClaims(Reading):
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
        if disagrees(results, context.explicit):
            when = "at any hour" if always else "outside business hours" if out else "in business hours" if inside else ""
            return [Finding(unit.line, f"policy: the page says {'/'.join(context.priorities)} pages with {stated} urgency"
                            f"{' ' + when if when else ''}; the paging policy says {'; '.join(expected)}",
                            "show {{ table.paging }} or use {{ policy.paging." + context.priorities[0] + ".out_of_hours }}")]
        return []
