"""Start the seeded PostgreSQL database for a test session."""
from __future__ import annotations

from pathlib import Path

from .postgres import Postgres
from .seed import SCHEMA_SQL, SEED_SQL
from .sql_cases import READ_DATABASE, TEMPLATE_DATABASE


def seeded_postgres(directory: Path, schema: Path = SCHEMA_SQL) -> Postgres:
    """A running cluster with the schema and seed in a template database and a copy the read-only blocks use."""
    postgres = Postgres(directory).start()
    try:
        postgres.admin(f"CREATE DATABASE {TEMPLATE_DATABASE};")
        postgres.admin(schema.read_text(encoding="utf-8"), TEMPLATE_DATABASE)
        postgres.admin(SEED_SQL.read_text(encoding="utf-8"), TEMPLATE_DATABASE)
        postgres.copy_database(TEMPLATE_DATABASE, READ_DATABASE)
    except Exception:
        postgres.stop()
        raise
    return postgres
