"""hooks/metadata: front matter checked against the schema, errors with file, line, key and fix."""
from __future__ import annotations

import datetime as dt

import pytest
from sites import FixtureSite, page

from hooks.metadata.frontmatter import read
from hooks.metadata.schema import validate

TODAY = {"SOURCE_DATE_EPOCH": "1770000000"}  # 2026-02-02
GOOD = {"title": "T", "description": "What it answers.", "owner": "SRE Team", "review": "weekly", "tags": ["kb"]}


def build(tmp_path, text: str, name: str = "index.md"):
    pages = {"index.md": page("# Home\n")}
    pages[name] = text
    site = FixtureSite(tmp_path, pages)
    site.commit_all()
    return site.build(env=TODAY)


def test_valid_front_matter_passes():
    assert validate(GOOD, "support/a.md", [], dt.date(2026, 2, 2)) == []


def test_bad_enum_value_names_file_line_key_value_and_allowed(tmp_path):
    result = build(tmp_path, page("# A\n", review="yearly"), "a.md")
    assert result.code == 1
    assert ("docs/a.md:5: front matter 'review' = 'yearly' must be one of: weekly, monthly, quarterly") in result.output


def test_missing_required_key(tmp_path):
    result = build(tmp_path, page("# A\n", description=None), "a.md")
    assert "docs/a.md:1: front matter 'description' is required" in result.output


def test_unknown_key_suggests_the_known_one(tmp_path):
    result = build(tmp_path, page("# A\n", ownr="SRE Team"), "a.md")
    assert "docs/a.md:8: front matter 'ownr' = 'SRE Team' is not a known front-matter key; did you mean 'owner'?" in result.output


def test_yaml_syntax_error_is_located(tmp_path):
    text = "---\ntitle: FAQ: Broken colon\ndescription: x.\n---\n\n# A\n"
    result = build(tmp_path, text, "a.md")
    assert result.code == 1
    assert "docs/a.md:2: front matter is not valid YAML: mapping values are not allowed" in result.output


def test_impossible_date_is_located(tmp_path):
    text = page("# A\n").replace("tags:", "last_updated: 2025-02-30\ntags:")
    result = build(tmp_path, text, "a.md")
    assert result.code == 1
    assert "docs/a.md:6: impossible date 2025-02-30: day is out of range for month" in result.output


def test_future_date_is_rejected():
    issues = validate({**GOOD, "last_updated": dt.date(2027, 1, 1)}, "a.md", [], dt.date(2026, 2, 2))
    assert [i.message for i in issues] == ["is in the future (today is 2026-02-02)"]


def test_runbook_needs_severity_and_known_alerts(tmp_path):
    text = page("# Runbook\n", severity="P5", alerts=["HighQueueDepht"])
    result = build(tmp_path, text, "runbooks/queue.md")
    assert "docs/runbooks/queue.md:8: front matter 'severity' = 'P5' must be one of: P0, P1, P2, P3" in result.output
    assert ("docs/runbooks/queue.md:9: front matter 'alerts' = ['HighQueueDepht'] names alerts that the alert rules "
            "do not define: HighQueueDepht (did you mean HighQueueDepth?); defined: HighQueueDepth") in result.output


def test_runbook_without_alerts_fails(tmp_path):
    result = build(tmp_path, page("# Runbook\n", severity="P2"), "runbooks/queue.md")
    assert "docs/runbooks/queue.md:1: front matter 'alerts' is required" in result.output


def test_tags_must_be_slugs():
    issues = validate({**GOOD, "tags": ["Web Hooks"]}, "a.md", [], dt.date(2026, 2, 2))
    assert issues[0].key == "tags" and "not: Web Hooks" in issues[0].message


def test_reader_reports_unclosed_front_matter():
    assert read("---\ntitle: x\n\n# A\n").error == (1, "front matter starts with '---' but has no closing '---' line")


@pytest.mark.parametrize("source, message", [
    ("---\n---\n\n# A\n", "docs/a.md:1: front matter is empty: nothing between the '---' lines 1 and 2"),
    ("---\ntitle: A\n\n# A\n", "docs/a.md:1: front matter starts with '---' but has no closing '---' line"),
    ("--- \n...\n\n# A\n", "docs/a.md:1: front matter is empty"),
])
def test_front_matter_that_cannot_be_read_says_why(tmp_path, source, message):
    result = build(tmp_path, source, "a.md")
    assert result.code == 1
    assert message in result.output
    assert "'title' is required" not in result.output  # one cause, one message
