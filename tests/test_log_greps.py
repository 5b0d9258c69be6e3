"""Every log search on the pages finds its line in the platform's log format.

data/examples.yml defines the format the API and the workers log in, with sample lines for
the events the pages search for. Each `kubectl logs ... | grep ...` pipeline of a page is run,
after the kubectl part, on the sample lines of the deployment it reads (placeholders filled
with the example entities); it must print something. A search written for another format
(spaces after the colons, key=value) finds nothing and fails here.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from db.pages import DOCS, ROOT, facts, page_blocks

EXAMPLES = yaml.safe_load((ROOT / "data" / "examples.yml").read_text())
SHELL = ("bash", "sh", "shell", "console")


def placeholder_values() -> dict[str, str]:
    tenant = EXAMPLES["tenants"]["mvp"]
    return {
        "TICKET_ID": EXAMPLES["tickets"]["delivered"]["id"], "TENANT_ID": tenant["id"], "TENANT_SLUG": tenant["slug"],
        "TENANT": tenant["slug"], "TRACE_ID": EXAMPLES["trace_id"], "JOB_ID": EXAMPLES["job_id"],
        "TASK_ID": EXAMPLES["celery_task_id"], "SLUG": tenant["slug"],
    }


def sources(command: str) -> list[str] | None:
    """The sample lines of the deployment a `kubectl logs` command reads."""
    api, worker = facts()["k8s.api"], facts()["k8s.worker"]
    if re.search(rf"(?:deploy(?:ment)?/|app=){re.escape(api)}\b", command):
        return EXAMPLES["log"]["api"] + EXAMPLES["log"]["api_access"]
    if re.search(rf"(?:deploy(?:ment)?/|app=){re.escape(worker)}\b", command):
        return EXAMPLES["log"]["worker"] + EXAMPLES["log"]["worker_celery"]
    return None


def searches() -> list[tuple[str, str, list[str]]]:
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        for page_block in page_blocks(path, SHELL):
            code = re.sub(r"\\\n\s*", " ", page_block.code)
            for number, line in enumerate(code.split("\n")):
                line = re.sub(r"^\s*\$\s+", "", line)
                if "kubectl logs" not in line or "|" not in line or "grep" not in line.split("|", 1)[1]:
                    continue
                kubectl, pipeline = line.split("|", 1)
                lines = sources(kubectl)
                if lines is not None:
                    found.append((f"{page_block.where}+{number}", pipeline.strip(), lines))
    return found


SEARCHES = searches()


def fill(pipeline: str) -> str:
    values = placeholder_values()
    return re.sub(r"<([A-Z][A-Z0-9_]*)>", lambda m: values.get(m.group(1), m.group(0)), pipeline)


@pytest.mark.parametrize("where, pipeline, lines", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_log_search_finds_its_line(where, pipeline, lines):
    if shutil.which("jq") is None:
        pytest.fail("jq is not installed (apt-get install -y jq): the pages pipe JSON log lines through it")
    filled = fill(pipeline)
    assert "<" not in re.sub(r"<<|<\(|2>&1|<=|<\s", "", filled) or not re.search(r"<[A-Z_]+>", filled), \
        f"{where}: placeholder without an example value in: {filled}"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", f"printf '%s\\n' \"$@\" | {filled}", "_", *lines],
                          capture_output=True, text=True, timeout=20)
    printed = done.stdout.strip()
    assert printed and printed != "0", (f"{where}: `{pipeline}` finds nothing in the platform's log format "
                                         f"(data/examples.yml log samples); stderr: {done.stderr.strip()[:200]}")


def test_there_are_log_searches_to_check():
    assert len(SEARCHES) >= 10
