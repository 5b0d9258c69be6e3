"""How one ```sql block of a page is run, and what counts as a failure.

A block runs through ``psql -v ON_ERROR_STOP=1`` exactly as pasted, with its placeholders
filled from the seed:

- as ``support_readonly`` (subject to row-level security), unless it is administrative
  (first line ``-- administrative: <reason>``: it runs as the role it names, by default
  ``ai_agents_admin``) or it writes (tenant configuration changes are admin sessions on
  every page, and the support role cannot write);
- a block that writes runs in ``BEGIN ... ROLLBACK`` against a throwaway copy of the seeded
  database, because a block with its own ``COMMIT`` would otherwise change what later
  blocks see;
- a block may fail only with the error its page shows as its output (``SHOW
  app.current_tenant_id`` in a new session); it must then succeed once the tenant is set;
- a block that is not administrative must not show rows of a tenant it did not set; and
  run again with its ``SET app.current_tenant_id`` removed, it must show no tenant's rows
  (or fail), which is what row-level security promises.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pages import PageBlock
from .postgres import Postgres, PsqlResult
from .seed import NEW_TENANT_VALUES, fill

SUPPORT_ROLE = "support_readonly"
ADMIN_ROLE = "ai_agents_admin"
ROLES = ("support_readonly", "ai_agents_app", "ai_agents_admin")
ADMINISTRATIVE = re.compile(r"^--\s*administrative:\s*(?P<reason>.*)$")
TENANT_SETTING = re.compile(
    r"^[ \t]*SET[ \t]+(?:LOCAL[ \t]+|SESSION[ \t]+)?app\.current_tenant_id[ \t]*(?:=|TO)[ \t]*'(?P<tenant>[^']*)'[ \t]*;[ \t]*$",
    re.I | re.M)
WRITE_STATEMENT = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|TRUNCATE|DROP|ALTER|CREATE|GRANT|REVOKE)\b", re.I)
CREATES_TENANT = re.compile(r"\bINSERT\s+INTO\s+tenants\b", re.I)
STDIN_ERROR_LINE = re.compile(r"psql:<stdin>:(\d+):")
READ_DATABASE = "ai_agents"
TEMPLATE_DATABASE = "ai_agents_template"


def _without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


@dataclass
class SqlCase:
    page_block: PageBlock
    code: str                          # placeholders filled
    role: str
    administrative: bool
    writes: bool
    scope: set[str]                    # tenant ids the block sets
    unknown_placeholders: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.page_block.where

    def page_line(self, stdin_line: int, prefix_lines: int = 0) -> int:
        return self.page_block.block.line + stdin_line - prefix_lines


def prepare(page_block: PageBlock, values: dict[str, str]) -> SqlCase:
    code = page_block.code
    first = page_block.block.first_line.strip()
    administrative = ADMINISTRATIVE.match(first)
    writes = bool(WRITE_STATEMENT.search(_without_comments(code)))
    if CREATES_TENANT.search(_without_comments(code)):
        values = {**values, **NEW_TENANT_VALUES}
    filled, unknown = fill(code, values)
    if administrative:
        named = [r for r in ROLES if r in administrative.group("reason")]
        role = named[0] if named else ADMIN_ROLE
    else:
        role = ADMIN_ROLE if writes else SUPPORT_ROLE
    scope = {m.group("tenant") for m in TENANT_SETTING.finditer(filled)}
    return SqlCase(page_block, filled, role, bool(administrative), writes, scope, unknown)


@dataclass
class SqlOutcome:
    case: SqlCase
    main: PsqlResult
    prefix_lines: int
    without_tenant: PsqlResult | None   # the same block with its tenant setting removed
    in_context: PsqlResult | None = None  # for a documented error: the block after a SET of the tenant

    @property
    def shown(self) -> PsqlResult:
        """The run whose output the page's expected output describes."""
        return self.in_context if self.in_context is not None else self.main


def documented_error(case: SqlCase, result: PsqlResult) -> str | None:
    """PostgreSQL's error line, if the page shows exactly that error as the block's output."""
    for line in result.stderr.splitlines():
        message = STDIN_ERROR_LINE.sub("", line).strip()
        if message.startswith("ERROR:") and any(message in o.code for o in case.page_block.outputs):
            return message
    return None


def run(case: SqlCase, postgres: Postgres, copy_name: str, tenant: str,
        database: str = READ_DATABASE, template: str = TEMPLATE_DATABASE) -> SqlOutcome:
    outcome = _run(case, postgres, copy_name, database, template)
    if not outcome.main.ok and documented_error(case, outcome.main):
        outcome.in_context = postgres.psql(f"SET app.current_tenant_id = '{tenant}';\n" + case.code, database, case.role)
    return outcome


def _run(case: SqlCase, postgres: Postgres, copy_name: str, database: str, template: str) -> SqlOutcome:
    if case.writes:
        postgres.copy_database(template, copy_name)
        try:
            main = postgres.psql("BEGIN;\n" + case.code + "\nROLLBACK;\n", copy_name, case.role)
        finally:
            postgres.drop_database(copy_name)
        return SqlOutcome(case, main, 1, None)
    main = postgres.psql(case.code, database, case.role)
    without = None
    if not case.administrative and case.scope:
        without = postgres.psql(TENANT_SETTING.sub("", case.code), database, case.role)
    return SqlOutcome(case, main, 0, without)


# ---- judging an outcome ---------------------------------------------------------------

def error_problem(outcome: SqlOutcome) -> str | None:
    if outcome.main.ok:
        return None
    case = outcome.case
    if outcome.in_context is not None:
        if outcome.in_context.ok:
            return None  # the page shows this error as what a new session prints
        stderr = outcome.in_context.stderr.strip()
        return f"{case.where}: the block fails even with the tenant set: {STDIN_ERROR_LINE.sub('', stderr).strip()}"
    stderr = outcome.main.stderr.strip()
    line = STDIN_ERROR_LINE.search(stderr)
    where = f"{case.page_block.path}:{case.page_line(int(line.group(1)), outcome.prefix_lines)}" if line else case.where
    message = STDIN_ERROR_LINE.sub("", stderr).strip()
    return (f"{where}: the ```sql block at line {case.page_block.block.line} fails as {case.role}: {message}\n"
            f"(fix the query on the page, or data/schema.sql / tests/db/seed.sql if the page is right)")


def leak_problems(outcome: SqlOutcome, markers: dict) -> list[str]:
    case = outcome.case
    if case.administrative:
        return []  # deliberately across tenants, under a warning, as the admin role
    problems = []
    asked_for = lambda hit: hit.group(0) in case.code
    for tenant, pattern in markers.items():
        if tenant in case.scope:
            continue
        hit = next((h for h in pattern.finditer(outcome.main.stdout) if not asked_for(h)), None)
        if hit:
            problems.append(f"{case.where}: cross-tenant leak: the block sets tenant {sorted(case.scope) or 'none'} "
                            f"but its output shows '{hit.group(0)}', a row of tenant {tenant}")
    if outcome.without_tenant is not None and outcome.without_tenant.ok:
        for tenant, pattern in markers.items():
            hit = next((h for h in pattern.finditer(outcome.without_tenant.stdout) if not asked_for(h)), None)
            if hit:
                problems.append(f"{case.where}: row-level security does not hold: without app.current_tenant_id "
                                f"the block still shows '{hit.group(0)}', a row of tenant {tenant}")
    return problems


# ---- expected output shape -------------------------------------------------------------

RULE = re.compile(r"^\s*-+(\+-+)*\s*$")
RECORD = re.compile(r"^-\[ RECORD \d+ \]")
FIRST_RECORD = re.compile(r"^-\[ RECORD 1 \]")


def result_headers(text: str) -> list[tuple[str, ...]]:
    """Column names of each result printed in psql's aligned or expanded (``\\x``) format."""
    lines = text.splitlines()
    headers: list[tuple[str, ...]] = []
    for index, line in enumerate(lines):
        if FIRST_RECORD.match(line):  # later records of the same result repeat the columns
            columns = []
            for field_line in lines[index + 1:]:
                if "|" not in field_line or RECORD.match(field_line):
                    break
                columns.append(field_line.split("|", 1)[0].strip())
            headers.append(tuple(columns))
        elif index + 1 < len(lines) and RULE.match(lines[index + 1]) and line.strip() and "+" not in line:
            headers.append(tuple(c.strip() for c in line.split("|")))
    return headers


def shape_problem(outcome: SqlOutcome, earlier_outputs: list[str] = ()) -> str | None:
    """Do the column names the page shows match what PostgreSQL returned?

    ``earlier_outputs`` are the outputs of the blocks right before this one that show no output
    of their own: "Expected output of the two blocks" covers them too.
    """
    case = outcome.case
    output = case.page_block.output
    if output is None or not outcome.shown.ok:
        return None
    expected = result_headers(output.code)
    if not expected:
        return None  # not psql's table format (EXPLAIN plans, prose)
    actual = [h for text in [*earlier_outputs, outcome.shown.stdout] for h in result_headers(text)]
    remaining = iter(actual)
    missing = [header for header in expected if not any(header == got for got in remaining)]
    if not missing:
        return None
    shown = "; ".join(" | ".join(h) for h in actual) or "no result with rows"
    return (f"{case.page_block.path}:{output.line}: the expected output of the ```sql block at line "
            f"{case.page_block.block.line} shows columns [{' | '.join(missing[0])}] but PostgreSQL returned "
            f"[{shown}] (update the expected output, or the query)")
