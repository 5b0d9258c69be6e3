"""Shapes of credentials that must never reach a page, after the rule sets of maintained
scanners (gitleaks, detect-secrets, trufflehog), and the look-alikes that must not alarm.

Every rule has fixed markers (``ghp_``, ``://``, ``password``...), found case-insensitively in
one pass by an Aho-Corasick automaton (the keyword prefilter gitleaks uses): a ``str.find`` per
marker costs a full scan of the page each, about 0.18 s per build of the real tree for the
hundred markers here, against 0.02 s for the automaton. The patterns then run only on the
lines that hold a marker.

A value that stands where a secret would is the fix, not a leak: placeholders
(``<WEBHOOK_SECRET>``), environment and template references (``$TOKEN``, ``${TOKEN}``,
``{{ .Values.x }}``, ``$(kubectl get secret ...)``), code (``os.environ["KEY"]``), redactions
(``********``) and the keys cloud vendors publish as examples (``AKIAIOSFODNN7EXAMPLE``).
"""
from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ahocorasick

PLACEHOLDER_START = ("<", "$", "{", "%", "*", "`", "!", "(", "[", "@", "&", "/", "~", ".")
NOT_SECRET_WORDS = ("example", "placeholder", "redacted", "changeme", "dummy", "sample", "xxxx", "your_",
                    "your-", "<", ">", "${", "{{", "...")
KUBERNETES_NAME = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)+$")
DOTTED_NAME = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+$")
HEX = re.compile(r"^[0-9a-fA-F]+$")


def _classes(value: str) -> int:
    return sum((any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value),
                any(not c.isalnum() for c in value)))


def looks_like_a_stand_in(value: str) -> bool:
    """A placeholder, reference, redaction or published example in place of a secret."""
    stripped = value.strip("\"'")
    lowered = stripped.lower()
    if not stripped or stripped.startswith(PLACEHOLDER_START):
        return True
    if any(word in lowered for word in NOT_SECRET_WORDS):
        return True
    return len(set(stripped)) <= 2  # "********", "xxxxxxxx", "00000000"


def _assigned_value(value: str) -> bool:
    """Whether the value of ``password: ...``/``API_KEY=...`` reads as a real credential."""
    quoted = value[:1] in "\"'"
    value = value.strip("\"'")
    if looks_like_a_stand_in(value) or any(c in value for c in "()[] "):
        return False
    if len(value) < (6 if quoted else 8) or value.isdigit() or value.lower() in ("true", "false", "null", "none"):
        return False
    if KUBERNETES_NAME.match(value) or DOTTED_NAME.match(value) or value.startswith(("http://", "https://")):
        return False  # a Secret's name, a setting or attribute path, an address: what the secret is called
    if value.isalpha() and (value.islower() or value.isupper()):
        return False  # one word ("required", "PLAIN"), a mode or a name
    return _classes(value) >= 2


def _mixed(value: str) -> bool:
    return not looks_like_a_stand_in(value) and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def _not_example(value: str) -> bool:
    return not looks_like_a_stand_in(value)


def _basic_credentials(value: str) -> bool:
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    user, colon, password = decoded.partition(":")
    return bool(colon and user and password) and not looks_like_a_stand_in(password)


@dataclass(frozen=True)
class Rule:
    kind: str                      # what the author is told it looks like
    markers: tuple[str, ...]       # the pattern runs only on lines holding one of these
    pattern: re.Pattern[str]       # the group 'value' (or the whole match) is the secret
    accept: Callable[[str], bool] = _not_example
    anchored: bool = False         # the match starts at a marker: tried only there, not at every column


def _rule(kind: str, markers: tuple[str, ...], pattern: str, accept: Callable[[str], bool] = _not_example,
          flags: int = 0, anchored: bool = False) -> Rule:
    return Rule(kind, markers, re.compile(pattern, flags), accept, anchored)


# Starts at the keyword itself: a leading name pattern ([A-Za-z0-9_]*password) is retried at
# every position of the line, which made this one rule cost 50 ms per build of the real tree.
KEYWORD = r"(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential)[A-Za-z0-9_-]*"
ASSIGNED = r"[\"']?[ \t]*(?::|=|:=|=>)[ \t]*(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s,;#\"']+)"

RULES: tuple[Rule, ...] = (
    _rule("a private key", ("private key",), r"-----BEGIN[ A-Z0-9_-]*PRIVATE KEY(?: BLOCK)?-----"),
    _rule("an AWS access key id", ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
          r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])"),
    _rule("an AWS secret access key", ("secret_access_key", "secretaccesskey", "aws_secret"),
          r"(?i:aws_?secret(?:_access)?_?key)[\"']?\s*[:=]\s*[\"']?(?P<value>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"),
    _rule("a Google API key", ("AIza",), r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
    _rule("a Google OAuth client secret", ("GOCSPX-",), r"\bGOCSPX-[0-9A-Za-z_-]{28}"),
    _rule("a Google service account key", ("private_key_id",), r"\"private_key_id\"\s*:\s*\"(?P<value>[a-f0-9]{40})\""),
    _rule("an Azure storage account key", ("accountkey=",), r"(?i:AccountKey)=(?P<value>[A-Za-z0-9+/]{86}==)"),
    _rule("an Azure client secret", ("Q~",),
          r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])"),
    _rule("an Azure SAS signature", ("sig=",), r"[?&]sig=(?P<value>[A-Za-z0-9%+/]{30,}(?:%3D|=)*)"),
    _rule("a GitHub token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), r"\bgh[pousr]_[0-9A-Za-z]{36}\b"),
    _rule("a GitHub fine-grained token", ("github_pat_",), r"\bgithub_pat_[0-9A-Za-z_]{82}\b"),
    _rule("a GitLab token", ("glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glsoat-", "glcbt-"),
          r"\bgl(?:pat|dt|rt|ptt|ft|soat|cbt)-[0-9A-Za-z_-]{20,}"),
    _rule("a Slack token", ("xox", "xapp-"), r"\b(?:xox[abposr]-[0-9A-Za-z-]{10,}|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)", _mixed),
    _rule("a Slack webhook URL", ("hooks.slack.com",), r"hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]{6,}/[AB][A-Z0-9]{6,}/[A-Za-z0-9]{12,}"),
    _rule("a Stripe key", ("sk_live_", "sk_test_", "rk_live_", "rk_test_", "sk_prod_", "rk_prod_"),
          r"\b[sr]k_(?:live|test|prod)_[0-9A-Za-z]{10,99}\b"),
    _rule("a Twilio API key", ("twilio",), r"\bSK[0-9a-f]{32}\b"),
    _rule("a Twilio auth token", ("twilio",), r"(?i:twilio)[\w.-]{0,20}[\"']?\s*[:=]\s*[\"']?(?P<value>[0-9a-f]{32})\b"),
    _rule("a SendGrid API key", ("SG.",), r"\bSG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}\b"),
    _rule("an npm token", ("npm_",), r"\bnpm_[0-9A-Za-z]{36}\b"),
    _rule("a PyPI token", ("pypi-",), r"\bpypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,}"),
    _rule("a JSON Web Token", ("eyJ",), r"\beyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}"),
    _rule("an OpenAI or Anthropic API key", ("sk-",), r"\bsk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[0-9A-Za-z_-]{20,}", _mixed),
    _rule("a Hugging Face token", ("hf_",), r"\bhf_[A-Za-z]{34}\b"),
    _rule("a LangSmith API key", ("lsv2_",), r"\blsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}\b"),
    _rule("a PagerDuty integration key", ("routing_key", "routing key", "integration_key", "integration key",
                                          "service_key", "service key", "pagerduty"),
          r"(?<![0-9A-Za-z])(?P<value>[0-9A-Za-z]{32})(?![0-9A-Za-z])", _mixed),
    _rule("a PagerDuty API token", ("token token=",), r"(?i:Token token=)(?P<value>[0-9A-Za-z_+-]{20})\b"),
    _rule("a Datadog key", ("datadog", "dd_api_key", "dd_app_key"),
          r"(?i:datadog|dd_api_key|dd_app_key)[\w.-]{0,20}[\"']?\s*[:=]\s*[\"']?(?P<value>[0-9a-f]{32}(?:[0-9a-f]{8})?)\b"),
    _rule("a bearer token", ("bearer",), r"\b[Bb]earer\s+(?P<value>[0-9A-Za-z._~+/-]{20,}=*)"),
    _rule("basic-auth credentials in a header", ("basic",), r"\b[Bb]asic\s+(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])",
          _basic_credentials),
    _rule("a password in a URL", ("://",),
          r"\b[a-z][a-z0-9+.-]*://[^:/\s@<>{}\"'`]*:(?P<value>[^@\s<>{}\"'/`]{3,})@[\w.-]"),
    _rule("a password on a curl command line", ("curl",),
          r"\bcurl\b[^\n]*?\s(?:-u|--user)[ =][\"']?[^\s:\"'$<]+:(?P<value>[^\s\"']{3,})"),
    _rule("a password on a redis-cli command line", ("redis-cli",),
          r"\bredis-cli\b[^\n|;&]*\s(?:-a|--pass)\s+[\"']?(?P<value>[^\s\"']{4,})"),
    _rule("a Discord webhook URL", ("discord",), r"discord(?:app)?\.com/api/webhooks/\d+/(?P<value>[\w-]{20,})"),
    _rule("a Microsoft Teams webhook URL", ("webhook.office.com", "outlook.office.com/webhook"),
          r"(?:webhook\.office\.com/webhookb2|outlook\.office\.com/webhook)/[\w@.-]+/IncomingWebhook/(?P<value>\w{20,})"),
    _rule("a HashiCorp Vault token", ("hvs.", "hvb."), r"\bhv[sb]\.[0-9A-Za-z_-]{24,}"),
    _rule("a Docker Hub token", ("dckr_pat_",), r"\bdckr_pat_[0-9A-Za-z_-]{27}"),
    _rule("a Grafana token", ("glsa_", "glc_"), r"\b(?:glsa_[0-9A-Za-z]{32}_[0-9A-Fa-f]{8}|glc_[0-9A-Za-z+/]{32,}={0,2})"),
    _rule("a Sentry token", ("sntrys_", "sntryu_"), r"\bsntry[su]_[0-9A-Za-z+/=_-]{40,}"),
    _rule("a Shopify token", ("shpat_", "shpca_", "shppa_", "shpss_"), r"\bshp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}\b"),
    _rule("a DigitalOcean token", ("_v1_",), r"\bdo[opr]_v1_[0-9a-f]{64}\b"),
    _rule("a Mailgun key", ("key-",), r"\bkey-[0-9a-f]{32}\b", _mixed),
    _rule("an age secret key", ("AGE-SECRET-KEY-1",), r"AGE-SECRET-KEY-1[0-9A-Z]{58}"),
    _rule("a Telegram bot token", (":AA",), r"(?<!\d)\d{8,10}:AA[0-9A-Za-z_-]{33}\b"),
    _rule("a New Relic key", ("NRAK-",), r"\bNRAK-[0-9A-Z]{27}\b"),
    _rule("a Postman key", ("PMAK-",), r"\bPMAK-[0-9a-f]{24}-[0-9a-f]{34}\b"),
    _rule("an Atlassian API token", ("ATATT3",), r"\bATATT3[0-9A-Za-z_=-]{180,}"),
    _rule("a Databricks token", ("dapi",), r"\bdapi[0-9a-f]{32}(?:-\d)?\b"),
    _rule("a Linear API key", ("lin_api_",), r"\blin_api_[0-9A-Za-z]{40}\b"),
    # The generic shapes last: a line is named after the most specific shape it holds.
    _rule("a password in an environment variable", ("pgpassword", "mysql_pwd", "rediscli_auth"),
          r"\b(?:PGPASSWORD|MYSQL_PWD|REDISCLI_AUTH)=(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s;]+)", _assigned_value),
    _rule("a secret assigned in configuration", ("password", "passwd", "pwd", "secret", "token", "api_key", "api-key",
                                                  "apikey", "access_key", "access-key", "private_key", "credential"),
          # Anchored: a case-insensitive alternation tried at every column of a 700-character
          # prose line cost 0.8 ms a line, 9 s per 300 generated pages.
          KEYWORD + ASSIGNED, _assigned_value, re.IGNORECASE, anchored=True),
)

HINT = "replace it with a placeholder such as <API_TOKEN>, and rotate the real one: it is in the git history"


ORDER = {rule: index for index, rule in enumerate(RULES)}  # the specific shapes before the generic ones


def _automaton() -> Any:
    markers: dict[str, list[Rule]] = {}
    for rule in RULES:
        for marker in rule.markers:
            markers.setdefault(marker.lower(), []).append(rule)
    automaton = ahocorasick.Automaton()
    for marker, rules in markers.items():
        automaton.add_word(marker, (len(marker), tuple(rules)))
    automaton.make_automaton()
    return automaton


MARKERS = _automaton()


def _candidate_lines(text: str) -> dict[int, dict[Rule, list[int]]]:
    """Start offset of every line holding a marker -> the rules its markers call for, each
    with where its markers start."""
    lines: dict[int, dict[Rule, list[int]]] = {}
    for end, (length, rules) in MARKERS.iter(text.lower()):
        start = end - length + 1
        line_start = text.rfind("\n", 0, start) + 1
        line = lines.setdefault(line_start, {})
        for rule in rules:
            line.setdefault(rule, []).append(start)
    return lines


def find_secrets(text: str) -> list[tuple[int, str]]:
    """``(line, what it looks like)`` for each line of ``text`` holding a credential: the most
    specific shape that matches, so one leak is one problem."""
    found: list[tuple[int, str]] = []
    for line_start, rules in _candidate_lines(text).items():
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        kind = next((rule.kind for rule in sorted(rules, key=ORDER.__getitem__)
                     if _matches(rule, text, line_start, line_end, rules[rule])), None)
        if kind:
            found.append((text.count("\n", 0, line_start) + 1, kind))
    return sorted(found)


def _matches(rule: Rule, text: str, start: int, end: int, markers: list[int]) -> bool:
    if rule.anchored:
        found = (rule.pattern.match(text, position, end) for position in markers)
        return any(rule.accept(match.groupdict().get("value") or match.group(0)) for match in found if match)
    for match in rule.pattern.finditer(text, start, end):
        if rule.accept(match.groupdict().get("value") or match.group(0)):
            return True
    return False
