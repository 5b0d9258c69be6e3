"""The seeded tenants, the values that fill a page's placeholders, and each tenant's recognisable rows."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .postgres import Postgres

SEED_SQL = Path(__file__).with_name("seed.sql")
SCHEMA_SQL = Path(__file__).resolve().parents[2] / "data" / "schema.sql"

TENANT_A = "7c9e6679-7425-40de-944b-e07fc1f90ae7"   # mvp-client: the tenant every page's <TENANT_ID> means
TENANT_B = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"   # northwind: the other tenant whose rows must never show
TENANT_TEST = "c56a4180-65aa-42ec-a945-5fd21dec0538"
TENANT_SUSPENDED = "16fd2706-8baf-433b-82eb-8c7fada847da"
NEW_TENANT = "0b6f5a2e-9d41-4c7a-8e25-6f3d1c8a9b70"  # for blocks that create a tenant: not in the seed

PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9_ ,]*)>")
UPPER_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*>")


def _ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


def placeholder_values(database: Postgres, db: str) -> dict[str, str]:
    """Values from the seed for every placeholder the pages use (``<TENANT_ID>`` -> MVP tenant's id...)."""
    row = database.admin(
        "SELECT j.id, j.celery_task_id, j.trace_id, e.id FROM enhancement_jobs j "
        f"JOIN enhancements e ON e.job_id = j.id WHERE j.tenant_id = '{TENANT_A}' AND j.ticket_id = '48213';",
        db).strip()
    job_id, task_id, trace_id, enhancement_id = [v.strip() for v in row.split("\n")[2].split("|")]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return {
        "TENANT_ID": TENANT_A, "MVP_TENANT_ID": TENANT_A, "HEALTHY_TENANT_ID": TENANT_B,
        "TENANT_SLUG": "mvp-client", "TENANT_NAME": "MVP Client",
        "CLIENT_NAME": "MVP", "client name": "MVP", "PART_OF_NAME": "MVP",
        "HOST": "mvp-client.example", "PART_OF_HOST": "mvp-client.example",
        "SERVICEDESK_URL": "https://servicedesk.mvp-client.example",
        "TICKET_ID": "48213", "JOB_ID": job_id, "TASK_ID": task_id, "TRACE_ID": trace_id,
        "ENHANCEMENT_ID": enhancement_id,
        "CITED_TICKET_ID_1": "48213", "CITED_TICKET_ID_2": "73105",
        "SOURCE_ID_1": enhancement_id, "SOURCE_ID_2": "00000000-0000-4000-8000-000000000000",
        "LLM_MODEL": "gpt-4o", "NEW_MODEL": "gpt-4.1", "PRE_LAUNCH_MINUTES": "22.0",
        "INCIDENT_ID": "INC-2041", "INC_ID": "INC-2041", "ID": "2041", "SUPPORT_TICKET": "SUP-5120",
        "reason, incident number": "P1 triage, INC-2041",
        "WEEK_START": _ts(now - dt.timedelta(days=7)), "WEEK_END": _ts(now + dt.timedelta(minutes=1)),
        "IMPACT_START_UTC": _ts(now - dt.timedelta(hours=2)), "IMPACT_END_UTC": _ts(now + dt.timedelta(minutes=1)),
        "INCIDENT_START": _ts(now - dt.timedelta(hours=3)), "CHANGE_TIME": _ts(now - dt.timedelta(days=1)),
        "WINDOW_START": _ts(now - dt.timedelta(hours=6)), "WINDOW_END": _ts(now + dt.timedelta(minutes=1)),
    }


# A block that creates a tenant gets a tenant that does not exist yet.
NEW_TENANT_VALUES = {"TENANT_ID": NEW_TENANT, "TENANT_SLUG": "fabrikam", "TENANT_NAME": "Fabrikam Inc",
                     "SERVICEDESK_URL": "https://sdp.fabrikam.example"}


def fill(code: str, values: dict[str, str]) -> tuple[str, list[str]]:
    """The code with known placeholders replaced, and the upper-case placeholders nobody knows."""
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        if UPPER_PLACEHOLDER.fullmatch(match.group(0)):
            unknown.append(match.group(0))
        return match.group(0)

    return PLACEHOLDER.sub(replace, code), unknown


def tenant_markers(database: Postgres, db: str) -> dict[str, re.Pattern]:
    """Per tenant, a pattern matching any of its tenant-scoped rows' identifiers as a whole word.

    Ticket ids, row ids, Celery task ids, trace ids, note ids and technician ids only: the
    tenants directory (ids, slugs, names) is readable by design and is not a leak.
    """
    listing = database.admin("""
        COPY (
          SELECT tenant_id, ticket_id FROM webhook_events UNION SELECT tenant_id, id::text FROM webhook_events
          UNION SELECT tenant_id, trace_id FROM webhook_events WHERE trace_id IS NOT NULL
          UNION SELECT tenant_id, id::text FROM enhancement_jobs
          UNION SELECT tenant_id, celery_task_id FROM enhancement_jobs WHERE celery_task_id IS NOT NULL
          UNION SELECT tenant_id, id::text FROM enhancements
          UNION SELECT tenant_id, sdp_note_id FROM enhancements WHERE sdp_note_id IS NOT NULL
          UNION SELECT tenant_id, id::text FROM enhancement_feedback
          UNION SELECT tenant_id, technician_id FROM enhancement_feedback
          UNION SELECT tenant_id, sdp_credential_ref FROM tenant_configs
        ) TO STDOUT;""", db)
    words: dict[str, set[str]] = {}
    for line in listing.splitlines():
        tenant, word = line.split("\t")
        words.setdefault(tenant, set()).add(word)
    # Short numbers (the test tenant's 31xx tickets) would match counts and durations.
    return {tenant: re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, sorted(
                (w for w in ws if not (w.isdigit() and len(w) < 5)), key=len, reverse=True))) + r")(?![\w-]|\.\d)")
            for tenant, ws in words.items()}
