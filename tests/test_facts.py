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


def test_the_number_of_alerts_follows_the_rules_file(tmp_path):
    assert FACTS["alert_count"] == 1
    rules = tmp_path / "alerts.yml"
    rules.write_text("groups:\n  - name: g\n    rules:\n"
                     "      - alert: A\n        expr: up == 0\n"
                     "      - record: job:up:sum\n        expr: sum(up)\n"
                     "      - alert: B\n        expr: up == 1\n")
    assert load_facts(FIXTURES / "facts.yml", rules)["alert_count"] == 2   # recording rules are not alerts
    defined = tmp_path / "facts.yml"
    defined.write_text((FIXTURES / "facts.yml").read_text() + "\nalert_count: 3\n")
    with pytest.raises(FactsError, match="'alert_count' comes from"):
        load_facts(defined, rules)


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
    assert unknown[0].reason == "'facts.sla.p0' is a group, not a value (it holds: ack, engage, resolve, update_every)"


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


MALFORMED = page("""
    # Home

    Resolve within {{ facts }}.
    Resolve within {{ fact.sla.p0.resolve }}.
    Resolve within {{ facts.sla.p0.resolve | upper }}.
    Resolve within {{facts.sla.p0.resolve}.
    Owned by {{ page }}.

    ```bash
    kubectl get pods -n {{ facts.k8s.namespace|lower }}
    ```

    Alertmanager shows {{ $labels.pod }} here, and {% include "x.md" %} there.

    In code it stays: `{{ $labels.pod }}`, and so do the blocks:

    ```yaml
    summary: "{{ $labels.pod }} on {{ .CommonLabels.alertname }}"
    ```

    <!-- {{ a comment is not shown }} -->
    """)


@pytest.fixture(scope="module")
def malformed_build(tmp_path_factory):
    site = FixtureSite(tmp_path_factory.mktemp("malformed"), {"index.md": MALFORMED})
    site.commit_all()
    return site.build(env=TODAY)


@pytest.mark.parametrize("line, message", [
    (12, "'{{ facts }}' names all of 'facts', not one value; it would show literally on the page "
         "(write {{ facts.<group>.<key> }} or {{ page.<key> }})"),
    (13, "'{{ fact.sla.p0.resolve }}' starts with 'fact.', not 'facts.'; it would show literally on the page "
         "(write '{{ facts.sla.p0.resolve }}')"),
    (14, "'{{ facts.sla.p0.resolve | upper }}' uses a filter: only plain references are resolved; "
         "it would show literally on the page (write '{{ facts.sla.p0.resolve }}')"),
    (15, "'{{facts.sla.p0.resolve}.' is not closed with '}}'"),
    (16, "'{{ page }}' names all of 'page', not one value"),
    (19, "'{{ facts.k8s.namespace|lower }}' uses a filter"),
    (22, "template syntax '{{ $labels.pod }}' shows literally on the page: the build resolves only "
         "{{ facts.* }}, {{ page.* }}, {{ policy.* }} and {{ table.* }} (put it in `code` if the reader should see it, or write a facts reference)"),
    (22, "template syntax '{% include \"x.md\" %}' shows literally on the page"),
])
def test_syntax_the_resolver_does_not_read_is_reported(malformed_build, line, message):
    assert malformed_build.code == 1
    assert f"docs/index.md:{line}: {message}" in malformed_build.output, malformed_build.output[-3000:]


def test_templates_in_code_and_comments_are_not_reported(malformed_build):
    reported = [line for line in malformed_build.output.splitlines() if "WARNING" in line and "index.md" in line]
    assert len(reported) == 8, "\n".join(reported)


def test_facts_file_in_another_encoding_is_named_with_its_line(tmp_path):
    facts = tmp_path / "facts.yml"
    facts.write_bytes("sla:\n  note: r\u00e9solution\n".encode("latin-1"))
    with pytest.raises(FactsError, match=r"facts.yml:2: not UTF-8: byte 0xe9 cannot be read \(re-save the file as UTF-8\)"):
        load_facts(facts)


def test_the_syntax_explained_is_not_a_reference():
    from hooks.facts.substitute import malformed_references
    text = "Write `{{ facts.* }}` or `{{ facts.<group>.<key> }}`, or {{ page.… }}; not {{ facts.sla | upper }}."
    assert [bad.text for bad in malformed_references(text)] == ["{{ facts.sla | upper }}"]
