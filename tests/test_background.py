"""Checks that run beside MkDocs' rendering report exactly what they report inline."""
from __future__ import annotations

import os

from sites import FixtureSite, page

from hooks.background import Background


def _pid() -> int:
    return os.getpid()


def test_jobs_run_in_another_process_and_come_back_in_order():
    background = Background(enabled=True)
    for _ in range(3):
        background.submit(_pid)
    pids = list(background.results())
    assert len(pids) == 3 and len(set(pids)) == 1 and pids[0] != os.getpid()


def test_inline_when_fork_is_not_wanted():
    background = Background(enabled=False)
    background.submit(_pid)
    assert list(background.results()) == [os.getpid()]


BROKEN = page("""\
    # Broken

    L1 may use the admin role.

    ```sql
    SELEC 1;
    ```

    ```bash
    if then fi (
    ```
    """)


def test_a_build_reports_the_same_problems_whether_the_checks_run_beside_it_or_not(tmp_path):
    outputs = []
    for name, forbid in (("beside", ""), ("inline", "1")):
        site = FixtureSite(tmp_path / name, {"index.md": BROKEN})
        site.commit_all()
        result = site.build(env={"PORTAL_INLINE_CHECKS": forbid} if forbid else None)
        assert result.code == 1
        outputs.append(sorted(line.strip() for line in result.output.splitlines() if line.strip().startswith("docs/")))
    assert outputs[0] == outputs[1]
    assert any("policy: the page says L1" in line for line in outputs[0])
    assert any("sql block: PostgreSQL: syntax error" in line for line in outputs[0])
    assert any("bash block: bash: syntax error" in line for line in outputs[0])
