"""Policy as data: data/policy.yml read and checked, rendered into pages, and held against
the prose of every page (hooks/policy/)."""
from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest
import yaml
from sites import FIXTURES, FixtureSite, page

from hooks.facts.values import load_facts
from hooks.policy import tables
from hooks.policy.claims import Checker
from hooks.policy.model import PolicyError, load_policy
from hooks.policy.prose import units
from hooks.policy.quantities import find_durations, parse_duration

CORPUS = FIXTURES / "policy-corpus"


def _checker(folder: Path) -> Checker:
    facts = load_facts(folder / "facts.yml", folder / "alerts.yml")
    policy = load_policy(folder / "policy.yml", facts, {k: v["priority"] for k, v in facts["alerts"].items()})
    return Checker(policy, facts)


@pytest.fixture(scope="module")
def corpus_checker() -> Checker:
    return _checker(CORPUS)


def _site(tmp_path, body: str) -> FixtureSite:
    site = FixtureSite(tmp_path, {"index.md": page(body)})
    site.commit_all()
    return site


# -- durations as people write them ---------------------------------------------------------

@pytest.mark.parametrize("text, minutes, business", [
    ("1 hour 30 minutes", 90, False), ("90 min", 90, False), ("1 h 30", 90, False), ("1h30", 90, False),
    ("an hour and a half", 90, False), ("half an hour", 30, False), ("two hours", 120, False),
    ("2 business hours", 120, True), ("1 business day", 600, True), ("every hour", 60, False),
    ("a 5-minute window", 5, False), ("1 hour and 30 minutes", 90, False),
])
def test_durations_are_read_as_written(text, minutes, business):
    found = find_durations(text)
    assert [(d.minutes, d.business) for d, _, _ in found] == [(minutes, business)]


def test_latencies_and_clock_times_are_not_durations():
    assert find_durations("p95 of 41 s at 09:30, 24x7 coverage, version 2.3") == []
    assert parse_duration("30 minutes or so, 2 hours") is None


# -- the policy file ------------------------------------------------------------------------

def _policy_file(tmp_path: Path, text: str) -> Path:
    target = tmp_path / "policy.yml"
    target.write_text(textwrap.dedent(text))
    return target


def test_real_policy_loads_and_covers_every_alert():
    root = Path(__file__).resolve().parent.parent
    facts = load_facts(root / "data/facts.yml", root / "monitoring/prometheus/alerts.yml")
    policy = load_policy(root / "data/policy.yml", facts, {k: v["priority"] for k, v in facts["alerts"].items()})
    assert set(policy.raises) | set(policy.lowers) <= set(facts["alerts"])
    assert all(len(action.who) == len(policy.roles) for action in policy.actions.values())


def test_policy_problems_name_the_line_and_every_problem(tmp_path):
    text = (FIXTURES / "policy.yml").read_text()
    text = text.replace("who: {L1: no, L2: yes, L3: yes, L4: no, IC: yes}", "who: {L1: maybe, L2: yes, L3: yes, IC: yes}")
    text = text.replace("L4: {after: 1 hour, how: engaged}", "L4: {after: soon, how: engaged}")
    text = text.replace("  HighQueueDepth:\n", "  HighQueueDept:\n")
    text = text.replace("note: decides and gives the go; types a change only with the right of their own level", "note: [decides]")
    text = text.replace('P2: {in_hours: low, out_of_hours: low,', 'P2: {in_hours: low, out_of_hours: low, night_ack: [tomorrow],')
    path = _policy_file(tmp_path, text)
    facts = load_facts(FIXTURES / "facts.yml", FIXTURES / "alerts.yml")
    with pytest.raises(PolicyError) as raised:
        load_policy(path, facts, {"HighQueueDepth": "P2"})
    message = str(raised.value)
    lines = text.splitlines()
    maybe_line = next(i for i, l in enumerate(lines, 1) if "maybe" in l)
    assert f"{path}:{maybe_line}: actions.rollback.who.L1: 'maybe' must be one of: yes, no, approval" in message
    assert "actions.rollback.who: says nothing about L4" in message
    assert "escalation.P0.L4.after: 'soon' is not a duration" in message
    assert "'HighQueueDept' is not an alert of the alert rules (did you mean HighQueueDepth?)" in message
    assert "says nothing about alert HighQueueDepth" in message
    assert "roles.IC.note: must be a sentence (text), printed under the authority matrix" in message
    assert "paging.P2.night_ack: must be a sentence saying when" in message


def test_policy_yaml_error_names_the_line(tmp_path):
    path = _policy_file(tmp_path, "roles:\n  L1: {name: x\n")
    with pytest.raises(PolicyError, match=rf"{path}:\d+: not valid YAML"):
        load_policy(path, {}, {})


def test_a_raise_that_lowers_is_refused(tmp_path):
    text = (FIXTURES / "policy.yml").read_text().replace("      - to: P1\n", "      - to: P3\n")
    with pytest.raises(PolicyError, match="raise to P3 from the rule's default P2 goes the wrong way"):
        load_policy(_policy_file(tmp_path, text), {}, {"HighQueueDepth": "P2"})


def test_missing_policy_file_fails_the_build_at_start(tmp_path):
    site = _site(tmp_path, "# Home\n")
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    config["extra"]["portal"]["policy_file"] = "data/none.yml"
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    result = site.build()
    assert result.code == 1 and "extra.portal.policy_file" in result.output and "Traceback" not in result.output


# -- rendered into pages --------------------------------------------------------------------

def test_tables_and_values_render_from_the_data(tmp_path):
    site = _site(tmp_path, """\
        # Home

        Rollback: {{ policy.who.rollback }}. P0 L4 after {{ policy.escalation.P0.L4.after }}.

        {{ table.authority }}

        !!! note "Inside an admonition"
            {{ table.escalation }}
        """)
    result = site.build()
    assert result.code == 0, result.output
    html = (result.site_dir / "index.html").read_text()
    assert "Rollback: L2, L3 (Engineering On-Call) and Incident Commander." in html  # the fixture policy
    assert "P0 L4 after 1 hour." in html
    assert "<td>With IC approval</td>" in html  # purge, from the matrix
    # A role's note is printed under the matrix, outside the table, so that a "No" in the IC
    # column is not read as "the IC cannot decide".
    assert "<strong>IC</strong>: decides and gives the go; types a change only with the right of their own level" in html
    assert "decides and gives the go" not in html.split("</table>")[0]
    assert html.count("<table>") == 2


def test_response_table_gives_a_priority_its_night_acknowledgement_when_the_paging_data_has_one():
    root = Path(__file__).resolve().parent.parent
    facts = load_facts(root / "data/facts.yml", root / "monitoring/prometheus/alerts.yml")
    policy = load_policy(root / "data/policy.yml", facts, {k: v["priority"] for k, v in facts["alerts"].items()})
    flat = {f"sla.{p}.{k}": v for p in ("p0", "p1", "p2", "p3") for k, v in facts["sla"][p].items()}
    rows = {line.split("|")[1].strip(): line for line in tables.response(policy, facts=flat).splitlines()[2:]}
    night = policy.values["paging"]["P2"]["night_ack"]
    assert f"| {facts['sla']['p2']['ack']} in business hours; outside them {night} |" in rows["P2 - Medium"]
    assert "outside them" not in rows["P0 - Critical"]  # P0 has no night_ack: its target counts every minute
    policy.paging["P2"] = dataclasses.replace(policy.paging["P2"], night_ack="")
    assert "outside them" not in tables.response(policy, facts=flat)


def test_unknown_table_or_policy_value_is_named(tmp_path):
    site = _site(tmp_path, "# Home\n\n{{ table.authorty }} and {{ policy.escalation.P0.L9.after }}\n")
    result = site.build()
    assert result.code == 1
    assert "unknown reference '{{ table.authorty }}'" in result.output and "did you mean '{{ table.authority }}'" in result.output
    assert "unknown reference '{{ policy.escalation.P0.L9.after }}'" in result.output


def test_severity_table_links_are_relative_to_the_page():
    assert tables.runbook_link("https://portal.example/operations/alert-runbooks/#apidown", "support/kb/faq.md") == \
        "../../operations/alert-runbooks.md#apidown"


# -- the prose check, on fixture sites -------------------------------------------------------

WRONG_AND_RIGHT = [
    ("For a P0, escalate to L4 after 2 hours.", "For a P0, escalate to L4 after 1 hour."),
    ("Acknowledge a P0 within 15 minutes.", "Acknowledge a P0 within 5 minutes."),
    ("A P1 must be resolved within 8 hours.", "A P1 must be resolved within 4 hours."),
    ("HighQueueDepth fires at more than 500 jobs.", "HighQueueDepth fires at more than 50 jobs."),
    ("L1 may use the admin role.", "L3 may use the admin role."),
    ("P3 pages with high urgency at night.", "P3 does not page at night."),
    ("Only L2 may roll back.", "L2 may roll back."),
    ("HighQueueDepth becomes a P1 when the queue depth is above 100 jobs.",
     "HighQueueDepth becomes a P1 when the queue depth is above 200 jobs."),
]


@pytest.mark.parametrize("wrong, right", WRONG_AND_RIGHT)
def test_wrong_policy_fails_the_build_and_right_policy_passes(tmp_path, wrong, right):
    bad = _site(tmp_path / "bad", f"# Home\n\nSome text first.\n\n{wrong}\n").build()
    assert bad.code == 1
    assert "docs/index.md:14: policy: the page s" in bad.output, bad.output
    good = _site(tmp_path / "good", f"# Home\n\nSome text first.\n\n{right}\n").build()
    assert good.code == 0, good.output


def test_the_message_says_what_the_page_says_what_the_data_says_and_how_to_fix_it(tmp_path):
    result = _site(tmp_path, "# Home\n\nFor a P0, escalate to L4 after 2 hours.\n").build()
    assert ("docs/index.md:12: policy: the page says L4 (Engineering Manager) is brought in at 2 hours for P0; "
            "the escalation clock says P0: 1 hour (use {{ policy.escalation.P0.L4.after }} or show "
            "{{ table.escalation }})") in result.output


def test_the_heading_gives_the_priority(tmp_path):
    body = "# Home\n\n## P1 — High\n\nEscalate to L4 after 2 hours without mitigation.\n\n## P0 — Critical\n\nEscalate to L4 after 1 hour.\n"
    assert _site(tmp_path / "a", body).build().code == 0
    wrong = body.replace("after 1 hour", "after 2 hours")
    result = _site(tmp_path / "b", wrong).build()
    assert result.code == 1 and "docs/index.md:18:" in result.output


def test_tables_written_by_hand_are_read_cell_by_cell(tmp_path):
    body = "# Home\n\n| Action | L1 | L2 |\n|---|---|---|\n| `kubectl rollout undo` | Yes | Yes |\n"
    result = _site(tmp_path, body).build()
    assert result.code == 1 and "L1 (L1 Support On-Call) may 'Roll back a deployment'" in result.output


def test_code_comments_and_references_are_not_prose(tmp_path):
    body = ("# Home\n\n```text\nL1 may use the admin role.\n```\n\n<!-- L1 may use the admin role. -->\n\n"
            "P0 escalation to L4: {{ policy.escalation.P0.L4.after }}.\n")
    assert _site(tmp_path, body).build().code == 0


# -- the prose check against sentences written by someone who had not seen it ------------------

# Two sets of sentences, each written by someone who had seen neither the check nor the other
# set. First runs (README, "One answer per question"): set 1 178/202, set 2 195/225. Known
# misses, each with the reason the check does not read it; strict, so a miss that starts to
# pass must be taken off the list.
KNOWN_MISSES = {
    ("sentences.yml", 162): "pipes without a table's header and rule line are not a Markdown table",
    ("sentences-2.yml", 25): "'joins after 30 minutes' is also the P1 engage target, which the check accepts",
    ("sentences-2.yml", 29): "'follow on the normal clock' denies an immediate escalation without naming a time",
    ("sentences-2.yml", 31): "the immediate trigger is right but sends for the wrong level; levels are not compared",
    ("sentences-2.yml", 33): "the immediate trigger is right but sends for the wrong level; levels are not compared",
    ("sentences-2.yml", 34): "the wrong number sits in the wording of a condition ('fully down for 30 minutes')",
    ("sentences-2.yml", 35): "the immediate trigger is read, but 'wait two hours before involving' is a delay the check misses",
    ("sentences-2.yml", 88): "CeleryWorkersDown's threshold counts replicas, which the check does not treat as a measure",
    ("sentences-2.yml", 112): "a condition in words ('as soon as one pod loops') against another in words",
    ("sentences-2.yml", 116): "a condition in words ('several tenants fail') against another in words",
}


def _corpus() -> list:
    cases = []
    for name in ("sentences.yml", "sentences-2.yml"):
        for index, entry in enumerate(yaml.safe_load((CORPUS / name).read_text())):
            reason = KNOWN_MISSES.get((name, index))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            cases.append(pytest.param(dict(entry, index=index), marks=marks,
                                      id=f"{name.removesuffix('.yml')}-{index}-{entry['kind']}-{entry['expect']}"))
    return cases


@pytest.mark.parametrize("entry", _corpus())
def test_corpus_sentence(corpus_checker, entry):
    markdown = (f"## {entry['context']}\n\n" if entry.get("context") else "") + entry["text"] + "\n"
    found = corpus_checker.check(units(markdown))
    if entry["expect"] == "flag":
        assert found, f"should be flagged: {entry['why']}"
    else:
        assert not found, f"false alarm ({entry['why']}): {[f.message for f in found]}"


# Sentences the pages' authors wrote that were read wrongly once; each stays quiet, or is caught.
QUIET = [
    "If EnhancementSuccessRateLow is firing too, raise ExternalAPITimeouts to P1.",
    "The incident takes `EnhancementSuccessRateLow`'s severity, P1.",
    "ExternalAPITimeouts: P1 if EnhancementSuccessRateLow fires too, or p95 latency stays above 90 s for 30 minutes.",
    "P0 without mitigation after 1 hour 30 minutes | L5 | brief first",
]
CAUGHT = [
    "If the queue keeps growing, raise HighQueueDepth to P0.",
    "HighQueueDepth fires above 50 queued jobs, and EnhancementLatencyHigh above a p95 of 90 s.",
    "HighQueueDepth becomes P0 when the queue passes 200 jobs.",
    "WorkerCrashLooping goes to P3 when one pod loops.",
]


@pytest.mark.parametrize("sentence", QUIET)
def test_sentences_once_misread_stay_quiet(corpus_checker, sentence):
    assert corpus_checker.check(units(sentence + "\n")) == []


@pytest.mark.parametrize("sentence", CAUGHT)
def test_sentences_once_missed_are_caught(corpus_checker, sentence):
    assert corpus_checker.check(units(sentence + "\n"))
