"""Review cadence: when a page is next due for review, and whether it is overdue."""
from __future__ import annotations

import calendar
import datetime as dt

CADENCE_MONTHS = {"monthly": 1, "quarterly": 3}
CADENCE_DAYS = {"weekly": 7}
CADENCES = ("weekly", "monthly", "quarterly")


def add_months(date: dt.date, months: int) -> dt.date:
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return date.replace(year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1]))


def next_review(last_updated: dt.date, cadence: str) -> dt.date:
    if cadence in CADENCE_DAYS:
        return last_updated + dt.timedelta(days=CADENCE_DAYS[cadence])
    if cadence in CADENCE_MONTHS:
        return add_months(last_updated, CADENCE_MONTHS[cadence])
    raise ValueError(f"unknown review cadence {cadence!r}; allowed: {', '.join(CADENCES)}")


def days_overdue(due: dt.date, today: dt.date) -> int:
    return max(0, (today - due).days)
