"""The build's secret rules (hooks/codeblocks/secrets.py) against a corpus: the credential
shapes maintained scanners describe must be caught wherever a page puts them, and the
look-alikes a runbook is full of (placeholders, trace and commit ids, image digests,
Kubernetes names, published example keys) must not be.

Secret values are generated from a seeded random source, so no credential-shaped string is
written in this file, and each shape is tried with several values.
"""
from __future__ import annotations

import base64
import random
import string

import pytest
from sites import FixtureSite, page

from hooks.codeblocks.secrets import RULES, find_secrets

LOWER_HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"


def fill(template: str, rng: random.Random) -> str:
    """``{alnum:36}``-style slots filled with random characters of that alphabet."""
    alphabets = {"alnum": ALNUM, "hex": LOWER_HEX, "HEX": "0123456789ABCDEF", "upper": UPPER_ALNUM,
                 "b64": B64, "url": URLSAFE, "digits": string.digits, "lower": string.ascii_lowercase + string.digits,
                 "alpha": string.ascii_letters}
    out, rest = [], template
    while "{" in rest:
        before, _, slot = rest.partition("{")
        spec, _, rest = slot.partition("}")
        name, _, count = spec.partition(":")
        out.append(before)
        value = "".join(rng.choice(alphabets[name]) for _ in range(int(count)))
        if name in ("alnum", "lower", "url", "upper") and not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
            value = "7" + value[1:-1] + "q"
        out.append(value)
    out.append(rest)
    return "".join(out)


def jwt(rng: random.Random) -> str:
    def part(data: str) -> str:
        return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")
    payload = part('{"sub":"' + fill("{alnum:12}", rng) + '","tenant":"acme","exp":1767225600}')
    header = part('{"alg":"HS256","typ":"JWT"}')
    return f"{header}.{payload}.{fill('{url:43}', rng)}"


def basic(rng: random.Random) -> str:
    return base64.b64encode(f"support:{fill('{alnum:14}', rng)}".encode()).decode()


# (what the build must call it, the line as it would appear on a page). At least 30 kinds.
LEAKS = [
    ("an AWS access key id", "aws_access_key_id = AKIA{upper:16}"),
    ("an AWS access key id", "export AWS_ACCESS_KEY_ID=ASIA{upper:16}"),
    ("an AWS secret access key", "AWS_SECRET_ACCESS_KEY={b64:40}"),
    ("an AWS secret access key", "aws_secret_access_key = {b64:40}"),
    ("a Google API key", "curl 'https://maps.example/api?key=AIza{url:35}'"),
    ("a Google OAuth client secret", '"client_secret": "GOCSPX-{url:28}"'),
    ("a Google service account key", '"private_key_id": "{hex:40}",'),
    ("an Azure storage account key", "DefaultEndpointsProtocol=https;AccountName=aiagents;AccountKey={b64:86}==;EndpointSuffix=core.windows.net"),
    ("an Azure client secret", "AZURE_CLIENT_SECRET={alnum:3}8Q~{alnum:34}"),
    ("an Azure SAS signature", "https://aiagents.blob.core.windows.net/backups?sv=2022-11-02&ss=b&sp=r&sig={alnum:40}%3D"),
    ("a GitHub token", "git clone https://ghp_{alnum:36}@github.com/ai-agents/platform.git"),
    ("a GitHub fine-grained token", "GH_TOKEN=github_pat_{alnum:22}_{alnum:59}"),
    ("a GitLab token", "PRIVATE-TOKEN: glpat-{url:20}"),
    ("a Slack token", "SLACK_BOT_TOKEN=xoxb-{digits:12}-{digits:13}-{alnum:24}"),
    ("a Slack webhook URL", "slack_api_url: https://hooks.slack.com/services/T{upper:8}/B{upper:8}/{alnum:24}"),
    ("a Stripe key", "stripe.api_key = 'sk_live_{alnum:24}'"),
    ("a Twilio API key", "TWILIO_API_KEY=SK{hex:32}"),
    ("a Twilio auth token", "twilio_auth_token: {hex:32}"),
    ("a SendGrid API key", "SENDGRID_API_KEY=SG.{url:22}.{url:43}"),
    ("an npm token", "//registry.npmjs.org/:_authToken=npm_{alnum:36}"),
    ("a PyPI token", "password = pypi-AgEIcHlwaS5vcmc{url:60}"),
    ("a JSON Web Token", "curl -H 'X-Api-Token: {jwt}' https://api.ai-agents.internal/v1/health"),
    ("a JSON Web Token", '  "session": "{jwt}",'),
    ("an OpenAI or Anthropic API key", "OPENAI_API_KEY=sk-proj-{url:48}"),
    ("an OpenAI or Anthropic API key", "ANTHROPIC_API_KEY=sk-ant-api03-{url:93}AA"),
    ("a Hugging Face token", "HF_TOKEN=hf_{alpha:34}"),
    ("a LangSmith API key", "LANGCHAIN_API_KEY=lsv2_pt_{hex:32}_{hex:10}"),
    ("a PagerDuty integration key", "The PagerDuty integration key for the P0 service is {hex:32}."),
    ("a PagerDuty integration key", "routing_key: {hex:32}"),
    ("a PagerDuty API token", 'curl -H "Authorization: Token token={alnum:20}" https://api.pagerduty.com/incidents'),
    ("a Datadog key", "DD_API_KEY={hex:32}"),
    ("a bearer token", "curl -H 'Authorization: Bearer {url:40}' https://api.ai-agents.internal/v1/jobs"),
    ("basic-auth credentials in a header", "Authorization: Basic {basic}"),
    ("a password in a URL", "psql postgresql://support:{alnum:14}@postgresql:5432/ai_agents"),
    ("a password in a URL", "CELERY_BROKER_URL=redis://:{alnum:20}@redis-master:6379/0"),
    ("a password on a curl command line", "curl -u admin:{alnum:12} http://alertmanager:9093/api/v2/silences"),
    ("a password on a redis-cli command line", "kubectl exec -it redis-master-0 -- redis-cli -a {alnum:16} INFO memory"),
    ("a password in an environment variable", "PGPASSWORD={alnum:16} psql -h postgresql -U support ai_agents"),
    ("a secret assigned in configuration", '  password: "Sup3rS3cret!"'),
    ("a secret assigned in configuration", "WEBHOOK_SECRET={hex:64}"),
    ("a secret assigned in configuration", "kubectl create secret generic sdp --from-literal=api_key={alnum:24}"),
    ("a secret assigned in configuration", '  "authtoken": "{HEX:8}-{HEX:4}-{HEX:4}-{HEX:4}-{HEX:12}",'),
    ("a secret assigned in configuration", "DB_PASSWORD='{alnum:6}!{alnum:5}'"),
    ("a Discord webhook URL", "https://discord.com/api/webhooks/{digits:18}/{url:68}"),
    ("a Microsoft Teams webhook URL", "https://aiagents.webhook.office.com/webhookb2/{hex:8}@{hex:8}/IncomingWebhook/{hex:32}/{hex:8}"),
    ("a HashiCorp Vault token", "VAULT_TOKEN=hvs.{url:90}"),
    ("a Docker Hub token", "echo dckr_pat_{url:27} | docker login -u aiagents --password-stdin"),
    ("a Grafana token", "GRAFANA_TOKEN=glsa_{alnum:32}_{hex:8}"),
    ("a Sentry token", "SENTRY_AUTH_TOKEN=sntrys_{b64:60}"),
    ("a Shopify token", "X-Shopify-Access-Token: shpat_{hex:32}"),
    ("a DigitalOcean token", "DIGITALOCEAN_TOKEN=dop_v1_{hex:64}"),
    ("a Mailgun key", "MAILGUN_KEY=key-{hex:32}"),
    ("an age secret key", "AGE-SECRET-KEY-1{upper:58}"),
    ("a Telegram bot token", "https://api.telegram.org/bot{digits:10}:AA{url:33}/sendMessage"),
    ("a New Relic key", "NEW_RELIC_API_KEY=NRAK-{upper:27}"),
    ("a Postman key", "x-api-key: PMAK-{hex:24}-{hex:34}"),
    ("an Atlassian API token", "JIRA_TOKEN=ATATT3{url:186}"),
    ("a Databricks token", "DATABRICKS_TOKEN=dapi{hex:32}"),
    ("a Linear API key", "LINEAR_KEY=lin_api_{alnum:40}"),
    ("a private key", "-----BEGIN RSA PRIVATE KEY-----"),
    ("a private key", "-----BEGIN OPENSSH PRIVATE KEY-----"),
    ("a private key", "-----BEGIN PGP PRIVATE KEY BLOCK-----"),
]

# Lines a support runbook holds that only look like credentials.
LOOK_ALIKES = [
    "curl -H 'Authorization: Bearer <API_TOKEN>' https://api.ai-agents.internal/v1/health",
    'curl -H "Authorization: Bearer ${API_TOKEN}" https://api.ai-agents.internal/v1/health',
    'curl -H "Authorization: Bearer $TOKEN" https://api.ai-agents.internal/v1/health',
    '  -H "Authorization: Token token=${PD_TOKEN}" \\',
    "export PD_TOKEN='<PAGERDUTY_API_TOKEN>'",
    "webhook_secret: <WEBHOOK_SECRET>",
    "WEBHOOK_SECRET=${WEBHOOK_SECRET}",
    "NEW_WEBHOOK_SECRET=$(openssl rand -hex 32)",
    "PGPASSWORD=$(kubectl get secret postgresql -n ai-agents -o jsonpath='{.data.password}' | base64 -d)",
    'password: "{{ .Values.postgresql.auth.password }}"',
    "  --from-literal=api_key=\"${SDP_API_KEY}\"",
    '    headers={"authtoken": os.environ["SDP_API_KEY"],',
    "req = urllib.request.Request(url, headers={'authtoken': sys.stdin.read().strip()})",
    "psql postgresql://support_readonly:<PASSWORD>@postgresql:5432/ai_agents",
    "psql postgresql://support_readonly@postgresql:5432/ai_agents",
    "CELERY_BROKER_URL=redis://redis-master:6379/0",
    "curl -s http://127.0.0.1:8000/health",
    "curl -u \"$ALERTMANAGER_USER:$ALERTMANAGER_PASSWORD\" http://alertmanager:9093/api/v2/status",
    "kubectl exec -it redis-master-0 -- redis-cli -a \"$REDIS_PASSWORD\" INFO memory",
    "kubectl exec -it redis-master-0 -- redis-cli -a <REDIS_PASSWORD> INFO memory",
    # Published example keys (AWS documentation).
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    # Trace, span, task and commit ids; UUIDs; image digests.
    '{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7"}',
    "4bf92f3577b34da6a3ce929d0e0e4736",
    "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "[2026-01-14 03:12:09,118: ERROR/ForkPoolWorker-3] Task enhance_ticket[9b2c6f0e-3d4a-4e8b-9c1d-2a7f5e6b8c90] raised",
    "git show 9fceb02d0ae598e95dc970b74767f19372d61af8",
    '"commit": "9fceb02"',
    "tenant_id = '3f2b7c1e-8a4d-4f6b-9e2a-1c5d7b9e0f3a'",
    "image: registry.ai-agents.internal/api@sha256:3b7d6f5e9a1c2b4d8e0f7a6c5b3d1e9f2a4c6e8b0d7f5a3c1e9b7d5f3a1c2b4d",
    "request_id=7f9c2ba4e88f827d616045507605853e latency_ms=812",
    # Kubernetes object names and references to where the secret is.
    "secretName: webhook-signing-secret",
    "      secretKeyRef: {name: alertmanager-notification-keys, key: pagerduty-routing-key}",
    "routing_key_file: /etc/alertmanager/secrets/pagerduty-routing-key",
    "password_file: /run/secrets/postgresql-password",
    "kubectl get secret servicedesk-webhook-secret -n ai-agents -o yaml",
    "kubectl logs celery-worker-7d9f8b6c5d-x2x4z -n ai-agents --tail=100",
    "  credential_secret: sdp-cred-acme-v2  # Kubernetes Secret, key api_key",
    "token_url: https://auth.ai-agents.internal/oauth/token",
    # Values that are settings, not secrets; prose around the words.
    "max_tokens: 4096",
    "token_ttl: 3600",
    "api_key:  36 bytes",
    "auth_mode: hmac-sha256",
    "The webhook secret is rotated every 90 days; the password: see the vault entry.",
    "ServiceDesk Plus signs every webhook with the tenant's shared secret: the signature is an HMAC.",
    "password: ********",
    "api_key: REDACTED",
    'password: "changeme"',
    "Ask the on-call engineer for the task-runner-credentials Secret.",
    "kubectl describe node disk-pressure-node-1",
    "The integration key lives in the Secret alertmanager-notification-keys.",
    "PagerDuty service P4X8ZQ1 pages the SRE rotation.",
    "Authorization: Basic <BASE64_CREDENTIALS>",
    "A basic rule: never paste a secret.",
    "eyJhbGciOiJIUzI1NiJ9.<PAYLOAD>.<SIGNATURE>",
    "stripe key: sk_test_<KEY>",
    "SLACK_BOT_TOKEN=xoxb-<BOT_TOKEN>",
]


def test_corpus_covers_at_least_thirty_kinds():
    assert len({kind for kind, _ in LEAKS}) >= 30
    assert {kind for kind, _ in LEAKS} <= {rule.kind for rule in RULES}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kind,template", LEAKS, ids=[f"{i}-{k}" for i, (k, _) in enumerate(LEAKS)])
def test_each_leaked_shape_is_caught(kind, template, seed):
    rng = random.Random(f"{template}-{seed}")
    line = fill(template.replace("{jwt}", jwt(rng)).replace("{basic}", basic(rng)), rng)
    found = find_secrets(f"Some prose.\n\n```bash\n{line}\n```\n")
    assert (4, kind) in found, f"{line!r}: {found}"


@pytest.mark.parametrize("line", LOOK_ALIKES)
def test_look_alikes_are_not_secrets(line):
    assert find_secrets(f"```text\n{line}\n```\n") == []


def test_marker_case_is_irrelevant_where_the_shape_allows_it():
    assert find_secrets("PASSWORD = 'Tr0ub4dor&3x'\n") == [(1, "a secret assigned in configuration")]
    assert find_secrets("Authorization: BEARER abcdefghij0123456789xyz\n") == []  # the scheme is case-sensitive here


def test_a_secret_anywhere_fails_the_build_without_echoing_it(tmp_path):
    rng = random.Random(7)
    secret = fill("{alnum:40}", rng)
    site = FixtureSite(tmp_path, {
        "index.md": page(f"""
            # Home

            Connect with:

            ```yaml
            database:
              password: "{secret[:12]}!"
            ```

            Or the token {jwt(rng)} from the login response.
            """),
    })
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert "docs/index.md:16: possible secret: looks like a secret assigned in configuration (replace it with a placeholder" \
        in result.output
    assert "docs/index.md:19: possible secret: looks like a JSON Web Token" in result.output
    assert secret[:12] not in result.output
