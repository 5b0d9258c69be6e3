"""hooks/facts: references resolved from data/facts.yml and the alert rules; unknown ones fail."""
from __future__ import annotations


import pytest
from sites import FIXTURES, FixtureSite, page

from hooks.facts.substitute import substitute
from hooks.facts.values import FactsError, load_facts

TODAY = {"SOURCE_DATE_EPOCH": "1770000000"}
FACTS = load_facts(FIXTURES / "facts.yml", FIXTURES / "alerts.yml")


def test_values_and_alerts_are_flattened():
    assert FACTS["sla.p0.resolve"] == "2 hours"
    assert FACTS["alerts.HighQueueDepth.threshold"] == "50"
    assert FACTS["alerts.HighQueueDepth.severity"] == "warning"
    assert FACTS["alerts.HighQueueDepth.for"] == "5m"


def test_substitution_in_prose_and_code():
    text, unknown = substitute("Ack in {{ facts.sla.ack }}.\n```bash\nkubectl -n {{facts.k8s.namespace}} get pods\n```\n", FACTS, {})
    assert unknown == []
    assert "Ack in 5 minutes." in text and "kubectl -n ai-agents get pods" in text


def test_other_templates_are_left_alone():
    source = "summary: {{ $labels.pod }} {{ .CommonLabels.alertname }}"
    assert substitute(source, FACTS, {}) == (source, [])


def test_multiline_value_keeps_block_indentation():
    text, _ = substitute("1. Run:\n\n    ```promql\n    {{ facts.alerts.HighQueueDepth.expr }}\n    ```\n", FACTS, {})
    assert '    sum(celery_queue_length{queue_name="enhancements"})\n      > 50\n' in text


def test_unknown_reference_fails_with_line_and_suggestion(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\nResolve P0 within {{ facts.sla.p0.resolv }}.\n")})
    site.commit_all()
    result = site.build(env=TODAY)
    assert result.code == 1
    assert ("docs/index.md:12: unknown reference '{{ facts.sla.p0.resolv }}': facts has no value 'sla.p0.resolv' "
            "(did you mean '{{ facts.sla.p0.resolve }}'?)") in result.output


def test_group_reference_says_what_it_holds():
    _, unknown = substitute("{{ facts.sla.p0 }}", FACTS, {})
    assert unknown[0].reason == "'facts.sla.p0' is a group, not a value (it holds: resolve)"


def test_page_values(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\nOwner {{ page.owner }}, next review {{ page.next_review }}.\n")})
    site.commit_all(date="2026-01-15T10:00:00+00:00")
    result = site.build(env=TODAY)
    assert result.code == 0, result.output
    assert "Owner SRE Team, next review 2026-04-15." in (result.site_dir / "index.html").read_text()


def test_broken_facts_file_names_the_line(tmp_path):
    bad = tmp_path / "facts.yml"
    bad.write_text("sla:\n  ack: [5 minutes\n")
    with pytest.raises(FactsError, match=r"facts.yml:2: not valid YAML"):
        load_facts(bad)


def test_alerts_cannot_be_defined_twice(tmp_path):
    facts = tmp_path / "facts.yml"
    facts.write_text("alerts:\n  X: 1\n")
    with pytest.raises(FactsError, match="'alerts' comes from"):
        load_facts(facts, FIXTURES / "alerts.yml")
