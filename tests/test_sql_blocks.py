"""Every ```sql block of the pages runs against a real PostgreSQL with the platform's schema,
row-level security and seed data; RLS is proven on the database; expected outputs keep their columns.

One case per block (id = file:line). All blocks run once per session, in parallel, in a
fixture; each case reports its block's problems.
"""
from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from db.pages import ROOT, page_blocks, sql_blocks
from db.rls import rls_problems, tenant_tables
from db.seed import TENANT_A, TENANT_B, placeholder_values, tenant_markers
from db.servers import seeded_postgres
from db.sql_cases import READ_DATABASE, TEMPLATE_DATABASE, error_problem, leak_problems, prepare, run, shape_problem

BLOCKS = sql_blocks()
SCHEMA = ROOT / "data" / "schema.sql"


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    server = seeded_postgres(tmp_path_factory.mktemp("postgres"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def values(postgres):
    return placeholder_values(postgres, READ_DATABASE)


@pytest.fixture(scope="session")
def markers(postgres):
    return tenant_markers(postgres, READ_DATABASE)


def run_all(postgres, values, page_blocks_, prefix: str, **where):
    cases = [prepare(b, values) for b in page_blocks_]
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda item: run(item[1], postgres, f"{prefix}_{item[0]}", TENANT_A, **where),
                                 enumerate(cases)))
    return {o.case.where: o for o in outcomes}


@pytest.fixture(scope="session")
def outcomes(postgres, values):
    started = time.monotonic()
    result = run_all(postgres, values, BLOCKS, "ai_agents_write")
    print(f"\n{len(BLOCKS)} SQL blocks executed in {time.monotonic() - started:.1f} s")
    return result


def problems_of(outcome, outcomes, markers) -> list[str]:
    block = outcome.case.page_block
    earlier = [outcomes[f"{block.path}:{line}"].shown.stdout for line in block.shares_output_with]
    found = [error_problem(outcome), shape_problem(outcome, earlier)] + leak_problems(outcome, markers)
    if outcome.case.unknown_placeholders:
        found.append(f"{outcome.case.where}: placeholders {outcome.case.unknown_placeholders} have no seed value "
                     f"(add them to tests/db/seed.py)")
    return [p for p in found if p]


@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
def test_sql_block_runs(block, outcomes, markers):
    problems = problems_of(outcomes[block.where], outcomes, markers)
    assert not problems, "\n".join(problems)


def test_the_pages_have_sql_blocks_and_expected_outputs():
    assert len(BLOCKS) > 100
    assert sum(1 for b in BLOCKS if b.output) > 50


# ---- row-level security on the seeded database ---------------------------------------------

def test_rls_holds_for_every_tenant_table(postgres):
    tables = tenant_tables(postgres, READ_DATABASE)
    assert set(tables) >= {"tenant_configs", "webhook_events", "enhancement_jobs", "enhancements", "enhancement_feedback"}
    assert rls_problems(postgres, READ_DATABASE, [TENANT_A, TENANT_B]) == []


def test_the_support_role_cannot_write_or_bypass(postgres):
    update = postgres.psql(f"SET app.current_tenant_id = '{TENANT_A}';\nUPDATE tenant_configs SET max_concurrent_jobs = 1;",
                           READ_DATABASE, "support_readonly")
    assert not update.ok and "permission denied" in update.stderr
    bypass = postgres.psql("SET row_security = off;\nSELECT count(*) FROM enhancement_jobs;", READ_DATABASE, "support_readonly")
    assert not bypass.ok and "row-level security" in bypass.stderr


def test_rls_proof_catches_a_table_without_row_level_security(postgres):
    postgres.copy_database(TEMPLATE_DATABASE, "ai_agents_leaky")
    try:
        postgres.admin("ALTER TABLE enhancements DISABLE ROW LEVEL SECURITY;", "ai_agents_leaky")
        problems = rls_problems(postgres, "ai_agents_leaky", [TENANT_A, TENANT_B])
    finally:
        postgres.drop_database("ai_agents_leaky")
    assert any(p.startswith("enhancements: row-level security is not enabled") for p in problems)
    assert any(p.startswith("enhancements: without app.current_tenant_id") for p in problems)
    assert not any(p.startswith("webhook_events") for p in problems)


# ---- the checks fail on a broken fixture page -------------------------------------------------

FIXTURE_PAGE = """\
# Fixture

```sql
SET app.current_tenant_id = '<TENANT_ID>';
SELECT ticket_id, status
FROM enhancement_jobs
WHERE nonexistent_column = 1;
```

```sql
SET app.current_tenant_id = '<TENANT_ID>';
SELECT ticket_id, model FROM enhancements ORDER BY created_at DESC LIMIT 20;
```

Expected output:

```text
 ticket_id | llm_model
-----------+-----------
 48213     | gpt-4o
```
"""


@pytest.fixture(scope="module")
def fixture_page(tmp_path_factory):
    docs = tmp_path_factory.mktemp("fixture") / "docs"
    docs.mkdir()
    (docs / "broken.md").write_text(FIXTURE_PAGE, encoding="utf-8")
    return page_blocks(docs / "broken.md", ("sql",), docs.parent)


def test_a_broken_query_fails_with_file_line_and_postgres_message(fixture_page, postgres, values):
    outcome = run_all(postgres, values, fixture_page[:1], "fixture")["docs/broken.md:3"]
    problem = error_problem(outcome)
    assert problem.startswith("docs/broken.md:7: the ```sql block at line 3 fails as support_readonly")
    assert 'column "nonexistent_column" does not exist' in problem


def test_a_wrong_expected_output_fails(fixture_page, postgres, values):
    outcome = run_all(postgres, values, fixture_page[1:], "fixture")["docs/broken.md:10"]
    assert error_problem(outcome) is None
    problem = shape_problem(outcome)
    assert problem.startswith("docs/broken.md:17:") and "[ticket_id | llm_model]" in problem
    assert "[ticket_id | model]" in problem


def test_a_cross_tenant_leak_in_a_fixture_page_fails(fixture_page, postgres, values, markers):
    """The same page block against a database whose enhancements table lost its row-level security."""
    postgres.copy_database(TEMPLATE_DATABASE, "ai_agents_leak")
    try:
        postgres.admin("ALTER TABLE enhancements DISABLE ROW LEVEL SECURITY;", "ai_agents_leak")
        outcome = run_all(postgres, values, fixture_page[1:], "fixture", database="ai_agents_leak")["docs/broken.md:10"]
        sound = run_all(postgres, values, fixture_page[1:], "fixture")["docs/broken.md:10"]
    finally:
        postgres.drop_database("ai_agents_leak")
    problems = leak_problems(outcome, markers)
    assert any(p.startswith("docs/broken.md:10: cross-tenant leak") and TENANT_B in p for p in problems), problems
    assert any("row-level security does not hold" in p for p in problems), problems
    assert leak_problems(sound, markers) == []


# ---- the pages describe only columns that exist -------------------------------------------------

def schema_columns(schema: str) -> dict[str, set[str]]:
    tables = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", schema, re.S):
        tables[name] = {m.group(1) for m in re.finditer(r"^\s+(\w+)\s+\w", body, re.M)}
    return tables


def column_references(text: str, tables: dict[str, set[str]]) -> list[tuple[int, str, str]]:
    pattern = re.compile(r"(?<![\w.])(" + "|".join(sorted(tables, key=len, reverse=True)) + r")\.([a-z_][a-z0-9_]*)\b(?P<eol>[ \t]*$)?", re.M)
    return [(text.count("\n", 0, m.start()) + 1, m.group(1), m.group(2)) for m in pattern.finditer(text)
            # A query text cut at the end of a line of sample output (left(query, 90)) is not a reference.
            if not (m.group("eol") is not None and any(c.startswith(m.group(2)) for c in tables[m.group(1)]))]


def test_every_table_column_the_pages_name_exists_in_schema_sql():
    tables = schema_columns(SCHEMA.read_text(encoding="utf-8"))
    assert {"tenants", "enhancement_jobs"} <= set(tables) and "tenant_id" in tables["enhancements"]
    unknown = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for line, table, column in column_references(page.read_text(encoding="utf-8"), tables):
            if column not in tables[table] and not column.endswith(("md", "html")):
                unknown.append(f"{page.relative_to(ROOT)}:{line}: {table}.{column} is not a column of {table} in data/schema.sql")
    assert not unknown, "\n".join(unknown)


def test_the_column_check_catches_an_invented_column():
    tables = schema_columns(SCHEMA.read_text(encoding="utf-8"))
    refs = column_references("Read `enhancement_jobs.retry_count` and `tenants.slug`.", tables)
    assert [(t, c) for _, t, c in refs if c not in tables[t]] == [("enhancement_jobs", "retry_count")]
