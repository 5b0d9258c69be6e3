"""Task-list checkboxes named by their task.

pymdownx.tasklist draws each item's box as a disabled checkbox inside an empty label, so a
screen reader announces "checkbox, not checked" with no name (axe-core: ``label``, critical;
83 on the incident response playbook). The item's own text becomes the checkbox's name.
"""
from __future__ import annotations

import re
from html import escape

from hooks.reading.markup import plain_text

# A loose list puts the item's content in a <p>: the name then ends with that paragraph.
ITEM = re.compile(r'(<li class="task-list-item">\s*(?:<p>)?<label class="task-list-control"><input type="checkbox")'
                  r'(?P<rest>[^>]*>)(?P<after>.*?)(?=<ul|<ol|</li>|<li|</p>)', re.S)
MAX_NAME = 150


def task_name(fragment: str) -> str:
    text = " ".join(plain_text(fragment).split())
    return text if len(text) <= MAX_NAME else text[:MAX_NAME - 1].rstrip() + "…"


def name_task_checkboxes(html: str) -> str:
    if "task-list-control" not in html:
        return html

    def name(match: re.Match[str]) -> str:
        label = task_name(match["after"]) or "Task"
        return f'{match.group(1)} aria-label="{escape(label)}"{match["rest"]}{match["after"]}'
    return ITEM.sub(name, html)
