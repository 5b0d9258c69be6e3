"""Checks that run beside MkDocs' rendering report exactly what they report inline."""
from __future__ import annotations

import os

import yaml
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
        assert "made again" not in result.output   # the tags-free pages did not change after conversion
        search = site.root / "site" / "search"
        indexes.append({path.relative_to(search).as_posix(): path.read_bytes()
                        for path in sorted(search.rglob("*")) if path.is_file()})
    assert indexes[0] == indexes[1]
    chunks = b"".join(body for name, body in indexes[0].items() if name.startswith("chunks/"))
    # the page's own words, its keywords and the words of a link to it all reached the index
    assert all(word in chunks for word in (b'"backlog"', b'"purg', b'"overnight"', b'"inspect"'))


def _fail(message: str) -> None:
    raise ValueError(message)


def _sleep(seconds: float) -> None:
    import time
    time.sleep(seconds)


def _echo(value: object) -> object:
    return value


def _exit_now() -> None:
    os._exit(3)


def test_no_thread_runs_in_the_build_process_while_jobs_run_beside():
    # Threads in the build process (a concurrent.futures pool has two) take the interpreter lock
    # from MkDocs' rendering on every job; the worker's pipes need none.
    import threading
    background = Background(enabled=True)
    for _ in range(50):
        background.submit(_pid)
    assert threading.active_count() == 1
    assert len(list(background.results())) == 50


def test_a_failing_check_fails_at_the_gate_with_the_workers_traceback():
    background = Background(enabled=True)
    background.submit(_fail, "no such section")
    try:
        list(background.results())
    except ValueError as error:
        assert "no such section" in str(error)
        assert any("_fail" in note for note in getattr(error, "__notes__", []))
    else:
        raise AssertionError("the failure did not reach the build")


def test_a_later_job_that_fails_and_is_never_asked_for_still_fails_the_gate():
    background = Background(enabled=True)
    background.later(_fail, "analysis broke")
    background.submit(_pid)
    try:
        list(background.results())
    except ValueError as error:
        assert "analysis broke" in str(error)
    else:
        raise AssertionError("an unasked failure was lost")


def test_answers_larger_than_a_pipe_come_back_whole():
    background = Background(enabled=True)
    big = "x" * (5 << 20) + "end"
    answers = [background.later(_echo, big) for _ in range(3)]
    assert all(answer.get() == big for answer in answers)
    background.close()


def test_a_worker_that_dies_is_reported_not_waited_for():
    from hooks.background import WorkerError
    background = Background(enabled=True)
    background.submit(_exit_now)
    background.submit(_pid)
    try:
        list(background.results())
    except WorkerError as error:
        assert "worker process stopped" in str(error)
    else:
        raise AssertionError("a dead worker went unnoticed")


def test_an_abandoned_build_does_not_wait_for_the_worker():
    import time
    background = Background(enabled=True)
    background.submit(_sleep, 60)
    pid = background._worker.pid
    start = time.monotonic()
    background.close()
    assert time.monotonic() - start < 5
    try:   # stopped and reaped, not left running
        os.kill(pid, 0)
    except ProcessLookupError:
        pass
    else:
        raise AssertionError(f"worker {pid} is still there")


LATE_HOOK = '''\
from mkdocs.plugins import event_priority


@event_priority(5)   # after the portal's events, before Material's search plugin reads the page
def on_page_context(context, page, config, nav):
    if page.file.src_uri == "queue.md":
        page.content += '<h2 id="added-late">Added late</h2><p>quokkalate appears only now</p>'
    return context
'''


def test_the_index_read_beside_the_build_matches_materials_own_reading(tmp_path):
    """Material reads a page's HTML in its on_page_context; the worker reads it as converted.
    Pages changed in between (the tags plugin's listings; a plugin that edits HTML just before
    Material reads it), excluded pages and boosted pages must come out as Material would index them."""
    pages = {
        **SEARCHED,
        "tags.md": page("""\
            # Tags

            <!-- material/tags -->
            """),
        "hidden.md": page("# Hidden\n\nzebracrossing is never indexed\n", search={"exclude": True}),
        "boosted.md": page("# Boosted\n\nWorkers drain the queue first here.\n", search={"boost": 2}),
    }
    indexes = []
    for name, forbid in (("beside", ""), ("inline", "1")):
        site = FixtureSite(tmp_path / name, pages, plugins=["tags"])
        (site.root / "late.py").write_text(LATE_HOOK, encoding="utf-8")
        config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
        config["hooks"].append(str(site.root / "late.py"))
        (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        site.commit_all()
        result = site.build("-v", env={"PORTAL_INLINE_CHECKS": forbid} if forbid else None)
        assert result.code == 0, result.output
        assert ("made again after the last page" in result.output) == (name == "beside")
        search = site.root / "site" / "search"
        indexes.append({path.relative_to(search).as_posix(): path.read_bytes()
                        for path in sorted(search.rglob("*")) if path.is_file()})
    assert indexes[0] == indexes[1]
    everything = b"".join(indexes[0].values())
    assert b"quokkalat" in everything and b"Added late" in everything     # read when Material reads
    assert b"zebracross" not in everything                                 # excluded stays out
    assert b'"Tags"' in everything and b"fixture" in everything           # the listing page and its tag
