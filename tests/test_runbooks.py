"""Runbooks and alert sections open with "First five minutes": at most 150 words (tables and
admonitions included) before the first shell command, then a triage decision. Built on fixture
sites with the real hooks, pymdownx.snippets and the extensions the portal uses."""
from __future__ import annotations

import re
import textwrap

import pytest
import yaml
from sites import FIXTURES, FixtureSite, page

from hooks.runbooks.opening import LIMIT, check_opening, classify

ALERT_PAGE = "operations/alerts.md"
INCLUDE_TARGET = "docs/runbooks/queue.md:highqueuedepth"
META = {"severity": "P2", "alerts": ["HighQueueDepth"]}

GOOD_RUNBOOK = """\
    # Queue Runbook

    Use it when jobs wait in the queue longer than they should.

    ## First five minutes {#first-five-minutes}

    <!-- --8<-- [start:highqueuedepth] -->
    Read the depth twice, a minute apart:

    ```bash
    kubectl exec -n {{ facts.k8s.namespace }} redis-0 -c redis -- redis-cli LLEN enhancements
    ```

    **Triage:** growing, go to [Diagnosis](../runbooks/queue.md#diagnosis); draining, watch it.
    <!-- --8<-- [end:highqueuedepth] -->

    ## Summary {#summary}

    Jobs wait.

    ## Diagnosis {#diagnosis}

    Steps.
    """

GOOD_ALERT_PAGE = """\
    # Alerts

    ## HighQueueDepth {#highqueuedepth}

    ### First five minutes {#highqueuedepth-first-five-minutes}

    --8<-- "docs/runbooks/queue.md:highqueuedepth"

    ### Meaning {#highqueuedepth-meaning}

    More jobs wait than the workers finish.
    """


def _site(tmp_path, pages: dict[str, str]) -> FixtureSite:
    """A fixture site with the portal's Markdown extensions and the alert's runbook_url on an alert page."""
    site = FixtureSite(tmp_path, pages)
    rules = (FIXTURES / "alerts.yml").read_text().replace(
        "https://portal.example/runbooks/queue/#summary", "https://portal.example/operations/alerts/#highqueuedepth")
    (tmp_path / "alerts.yml").write_text(rules)
    config_file = tmp_path / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text())
    config["extra"]["portal"]["alert_rules_file"] = "alerts.yml"
    config["markdown_extensions"] += [
        {"pymdownx.snippets": {"base_path": ["."], "check_paths": True}},
        "pymdownx.superfences", {"pymdownx.tabbed": {"alternate_style": True}}, "pymdownx.details"]
    config["theme"]["features"] = ["content.code.copy"]
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    site.commit_all()
    return site


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _runbook(body: str) -> str:
    return page(body, **META)


# ---------------------------------------------------------------------------- a good opening

@pytest.fixture(scope="module")
def good(tmp_path_factory):
    root = tmp_path_factory.mktemp("good")
    site = _site(root, {"runbooks/queue.md": _runbook(GOOD_RUNBOOK), ALERT_PAGE: page(GOOD_ALERT_PAGE)})
    return site.build()


def test_a_runbook_and_its_alert_section_that_open_right_pass(good):
    assert good.code == 0, good.output
    assert "First five minutes" not in "\n".join(good.warnings)


def test_the_alert_section_shows_the_runbooks_block_with_facts_resolved(good):
    html = (good.site_dir / "operations/alerts/index.html").read_text()
    section = html[html.index('id="highqueuedepth-first-five-minutes"'):html.index('id="highqueuedepth-meaning"')]
    code = re.sub(r"<[^>]+>", "", section)
    assert "kubectl exec -n ai-agents redis-0 -c redis -- redis-cli LLEN enhancements" in code
    assert "{{" not in section and "8&lt;" not in section and "8<-" not in section
    assert 'href="../../runbooks/queue/#diagnosis"' in section  # the runbook's link works from the alert page


def test_the_runbook_renders_its_block_once_without_the_markers(good):
    html = (good.site_dir / "runbooks/queue/index.html").read_text()
    assert re.sub(r"<[^>]+>", "", html).count("redis-cli LLEN enhancements") == 1
    assert "[start:highqueuedepth]" not in html


# ---------------------------------------------------------------------------- openings that fail

NO_FIRST_FIVE = """\
    # No Opening Runbook

    ## Summary {#summary}

    The queue.

    ```bash
    kubectl get pods -n ai-agents
    ```
    """

# 3 heading words + 60 of prose + a table and an admonition: over the limit only if both count.
TOO_LONG = "# Long Runbook\n\n## First five minutes\n\n" + " ".join(["word"] * 60) + "\n\n" + \
    "| Column one | Column two |\n|---|---|\n" + \
    "\n".join(f"| cell {i} a | cell {i} b |" for i in range(10)) + "\n\n" + \
    '!!! note "Before you run anything"\n    ' + " ".join(["advice"] * 48) + "\n\n" + \
    "```bash\nkubectl get pods -n ai-agents\n```\n\n**Triage:** go on.\n"

NO_TRIAGE = """\
    # Quiet Runbook

    ## First five minutes

    ```bash
    kubectl get pods -n ai-agents
    # Triage: a comment inside the block is not the page's decision
    ```

    Look at the output.

    ## Summary

    Text.
    """

NO_COMMAND = """\
    # Talk Runbook

    ## First five minutes

    Look at the dashboard; every answer is there.

    ```text
    NAME   READY   STATUS
    ```

    ```console
    queue depth: 87
    ```

    ```bash
    # nothing to run here yet
    ```

    **Triage:** go to Diagnosis.
    """


def _bad_alert_page() -> tuple[str, str]:
    long_block = " ".join(["explain"] * (LIMIT + 1))
    return page("""\
        # Alerts

        ## HighQueueDepth {#highqueuedepth}

        ### First five minutes {#highqueuedepth-first-five-minutes}

        --8<-- "docs/runbooks/long-block.md:highqueuedepth"

        ## Missing section

        --8<-- "docs/runbooks/queue.md:no-such-section"

        ## After the includes

        --8<-- "docs/runbooks/queue.md:highqueuedepth"

        HighQueueDepth is raised to P1 when more than 300 jobs wait.
        """), long_block


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    alert_page, long_block = _bad_alert_page()
    long_runbook = _runbook(f"""\
        # Long Block Runbook

        ## First five minutes

        <!-- --8<-- [start:highqueuedepth] -->
        {long_block}

        ```bash
        kubectl get pods -n ai-agents
        ```

        **Triage:** on to Diagnosis.
        <!-- --8<-- [end:highqueuedepth] -->
        """)
    pages = {"runbooks/none.md": _runbook(NO_FIRST_FIVE), "runbooks/long.md": page(TOO_LONG, **META),
             "runbooks/quiet.md": _runbook(NO_TRIAGE), "runbooks/talk.md": _runbook(NO_COMMAND),
             "runbooks/long-block.md": long_runbook, "runbooks/queue.md": _runbook(GOOD_RUNBOOK),
             ALERT_PAGE: alert_page}
    result = _site(root, pages).build()
    return result, {path: (root / "docs" / path).read_text() for path in pages}


def test_no_first_five_minutes_is_named_at_the_first_heading(bad):
    result, text = bad
    line = _line(text["runbooks/none.md"], "## Summary")
    assert (f"docs/runbooks/none.md:{line}: runbook must open with a 'First five minutes' section "
            f"(its first sub-heading is 'Summary')") in result.output


def test_tables_and_admonitions_count_toward_the_limit(bad):
    result, text = bad
    line = _line(text["runbooks/long.md"], "```bash")
    # 3 + 60 prose words, 4 header words, 10 rows x 6, 4 title words, 48 words of advice
    assert f"docs/runbooks/long.md:{line}: runbook: 179 words before the first shell command (at most 150)" in result.output


def test_a_first_five_minutes_without_a_triage_decision_fails_even_with_triage_in_a_code_comment(bad):
    result, text = bad
    line = _line(text["runbooks/quiet.md"], "## First five minutes")
    assert f"docs/runbooks/quiet.md:{line}: runbook: 'First five minutes' has no triage decision" in result.output
    assert "docs/runbooks/quiet.md" not in result.output.replace(
        f"docs/runbooks/quiet.md:{line}: runbook: 'First five minutes' has no triage decision", "")


def test_output_blocks_a_console_without_a_prompt_and_comment_only_bash_are_not_commands(bad):
    result, text = bad
    line = _line(text["runbooks/talk.md"], "# Talk Runbook")
    assert f"docs/runbooks/talk.md:{line}: runbook has no shell command" in result.output


def test_an_alert_section_is_measured_with_the_text_it_includes(bad):
    result, text = bad
    line = _line(text[ALERT_PAGE], '--8<-- "docs/runbooks/long-block.md')
    assert (f"docs/operations/alerts.md:{line}: alert section HighQueueDepth: {LIMIT + 1 + 3} words before the first "
            f"shell command (at most {LIMIT}) (in the text included from "
            f"'docs/runbooks/long-block.md:highqueuedepth')") in result.output
    # the runbook itself says it once, at its own line
    own = _line(text["runbooks/long-block.md"], "```bash")
    assert f"docs/runbooks/long-block.md:{own}: runbook: {LIMIT + 1 + 3} words" in result.output


def test_an_include_of_a_missing_section_is_a_problem_not_a_traceback(bad):
    result, text = bad
    line = _line(text[ALERT_PAGE], "no-such-section")
    assert (f"docs/operations/alerts.md:{line}: include 'docs/runbooks/queue.md:no-such-section' shows nothing: "
            f"'docs/runbooks/queue.md' has no section 'no-such-section'") in result.output
    assert "Traceback" not in result.output and result.code == 1


def test_a_policy_finding_after_an_include_names_its_own_source_line(bad):
    result, text = bad
    line = _line(text[ALERT_PAGE], "HighQueueDepth is raised to P1")
    assert re.search(rf"docs/operations/alerts\.md:{line}: .*300", result.output), result.output


def test_the_good_runbook_in_the_bad_site_raises_nothing(bad):
    result, _ = bad
    assert not re.search(r"docs/runbooks/queue\.md:\d+:", result.output)


# ----------------------------------------------------------- inputs the rule was not written around

def _problems(body: str) -> list[tuple[int, str, str]]:
    lines = [(n, l) for n, l in enumerate(textwrap.dedent(body).split("\n"), 1)]
    return check_opening(lines, "runbook", 1)


def test_a_command_inside_an_admonition_is_the_first_command():
    assert _problems("""\
        ## First five minutes

        !!! tip "Run this first"
            ```bash
            kubectl get pods -n ai-agents
            ```

        **Triage:** next.
        """) == []


def test_a_command_inside_content_tabs_is_the_first_command():
    assert _problems("""\
        ## First five minutes

        === "kubectl"

            ```bash
            kubectl get pods -n ai-agents
            ```

        === "Grafana"

            Open the dashboard.

        5. **Decide:** which branch applies.
        """) == []


def test_a_console_session_with_a_prompt_is_a_command():
    assert _problems("""\
        ## First five minutes

        ```console
        $ kubectl get pods -n ai-agents
        NAME   READY   STATUS
        ```

        | Triage | Go to |
        |---|---|
        | pods down | Diagnosis |
        """) == []


def test_a_heading_like_comment_in_a_bash_block_does_not_end_the_section():
    problems = _problems("""\
        ## First five minutes

        ```bash
        ## Summary
        kubectl get pods -n ai-agents
        ```

        **Triage:** next.
        """)
    assert problems == []


def test_a_four_backtick_fence_holding_a_three_backtick_line_stays_one_block():
    marked = classify([(n, l) for n, l in enumerate(["````bash", "cat <<'EOF'", "```", "## Not a heading", "EOF",
                                                     "````", "## A heading"], 1)])
    assert [m.language for m in marked] == ["bash", None, None, None, None, None, None]
    assert marked[0].command and marked[3].text == "" and marked[6].text == "## A heading"


def test_html_anchors_and_heading_ids_are_not_words():
    problems = _problems("""\
        ## First five minutes {#first-five-minutes}

        <a id="old-anchor-kept-for-links"></a>

        ```bash
        kubectl get pods -n ai-agents
        ```

        **Triage:** next.
        """)
    assert problems == []
    from hooks.runbooks.opening import _words
    assert _words('## First five minutes {#first-five-minutes}\n<a id="old-anchor"></a>') == 3


# ------------------------------------------------ the severity sentence each runbook Summary shows

def test_every_alerts_severity_sentence_from_the_data_passes_the_policy_check():
    """Runbook summaries state "<Alert> is {{ policy.severity_rule.<Alert> }}"; text rendered from
    the data must never be flagged by the check that holds prose to that data."""
    from pathlib import Path

    from hooks.facts.values import load_facts
    from hooks.policy.claims import Checker
    from hooks.policy.model import load_policy
    from hooks.policy.prose import units
    from hooks.policy.values import policy_values

    root = Path(__file__).resolve().parent.parent
    facts = load_facts(root / "data/facts.yml", root / "monitoring/prometheus/alerts.yml")
    policy = load_policy(root / "data/policy.yml", facts, {k: v["priority"] for k, v in facts["alerts"].items()})
    values = policy_values(policy, facts)
    checker = Checker(policy, facts)
    for alert in facts["alerts"]:
        sentence = f"Severity, from the policy data: {alert} is {values[f'severity_rule.{alert}']}"
        assert checker.check(units(f"## {alert}\n\n{sentence}\n")) == [], sentence


ALERTS = ["HighQueueDepth", "CeleryWorkersDown", "RedisDown", "PostgresDown", "APIDown", "WebhookSignatureFailures"]


def _table(first_cells: list[str]) -> str:
    rows = "\n".join(f"| {cell} | something |" for cell in first_cells)
    return f"Intro.\n\n| Alert | What |\n|---|---|\n{rows}\n\nAfter.\n"


@pytest.mark.parametrize("cells, missing", [
    # written the ways the pages write alert names: plain, in backticks, as a link, in bold
    (["HighQueueDepth", "`CeleryWorkersDown`", "[RedisDown](x.md#redisdown)", "**APIDown**",
      "WebhookSignatureFailures"], ["PostgresDown"]),
    (["HighQueueDepth", "CeleryWorkersDown", "RedisDown", "APIDown"], ["PostgresDown", "WebhookSignatureFailures"]),
])
def test_a_table_of_nearly_every_alert_names_the_ones_it_leaves_out(cells, missing):
    from hooks.runbooks.tables import incomplete_alert_tables
    assert incomplete_alert_tables(_table(cells), ALERTS) == [(3, missing)]   # the header's line


@pytest.mark.parametrize("cells", [
    ALERTS,                                                    # complete
    ["APIDown", "RedisDown", "PostgresDown"],                  # the P0 ones: a choice, not a list
    ["Symptom", "Queue grows", "Workers gone", "Redis down"],  # not about alert names at all
    [*ALERTS, "Any other alert"],                              # complete, with a row of its own
])
def test_tables_that_are_complete_or_a_chosen_few_pass(cells):
    from hooks.runbooks.tables import incomplete_alert_tables
    assert incomplete_alert_tables(_table(cells), ALERTS) == []


def test_a_build_names_the_table_that_leaves_an_alert_out(tmp_path):
    rules = yaml.safe_load((FIXTURES / "alerts.yml").read_text(encoding="utf-8"))
    template = rules["groups"][0]["rules"][0]
    names = ["HighQueueDepth", "QueueStalled", "QueueEmptyTooLong", "QueueTooOld"]
    rules["groups"][0]["rules"] = [{**template, "alert": name} for name in names]
    (tmp_path / "alerts.yml").write_text(yaml.safe_dump(rules), encoding="utf-8")
    policy = yaml.safe_load((FIXTURES / "policy.yml").read_text(encoding="utf-8"))
    policy["severity"].update({name: {} for name in names[1:]})
    (tmp_path / "policy.yml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    table = "| Alert | First move |\n|---|---|\n" + "".join(f"| `{n}` | look |\n" for n in names[:3])
    site = FixtureSite(tmp_path / "site", {"index.md": page(f"# Home\n\n{table}")})
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["portal"]["alert_rules_file"] = str(tmp_path / "alerts.yml")
    config["extra"]["portal"]["policy_file"] = str(tmp_path / "policy.yml")
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert "docs/index.md:" in result.output and "this table lists every alert but QueueTooOld" in result.output
