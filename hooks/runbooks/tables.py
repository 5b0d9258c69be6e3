"""Tables that list the alerts: one that names nearly all of them is meant to name all of them.

The alert rules file is the one list of alerts; pages keep tables by alert (what a client sees,
the first move, the knowledge base article). A new rule added to the file and to some of those
tables, but not all, leaves a reader at 3 a.m. on a table without the alert that paged them.
A table whose first column names all but at most ``SLACK`` of the alerts is read as such a
list; a table of a few alerts (the P0 ones, say) is a choice and is left alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

SLACK = 2
ROW = re.compile(r"^\s*\|(.*)\|\s*$")
RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
FIRST_CELL_NAME = re.compile(r"^\W*?([A-Za-z][A-Za-z0-9]+)")


def first_cell_name(row: str) -> str:
    """The word a row's first cell starts with, past backticks, brackets and emphasis."""
    cell = row.strip().strip("|").split("|", 1)[0].strip()
    found = FIRST_CELL_NAME.match(cell)
    return found.group(1) if found else ""


def incomplete_alert_tables(text: str, alerts: Iterable[str]) -> list[tuple[int, list[str]]]:
    """(line of the table's header, alerts it leaves out) for each table that lists nearly all."""
    names = set(alerts)
    found: list[tuple[int, list[str]]] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        if ROW.match(lines[index]) and index + 1 < len(lines) and RULE.match(lines[index + 1]):
            header = index + 1
            index += 2
            named: set[str] = set()
            while index < len(lines) and ROW.match(lines[index]):
                name = first_cell_name(lines[index])
                if name in names:
                    named.add(name)
                index += 1
            if len(names) > SLACK and len(names) - SLACK <= len(named) < len(names):
                found.append((header, sorted(names - named)))
            continue
        index += 1
    return found
