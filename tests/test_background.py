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


def test_a_later_job_runs_beside_and_is_not_a_checks_result():
    background = Background(enabled=True)
    later = background.later(_pid)
    background.submit(_pid)
    assert later.get() != os.getpid()
    assert len(list(background.results())) == 1


SEARCHED = {
    "index.md": page("""\
        # Home

        | Symptom | Where |
        |---|---|
        | Jobs pile up overnight | [Queue](queue.md#drain-the-queue) |

        - [Roll back a release](queue.md)
        """),
    "queue.md": page("""\
        # Queue

        Workers took every reserved task; the backlog grows.

        ## Drain the queue {#drain-the-queue}

        Scale the workers, then watch `celery inspect active` until it is empty.
        """, search={"keywords": ["backlog"], "sections": {"drain-the-queue": ["purge", "pile-up"]}}),
}


def test_the_search_index_is_the_same_whether_analysed_beside_the_build_or_inline(tmp_path):
    indexes = []
    for name, forbid in (("beside", ""), ("inline", "1")):
        site = FixtureSite(tmp_path / name, SEARCHED)
        site.commit_all()
        result = site.build("-v", env={"PORTAL_INLINE_CHECKS": forbid} if forbid else None)
        assert result.code == 0, result.output
        assert ("built in the worker beside the build" if name == "beside" else "built in the build process") in result.output
        search = site.root / "site" / "search"
        indexes.append({path.relative_to(search).as_posix(): path.read_bytes()
                        for path in sorted(search.rglob("*")) if path.is_file()})
    assert indexes[0] == indexes[1]
    chunks = b"".join(body for name, body in indexes[0].items() if name.startswith("chunks/"))
    # the page's own words, its keywords and the words of a link to it all reached the index
    assert all(word in chunks for word in (b'"backlog"', b'"purg', b'"overnight"', b'"inspect"'))
