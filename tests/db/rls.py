"""Row-level security, proven on the database itself rather than read from schema.sql."""
from __future__ import annotations

from .postgres import Postgres

SUPPORT_ROLE = "support_readonly"


def tenant_tables(postgres: Postgres, db: str) -> list[str]:
    out = postgres.admin("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
                         "AND column_name = 'tenant_id' ORDER BY 1;", db)
    return [line.strip() for line in out.splitlines()[2:] if line.strip() and not line.startswith("(")]


def _count(postgres: Postgres, db: str, sql: str, role: str) -> tuple[int, ...] | str:
    result = postgres.psql(sql, db, role, "-At")
    if not result.ok:
        return result.stderr.strip()
    return tuple(int(v) for v in result.stdout.strip().splitlines()[-1].split("|"))


def rls_problems(postgres: Postgres, db: str, tenants: list[str]) -> list[str]:
    """Every way a tenant table lets a support session see more than its tenant's rows."""
    problems = []
    roles = postgres.psql(f"SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = '{SUPPORT_ROLE}';", db, None, "-At")
    if roles.stdout.strip() != "f|f":
        problems.append(f"{SUPPORT_ROLE} must exist as NOSUPERUSER NOBYPASSRLS (rolsuper|rolbypassrls = {roles.stdout.strip()!r})")
    for table in tenant_tables(postgres, db):
        flags = postgres.admin(f"SELECT relrowsecurity, relforcerowsecurity, "
                               f"(SELECT count(*) FROM pg_policy WHERE polrelid = c.oid) FROM pg_class c "
                               f"WHERE oid = 'public.{table}'::regclass;", db).splitlines()[2]
        if [f.strip() for f in flags.split("|")][:2] != ["t", "t"]:
            problems.append(f"{table}: row-level security is not enabled and forced ({flags.strip()})")
        unscoped = _count(postgres, db, f"SELECT count(*) FROM {table};", SUPPORT_ROLE)
        if unscoped != (0,) and not isinstance(unscoped, str):
            problems.append(f"{table}: without app.current_tenant_id, {SUPPORT_ROLE} sees {unscoped[0]} rows instead of none")
        for tenant in tenants:
            owned = _count(postgres, db, f"SELECT count(*) FROM {table} WHERE tenant_id = '{tenant}';", postgres.superuser)
            seen = _count(postgres, db, f"SET app.current_tenant_id = '{tenant}';\n"
                                        f"SELECT count(*), count(*) FILTER (WHERE tenant_id <> '{tenant}') FROM {table};", SUPPORT_ROLE)
            if isinstance(seen, str):
                problems.append(f"{table}: tenant {tenant} cannot read its rows: {seen}")
            elif seen != (owned[0], 0):
                problems.append(f"{table}: under tenant {tenant} {SUPPORT_ROLE} sees {seen[0]} rows, {seen[1]} of other "
                                f"tenants; the tenant owns {owned[0]}")
    return problems
