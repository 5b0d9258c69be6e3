"""One build of the portal: its validated settings, its problem report, and the concerns in
the order their events run.

The order is the order of construction below, and a concern gets what it needs from another
as a constructor argument: ``Review`` is handed ``Dates`` and asks it for a page's last
update, ``References`` is handed ``Review``. A concern can only be given one built before
it, so the event order cannot contradict the dependencies.
"""
from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from mkdocs.exceptions import PluginError

from hooks.cards.hook import Cards
from hooks.codeblocks.hook import CodeBlocks
from hooks.dates.hook import Dates
from hooks.facts.hook import References, load_facts_or_fail
from hooks.links.hook import Links
from hooks.metadata.hook import Metadata
from hooks.offline.hook import OfflineCopy
from hooks.reading.hook import Reading
from hooks.report import Report, config_path, line_of
from hooks.review.hook import Review
from hooks.status.hook import Status
from hooks.settings import KEY, PortalSettings, validate_settings


class Build:
    def __init__(self, config: Any) -> None:
        self.config = config
        self.report = Report()
        self.settings = _settings_or_fail(config)
        facts = load_facts_or_fail(self.settings)

        metadata = Metadata(self.report, known_alerts=facts.alert_names)
        dates = Dates(self.report)
        review = Review(self.report, dates)
        references = References(self.report, facts, dates, review)
        codeblocks = CodeBlocks(self.report, facts, self.settings.schema_file)
        status = Status(self.report, dates, review)
        cards = Cards(self.report, facts, dates, review, self.settings)
        reading = Reading()
        offline = OfflineCopy()
        links = Links(self.report)
        self.concerns: tuple[Any, ...] = (metadata, dates, review, references, codeblocks, status, cards, reading, offline,
                                          links)
        self.seconds: dict[str, float] = defaultdict(float)  # time in each concern, for benchmarks/hook_cost.py

    def chain(self, event: str, item: Any, **context: Any) -> Any:
        """Pass ``item`` through each concern's handler for ``event``, as MkDocs does for plugins."""
        for concern in self.concerns:
            handler = getattr(concern, event, None)
            if handler is not None:
                start = time.perf_counter()
                result = handler(item, **context)
                self.seconds[type(concern).__name__] += time.perf_counter() - start
                if result is not None:
                    item = result
        return item

    def finish(self) -> None:
        """The strict gate: once per build, after every concern has reported."""
        self.report.gate(bool(self.config.get("strict")))


def _settings_or_fail(config: Any) -> PortalSettings:
    settings, problems = validate_settings(config["extra"].get(KEY), config["config_file_path"])
    if settings is None:
        yml = config_path(config)
        try:
            text = open(config["config_file_path"], encoding="utf-8").read()
        except OSError:
            text = ""
        line = line_of(text, f"{KEY}:") if text else None
        where = f"{yml}:{line}" if line else yml
        raise PluginError("\n".join(f"{where}: {problem}" for problem in problems))
    return settings
