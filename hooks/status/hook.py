"""MkDocs events for the page-status page: added to the site's files, filled once every page
has been read (on_env, when every page's dates are known) from the template
``partials/portal/page-status.html``. Not in the navigation; the home page links to it."""
from __future__ import annotations

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from hooks import cache
from hooks.dates.hook import Dates
from hooks.report import Report
from hooks.review.hook import Review
from hooks.status.table import Row, front_matter, status_rows

PATH = "page-status.md"
MARKER = "<!-- portal:page-status -->"
TEMPLATE = "partials/portal/page-status.html"


class Status:
    def __init__(self, report: Report, dates: Dates, review: Review) -> None:
        self.report = report
        self.dates = dates
        self.review = review

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if files.get_file_from_path(PATH) is None:  # a hand-written page of that name wins
            body = f"# Page Status\n\n{MARKER}\n"
            files.append(File.generated(config, PATH, content=front_matter(self.dates.today) + "\n" + body,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        status = files.get_file_from_path(PATH)
        content = status.page.content if status is not None and status.page is not None else None
        if status is None or status.page is None or content is None or MARKER not in content:
            return env
        # Under --dirty, MkDocs reads only the pages it renders again; the others keep their row
        # from the build before (their front matter is not read, so it would show as empty).
        kept = cache.STATE.status_rows if cache.STATE.dirty else {}
        rows: dict[str, Row] = {}
        for file in files.documentation_pages():
            page = file.page
            if page is None or file is status:
                continue
            if page.markdown is None and file.src_uri in kept:
                rows[file.src_uri] = kept[file.src_uri]
                continue
            due = self.review.next_review(page)
            rows[file.src_uri] = Row(page.title or file.src_uri, file.url_relative_to(status),
                                     str(page.meta.get("owner", "")), str(page.meta.get("review", "")),
                                     self.dates.last_updated(page), due, (self.dates.today - due).days if due else 0)
        cache.STATE.status_rows = rows
        table = env.get_template(TEMPLATE).render(rows=status_rows(list(rows.values())), today=self.dates.today)
        status.page.content = content.replace(MARKER, table)
        return env
