"""Checks that run beside MkDocs' rendering report exactly what they report inline."""
from __future__ import annotations

import os

import pytest
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
    with pytest.raises(ValueError, match="no such section") as raised:
        list(background.results())
    assert any("_fail" in note for note in getattr(raised.value, "__notes__", []))


def test_a_later_job_that_fails_and_is_never_asked_for_still_fails_the_gate():
    background = Background(enabled=True)
    background.later(_fail, "analysis broke")
    background.submit(_pid)
    with pytest.raises(ValueError, match="analysis broke"):
        list(background.results())


def test_answers_larger_than_a_pipe_come_back_whole():
    background = Background(enabled=True)
    big = "x" * (5 << 20) + "end"
    answers = [background.later(_echo, big) for _ in range(3)]
    assert all(answer.get() == big for answer in answers)
    background.close()


def test_a_worker_that_dies_is_reported_not_waited_for():
    from hooks.background import WorkerError
    background = Background(enabled=True)
    with pytest.raises(WorkerError, match="worker process stopped"):
        background.submit(_exit_now)
        background.submit(_pid)   # may already find the pipe closed
        list(background.results())


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


def test_an_answer_comes_back_without_waiting_for_the_jobs_queued_after_it():
    # The build asks for git's answer at its first page while page checks queue up behind it.
    import time
    background = Background(enabled=True)
    first = background.later(_echo, "history")
    for _ in range(6):
        background.submit(_sleep, 0.5)
    start = time.monotonic()
    assert first.get() == "history"
    assert time.monotonic() - start < 1.0
    background.close()


class _TwoArgumentError(Exception):
    def __init__(self, path: str, line: int) -> None:   # pickles, but cannot be rebuilt from its args
        super().__init__(f"{path}:{line}: broken")
        self.path, self.line = path, line


def _raise_two_argument_error() -> None:
    raise _TwoArgumentError("docs/a.md", 3)


def _unpicklable_answer() -> object:
    return lambda: None


def test_an_exception_that_cannot_be_rebuilt_still_reaches_the_build_as_text():
    background = Background(enabled=True)
    background.submit(_raise_two_argument_error)
    with pytest.raises(RuntimeError, match=r"_TwoArgumentError: docs/a.md:3: broken"):
        list(background.results())


def test_an_answer_that_cannot_travel_fails_that_job_only():
    background = Background(enabled=True)
    bad = background.later(_unpicklable_answer)
    good = background.later(_pid)
    with pytest.raises(Exception, match="pickle"):
        bad.get()
    assert good.get() != os.getpid()
    background.close()


def test_a_worker_stops_as_soon_as_its_build_closes_the_pipe_even_mid_job():
    # what happens when the build process is interrupted or killed: its end of the pipe closes
    import time
    background = Background(enabled=True)
    background.submit(_sleep, 60)
    worker = background._worker
    start = time.monotonic()
    worker.stop(kill=False)
    background._worker = None
    assert time.monotonic() - start < 5


def test_a_second_worker_does_not_keep_the_first_one_open():
    import signal

    def too_long(*_):
        raise TimeoutError("the first worker never saw its pipe close")

    first, second = Background(enabled=True), Background(enabled=True)
    first.submit(_pid)
    second.submit(_pid)
    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(10)
    try:
        assert len(list(first.results())) == 1
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        second.close()


LATE_HOOK = """\
from mkdocs.plugins import event_priority


@event_priority(5)   # after the portal's events, before Material's search plugin reads the page
def on_page_context(context, page, config, nav):
    if page.file.src_uri == "queue.md":
        page.content += '<h2 id="added-late">Added late</h2><p>quokkalate appears only now</p>'
    if page.file.src_uri == "boosted.md":   # what Material reads besides the HTML
        page.meta["search"] = {"boost": 3}
    if page.file.src_uri == "index.md":     # changed in place, not replaced
        page.meta["tags"].append("latetag")
    return context
"""

READ_BY_MATERIAL = {
    **SEARCHED,
    "queue.md": SEARCHED["queue.md"].replace("tags:\n- fixture", "tags:\n- queueing"),
    "tags.md": page("""\
        # Tags

        ## Browse by tag

        <!-- material/tags -->
        """),
    "hidden.md": page("# Hidden\n\nzebracrossing is never indexed\n", search={"exclude": True}),
    "boosted.md": page("# Boosted\n\nWorkers drain the queue first here.\n", search={"boost": 2}),
    "twice.md": page("# Twice\n\nalphaword from the file\n"),
    "twice/index.md": page("# Twice again\n\nbetaword from the folder's index, at the same URL\n"),
}


@pytest.mark.parametrize("late", [False, True], ids=["tags listing", "plugin edits before Material reads"])
def test_the_index_read_beside_the_build_matches_materials_own_reading(tmp_path, late):
    """Material reads a page in its on_page_context; the worker reads it as converted. Pages
    changed in between (the tags plugin's listings; a plugin that edits HTML or front matter just
    before Material reads it), excluded and boosted pages, and two files served at one URL must
    come out as Material's own reading makes them."""
    indexes = []
    for name, forbid in (("beside", ""), ("inline", "1")):
        site = FixtureSite(tmp_path / name, READ_BY_MATERIAL, plugins=["tags"])
        if late:
            (site.root / "late.py").write_text(LATE_HOOK, encoding="utf-8")
            config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
            config["hooks"].append(str(site.root / "late.py"))
            (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        site.commit_all()
        result = site.build("-v", env={"PORTAL_INLINE_CHECKS": forbid} if forbid else None)
        assert result.code == 0, result.output
        # the listing is read again at on_env, before the index starts; only a later edit remakes it
        assert ("made again after the last page" in result.output) == (late and name == "beside")
        search = site.root / "site" / "search"
        indexes.append({path.relative_to(search).as_posix(): path.read_bytes()
                        for path in sorted(search.rglob("*")) if path.is_file()})
    assert indexes[0] == indexes[1]
    pages = b"".join(body for path, body in indexes[0].items() if path.startswith(("pages/", "text/")))
    assert b"zebracrossing" not in pages                                   # excluded stays out
    assert b"alphaword" in pages and b"betaword" in pages                  # both files at one URL
    listing = [body for path, body in indexes[0].items() if path.startswith("pages/") and b"Browse by tag" in body]
    assert listing and b"queueing" in listing[0]                         # the listing as rendered
    assert (b"quokkalate" in pages) == late                                # read when Material reads
    assert (b"latetag" in b"".join(indexes[0].values())) == late


BREAKS_SEARCH_META = """\
from mkdocs.plugins import event_priority


@event_priority(5)   # after every check of the front matter, before Material reads the page
def on_page_context(context, page, config, nav):
    if page.file.src_uri == "b.md":
        page.meta["search"] = "yes"
    return context
"""


def test_a_page_materials_search_cannot_read_is_named_when_read_beside(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\nText.\n"), "b.md": page("# Bee\n\nText.\n")})
    (site.root / "breaks.py").write_text(BREAKS_SEARCH_META, encoding="utf-8")
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"].append(str(site.root / "breaks.py"))
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    site.commit_all()
    result = site.build()
    assert result.code == 1
    assert "search: Material's search plugin cannot read b.md" in result.output, result.output
    assert "Traceback" not in result.output


def test_front_matter_material_cannot_read_is_reported_not_a_traceback(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\nText.\n"), "b.md": page("# Bee\n\nText.\n", search="yes")})
    site.commit_all()
    for env in (None, {"PORTAL_INLINE_CHECKS": "1"}):
        result = site.build(env=env)
        assert result.code == 1
        assert "Traceback" not in result.output, result.output
        assert "docs/b.md:" in result.output and "front matter 'search'" in result.output
