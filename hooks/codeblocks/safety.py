"""Rules that keep a pasted snippet from doing harm: RLS-safe SQL, and destructive commands only
under a warning (secrets are refused by ``secrets``).

RLS: a query on a tenant table must set ``app.current_tenant_id`` first, or say it is an
administrative query (first line ``-- administrative: <reason>``) and sit under a warning.
"""
from __future__ import annotations

import re
from pathlib import Path

from hooks.codeblocks.extract import Block

TENANT_SETTING = re.compile(r"(?:\bSET\s+(?:LOCAL\s+)?app\.current_tenant_id\b|set_config\(\s*'app\.current_tenant_id')", re.I)
TABLE_USE = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO|TABLE)\s+(?:ONLY\s+)?(?:public\.)?([a-z_][a-z0-9_]*)", re.I)
ADMINISTRATIVE = re.compile(r"^\s*--\s*administrative:\s*\S", re.I)
# A query run without a tenant on purpose, to show that row-level security returns nothing.
RLS_DEMO = re.compile(r"^\s*--\s*rls-demo:\s*\S", re.I)
RLS_BYPASS = [
    (re.compile(r"\brow_security\s*(?:=|to)\s*off\b", re.I), "turns row-level security off"),
    (re.compile(r"\bDISABLE\s+ROW\s+LEVEL\s+SECURITY\b", re.I), "disables row-level security on a table"),
    (re.compile(r"\bNO\s+FORCE\s+ROW\s+LEVEL\s+SECURITY\b", re.I), "stops forcing row-level security"),
    (re.compile(r"\bBYPASSRLS\b", re.I), "grants a role the right to bypass row-level security"),
    (re.compile(r"\bpsql\b[^\n|;]*\s-U\s*postgres\b"), "connects as the superuser, which bypasses row-level security"),
]
DESTRUCTIVE = [
    (re.compile(r"\bkubectl\s+(?:(?:-n|--namespace|--context)[\s=]\S+\s+)*delete\b"), "kubectl delete"),
    (re.compile(r"(?<![\w-])--force\b"), "--force"),
    (re.compile(r"\bFLUSHALL\b", re.I), "FLUSHALL"),
    (re.compile(r"\bFLUSHDB\b", re.I), "FLUSHDB"),
    (re.compile(r"\bcelery\b[^\n|;&]*\spurge\b"), "celery purge"),
    (re.compile(r"\brm\s+-[a-z]*r[a-z]*f|\brm\s+-[a-z]*f[a-z]*r", re.I), "rm -rf"),
    (re.compile(r"\bredis-cli\b[^\n|;&]*\s(?:DEL|UNLINK|LTRIM|LREM|HDEL|ZREM)\b", re.I), "redis-cli deletion"),
    # SQL is destructive wherever it stands: on its own line, or wrapped in a shell command
    # (kubectl exec ... -- psql -c "DROP TABLE ..."), the form runbooks actually use.
    (re.compile(r"\bDROP\s+(?:TABLE|DATABASE|SCHEMA|INDEX|ROLE|USER|POLICY|VIEW|MATERIALIZED\s+VIEW|SEQUENCE|FUNCTION|"
                r"TRIGGER|TYPE|EXTENSION|OWNED)\b", re.I), "DROP"),
    (re.compile(r"\bALTER\s+TABLE\b[^;]*?\bDROP\s+(?:COLUMN|CONSTRAINT)\b", re.I), "ALTER TABLE ... DROP"),
    # Upper-case, or followed by TABLE: coreutils' truncate(1) is not SQL.
    (re.compile(r"\b(?:TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?[\w.\"]+|(?i:truncate\s+table)\b)"), "TRUNCATE"),
    (re.compile(r"\bDELETE\s+FROM\b", re.I), "DELETE FROM"),
    (re.compile(r"\b(?:dropdb|dropuser)\b"), "dropdb"),
    (re.compile(r"\bredis-cli\b[^\n|;&]*\s(?:CONFIG\s+RESETSTAT|SHUTDOWN|SWAPDB)\b", re.I), "redis-cli administrative command"),
]


def tenant_tables(schema_sql: str) -> set[str]:
    """Tables whose rows belong to a tenant: those with a ``tenant_id`` column."""
    tables = set()
    for name, body in re.findall(r"CREATE TABLE\s+(\w+)\s*\((.*?)\n\);", schema_sql, re.S | re.I):
        if re.search(r"^\s*tenant_id\s", body, re.M):
            tables.add(name.lower())
    return tables


def load_tenant_tables(path: Path) -> set[str]:
    return tenant_tables(path.read_text(encoding="utf-8")) if path.exists() else set()


def check_rls(block: Block, code: str, tables: set[str]) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    if block.language == "sql":
        first_line = code.lstrip("\n").split("\n", 1)[0]
        administrative = bool(ADMINISTRATIVE.match(first_line))
        setting = TENANT_SETTING.search(code)
        if RLS_DEMO.match(first_line) and not re.search(r"\b(?:UPDATE|INSERT|DELETE)\b", code, re.I):
            return problems + _bypasses(block, code)
        for match in TABLE_USE.finditer(code):
            table = match.group(1).lower()
            if table not in tables:
                continue
            if administrative:
                if not block.under_warning:
                    problems.append((_line(code, match.start()), "administrative query outside a warning admonition: "
                                     "put it under '!!! warning' saying which role runs it and why"))
                break
            if setting is None or setting.start() > match.start():
                problems.append((_line(code, match.start()), f"reads or writes tenant table '{table}' before setting "
                                 "app.current_tenant_id; start with SET app.current_tenant_id = '<TENANT_ID>'; "
                                 "or mark it '-- administrative: <reason>' under a warning"))
                break
    return problems + _bypasses(block, code)


def _bypasses(block: Block, code: str) -> list[tuple[int, str]]:
    problems = []
    for pattern, what in RLS_BYPASS:
        match = pattern.search(code)
        if match and block.admonition not in ("danger", "warning"):
            problems.append((_line(code, match.start()), f"{what}: only inside a '!!! danger' or '!!! warning' admonition that explains the risk"))
    return problems


def check_destructive(block: Block, code: str) -> list[tuple[int, str]]:
    if block.under_warning:
        return []
    for pattern, what in DESTRUCTIVE:
        match = pattern.search(code)
        if match:
            return [(_line(code, match.start()), f"destructive command ({what}) outside a warning: put it under "
                     "'!!! danger' or '!!! warning' that says what it destroys")]
    return []


def destructive_commands(code: str) -> list[tuple[int, str]]:
    """Each destructive command in ``code``: the 1-based line it starts on and what it is,
    in order. The same patterns as the warning check, for other concerns to use."""
    found = {(_line(code, match.start()), what) for pattern, what in DESTRUCTIVE for match in pattern.finditer(code)}
    return sorted(found)


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
