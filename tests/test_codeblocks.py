"""hooks/codeblocks: every fenced block parsed by its language, commands checked against
their tools, RLS-safe SQL, destructive commands under a warning, no secrets."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from sites import FixtureSite, page

from hooks.codeblocks import commands, safety
from hooks.codeblocks.extract import blocks

TODAY = {"SOURCE_DATE_EPOCH": "1770000000"}

GOOD = page('''
    # Good blocks

    ```bash
    kubectl get pods -n {{ facts.k8s.namespace }} -l app=celery-worker -o wide
    kubectl logs -n ai-agents deploy/ai-agents-api --since=15m --tail=200 | grep <TICKET_ID>
    kubectl exec -n ai-agents deploy/celery-worker -- celery -A src.workers.celery_app inspect active -t 10
    ```

    ```sql
    SET app.current_tenant_id = '<TENANT_ID>';
    SELECT status, count(*) FROM enhancement_jobs WHERE ticket_id = '<TICKET_ID>' GROUP BY status;
    ```

    ```sql
    SELECT id, slug FROM tenants WHERE slug = '<TENANT_SLUG>';
    ```

    ```promql
    # depth
    sum(celery_queue_length{queue_name="enhancements"})

    histogram_quantile(0.95, sum by (le) (rate(enhancement_duration_seconds_bucket[10m])))
    ```

    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: <NAME>
    ```

    ```json
    {"tenant_id": "<TENANT_ID>", "count": 3}
    ```

    ```python
    print("ok")
    ```

    ```console
    $ redis-cli -n 0 LLEN enhancements
    (integer) 12
    ```

    !!! danger "Deletes every waiting job"
        The queue's jobs are gone for good.

        ```bash
        kubectl exec -n ai-agents deploy/celery-worker -- celery -A app purge -Q enhancements -f
        ```

    ```text
    anything at all < > ;; fi
    ```
    ''')

BAD = page('''
    # Bad blocks

    ```bash
    echo "unterminated
    ```

    ```sql
    SELEC status FROM tenants;
    ```

    ```promql
    sum(rate(enhancement_requests_total[5m])
    ```

    ```yaml
    key: [unclosed
    ```

    ```json
    {"a": 1,}
    ```

    ```python
    def broken(:
    ```

    ```
    no language
    ```

    ```bash
    kubectl get pod --tail=20
    ```

    ```bash
    kubectl exec -n ai-agents deploy/celery-worker -- celery -A app inspect actives
    ```

    ```sql
    SELECT * FROM enhancement_jobs WHERE ticket_id = '<TICKET_ID>';
    ```

    ```sql
    -- administrative: count jobs across tenants for capacity
    SELECT count(*) FROM enhancement_jobs;
    ```

    ```sql
    SET row_security = off;
    ```

    ```bash
    kubectl delete pod -n ai-agents celery-worker-abc
    ```

    ```bash
    kubectl exec -n ai-agents redis-0 -- redis-cli FLUSHALL
    ```

    ```sql
    TRUNCATE enhancement_jobs;
    ```

    ```bash
    curl -H "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0fedcba98" https://api.example
    export DATABASE_URL=postgresql://app:Sup3rSecretPw@postgresql:5432/ai_agents
    webhook_secret: 4f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c
    ```

    ```yaml
    routing_key: 0123456789abcdef0123456789abcdef
    ```

    ```nginx
    server {}
    ```

    ```bash
    kubectl exec -n ai-agents postgresql-0 -- psql -U support -d ai_agents -c "DROP TABLE enhancement_jobs;"
    ```

    ```bash
    psql "$DATABASE_URL" <<'SQL'
    ALTER TABLE tenants DROP COLUMN notes;
    SQL
    ```
    ''')


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    site = FixtureSite(tmp_path_factory.mktemp("codeblocks"), {"index.md": GOOD, "bad.md": BAD})
    site.commit_all()
    return site.build(env=TODAY)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    return lines[nth - 1]


def test_good_blocks_pass(bad_build):
    assert "docs/index.md" not in bad_build.output, bad_build.output


@pytest.mark.parametrize("needle, message", [
    ('echo "unterminated', "bash block: bash: unexpected EOF while looking for matching"),
    ("SELEC status", 'sql block: PostgreSQL: syntax error at or near "SELEC"'),
    ("sum(rate(enhancement_requests_total[5m])", "promql block: PromQL: unclosed left parenthesis"),
    ("key: [unclosed", "yaml block: YAML:"),
    ('{"a": 1,}', "json block: JSON: Expecting property name enclosed in double quotes"),
    ("def broken(:", "python block: Python: invalid syntax"),
    ("kubectl get pod --tail=20", "bash block: 'kubectl get' has no flag --tail (kubectl 1.31)"),
    ("inspect actives", "bash block: 'celery inspect actives' is not a celery inspect command"),
    ("SELECT * FROM enhancement_jobs WHERE", "sql block: reads or writes tenant table 'enhancement_jobs' before setting app.current_tenant_id"),
    ("SELECT count(*) FROM enhancement_jobs;", "sql block: administrative query outside a warning admonition"),
    ("SET row_security = off;", "sql block: turns row-level security off: only inside a '!!! danger' or '!!! warning' admonition"),
    ("kubectl delete pod", "bash block: destructive command (kubectl delete) outside a warning"),
    ("redis-cli FLUSHALL", "bash block: destructive command (FLUSHALL) outside a warning"),
    ("TRUNCATE enhancement_jobs;", "sql block: destructive command (TRUNCATE) outside a warning"),
    ("Authorization: Bearer", "possible secret: looks like a bearer token"),
    ("postgresql://app:Sup3rSecretPw@", "possible secret: looks like a password in a URL"),
    ("webhook_secret: 4f3c", "possible secret: looks like a secret assigned in configuration"),
    ("routing_key: 0123", "possible secret: looks like a PagerDuty integration key"),
    ('-c "DROP TABLE enhancement_jobs;"', "bash block: destructive command (DROP) outside a warning"),
    ("ALTER TABLE tenants DROP COLUMN", "bash block: destructive command (ALTER TABLE ... DROP) outside a warning"),
])
def test_bad_block_fails_with_file_line_and_message(bad_build, needle, message):
    assert bad_build.code == 1
    line = line_of(BAD, needle)
    expected = f"docs/bad.md:{line}: {message}"
    assert any(l.strip().startswith(expected) or expected in l for l in bad_build.output.splitlines()), \
        f"missing: {expected}\n{bad_build.output[-4000:]}"


def test_unlabelled_and_unknown_languages_are_not_skipped_silently(bad_build):
    assert f"docs/bad.md:{line_of(BAD, '```', 13)}: code block without a language" in bad_build.output
    assert f"docs/bad.md:{line_of(BAD, '```nginx')}: code block language 'nginx' is not checked" in bad_build.output


def test_problem_names_the_block_first_line(bad_build):
    assert "(block starts: kubectl get pod --tail=20)" in bad_build.output


@pytest.mark.parametrize("code, what", [
    ('kubectl exec -n ai-agents postgresql-0 -- psql -U app -d ai_agents -c "DROP TABLE webhook_events;"', "DROP"),
    ("kubectl exec -it deploy/api -- sh -c 'psql \"$DATABASE_URL\" -c \"delete from webhook_events\"'", "DELETE FROM"),
    ('psql "$DATABASE_URL" -c "TRUNCATE TABLE enhancement_jobs"', "TRUNCATE"),
    ("psql -c 'truncate table enhancement_jobs'", "TRUNCATE"),
    ("echo 'DROP SCHEMA public CASCADE;' | psql \"$DATABASE_URL\"", "DROP"),
    ("kubectl -n ai-agents exec redis-master-0 -- redis-cli -n 0 del celery", "redis-cli deletion"),
    ("kubectl exec redis-master-0 -- redis-cli FLUSHDB", "FLUSHDB"),
    ("kubectl exec -n ai-agents deploy/celery-worker -- celery -A src.workers.celery_app purge -f", "celery purge"),
    ("kubectl exec -n ai-agents deploy/api -- sh -c 'rm -rf /tmp/uploads'", "rm -rf"),
    ("kubectl --context prod -n ai-agents delete pod celery-worker-0", "kubectl delete"),
    ("kubectl exec postgresql-0 -- dropdb ai_agents_staging", "dropdb"),
])
def test_destructive_commands_are_found_wrapped_in_other_commands(code, what):
    block = blocks(f"```bash\n{code}\n```\n")[0]
    assert [message.split(")")[0] for _, message in safety.check_destructive(block, block.code)] == \
        [f"destructive command ({what}"]


@pytest.mark.parametrize("code", [
    "truncate -s 0 /var/log/celery/worker.log",
    "ALTER TABLE tenants ADD COLUMN notes text;",
    "CREATE TABLE t (id int REFERENCES tenants(id) ON DELETE CASCADE);",
    "kubectl get pods -n ai-agents --field-selector=status.phase=Failed",
    "grep -c 'deleted' /var/log/app.log",
    "redis-cli -n 0 LLEN celery",
])
def test_look_alikes_of_destructive_commands_pass(code):
    block = blocks(f"```bash\n{code}\n```\n")[0]
    assert safety.check_destructive(block, block.code) == []


def test_extract_tracks_admonitions_and_lines():
    text = ("# T\n\n!!! warning \"Restarts\"\n    Text.\n\n    ```bash\n    kubectl get pods\n    ```\n\n"
            "```bash\nkubectl rollout restart deployment/x\n```\n\nA paragraph.\n\n```sql\nSELECT 1;\n```\n")
    found = blocks(text)
    # Inside the admonition, right after it (nothing in between), and after a paragraph.
    assert [(b.language, b.line, b.admonition) for b in found] == [
        ("bash", 6, "warning"), ("bash", 10, "warning"), ("sql", 16, None)]


def test_tenant_tables_come_from_the_schema():
    from pathlib import Path
    tables = safety.load_tenant_tables(Path(__file__).resolve().parent.parent / "data" / "schema.sql")
    assert {"enhancement_jobs", "webhook_events", "enhancements", "enhancement_feedback", "tenant_configs"} <= tables
    assert "tenants" not in tables


def _celery_help(*words: str) -> str:
    done = subprocess.run([sys.executable, "-m", "celery", *words, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_celery_allow_list_matches_the_real_celery():
    """The allow-list may not claim a command or option that the installed celery lacks."""
    top = _celery_help()
    for sub in commands.CELERY_SUBCOMMANDS:
        assert re.search(rf"^\s+{sub}\b", top, re.M), f"celery has no command {sub}"
    for flag in commands.CELERY_GLOBAL - {"--version"}:
        assert re.search(rf"(?<![\w-]){re.escape(flag)}\b", top), f"celery has no global option {flag}"
    for sub in ("inspect", "control", "purge", "status", "worker", "result"):
        text = _celery_help(sub)
        for flag in commands.CELERY_SUB_FLAGS[sub] - commands.CELERY_GLOBAL:
            assert re.search(rf"(?<![\w-]){re.escape(flag)}\b", text), f"celery {sub} has no option {flag}"
    for sub, names in (("inspect", commands.CELERY_INSPECT), ("control", commands.CELERY_CONTROL)):
        listed = subprocess.run([sys.executable, "-m", "celery", sub, "--list"], capture_output=True, text=True, timeout=60).stdout
        real = set(re.findall(r"^  (\w+)", listed, re.M))
        assert names <= real, f"celery {sub} has no {sorted(names - real)}"


def test_unclosed_fence_is_reported_where_it_opens(tmp_path):
    text = page("""
        # Page

        Run this:

        ```bash
        kubectl get pods -n ai-agents

        ## Next step

        More text.
        """)
    site = FixtureSite(tmp_path, {"index.md": text})
    site.commit_all()
    result = site.build(env=TODAY)
    assert result.code == 1
    assert (f"docs/index.md:{line_of(text, '```bash')}: code fence 'bash' is never closed: the page shows the fence line "
            "as text and the code as prose (add the closing fence") in result.output
    assert "block without a language" not in result.output


def test_fences_of_other_lengths_and_nested_fences_are_closed():
    text = "````markdown\n```bash\necho hi\n```\n````\n\n~~~sql\nSELECT 1;\n~~~\n"
    assert [(b.language, b.closed) for b in blocks(text)] == [("markdown", True), ("sql", True)]
