"""Durations and numbers as people write them in prose: "1 hour 30 minutes", "90 min",
"an hour", "half an hour", "2 business hours", "50 %", "0.95", "90 s".

Pure functions; the policy data and the prose check both use them, so a value in
data/policy.yml and a sentence on a page are compared on the same scale.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                "forty-five": 45, "sixty": 60, "ninety": 90}
BUSINESS_DAY_HOURS = 10  # 08:00-18:00 UTC, as the SLA clock rules define business hours

_WORD = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
# "1 h 30", "1h30" first, then "90 min", "2 business hours", and words: "an hour", "two hours".
DURATION = re.compile(
    r"(?<![\w.])(?P<hh>\d+)\s*h\s*(?P<mm>\d\d)\b(?!\s*(?:minutes?|mins?|m)\b)"
    r"|(?<![\w.])(?P<half>half\s+an?\s+hour)"
    r"|(?<![\w.])(?P<andhalf>(?:an?|one)\s+hour\s+and\s+a\s+half)"
    r"|(?<=\bevery\s)(?P<bare>minute|hour|day|business\s+day)\b"
    r"|(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<business>business\s+|working\s+)?"
    r"(?P<unit>minutes?|mins?|m|hours?|hrs?|h|days?|d|seconds?|secs?|s)\b"
    r"(?:(?:(?<=h)|(?<=hr)|(?<=hrs)|(?<=hour)|(?<=hours))\s*(?:and\s+)?(?P<n2>\d+)\s*(?:minutes?|mins?|m)\b)?"
    rf"|(?<![\w.-])(?P<word>{_WORD})\s+(?P<wbusiness>business\s+|working\s+)?"
    r"(?P<wunit>minutes?|hours?|days?|seconds?)\b",
    re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Duration:
    """A length of time on one of two clocks: every minute, or business minutes only."""

    minutes: float
    business: bool = False

    def __str__(self) -> str:
        if self.business and self.minutes and self.minutes % (BUSINESS_DAY_HOURS * 60) == 0:
            days = int(self.minutes // (BUSINESS_DAY_HOURS * 60))
            return f"{days} business day{'s' if days != 1 else ''}"
        clock = "business " if self.business else ""
        hours, minutes = divmod(int(self.minutes), 60)
        parts = []
        if hours:
            parts.append(f"{hours} {clock}hour{'s' if hours != 1 else ''}")
        if minutes or not hours:
            parts.append(f"{minutes:g} minute{'s' if minutes != 1 else ''}")
        return " ".join(parts)


def _number(text: str) -> float:
    text = text.lower()
    return float(WORD_NUMBERS[text]) if text in WORD_NUMBERS else float(text)


def _to_duration(match: re.Match[str]) -> Duration | None:
    if match.group("half"):
        return Duration(30)
    if match.group("andhalf"):
        return Duration(90)
    if match.group("bare"):
        bare = match.group("bare").lower()
        return {"minute": Duration(1), "hour": Duration(60), "day": Duration(24 * 60)}.get(bare, Duration(BUSINESS_DAY_HOURS * 60, True))
    if match.group("hh"):
        return Duration(int(match.group("hh")) * 60 + int(match.group("mm")))
    if match.group("word"):
        value, unit = _number(match.group("word")), match.group("wunit").lower()
    else:
        value, unit = float(match.group("n")), match.group("unit").lower()
    business = bool(match.group("business") or match.group("wbusiness"))
    if unit.startswith("s"):
        return None  # seconds are latencies, not clock times
    if unit.startswith("m"):
        minutes = value
    elif unit.startswith("h"):
        minutes = value * 60
    else:
        minutes = value * (BUSINESS_DAY_HOURS if business else 24) * 60
    if match.groupdict().get("n2"):
        minutes += float(match.group("n2"))
    return Duration(minutes, business)


@functools.lru_cache(maxsize=4096)
def find_durations(text: str) -> list[tuple[Duration, int, int]]:
    """Every clock duration in ``text`` with its span."""
    found = []
    for match in DURATION.finditer(text):
        duration = _to_duration(match)
        if duration is not None:
            found.append((duration, match.start(), match.end()))
    return found


def parse_duration(text: str) -> Duration | None:
    """The one duration a data value states ("1 hour 30 minutes", "0 minutes"), or None."""
    found = find_durations(str(text))
    if len(found) != 1:
        return None
    duration, start, end = found[0]
    rest = (str(text)[:start] + str(text)[end:]).strip(" .,;")
    return duration if not rest or not re.search(r"\d", rest) else None


# A measured value: "50 %", "50%", "0.95", "90 s", "200 jobs", "3 restarts".
QUANTITY = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>%|percent\b|per\s*cent\b|s\b|sec\b|seconds?\b|ms\b)?")


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # "%", "s", or "" for a count or a bare ratio

    def same_as(self, other: Quantity) -> bool:
        return abs(self.normalised() - other.normalised()) < 1e-9

    def normalised(self) -> float:
        if self.unit == "%":
            return self.value / 100
        if self.unit == "ms":
            return self.value / 1000
        return self.value

    def __str__(self) -> str:
        return f"{self.value:g}{' ' + self.unit if self.unit and self.unit != '%' else self.unit}"


def parse_quantity(text: str, default_unit: str = "") -> Quantity | None:
    """A data value such as "50%", "0.95", "90 s" or "200"."""
    match = QUANTITY.fullmatch(str(text).strip())
    if not match:
        return None
    return _quantity(match, default_unit)


def _quantity(match: re.Match[str], default_unit: str = "") -> Quantity:
    unit = re.sub(r"\s+", "", (match.group("unit") or "").lower())
    unit = {"percent": "%", "percent.": "%", "sec": "s", "second": "s", "seconds": "s"}.get(unit, unit)
    value = float(match.group("n"))
    if not unit and default_unit == "%" and value <= 1:
        return Quantity(value * 100, "%")  # a ratio written as 0.95
    return Quantity(value, unit or (default_unit if default_unit != "%" else ""))


def find_quantities(text: str) -> list[tuple[Quantity, int, int]]:
    return [(_quantity(m), m.start(), m.end()) for m in QUANTITY.finditer(text)]
