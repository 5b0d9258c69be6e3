"""hooks/cards: header cards on runbooks and alert sections, their links to the deployment's
tools, and Alertmanager routing as the cards read it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sites import FIXTURES, ROOT, FixtureSite, page
from test_alerts import run, tool

from hooks.cards.links import tool_links
from hooks.cards.routing import RoutingError, parse_matcher, receivers

ROUTE = yaml.safe_load((ROOT / "monitoring/alertmanager/alertmanager.yml").read_text())["route"]
RULES = yaml.safe_load((ROOT / "monitoring/prometheus/alerts.yml").read_text())


@pytest.mark.amtool
@pytest.mark.parametrize("priority", ["P0", "P1", "P2", "P3"])
def test_receivers_agree_with_amtool(priority):
    """The routing walk gives the receivers amtool gives for the same labels."""
    labels = {"alertname": "Anything", "priority": priority, "severity": "critical"}
    ours = receivers(labels, ROUTE)
    done = run(tool("amtool", "prometheus-alertmanager"), "config", "routes", "test",
               f"--config.file={ROOT / 'monitoring/alertmanager/alertmanager.yml'}",
               *[f"{k}={v}" for k, v in labels.items()])
    assert done.returncode == 0 and done.stdout.strip(), done.stdout + done.stderr
    assert ours == [name.strip() for name in done.stdout.strip().split(",")]


def test_routing_by_hand_made_trees():
    tree = {"receiver": "default", "routes": [
        {"receiver": "all", "continue": True},
        {"receiver": "db", "match_re": {"service": "postgres|pgbouncer"}, "routes": [
            {"receiver": "db-night", "matchers": ['time="night"']}]},
        {"receiver": "never", "matchers": ["team!=sre"]},
    ]}
    assert receivers({"service": "postgres", "team": "sre"}, tree) == ["all", "db"]
    assert receivers({"service": "pgbouncer", "time": "night", "team": "sre"}, tree) == ["all", "db-night"]
    assert receivers({"service": "redis", "team": "sre"}, tree) == ["all"]
    assert receivers({"team": "support"}, {"receiver": "root", "routes": [{"matchers": ["team=~sup.*"]}]}) == ["root"]
    assert parse_matcher('summary="a \\"quoted\\" value"') == ("summary", "=", 'a "quoted" value')
    with pytest.raises(RoutingError, match="is not name=value"):
        parse_matcher("priority")
    with pytest.raises(RoutingError):
        receivers({"a": "b"}, {"routes": [{"matchers": ["a=~("]}]})


def facts_with(links: dict) -> dict:
    from hooks.facts.values import flatten
    return flatten({"grafana": {"ops": "Ops"}, "pagerduty": {"service": "prod"}, "tool_links": links})


def test_tool_links_accept_urls_and_open_values_and_name_every_problem():
    links, problems = tool_links(facts_with({
        "alert_rule": "https://prometheus.example/alerts?search={alert}",
        "dashboards": {"ops": "open (not yet)", "missing": "https://grafana.example/d/x"},
        "pagerduty": {"critical": {"service": "service", "url": "ftp://x"}, "odd": "text"},
        "alert_dashboard": {"HighQueueDepth": "ops", "NoSuchAlert": "ops", "RedisDown": "nowhere"},
    }), {"HighQueueDepth", "RedisDown"})
    assert links.rule_url("High Queue") == "https://prometheus.example/alerts?search=High%20Queue"
    assert links.dashboards == {"ops": None, "missing": "https://grafana.example/d/x"}
    assert links.pagerduty == {"critical": ("service", None)}
    assert links.alert_dashboard == {"HighQueueDepth": "ops"}
    messages = "\n".join(message for _, message in problems)
    assert "tool_links.dashboards.missing: no dashboard of that name under grafana:" in messages
    assert "tool_links.pagerduty.critical.url = 'ftp://x' must be an http(s):// URL" in messages
    assert "tool_links.pagerduty.odd must give 'service'" in messages
    assert "tool_links.alert_dashboard.NoSuchAlert: no alert of that name" in messages
    assert "tool_links.alert_dashboard.RedisDown = 'nowhere' is not one of tool_links.dashboards" in messages
    assert tool_links({}, set()) == (type(links)(), [])


# A runbook, and the section its alert's runbook_url names (#summary), open with what to run.
FIRST_STEPS = "```bash\nkubectl get pods -n ai-agents\n```\n\n**Triage:** read on.\n\n"


def runbook_site(tmp_path: Path, links: dict | None) -> FixtureSite:
    facts = yaml.safe_load((FIXTURES / "facts.yml").read_text())
    facts["grafana"] = {"ops_dashboard": "Operations Overview"}
    facts["pagerduty"] = {"service": "prod-critical", "service_standard": "prod-standard"}
    if links is not None:
        facts["tool_links"] = links
    pages = {
        "index.md": page("# Home\n"),
        "runbooks/queue.md": page(f"# Queue Runbook\n\n## First five minutes\n\n{FIRST_STEPS}## Summary\n\n"
                                  f"### First five minutes\n\n{FIRST_STEPS}", severity="P2",
                                  alerts=["HighQueueDepth"], tags=["runbook"]),
        "alerts.md": page("# Alert Runbooks\n\n## HighQueueDepth {#highqueuedepth}\n\nFirst steps.\n\n"
                          "## Something else {#other}\n\nText.\n"),
    }
    site = FixtureSite(tmp_path, pages)
    (tmp_path / "facts.yml").write_text(yaml.safe_dump(facts, sort_keys=False))
    (tmp_path / "alertmanager.yml").write_text((ROOT / "monitoring/alertmanager/alertmanager.yml").read_text())
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    config["extra"]["portal"].update(facts_file=str(tmp_path / "facts.yml"), alertmanager_file="alertmanager.yml")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    site.commit_all()
    return site


def card_after(html: str, heading: str) -> str:
    match = re.search(heading + r'.*?</h[12]>\s*(<aside class="portal-card".*?</aside>)', html, re.S)
    assert match, f"no card right after {heading}"
    return match.group(1)


def test_cards_link_only_what_the_deployment_has_set(tmp_path):
    site = runbook_site(tmp_path, {
        "alert_rule": "https://prometheus.example/alerts?search={alert}",
        "dashboards": {"ops_dashboard": "https://grafana.example/d/ops"},
        "pagerduty": {"pagerduty-critical": {"service": "service", "url": "open"},
                      "pagerduty-standard": {"service": "service_standard", "url": "https://pd.example/services/P2"}},
        "alert_dashboard": {"HighQueueDepth": "ops_dashboard"},
    })
    result = site.build()
    assert result.code == 0, result.output
    runbook = card_after((result.site_dir / "runbooks/queue/index.html").read_text(), '<h1 id="queue-runbook"')
    assert 'aria-label="Runbook summary"' in runbook
    assert re.search(r"<dt>Severity</dt><dd[^>]*>P2</dd>", runbook) and "<dd>SRE Team</dd>" in runbook
    assert '<time datetime="2026-01-15">' in runbook and 'data-portal-due="2026-04-15"' in runbook
    assert '<a href="https://prometheus.example/alerts?search=HighQueueDepth">Alert rule</a>' in runbook
    assert '<a href="https://grafana.example/d/ops">Operations Overview</a>' in runbook
    # HighQueueDepth is P2: Alertmanager pages only the standard service.
    assert 'PagerDuty: <a href="https://pd.example/services/P2">prod-standard</a>' in runbook
    assert "prod-critical" not in runbook
    section = card_after((result.site_dir / "alerts/index.html").read_text(), '<h2 id="highqueuedepth"')
    assert 'aria-label="HighQueueDepth summary"' in section and "Queue deep" in section
    assert (result.site_dir / "alerts/index.html").read_text().count('class="portal-card"') == 1
    # The card repeats the page's facts for the eye: it is not indexed as the section's text.
    indexed = "".join(path.read_text() for path in (result.site_dir / "search").rglob("*.json"))
    assert "Next review" not in indexed and "Queue deep" not in indexed and "First steps." in indexed


def test_open_links_are_names_without_links_and_no_links_at_all_still_build(tmp_path):
    site = runbook_site(tmp_path, {"alert_rule": "open", "dashboards": {"ops_dashboard": "open"},
                                   "pagerduty": {"pagerduty-standard": {"service": "service_standard", "url": "open"}},
                                   "alert_dashboard": {"HighQueueDepth": "ops_dashboard"}})
    result = site.build()
    assert result.code == 0, result.output
    card = card_after((result.site_dir / "runbooks/queue/index.html").read_text(), '<h1 id="queue-runbook"')
    assert "<a " not in card, "an open link was rendered as a link"
    assert "Grafana: Operations Overview" in card and "PagerDuty: prod-standard" in card
    assert "Alert rule" not in card

    plain = runbook_site(tmp_path / "plain", None).build()
    assert plain.code == 0, plain.output
    assert "<strong>HighQueueDepth</strong>" in (plain.site_dir / "runbooks/queue/index.html").read_text()


def test_a_bad_link_value_fails_the_strict_build_with_its_line(tmp_path):
    site = runbook_site(tmp_path, {"alert_rule": "prometheus.example/alerts", "dashboards": {"ops_dashboard": "open"},
                                   "pagerduty": {"pagerduty-critical": {"service": "service", "url": "call the lead"}}})
    result = site.build()
    assert result.code == 1
    lines = (tmp_path / "facts.yml").read_text().splitlines()

    def line_of(needle: str) -> int:
        return next(n for n, text in enumerate(lines, 1) if needle in text)
    assert (f"facts.yml:{line_of('alert_rule:')}: tool_links.alert_rule = 'prometheus.example/alerts' "
            "must be an http(s):// URL") in result.output
    assert (f"facts.yml:{line_of('pagerduty-critical:')}: tool_links.pagerduty.pagerduty-critical.url = "
            "'call the lead' must be") in result.output


def test_real_tree_cards_name_every_alert_and_its_paging_service():
    """Every runbook's card, from the real facts and routes: P0/P1 alerts page the critical
    service, P2 the standard one, as alertmanager.yml routes them."""
    from hooks.cards.card import alert_entry
    from hooks.facts.values import load_facts
    facts = load_facts(ROOT / "data/facts.yml", ROOT / "monitoring/prometheus/alerts.yml")
    links, problems = tool_links(facts, set(facts["alerts"]))
    assert problems == []
    expected = {"P0": "pagerduty.service", "P1": "pagerduty.service", "P2": "pagerduty.service_standard"}
    for rule in (r for g in RULES["groups"] for r in g["rules"] if "alert" in r):
        entry = alert_entry(rule["alert"], facts, links, ROUTE)
        services = [link.text for link in entry.links if link.label == "PagerDuty"]
        assert services == [facts[expected[rule["labels"]["priority"]]]], (rule["alert"], services)
        assert any(link.label == "Grafana" for link in entry.links), f"{rule['alert']} has no dashboard"
