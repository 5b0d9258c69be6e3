"""Alert rules as data: the rules, their unit tests, the Alertmanager routing, and the pages.

- promtool checks the rules and runs monitoring/prometheus/tests/*.yml; mutated copies of the
  rules (threshold moved, `for` doubled) must make those tests fail, so they prove something.
  (Both are rendered from data/facts.yml: tests/test_rendered_rules.py.)
- amtool checks monitoring/alertmanager/alertmanager.yml and routes every alert by its labels.
- Alert names are checked both ways between the rules and the pages: every alert has a runbook,
  an alert-runbooks section and a runbook_url that resolves; every alert-like name the pages
  use (front matter, headings, alertname matchers, *Down/*High/... words) is a real alert.
- Thresholds, `for`, severity and priority written on the alert runbooks page are the rules'.
"""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from markdown.extensions.toc import slugify

from hooks.codeblocks.extract import blocks

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "monitoring/prometheus/alerts.yml"
RULE_TESTS = ROOT / "monitoring/prometheus/tests"
ALERTMANAGER = ROOT / "monitoring/alertmanager/alertmanager.yml"
FACTS = ROOT / "data/facts.yml"
ALERT_RUNBOOKS = "operations/alert-runbooks.md"
PAGES_SHOWING_ALERTMANAGER = ["support/on-call-rotation.md", "operations/alertmanager-setup.md"]


# ---------------------------------------------------------------------------- the tools

def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: install the Debian package with `apt-get install -y {package}` "
                    f"(the tests only run its binary; no server is started)")
    return path


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@functools.lru_cache
def load_rules(path: Path = RULES) -> dict[str, dict]:
    rules = yaml.safe_load(path.read_text())
    return {r["alert"]: r for g in rules["groups"] for r in g["rules"] if "alert" in r}


@functools.lru_cache
def facts() -> dict:
    return yaml.safe_load(FACTS.read_text())


# ------------------------------------------------------------- comparison in an expression

COMPARISON = re.compile(r"(?P<op>>=|<=|==|>|<)\s*(?P<value>[0-9]+(?:\.[0-9]+)?)\s*$")


ABSENT = re.compile(r"\s+or\s+absent\([^()]*\)\s*$")


def comparison(expr: str) -> tuple[str, float]:
    """The final ``<op> <constant>`` of an alert expression: what the alert compares against
    (an ``or absent(...)`` after it fires when the series is gone, and compares nothing)."""
    match = COMPARISON.search(ABSENT.sub("", expr.strip()))
    assert match, f"expression does not end in a comparison with a constant: {expr}"
    return match.group("op"), float(match.group("value"))


def as_number(text: str) -> float | None:
    """'50' -> 50, '95%' -> 0.95, '0.05' -> 0.05; None when the text is not one number."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(%?)\s*", str(text))
    if not match:
        return None
    value = float(match.group(1))
    return value / 100 if match.group(2) else value


# ----------------------------------------------------------- alert names found on the pages

# A CamelCase word ending like the platform's alert names (APIDown, CeleryWorkersDown, ...).
ALERT_LIKE_WORD = re.compile(r"\b[A-Z][A-Za-z0-9]*?(?:Down|High|Low|Exhausted|Failures|Timeouts|Looping|Depth)\b")
CAMEL_CASE = re.compile(r"^(?=[A-Za-z0-9]*[a-z])(?=(?:[a-z0-9]*[A-Z]){2})[A-Z][A-Za-z0-9]+$")
# alertname="X", alertname=~"A|B", alertname!="X" (Alertmanager and PromQL matchers).
QUOTED_MATCHER = re.compile(r"""alertname\s*(?:=~|!~|!=|=)\s*(["'])(?P<value>[^"'\n]*)\1""")
# amtool commands that name an alert that exists (a silence, a query); `amtool alert add` and
# `amtool config routes test` take made-up label sets on purpose and are not references.
AMTOOL_REFERENCE = re.compile(r"amtool\s+(?:silence\s+(?:add|query)|alert(?:\s+query)?)\b(?!\s+add)")
UNQUOTED_MATCHER = re.compile(r"alertname=(?P<value>[A-Za-z][A-Za-z0-9_]*)\b")
HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)\s*(?:\{#(?P<id>[^}\s]+)[^}]*\})?\s*$")
FRONT_MATTER = re.compile(r"\A---\n(?P<body>.*?\n)---\n", re.S)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def front_matter_alerts(text: str) -> tuple[list[str], int] | None:
    match = FRONT_MATTER.match(text)
    if not match:
        return None
    meta = yaml.safe_load(match.group("body")) or {}
    if "alerts" not in meta:
        return None
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("alerts:"))
    names = meta["alerts"] if isinstance(meta["alerts"], list) else [meta["alerts"]]
    return [str(n) for n in names], line


def names_used(path: Path, text: str, is_alert_runbooks_page: bool) -> list[tuple[int, str, str]]:
    """(line, name, where) for every alert name the text states in an alert context."""
    found: list[tuple[int, str, str]] = []
    alerts_meta = front_matter_alerts(text) if path.suffix == ".md" else None
    if alerts_meta:
        names, line = alerts_meta
        found += [(line, name, "front matter 'alerts'") for name in names]
    if is_alert_runbooks_page:
        for number, line in enumerate(text.splitlines(), 1):
            heading = HEADING.match(line)
            if heading and len(heading.group("level")) in (2, 3):
                first_word = heading.group("text").split(" ")[0]
                if CAMEL_CASE.match(first_word):
                    found.append((number, first_word, "heading"))
    for match in QUOTED_MATCHER.finditer(text):
        for alternative in match.group("value").split("|"):
            if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", alternative):
                found.append((line_of(text, match.start()), alternative, "alertname matcher"))
    for number, line in enumerate(text.splitlines(), 1):
        if AMTOOL_REFERENCE.search(line):
            found += [(number, m.group("value"), "amtool matcher") for m in UNQUOTED_MATCHER.finditer(line)]
    for match in ALERT_LIKE_WORD.finditer(text):
        found.append((line_of(text, match.start()), match.group(0), "alert-like name"))
    return found


def page_path(docs: Path, url_path: str) -> Path | None:
    """The Markdown source of a site path such as 'operations/alert-runbooks/'."""
    stem = url_path.strip("/")
    for candidate in (f"{stem}.md", f"{stem}/index.md", f"{stem}/README.md"):
        if (docs / candidate).is_file():
            return docs / candidate
    return None


def ids_of(text: str) -> set[str]:
    ids = set()
    for line in text.splitlines():
        heading = HEADING.match(line)
        if heading:
            ids.add(heading.group("id") or slugify(heading.group("text"), "-"))
    ids |= set(re.findall(r"\{:?[^}]*#([\w-]+)", text))
    return ids


def alert_name_problems(docs: Path, rules: dict[str, dict], portal_url: str,
                        extra_files: list[Path] = ()) -> list[str]:
    """Every way the pages and the rules can disagree about alert names, as 'file:line: message'."""
    problems: list[str] = []
    alerts = set(rules)
    pages = sorted(p for p in docs.rglob("*.md") if "assets" not in p.relative_to(docs).parts)

    # Pages -> rules: every name used in an alert context is a real alert.
    for path in [*pages, *extra_files]:
        text = path.read_text(encoding="utf-8")
        shown = path.relative_to(docs.parent) if path.is_relative_to(docs.parent) else path
        is_runbooks_page = path == docs / ALERT_RUNBOOKS
        reported: set[tuple[int, str]] = set()
        for line, name, where in names_used(path, text, is_runbooks_page):
            if name not in alerts and (line, name) not in reported:
                reported.add((line, name))
                problems.append(f"{shown}:{line}: {where} names '{name}', which is not an alert in the rules")

    # Rules -> pages: every alert has a runbook, a section, and a runbook_url that resolves.
    answered: set[str] = set()
    for runbook in sorted((docs / "runbooks").glob("*.md")):
        listed = front_matter_alerts(runbook.read_text(encoding="utf-8"))
        answered |= set(listed[0]) if listed else set()
    runbooks_page = docs / ALERT_RUNBOOKS
    section_ids = ids_of(runbooks_page.read_text(encoding="utf-8")) if runbooks_page.exists() else set()
    for name, rule in rules.items():
        if name not in answered:
            problems.append(f"rules: alert {name} is not listed in the 'alerts' front matter of any runbook in docs/runbooks/")
        if name.lower() not in section_ids:
            problems.append(f"rules: alert {name} has no section '## {name} {{#{name.lower()}}}' in docs/{ALERT_RUNBOOKS}")
        url = (rule.get("annotations") or {}).get("runbook_url", "")
        if not url.startswith(portal_url):
            problems.append(f"rules: alert {name} runbook_url '{url}' is not on the portal {portal_url}")
            continue
        path, _, fragment = url[len(portal_url):].partition("#")
        target = page_path(docs, path)
        if target is None:
            problems.append(f"rules: alert {name} runbook_url '{url}': no page for '{path}' in docs/")
        elif fragment and fragment not in ids_of(target.read_text(encoding="utf-8")):
            problems.append(f"rules: alert {name} runbook_url '{url}': anchor '#{fragment}' does not exist in "
                            f"{target.relative_to(docs.parent)}")
    return problems


# ------------------------------------------------ thresholds stated on the alert runbooks page

FACT_REFERENCE = re.compile(r"\{\{\s*facts\.([A-Za-z0-9_.\-]+)\s*\}\}")
# "more than N", "above N", "fewer than N" ... where N is a literal or a {{ facts.* }} reference.
STATED_LIMIT = re.compile(r"\b(?:more than|fewer than|less than|greater than|above|below|exceeds?|under)\s+"
                          r"(?P<value>\{\{\s*facts\.[A-Za-z0-9_.\-]+\s*\}\}|[0-9]+(?:\.[0-9]+)?(?:\s*%)?)", re.I)
COLUMNS = {"threshold": "threshold", "for": "for", "severity": "severity", "priority": "priority"}


def fact_value(flat: dict, key: str):
    node = flat
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def cell_problem(cell: str, alert: str, field: str, rule_value: str, facts_tree: dict) -> str | None:
    """None when a table cell states the rule's value: by reference, or the same number/word."""
    references = FACT_REFERENCE.findall(cell)
    if references:
        own = f"alerts.{alert}.{field}"
        wrong = [r for r in references if r.startswith("alerts.") and r != own]
        if wrong:
            return f"{field} of {alert} is written as '{{{{ facts.{wrong[0]} }}}}' (use '{{{{ facts.{own} }}}}')"
        stated = [fact_value(facts_tree, r) for r in references if not r.startswith("alerts.")]
        return next((f"{field} of {alert} is stated from another fact ({v}) than the rule's {rule_value}"
                     for v in stated if as_number(v) is not None and as_number(v) != as_number(rule_value)), None)
    if field == "threshold":
        literal = re.match(r"\s*([0-9]+(?:\.[0-9]+)?(?:\s*%)?)", cell)
    else:
        literal = re.match(r"\s*`?([A-Za-z0-9]+)", cell)
    if not literal:
        return None
    written = literal.group(1)
    if field == "threshold":
        same = as_number(written) is not None and as_number(written) == as_number(rule_value)
    else:
        same = written.strip() == str(rule_value)
    return None if same else f"{field} of {alert} is written as '{written.strip()}' but the rule says '{rule_value}'"


def threshold_problems(page: Path, rules: dict[str, dict], facts_tree: dict) -> list[str]:
    """Thresholds, `for`, severity and priority the alert runbooks page states next to an alert."""
    problems: list[str] = []
    text = page.read_text(encoding="utf-8")
    section: str | None = None
    header: list[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        heading = HEADING.match(line)
        if heading:
            if len(heading.group("level")) == 2:
                word = heading.group("text").split(" ")[0]
                section = word if word in rules else None
            header = None
            continue
        if not line.startswith("|"):
            header = None
            if section and line.startswith("**What it means.**"):
                rule = rules[section]
                for match in STATED_LIMIT.finditer(line):
                    value = match.group("value")
                    ref = FACT_REFERENCE.fullmatch(value)
                    stated = fact_value(facts_tree, ref.group(1)) if ref else value
                    if ref and ref.group(1).startswith("alerts."):
                        stated = rules.get(ref.group(1).split(".")[1], {}).get("annotations", {}).get("threshold") \
                            if ref.group(1).endswith(".threshold") else None
                    if as_number(stated) is not None and as_number(stated) != as_number(rule["annotations"]["threshold"]):
                        problems.append(f"{page.name}:{number}: '{match.group(0)}' next to {section} differs from the "
                                        f"rule's threshold {rule['annotations']['threshold']}")
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if set(cells) <= {"", "---", ":---", "---:", ":---:"} or all(re.fullmatch(r":?-+:?", c) for c in cells):
            continue
        alert = next((n for n in rules if re.search(rf"\b{n}\b", cells[0])), None) or section
        if alert is None:
            continue
        rule = rules[alert]
        values = {"threshold": rule["annotations"]["threshold"], "for": rule.get("for", "0s"),
                  "severity": rule["labels"]["severity"], "priority": rule["labels"]["priority"]}
        for column, field in COLUMNS.items():
            if column in header and header.index(column) < len(cells):
                problem = cell_problem(cells[header.index(column)], alert, field, values[field], facts_tree)
                if problem:
                    problems.append(f"{page.name}:{number}: {problem}")
    return problems


# ================================================================================== tests
# ----------------------------------------------------------------------------- promtool

@pytest.mark.promtool
def test_promtool_checks_the_rules():
    done = run(tool("promtool", "prometheus"), "check", "rules", str(RULES))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SUCCESS: {len(load_rules())} rules found" in done.stdout


@pytest.mark.promtool
def test_promtool_unit_tests_pass():
    files = sorted(RULE_TESTS.glob("*.yml"))
    done = run(tool("promtool", "prometheus"), "test", "rules", *map(str, files))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("SUCCESS") == len(files)


@functools.lru_cache
def rule_test_cases() -> dict[str, list[dict]]:
    """{alert: [alert_rule_test entries, each with its group's index]} over all test files."""
    cases: dict[str, list[dict]] = {}
    for path in sorted(RULE_TESTS.glob("*.yml")):
        for index, group in enumerate(yaml.safe_load(path.read_text())["tests"]):
            for case in group.get("alert_rule_test", []):
                cases.setdefault(case["alertname"], []).append({**case, "group": (path.name, index)})
    return cases


def seconds(duration: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([smh])", str(duration)))


@pytest.mark.parametrize("alert", sorted(load_rules()))
def test_each_alert_is_unit_tested_firing_pending_and_quiet(alert):
    rule = load_rules()[alert]
    cases = rule_test_cases().get(alert, [])
    firing = [c for c in cases if c["exp_alerts"]]
    assert firing, f"{alert}: no unit test expects it to fire"
    for case in firing:
        for expected in case["exp_alerts"]:
            labels, annotations = expected.get("exp_labels", {}), expected.get("exp_annotations", {})
            assert {k: labels.get(k) for k in ("severity", "priority")} == \
                {k: rule["labels"][k] for k in ("severity", "priority")}, f"{alert}: exp_labels"
            assert set(annotations) == set(rule["annotations"]), f"{alert}: exp_annotations must list every annotation"
    hold = seconds(rule.get("for", "0s"))
    fires_at = min(seconds(c["eval_time"]) for c in firing)
    assert fires_at >= hold, f"{alert}: expected to fire at {fires_at}s, before its for: of {hold}s"
    pending = [c for c in cases if not c["exp_alerts"] and c["group"] == firing[0]["group"]
               and seconds(c["eval_time"]) < fires_at]
    assert pending, f"{alert}: no check that it is still quiet before its for: has passed"
    quiet_groups = {c["group"] for c in cases if not c["exp_alerts"]} - {c["group"] for c in firing}
    assert any(seconds(c["eval_time"]) > hold for c in cases if c["group"] in quiet_groups), \
        f"{alert}: no input below the threshold held longer than for: that stays quiet"


def mutated_rules(change) -> str:
    rules = yaml.safe_load(RULES.read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            change(rule)
    return yaml.safe_dump(rules, sort_keys=False)


def threshold_towards_quiet(rule: dict) -> None:
    """Move the threshold 20 % into the quiet side: the tests' quiet inputs must then fire."""
    op, value = comparison(rule["expr"])
    replacement = {">": f"> {value * 0.8:g}", "<": f"< {value * 1.2:g}", "==": f"<= {value + 1:g}"}[op]
    expr = rule["expr"].strip()
    absent = ABSENT.search(expr)
    main = expr[:absent.start()] if absent else expr
    rule["expr"] = COMPARISON.sub(replacement, main) + (absent.group(0) if absent else "")


def for_doubled(rule: dict) -> None:
    rule["for"] = f"{2 * seconds(rule['for'])}s"


@pytest.mark.promtool
@pytest.mark.parametrize("mutation", [threshold_towards_quiet, for_doubled], ids=lambda f: f.__name__)
def test_unit_tests_fail_on_every_mutated_rule(tmp_path, mutation):
    (tmp_path / "alerts.yml").write_text(mutated_rules(mutation))
    shutil.copytree(RULE_TESTS, tmp_path / "tests")
    promtool = tool("promtool", "prometheus")
    # One run per file: promtool reports failures on stderr, so a joint run cannot say which file failed.
    files = sorted((tmp_path / "tests").glob("*.yml"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(lambda path: run(promtool, "test", "rules", str(path)).returncode, files))
    survived = [path.name for path, code in zip(files, codes, strict=True) if code == 0]
    assert survived == [], f"these unit tests still pass with {mutation.__name__}: {survived}"


def test_threshold_annotation_is_the_expressions_constant():
    for name, rule in load_rules().items():
        _, value = comparison(rule["expr"])
        assert as_number(rule["annotations"]["threshold"]) == value, f"{name}: threshold annotation vs expr"


# facts.yml states some thresholds in words for prose ("95%"); they must be the rules' numbers.
FACT_THRESHOLD_OF = {
    "queue_depth_scale": "HighQueueDepth", "worker_restarts": "WorkerCrashLooping",
    "success_rate_min": "EnhancementSuccessRateLow", "p95_latency_seconds": "EnhancementLatencyHigh",
    "api_error_rate": "APIHighErrorRate", "db_pool_saturation": "DatabaseConnectionPoolExhausted",
    "external_timeout_ratio": "ExternalAPITimeouts",
}


@pytest.mark.parametrize("fact, alert", sorted(FACT_THRESHOLD_OF.items()))
def test_facts_thresholds_equal_the_rules(fact, alert):
    stated = facts()["thresholds"][fact]
    assert as_number(stated) == as_number(load_rules()[alert]["annotations"]["threshold"]), \
        f"data/facts.yml thresholds.{fact} = {stated!r} but {alert} fires at {load_rules()[alert]['annotations']['threshold']}"


# ------------------------------------------------------------------------------- amtool

@pytest.mark.amtool
def test_amtool_checks_the_alertmanager_config():
    done = run(tool("amtool", "prometheus-alertmanager"), "check-config", str(ALERTMANAGER))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


EXPECTED_RECEIVERS = {
    "P0": {"slack-alerts", "pagerduty-critical", "slack-incidents-p0"},
    "P1": {"slack-alerts", "pagerduty-critical", "slack-incidents-p1"},
    "P2": {"slack-alerts", "pagerduty-standard"},
}


@pytest.mark.amtool
@pytest.mark.parametrize("alert", sorted(load_rules()))
def test_each_alert_routes_by_its_priority(alert):
    labels = load_rules()[alert]["labels"]
    done = run(tool("amtool", "prometheus-alertmanager"), "config", "routes", "test",
               f"--config.file={ALERTMANAGER}", f"alertname={alert}",
               f"severity={labels['severity']}", f"priority={labels['priority']}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(done.stdout.strip().split(",")) == EXPECTED_RECEIVERS[labels["priority"]]
    assert (labels["severity"] == "critical") == (labels["priority"] in {"P0", "P1"}), \
        f"{alert}: critical alerts are the paging P0/P1 ones"


def test_alertmanager_config_has_no_secret_and_no_placeholder():
    text = ALERTMANAGER.read_text()
    config = yaml.safe_load(text)
    assert "<" not in re.sub(r"\{\{.*?\}\}", "", text), "placeholders like <KEY> are not valid config"
    assert not re.search(r"^\s*(routing_key|service_key|api_url|slack_api_url|url):", text, re.M), \
        "secrets come from *_file keys"
    files = re.findall(r"^\s*\w+_file:\s*(\S+)", text, re.M)
    assert files and all(f.startswith("/etc/alertmanager/secrets/") for f in files)
    assert config["global"]["slack_api_url_file"]


def test_alertmanager_slack_channels_are_the_facts():
    channels = set(re.findall(r"channel:\s*'([^']+)'", ALERTMANAGER.read_text()))
    slack = facts()["slack"]
    assert channels == {slack["p0"], slack["p1"], slack["alerts"]}


@pytest.mark.parametrize("page", PAGES_SHOWING_ALERTMANAGER)
def test_pages_show_the_real_alertmanager_file(page):
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    yaml_blocks = [b for b in blocks(text) if b.language == "yaml"]
    included = [b for b in yaml_blocks if b.code.strip() == '--8<-- "monitoring/alertmanager/alertmanager.yml"']
    assert included, f"{page}: no ```yaml block including monitoring/alertmanager/alertmanager.yml"
    copies = [b.line for b in yaml_blocks if re.search(r"^\s*(receivers|inhibit_rules|route):", b.code, re.M)]
    assert copies == [], f"{page}: hand-typed Alertmanager configuration at line(s) {copies}"


# ------------------------------------------------------------- names and thresholds on pages

def test_alert_names_agree_between_rules_and_pages():
    portal = facts()["portal"]["url"]
    problems = alert_name_problems(ROOT / "docs", load_rules(), portal, [ALERTMANAGER])
    assert problems == [], "\n".join(problems)


def test_alert_runbooks_page_states_the_rules_thresholds():
    problems = threshold_problems(ROOT / "docs" / ALERT_RUNBOOKS, load_rules(), facts())
    assert problems == [], "\n".join(problems)


BROKEN_RULES = """
groups:
  - name: fixture
    rules:
      - alert: RedisDown
        expr: sum(redis_up) == 0
        for: 1m
        labels: {severity: critical, priority: P0}
        annotations: {threshold: "0", runbook_url: "https://portal.example/operations/alert-runbooks/#redisdown"}
      - alert: HighQueueDepth
        expr: sum(celery_queue_length) > 50
        for: 5m
        labels: {severity: warning, priority: P2}
        annotations: {threshold: "50", runbook_url: "https://portal.example/operations/alert-runbooks/#highqueuedepth-typo"}
      - alert: APIDown
        expr: sum(up) == 0
        for: 2m
        labels: {severity: critical, priority: P0}
        annotations: {threshold: "0", runbook_url: "https://portal.example/operations/missing-page/#apidown"}
"""

BROKEN_RUNBOOK = """---
title: Redis
alerts: [RedisDown, HighQueueDepth, RedisDwn]
---

# Redis

When `CeleryWorkerDown` fires too, Redis is the cause.
"""

BROKEN_ALERT_RUNBOOKS = """---
title: Alert Runbooks
---

# Alert Runbooks

| Alert | Severity | Priority | Threshold | For |
|---|---|---|---|---|
| [HighQueueDepth](#highqueuedepth) | warning | P2 | 40 jobs | {{ facts.alerts.RedisDown.for }} |

## RedisDown {#redisdown}

**What it means.** Redis is down. Silence with `amtool silence add alertname=ReddisDown`.

## HighQueueDepth {#highqueuedepth}

**What it means.** More than 45 jobs are waiting.

| Threshold | For | Severity | Priority |
|---|---|---|---|
| {{ facts.alerts.HighQueueDepth.threshold }} | 10m | {{ facts.alerts.HighQueueDepth.severity }} | P1 |

## QueueStalled {#queuestalled}

```yaml
inhibit_rules:
  - source_matchers: ['alertname="RedisDown"']
    target_matchers: ['alertname=~"HighQueueDepth|WorkerCrashLoop"']
```
"""


@pytest.fixture
def broken_tree(tmp_path) -> tuple[Path, dict[str, dict]]:
    docs = tmp_path / "docs"
    (docs / "runbooks").mkdir(parents=True)
    (docs / "operations").mkdir()
    (docs / "runbooks/redis.md").write_text(BROKEN_RUNBOOK)
    (docs / ALERT_RUNBOOKS).write_text(BROKEN_ALERT_RUNBOOKS)
    (tmp_path / "alerts.yml").write_text(BROKEN_RULES)
    return docs, load_rules(tmp_path / "alerts.yml")


def test_name_check_fails_on_a_broken_tree(broken_tree):
    docs, rules = broken_tree
    report = "\n".join(alert_name_problems(docs, rules, "https://portal.example/"))
    expected = [
        "docs/runbooks/redis.md:3: front matter 'alerts' names 'RedisDwn'",
        "docs/runbooks/redis.md:8: alert-like name names 'CeleryWorkerDown'",
        "docs/operations/alert-runbooks.md:13: amtool matcher names 'ReddisDown'",
        "docs/operations/alert-runbooks.md:23: heading names 'QueueStalled'",
        "docs/operations/alert-runbooks.md:28: alertname matcher names 'WorkerCrashLoop'",
        "alert APIDown is not listed in the 'alerts' front matter of any runbook",
        "alert APIDown has no section '## APIDown {#apidown}'",
        "alert APIDown runbook_url 'https://portal.example/operations/missing-page/#apidown': no page",
        "alert HighQueueDepth runbook_url 'https://portal.example/operations/alert-runbooks/#highqueuedepth-typo': "
        "anchor '#highqueuedepth-typo' does not exist",
    ]
    missing = [e for e in expected if e not in report]
    assert missing == [], report
    assert "'RedisDown'" not in report and "'HighQueueDepth', which" not in report, report


def test_threshold_check_fails_on_a_broken_page(broken_tree):
    docs, rules = broken_tree
    report = "\n".join(threshold_problems(docs / ALERT_RUNBOOKS, rules, {}))
    expected = [
        "alert-runbooks.md:9: threshold of HighQueueDepth is written as '40'",
        "alert-runbooks.md:9: for of HighQueueDepth is written as '{{ facts.alerts.RedisDown.for }}'",
        "alert-runbooks.md:17: 'More than 45' next to HighQueueDepth differs from the rule's threshold 50",
        "alert-runbooks.md:21: for of HighQueueDepth is written as '10m' but the rule says '5m'",
        "alert-runbooks.md:21: priority of HighQueueDepth is written as 'P1' but the rule says 'P2'",
    ]
    missing = [e for e in expected if e not in report]
    assert missing == [], report
    assert "severity" not in report and "threshold of HighQueueDepth is written as '{{" not in report, report
