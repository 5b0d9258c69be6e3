"""Work that needs only what a page already has, run in a second process while MkDocs renders.

MkDocs builds on one core. The prose check of hooks/policy, the code block checks and the
search index's reading of every page need only a page's text, so they are handed to one worker
process, forked when the first job arrives. It inherits what the build made before (the policy
checker, the facts), so only page text and findings cross between the processes.

The build process talks to the worker through two pipes and no thread of its own: a job is
pickled and written as it is given, and answers are read only when asked for. (A
``concurrent.futures`` pool keeps two threads in the build process; every job woke them, and
the hand-overs of the interpreter lock between them and MkDocs' rendering cost more than the
jobs.) The worker drains its pipe on a thread of its own, so that a busy worker never leaves the
build waiting on a full pipe.

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

T = TypeVar("T")

_LENGTH = struct.Struct("<Q")
# Linux lets a pipe hold up to /proc/sys/fs/pipe-max-size (1 MiB by default) instead of 64 KiB:
# room for a burst of pages while the worker is inside a long job.
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
_PIPE_BYTES = 1 << 20


class WorkerError(RuntimeError):
    """The worker process ended without answering."""


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
        try:
            pickle.dumps(error)
            self.error: BaseException = error
        except Exception:   # an exception that cannot be pickled still reaches the build as text
            self.error = RuntimeError(f"{type(error).__name__}: {error}")

    def raise_it(self) -> None:
        self.error.add_note(f"in the worker process:\n{self.trace}")
        raise self.error


def _serve(jobs_fd: int, answers_fd: int) -> None:
    """The worker: run jobs in the order given; answer when asked, each answer once."""
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def drain() -> None:
        try:
            while (message := _receive(jobs_fd)) is not None:
                inbox.put(message)
        finally:   # the build closed its end, or a message could not be read: stop either way
            inbox.put(None)

    threading.Thread(target=drain, daemon=True).start()
    answers: dict[int, Any] = {}
    while True:
        message = inbox.get()
        if message is None:
            return
        kind, payload = message
        if kind == "job":
            number, job, args = payload
            try:
                answers[number] = job(*args)
            except BaseException as error:   # every failure goes back to the build
                answers[number] = _Failure(error)
        elif kind == "answer":
            _send(answers_fd, [answers.pop(number) for number in payload])


class _Worker:
    def __init__(self) -> None:
        jobs_read, self.jobs = os.pipe()
        self.answers, answers_write = os.pipe()
        _widen(self.jobs)
        self.pid = os.fork()
        if self.pid == 0:   # the worker
            code = 0
            try:
                os.close(self.jobs)
                os.close(self.answers)
                _serve(jobs_read, answers_write)
            except BaseException:
                code = 1
            finally:
                os._exit(code)   # never the build's own exit handlers, nor its buffered output
        os.close(jobs_read)
        os.close(answers_write)

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

    def submit(self, job: Callable[..., Any], *args: Any) -> None:
        if not self.enabled:
            self._checks.append((True, job(*args)))
            return
        self._checks.append((False, self._give(job, args)))

    def later(self, job: Callable[..., T], *args: Any) -> Later[T]:
        """Run ``job(*args)`` beside the build (inline where that is not possible); not a check:
        its answer is not among ``results``, but its failure is raised there if nobody asked."""
        if not self.enabled:
            return Later(value=job(*args))
        return Later(self, self._give(job, args))

    def _give(self, job: Callable[..., Any], args: tuple[Any, ...]) -> int:
        if self._worker is None:
            self._worker = _Worker()
        number = self._numbers
        self._numbers += 1
        self._unasked.add(number)
        self._worker.send(("job", (number, job, args)))
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
