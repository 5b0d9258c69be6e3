"""The pages hold no secrets, by a maintained scanner (detect-secrets) as well as the build's
own rules (hooks/codeblocks/safety.py), and both catch the shapes a runbook might leak."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
detect_secrets = pytest.importorskip("detect_secrets")
from detect_secrets import SecretsCollection  # noqa: E402
from detect_secrets.settings import transient_settings  # noqa: E402

from hooks.codeblocks.secrets import find_secrets  # noqa: E402

# Lines that look random but are not secrets: git commit ids and OpenTelemetry trace ids in
# sample log output (the pages teach engineers to search logs by trace id).
EXCLUDE_LINES = [r'"commit":\s*"[0-9a-f]{7,12}"', r'"trace_?id"\s*:\s*"[0-9a-f]{32}"']
# Placeholders and environment references stand where a secret would: they are the fix, not a leak.
EXCLUDE_SECRETS = [r"^<[A-Z][A-Z0-9_]*>$", r"^\$\{?[A-Za-z_]\w*\}?$",
                   r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$",  # Kubernetes object names, e.g. a Secret's name
                   r"\s"]  # a "value" with spaces in it is a sentence the keyword rule caught in prose


def scan(paths: list[Path]) -> list[tuple[str, int, str]]:
    settings = {
        "plugins_used": [{"name": name} for name in (
            "AWSKeyDetector", "BasicAuthDetector", "JwtTokenDetector", "KeywordDetector", "PrivateKeyDetector",
            "SlackDetector", "StripeDetector", "GitHubTokenDetector", "OpenAIDetector")]
        + [{"name": "HexHighEntropyString", "limit": 3.0}, {"name": "Base64HighEntropyString", "limit": 4.5}],
        "filters_used": [{"path": "detect_secrets.filters.regex.should_exclude_line", "pattern": EXCLUDE_LINES},
                         {"path": "detect_secrets.filters.regex.should_exclude_secret", "pattern": EXCLUDE_SECRETS}],
    }
    with transient_settings(settings):
        secrets = SecretsCollection()
        for path in paths:
            secrets.scan_file(str(path))
    return sorted((file, item["line_number"], item["type"]) for file, items in secrets.json().items() for item in items)


def test_docs_have_no_secrets_by_detect_secrets():
    pages = sorted((ROOT / "docs").rglob("*.md"))
    findings = scan(pages)
    assert findings == [], "\n".join(f"{f}:{n}: {t}" for f, n, t in findings)


def test_both_scanners_catch_leaked_shapes(tmp_path):
    leak = tmp_path / "leak.md"
    leak.write_text(
        "```bash\n"
        'export SLACK_WEBHOOK="https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/aBcDeFgHiJkLmNoPqRsTuVwX"\n'
        "aws_access_key_id = AKIA2E0A8F3B244C9986\n"
        "psql postgresql://support:Tr0ub4dor-3@postgresql:5432/ai_agents\n"
        "```\n")
    assert {t for _, _, t in scan([leak])} >= {"Slack Token", "AWS Access Key", "Basic Auth Credentials"}
    own = find_secrets(leak.read_text())
    assert [line for line, _ in own] == [2, 3, 4]


def test_placeholders_are_not_secrets(tmp_path):
    fine = tmp_path / "fine.md"
    fine.write_text("```bash\ncurl -H 'Authorization: Bearer <API_TOKEN>' http://127.0.0.1:8000/health\n"
                    "psql postgresql://support_readonly:<PASSWORD>@postgresql:5432/ai_agents\n"
                    "webhook_secret: <WEBHOOK_SECRET>\n```\n")
    assert scan([fine]) == []
    assert find_secrets(fine.read_text()) == []
