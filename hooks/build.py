"""One build of the portal: its validated settings, its problem report, and the concerns in
the order their events run.

The order is the order of construction below, and a concern gets what it needs from another
as a constructor argument: ``Review`` is handed ``Dates`` and asks it for a page's last
update, ``References`` is handed ``Review``. A concern can only be given one built before
it, so the event order cannot contradict the dependencies.
"""
from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.exceptions import PluginError

from hooks.articles.hook import Articles
from hooks.background import Background
from hooks.cards.hook import Cards
from hooks.codeblocks.hook import CodeBlocks
from hooks.dates.hook import Dates
from hooks.facts.hook import References, RenderedRules, load_facts_or_fail
from hooks.links.hook import Links
from hooks.metadata.hook import Metadata
from hooks.offline.hook import OfflineCopy
from hooks.policy.hook import PolicyCheck, load_policy_or_fail
from hooks.published.hook import Published
from hooks.reading.hook import Reading
from hooks.report import Report, config_path, export_failure, line_of
from hooks.review.hook import Review
from hooks.runbooks.hook import RunbookOpening
from hooks.search.hook import Search
from hooks.settings import KEY, PortalSettings, validate_settings
from hooks.sources.hook import Sources
from hooks.status.hook import Status

T = TypeVar("T")


def cpu_seconds() -> float:
    """CPU time of this process and the processes it waited for (git, bash -n)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class Build:
    def __init__(self, config: Any) -> None:
        self.config = config
        self.report = Report()
        try:
            self.settings = _settings_or_fail(config)
            facts = load_facts_or_fail(self.settings)
            policy = load_policy_or_fail(self.settings, facts)
        except PluginError as error:
            export_failure(str(error))  # CI annotates these too, though no page was read
            raise

        # Work that needs only what it is given (git, the checks that read only a page's text,
        # the search index's reading of each page) runs in a second process while MkDocs renders.
        self.background = background = Background()
        self.sources = sources = Sources(self.report, config)
        metadata = Metadata(self.report, sources, known_alerts=facts.alert_names)
        dates = Dates(self.report, background)
        review = Review(self.report, dates)
        references = References(self.report, sources, facts, policy, dates, review)
        rendered_rules = RenderedRules(self.report, self.settings, background)
        articles = Articles(self.report, self.settings.knowledge_base_index, facts)
        policy_check = PolicyCheck(self.report, facts, policy, references, background)
        runbook_opening = RunbookOpening(self.report, facts, references)
        codeblocks = CodeBlocks(self.report, sources, facts, self.settings.schema_file, background)
        status = Status(self.report, dates, review)
        cards = Cards(self.report, facts, dates, review, self.settings)
        reading = Reading()
        offline = OfflineCopy()
        links = Links(self.report, sources)
        published = Published(self.report, self.settings.release_branch, background)
        # Last: it reads the index Material's search plugin wrote, after every page was rendered.
        search = Search(self.report, self.settings.search_synonyms_file, background,
                        enabled=self.settings.search_prebuilt)
        self.concerns: tuple[Any, ...] = (sources, metadata, dates, review, references, rendered_rules, articles,
                                          policy_check, runbook_opening, codeblocks, status, cards, reading, offline,
                                          links, published, search)
        # CPU seconds in each concern, for benchmarks/hook_cost.py: CPU time, not wall time, so that
        # other processes on a shared machine do not count against the hooks.
        self.seconds: dict[str, float] = defaultdict(float)

    def chain(self, event: str, item: T, **context: Any) -> T:
        """Pass ``item`` through each concern's handler for ``event``, as MkDocs does for plugins."""
        for concern in self.concerns:
            handler = getattr(concern, event, None)
            if handler is not None:
                start = cpu_seconds()
                result = handler(item, **context)
                self.seconds[type(concern).__name__] += cpu_seconds() - start
                if result is not None:
                    item = result
        return item

    def read_source(self, page: Any, config: Any) -> str | None:
        """A page's source, decoded by ``Sources`` (MkDocs' own read ends in a traceback on bad bytes)."""
        start = cpu_seconds()
        text = self.sources.on_page_read_source(page=page, config=config)
        self.seconds[type(self.sources).__name__] += cpu_seconds() - start
        return text

    def notify(self, event: str, **context: Any) -> None:
        """Events without an item to pass along (on_post_build)."""
        for concern in self.concerns:
            handler = getattr(concern, event, None)
            if handler is not None:
                start = cpu_seconds()
                handler(**context)
                self.seconds[type(concern).__name__] += cpu_seconds() - start

    def finish(self) -> None:
        """The strict gate: once per build, after every concern has reported (the checks that ran
        beside the rendering included)."""
        before = os.times()
        for problems in self.background.results():
            for problem in problems:
                self.report.add(problem)
        after = os.times()
        self.seconds["Background"] += (after.user + after.system) - (before.user + before.system)
        # The worker is a child process: its CPU shows in the children's times once it has stopped.
        self.seconds["Background, in the worker process"] += ((after.children_user + after.children_system)
                                                             - (before.children_user + before.children_system))
        self.report.gate(bool(self.config.get("strict")))

    def abandon(self) -> None:
        """A build that failed before its gate: stop the worker."""
        self.background.close()


def _settings_or_fail(config: Any) -> PortalSettings:
    settings, problems = validate_settings(config["extra"].get(KEY), config["config_file_path"])
    if settings is None:
        yml = config_path(config)
        try:
            text = Path(config["config_file_path"]).read_text(encoding="utf-8")
        except OSError:
            text = ""
        line = line_of(text, f"{KEY}:") if text else None
        where = f"{yml}:{line}" if line else yml
        raise PluginError("\n".join(f"{where}: {problem}" for problem in problems))
    return settings
