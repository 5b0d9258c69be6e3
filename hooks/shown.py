"""Values from a page, shown in a message without letting the page decide how long it is.

A 7-line YAML alias bomb in front matter once printed a 78 MB build log: ``repr`` of a value
expands every shared reference. Values go through a bounded ``reprlib.Repr`` instead, and
text through ``clip``.
"""
from __future__ import annotations

import reprlib
from typing import Any

_VALUE_REPR = reprlib.Repr()
_VALUE_REPR.maxlevel = 2
_VALUE_REPR.maxstring = 60
_VALUE_REPR.maxother = 60
_VALUE_REPR.maxlong = 40
for _name in ("maxtuple", "maxlist", "maxarray", "maxdict", "maxset", "maxfrozenset", "maxdeque"):
    setattr(_VALUE_REPR, _name, 4)


def clip(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis saying that it was."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show(value: Any) -> str:
    """A value as ``repr`` shows it, bounded in depth, items and length."""
    return clip(_VALUE_REPR.repr(value), 80)


def show_each(values: Any, limit: int = 5) -> str:
    """The first few items of a list, each shown bounded, and how many more there are."""
    items = list(values[:limit]) if isinstance(values, (list, tuple)) else [values]
    shown = ", ".join(clip(item, 40) if isinstance(item, str) else show(item) for item in items)
    more = len(values) - limit if isinstance(values, (list, tuple)) and len(values) > limit else 0
    return shown + (f" and {more} more" if more else "")
