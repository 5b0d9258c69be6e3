"""Work that needs only what it is given, run in a second process while MkDocs renders.

MkDocs builds on one core. The prose check of hooks/policy, the code block checks, the search
index's reading of every page and the git reads need only their arguments, so they are handed
to one worker process, forked when the first job arrives. It inherits what the build made
before (the policy checker, the facts), so only page text and findings cross between them.

The build process talks to the worker through two pipes and no thread of its own: a job is
pickled and written as it is given, and answers are read only when asked for. (A
``concurrent.futures`` pool keeps two threads in the build process; every job woke them, and
the hand-overs of the interpreter lock between them and MkDocs' rendering cost more than the
jobs.) The worker reads its pipe on a thread of its own, so that a busy worker never leaves the
build waiting on a full pipe, and answers from that thread as soon as the job asked about is
done.

Where fork is not available, or the build runs threads (the reload server of ``mkdocs serve``;
forking a threaded process can deadlock), the same work runs inline: same results, no overlap.
"""
from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import pickle
import queue
import signal
import struct
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from mkdocs.exceptions import PluginError

T = TypeVar("T")

_LENGTH = struct.Struct("<Q")
# Linux lets a pipe hold up to /proc/sys/fs/pipe-max-size (1 MiB by default) instead of 64 KiB:
# room for a burst of pages while the worker is inside a long job.
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
_PIPE_BYTES = 1 << 20


class WorkerError(PluginError):
    """The worker process ended without answering: MkDocs shows the message, not a traceback."""


def can_fork() -> bool:
    """Fork is safe here: the platform has it, no other thread runs, and no one asked for inline
    checks (PORTAL_INLINE_CHECKS=1, for a debugger or a profiler)."""
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and not os.environ.get("PORTAL_INLINE_CHECKS"))


def _send(fd: int, message: Any) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_LENGTH.pack(len(body)) + body)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        part = os.read(fd, min(left, _PIPE_BYTES))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _receive(fd: int) -> Any:
    """The next message, or ``None`` once the other end has closed its pipe."""
    head = _read_exactly(fd, _LENGTH.size)
    if head is None:
        return None
    body = _read_exactly(fd, _LENGTH.unpack(head)[0])
    return None if body is None else pickle.loads(body)


def _widen(fd: int) -> None:
    with contextlib.suppress(OSError):   # a smaller pipe only means the build waits a little sooner
        fcntl.fcntl(fd, _F_SETPIPE_SZ, _PIPE_BYTES)


class _Failure:
    """A job's exception, carried back to the build with the worker's traceback."""

    def __init__(self, error: BaseException) -> None:
        self.trace = "".join(traceback.format_exception(error))
        try:   # an exception must also be rebuilt on the other side: some cannot be
            pickle.loads(pickle.dumps(error))
            self.error: BaseException = error
        except Exception:   # such an exception still reaches the build, as text
            self.error = RuntimeError(f"{type(error).__name__}: {error}")

    def raise_it(self) -> None:
        self.error.add_note(f"in the worker process:\n{self.trace}")
        raise self.error


def _answer_of(answers: dict[int, Any], number: int) -> Any:
    """An answer as it will travel: one that cannot be pickled goes back as a failure."""
    answer = answers.pop(number)
    try:
        pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:
        return _Failure(error)
    return answer


def _serve(jobs_fd: int, answers_fd: int) -> None:
    """The worker: run jobs in the order given; answer when asked, each answer once.

    Jobs run on the main thread; the pipe is read on another, which also answers. An answer
    goes back as soon as its job is done, not after the jobs queued behind it: the build asks
    for git's answer at its first page, while a backlog of page checks may be waiting here."""
    inbox: queue.SimpleQueue[tuple[int, Callable[..., Any], tuple[Any, ...]]] = queue.SimpleQueue()
    answers: dict[int, Any] = {}
    answered: set[int] = set()
    done = threading.Condition()

    def read_and_answer() -> None:
        try:
            while (message := _receive(jobs_fd)) is not None:
                kind, payload = message
                if kind == "job":
                    inbox.put(payload)
                elif kind == "answer":
                    # Every job asked for was sent before the question, so each is queued or done.
                    asked: list[int] = payload

                    def ready() -> bool:
                        return all(n in answers or n in answered for n in asked)  # noqa: B023  (called at once)

                    with done:
                        done.wait_for(ready)
                        reply = [_answer_of(answers, number) if number in answers
                                 else _Failure(KeyError(f"job {number} was answered already"))
                                 for number in payload]
                        answered.update(payload)
                    _send(answers_fd, reply)
        except Exception:
            traceback.print_exc()   # a message that could not be read; the build is told it stopped
        finally:
            # The build closed its end: it has every answer it will ask for, or it is gone
            # (stopped, killed, interrupted). Nothing queued is wanted: stop now, mid-job too,
            # rather than write into a site no build is making.
            os._exit(0)

    threading.Thread(target=read_and_answer, daemon=True).start()
    while True:
        number, job, args = inbox.get()
        try:
            answer = job(*args)
        except (Exception, SystemExit) as error:   # every failure goes back to the build
            answer = _Failure(error)
        with done:
            answers[number] = answer
            done.notify_all()


# The pipe ends of every worker this process has open: a worker forked later must not hold
# them, or an earlier worker would never see its build close its pipe.
_OPEN_ENDS: set[int] = set()


class _Worker:
    def __init__(self) -> None:
        jobs_read, self.jobs = os.pipe()
        self.answers, answers_write = os.pipe()
        _widen(self.jobs)
        self.pid = os.fork()
        if self.pid == 0:   # the worker
            code = 0
            try:
                for end in (self.jobs, self.answers, *_OPEN_ENDS):
                    os.close(end)
                _serve(jobs_read, answers_write)
            except KeyboardInterrupt:
                code = 130
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)   # never the build's own exit handlers, nor its buffered output
        os.close(jobs_read)
        os.close(answers_write)
        _OPEN_ENDS.update((self.jobs, self.answers))

    def send(self, message: Any) -> None:
        try:
            _send(self.jobs, message)
        except BrokenPipeError:
            raise WorkerError("the checks' worker process stopped unexpectedly") from None

    def ask(self, numbers: list[int]) -> list[Any]:
        self.send(("answer", numbers))
        answers = _receive(self.answers)
        if answers is None:
            raise WorkerError("the checks' worker process stopped before it answered")
        return list(answers)

    def stop(self, kill: bool) -> None:
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        _OPEN_ENDS.difference_update((self.jobs, self.answers))
        os.close(self.jobs)
        os.close(self.answers)
        os.waitpid(self.pid, 0)   # so that its CPU shows in this process's children's times


class Later(Generic[T]):
    """A job's answer, computed beside the build or already there (inline)."""

    def __init__(self, background: Background | None = None, number: int = -1, value: T | None = None) -> None:
        self._background = background
        self._number = number
        self._value = value

    def get(self) -> T:
        if self._background is not None:
            self._value = self._background._answer(self._number)
            self._background = None
        return self._value  # type: ignore[return-value]  # set whenever there is no worker


class Background:
    """Jobs of one build, in the order they were given; ``results`` waits for all of the checks
    (``submit``) and returns their problems; ``later`` jobs are waited for by whoever holds them."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = can_fork() if enabled is None else enabled
        self._worker: _Worker | None = None
        self._numbers = 0
        self._checks: list[tuple[bool, Any]] = []   # (inline, answer or job number)
        self._unasked: set[int] = set()

    def _still_can_fork(self) -> bool:
        """Checked again at the first job: a plugin may have started a thread since on_config."""
        if self.enabled and self._worker is None and threading.active_count() > 1:
            self.enabled = False
        return self.enabled

    def submit(self, job: Callable[..., Any], *args: Any) -> None:
        if not self._still_can_fork():
            self._checks.append((True, job(*args)))
            return
        self._checks.append((False, self._give(job, args)))

    def later(self, job: Callable[..., T], *args: Any) -> Later[T]:
        """Run ``job(*args)`` beside the build (inline where that is not possible); not a check:
        its answer is not among ``results``, but its failure is raised there if nobody asked."""
        if not self._still_can_fork():
            return Later(value=job(*args))
        return Later(self, self._give(job, args))

    def _give(self, job: Callable[..., Any], args: tuple[Any, ...]) -> int:
        if self._worker is None:
            self._worker = _Worker()
        number = self._numbers
        self._numbers += 1
        self._worker.send(("job", (number, job, args)))
        self._unasked.add(number)
        return number

    def _ask(self, numbers: list[int]) -> list[Any]:
        assert self._worker is not None, "a job number exists only once the worker does"
        self._unasked.difference_update(numbers)
        answers = self._worker.ask(numbers)
        for answer in answers:
            if isinstance(answer, _Failure):
                answer.raise_it()
        return answers

    def _answer(self, number: int) -> Any:
        return self._ask([number])[0]

    def results(self) -> Iterator[Any]:
        """Each check's result, waiting where needed; the worker stops after the last one. A
        ``later`` job nobody asked about is asked here too, so that its failure is not lost."""
        try:
            asked = [answer for inline, answer in self._checks if not inline]
            leftover = sorted(self._unasked.difference(asked))
            answers = iter(self._ask(asked + leftover) if asked or leftover else [])
            found = [answer if inline else next(answers) for inline, answer in self._checks]
        finally:
            self.close()
        yield from found

    def close(self) -> None:
        self._checks.clear()
        if self._worker is not None:
            worker, self._worker = self._worker, None
            worker.stop(kill=bool(self._unasked))
        self._unasked.clear()
