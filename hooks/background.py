"""Checks that need only a page's text, run in a second process while MkDocs renders.

MkDocs builds on one core. The prose check of hooks/policy reads only a page's text with its
references resolved, and is the slowest check (about 0.8 s of CPU on the real tree against a
4-5 s build), so its work is handed to one worker process, forked when the first page arrives,
and its answers are collected at the strict gate. The worker inherits the checker the build
made (fork), so nothing but page text and findings crosses between the processes.

The search index's text analysis goes the same way (``later``): each page's sections are
analysed as the page is rendered, and the index is scored from the answers after the last page.

Where fork is not available, or the build runs threads (the reload server of ``mkdocs serve``;
forking a threaded process can deadlock), the same work runs inline: same results, no overlap.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Fork is safe here: the platform has it, no other thread runs, and no one asked for inline
    checks (PORTAL_INLINE_CHECKS=1, for a debugger or a profiler)."""
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and not os.environ.get("PORTAL_INLINE_CHECKS"))


class Later(Generic[T]):
    """A job's answer, computed beside the build or already there (inline)."""

    def __init__(self, future: Future[T] | None = None, value: T | None = None) -> None:
        self._future = future
        self._value = value

    def get(self) -> T:
        if self._future is not None:
            return self._future.result()
        return self._value  # type: ignore[return-value]  # set whenever there is no future


class Background:
    """Jobs of one build, in the order they were given; ``results`` waits for all of the checks
    (``submit``) and returns their problems; ``later`` jobs are waited for by whoever holds them."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = can_fork() if enabled is None else enabled
        self._executor: ProcessPoolExecutor | None = None
        self._jobs: list[Future[Any] | Any] = []
        self._inline: list[bool] = []

    def submit(self, job: Callable[..., Any], *args: Any) -> None:
        if not self.enabled:
            self._jobs.append(job(*args))
            self._inline.append(True)
            return
        self._jobs.append(self._pool().submit(job, *args))
        self._inline.append(False)

    def later(self, job: Callable[..., T], *args: Any) -> Later[T]:
        """Run ``job(*args)`` beside the build (inline where that is not possible); not a check:
        its answer is not among ``results``."""
        if not self.enabled:
            return Later(value=job(*args))
        return Later(future=self._pool().submit(job, *args))

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        return self._executor

    def results(self) -> Iterator[Any]:
        """Each job's result, waiting where needed; the worker stops after the last one."""
        try:
            for job, inline in zip(self._jobs, self._inline, strict=True):
                yield job if inline else job.result()
        finally:
            self.close()

    def close(self) -> None:
        self._jobs.clear()
        self._inline.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
