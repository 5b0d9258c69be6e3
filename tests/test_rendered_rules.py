"""One home per threshold: the alert rules and their promtool tests are rendered from data/facts.yml.

- The committed rules and tests are what the templates and the facts give now.
- Changed thresholds render rules and tests that promtool passes (the tests are derived, not
  retyped), and the old tests fail against the new rules (they test the number, not a copy of it).
- The build reports a rendered file left behind, and a template naming a fact that does not exist.
"""
from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sites import FIXTURES, FixtureSite, page

from hooks.facts import derived

ROOT = Path(__file__).resolve().parent.parent
FACTS_FILE = ROOT / "data/facts.yml"
RULES_FOLDER = ROOT / "monitoring/prometheus"

# Each threshold moved well away from today's value, all at once: one promtool run checks them all.
OTHER_THRESHOLDS = [
    {"queue_depth_scale": 120, "worker_restarts": 9, "success_rate_min": "97.5%", "p95_latency_seconds": 45,
     "api_error_rate": "2%", "db_pool_saturation": "85%", "external_timeout_ratio": "20%",
     "webhook_signature_failures": 0.2},
    {"queue_depth_scale": 10, "worker_restarts": 1, "success_rate_min": "90%", "p95_latency_seconds": 120,
     "api_error_rate": "12.5%", "db_pool_saturation": "92%", "external_timeout_ratio": "5%",
     "webhook_signature_failures": 0.01},
]


def facts() -> dict:
    return yaml.safe_load(FACTS_FILE.read_text())


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool is not installed: apt-get install -y prometheus")
    return path


def rendered_copy(tmp_path: Path, thresholds: dict) -> Path:
    """monitoring/ copied under tmp_path and rendered with ``thresholds`` changed."""
    changed = copy.deepcopy(facts())
    changed["thresholds"].update(thresholds)
    shutil.copytree(ROOT / "monitoring", tmp_path / "monitoring")
    folder = tmp_path / "monitoring/prometheus"
    derived.write(folder, changed, FACTS_FILE, tmp_path)
    return folder


def test_committed_rules_and_tests_match_the_facts():
    stale = derived.stale(RULES_FOLDER, facts(), FACTS_FILE, ROOT)
    assert stale == [], "\n".join(derived.describe(item, FACTS_FILE, ROOT) for item in stale)


def test_every_threshold_fact_reaches_the_rules():
    rules = (RULES_FOLDER / "alerts.yml.j2").read_text()
    alert_thresholds = {k for k in facts()["thresholds"] if k not in ("queue_depth_critical", "webhook_ack_p95")}
    missing = [k for k in sorted(alert_thresholds) if f"facts.thresholds.{k} " not in rules]
    assert missing == []


@pytest.mark.promtool
@pytest.mark.parametrize("thresholds", OTHER_THRESHOLDS, ids=["higher", "lower"])
def test_changed_thresholds_render_rules_and_tests_that_pass(tmp_path, thresholds):
    folder = rendered_copy(tmp_path, thresholds)
    rules = yaml.safe_load((folder / "alerts.yml").read_text())
    exprs = {r["alert"]: r["expr"] for g in rules["groups"] for r in g["rules"]}
    assert exprs["HighQueueDepth"].endswith(f"> {thresholds['queue_depth_scale']}")
    assert exprs["EnhancementSuccessRateLow"].strip().endswith("< 0.975" if thresholds["success_rate_min"] == "97.5%" else "< 0.9")
    check = subprocess.run([promtool(), "check", "rules", str(folder / "alerts.yml")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    files = sorted(str(p) for p in (folder / "tests").glob("*.yml"))
    done = subprocess.run([promtool(), "test", "rules", *files], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.mark.promtool
def test_todays_tests_fail_against_rules_with_other_thresholds(tmp_path):
    today = facts()["thresholds"]
    other = {k: a if str(a) != str(today[k]) else OTHER_THRESHOLDS[1][k] for k, a in OTHER_THRESHOLDS[0].items()}
    folder = rendered_copy(tmp_path, other)
    for test in (RULES_FOLDER / "tests").glob("*.yml.j2"):
        shutil.copy(RULES_FOLDER / "tests" / test.name.removesuffix(".j2"), folder / "tests")
    failed = []
    for test in sorted((folder / "tests").glob("*.yml")):
        if (RULES_FOLDER / "tests" / (test.name + ".j2")).exists():
            done = subprocess.run([promtool(), "test", "rules", str(test)], capture_output=True, text=True)
            failed.append(done.returncode != 0)
    assert failed and all(failed), "a unit test passes whatever its alert's threshold"


def test_render_command_writes_and_checks(tmp_path):
    shutil.copytree(ROOT / "monitoring", tmp_path / "monitoring")
    (tmp_path / "data").mkdir()
    now = facts()["thresholds"]["queue_depth_scale"]
    changed = copy.deepcopy(facts())
    changed["thresholds"]["queue_depth_scale"] = now + 25
    (tmp_path / "data/facts.yml").write_text(yaml.safe_dump(changed))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    command = [sys.executable, "-c", "import sys; from pathlib import Path; from scripts.render_rules import main; "
               f"sys.exit(main(sys.argv[1:], Path({str(tmp_path)!r})))"]
    stale = subprocess.run([*command, "--check"], cwd=ROOT, capture_output=True, text=True)
    assert stale.returncode == 1
    assert "monitoring/prometheus/alerts.yml:13: differs from what monitoring/prometheus/alerts.yml.j2 and " \
           f"data/facts.yml give: 'expr: sum(celery_queue_length{{queue_name=\"enhancements\"}}) > {now}' should be " \
           f"'expr: sum(celery_queue_length{{queue_name=\"enhancements\"}}) > {now + 25}'" in stale.stderr
    wrote = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout.splitlines() == ["wrote monitoring/prometheus/alerts.yml",
                                         "wrote monitoring/prometheus/tests/high-queue-depth.yml"]
    assert f"values: '{now + 26}x15'" in (tmp_path / "monitoring/prometheus/tests/high-queue-depth.yml").read_text()
    assert subprocess.run([*command, "--check"], cwd=ROOT, capture_output=True, text=True).returncode == 0


# ------------------------------------------------------------------------- the build's check

RULES_TEMPLATE = """groups:
  - name: fixture
    rules:
      - alert: QueueDeep
        expr: sum(queue_length) > [[ facts.limits.queue | number ]]
        labels:
          priority: P2
        annotations:
          summary: More than [[ facts.limits.queue ]] jobs
          threshold: "[[ facts.limits.queue | number ]]"
"""


def site_with_rules(tmp_path: Path, queue: str) -> FixtureSite:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "facts.yml").write_text(f"limits:\n  queue: {queue}\n")
    (rules / "alerts.yml.j2").write_text(RULES_TEMPLATE)
    derived.write(rules, {"limits": {"queue": 40}}, rules / "facts.yml", tmp_path)
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\nQueue limit {{ facts.limits.queue }}.\n", last_updated="2026-01-15")})
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    # The policy speaks of this site's one alert.
    (rules / "policy.yml").write_text((FIXTURES / "policy.yml").read_text().replace("HighQueueDepth", "QueueDeep"))
    config["extra"]["portal"].update(facts_file=str(rules / "facts.yml"), alert_rules_file=str(rules / "alerts.yml"),
                                     policy_file=str(rules / "policy.yml"))
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return site


def test_build_passes_when_the_rules_match_the_facts(tmp_path):
    result = site_with_rules(tmp_path, "40").build()
    assert result.code == 0, result.output


def test_build_names_the_rule_line_left_behind_by_a_changed_fact(tmp_path):
    result = site_with_rules(tmp_path, "45").build()
    assert result.code == 1
    assert ("rules/alerts.yml:6: differs from what rules/alerts.yml.j2 and rules/facts.yml give: "
            "'expr: sum(queue_length) > 40' should be 'expr: sum(queue_length) > 45' "
            "(run `python -m scripts.render_rules` and commit the result)") in result.output


def test_build_names_the_template_line_of_an_unknown_fact(tmp_path):
    site = site_with_rules(tmp_path, "40")
    template = tmp_path / "rules/alerts.yml.j2"
    template.write_text(template.read_text().replace("More than [[ facts.limits.queue ]]", "More than [[ facts.limits.queues ]]"))
    result = site.build()
    assert result.code == 1
    assert ("rules/alerts.yml.j2:9: unknown fact 'facts.limits.queues': data/facts.yml has no such value "
            "(did you mean 'facts.limits.queue'?)") in result.output


@pytest.mark.parametrize("function, value, printed", [
    ("go_value", 51, "51"), ("go_value", 0.05333333333333334, "0.05333333333333334"), ("go_value", 1e6, "1e+06"),
    ("go_value", 123456.0, "123456"), ("go_value", 0.00001, "1e-05"),
    ("humanize_percentage", 0.94, "94%"), ("humanize_percentage", 0.0625, "6.25%"),
    ("humanize_duration", 63.33, "1m 3s"), ("humanize_duration", 47.5, "47.5s"), ("humanize_duration", 0.5, "500ms"),
    ("humanize_duration", 90061, "1d 1h 1m 1s"),
])
def test_values_print_as_prometheus_prints_them(function, value, printed):
    from hooks.facts import prometheus_format
    assert getattr(prometheus_format, function)(value) == printed
