"""Worker processes: students graded in parallel, each within a time budget.

Each worker imports nbgrader once and grades one student at a time
(`course.teach.grading.autograde`). A worker runs in its own process group,
so when a student's grading overruns its budget, or the worker dies, the
whole group, kernel included, is killed and a fresh worker takes over the
remaining students. When the batch is isolated, the course kernel is
started through `course.teach.sandbox` (set in nbgrader_config.py).

While a student's notebook runs, their worker starts the kernel of the next
student in the queue (`GradeOptions.prestart`, `sandbox.SandboxedKernelManager.prestart`):
a new sandbox and process that imports the heavy libraries before any student
code, handed to exactly one student, and killed like any kernel afterwards.
Each result carries the memory its student took (their sandbox's cgroup peak,
the worker's peak RSS), kept in `LAST_MEMORY` for `make bench`.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import nbformat

from course.teach import sandbox
from course.teach.grading.autograde import grade_privately
from course.teach.grading.batch import Batch, Log, Result, Task
from course.teach.release import nbgrader_env

# What the last batch graded in this process measured, per student: (their sandbox's peak memory, the
# worker's peak resident memory), in bytes; None where it could not be measured (no cgroup). For `make bench`.
LAST_MEMORY: dict[str, tuple[int | None, int | None]] = {}


def time_budget(solutions: Path, timeout: int) -> float:
    """Seconds one student may take: every code cell may run to its limit twice, plus start-up."""
    cells = sum(len([c for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code"])
                for p in solutions.glob("*.ipynb"))
    return 30 + 2 * timeout * max(cells, 1)


def run_workers(batch: Batch, tasks: list[Task], log: Log, done: Callable[[str, Result], None]) -> None:
    """Grade `tasks` in worker processes; call `done(student, result)` as soon as each student ends."""
    if not tasks:
        return
    pool = _Pool(batch, tasks, log, done)
    try:
        pool.run()
    finally:
        pool.stop()


def worker_env(batch: Batch) -> dict[str, str]:
    """The environment a worker runs in, built here rather than changed in the grader's process.

    nbgrader needs this Python's bin folder on PATH; the sandbox puts each kernel's private
    folder inside the batch's scratch folder, which is removed afterwards.
    """
    return {**nbgrader_env(), sandbox.SANDBOX_ROOT_ENV: str(batch.scratch)}


def _worker(tasks, results, batch: Batch, env: dict[str, str]) -> None:
    """Grade students from `tasks` until told to stop; report each result on `results`.

    This process exists only to grade, so it takes `env` as its own
    environment: the kernels nbgrader starts inherit it.
    """
    os.setsid()
    _die_with_parent()
    os.environ.update(env)
    from nbgrader.apps.api import NbGraderAPI

    try:
        while (task := tasks.get()) is not None:
            results.put(("started", task.student, os.getpid()))
            sandbox.take_memory_peaks()
            # the next student's kernel is started ahead only while students wait in the queue
            now = batch if not tasks.empty() else replace(batch, options=replace(batch.options, prestart=False))
            result = grade_privately(NbGraderAPI, now, task)
            results.put(("done", task.student, _with_memory(result)))
    finally:
        sandbox.discard_prestarted()  # the kernel started for a next student who never came


def _with_memory(result: Result) -> Result:
    """`result` with the memory its student took: their sandbox's peak, and this worker's peak so far."""
    peaks = sandbox.take_memory_peaks()
    worker = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return replace(result, kernel_memory=max(peaks) if peaks else None, worker_memory=worker)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the grader dies, even by SIGKILL (prctl PR_SET_PDEATHSIG).

    The worker's kernel runs under bubblewrap with --die-with-parent, so it goes too.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the grader died before we asked
            os._exit(1)


class _Pool:
    """Worker processes sharing one task queue; one that overruns or dies is killed and replaced."""

    def __init__(self, batch: Batch, tasks: list[Task], log: Log, done: Callable[[str, Result], None]) -> None:
        self.batch, self.log, self.done, self.total = batch, log, done, len(tasks)
        self.context = multiprocessing.get_context("fork")
        self.tasks, self.results = self.context.Queue(), self.context.Queue()
        for task in tasks:
            self.tasks.put(task)
        self.env = worker_env(batch)
        self.running: dict[int, tuple[str, float]] = {}  # pid -> (student, start time)
        self.finished: dict[str, Result] = {}
        LAST_MEMORY.clear()
        self.processes = [self._start() for _ in range(min(batch.options.workers or os.cpu_count() or 1, len(tasks)))]

    def _start(self):
        args = (self.tasks, self.results, self.batch, self.env)
        process = self.context.Process(target=_worker, args=args, daemon=True)
        process.start()
        return process

    def run(self) -> None:
        while len(self.finished) < self.total:
            self._receive()
            self._stop_overruns()

    def _receive(self) -> None:
        """Wait up to a second for one message from a worker."""
        try:
            kind, student, payload = self.results.get(timeout=1.0)
        except queue.Empty:
            return
        if kind == "started":
            self.running[payload] = (student, time.monotonic())
        elif kind == "done":
            self.running = {pid: job for pid, job in self.running.items() if job[0] != student}
            self._finish(student, payload)

    def _stop_overruns(self) -> None:
        """Kill every worker whose student overran the budget or whose process died mid-student."""
        for process in list(self.processes):
            job = self.running.get(process.pid)
            if job is None:
                continue
            overran = time.monotonic() - job[1] > self.batch.budget
            if overran or not process.is_alive():
                _kill_group(process)
                self.processes.remove(process)
                self.running.pop(process.pid, None)
                reason = (f"grading took longer than {self.batch.budget:.0f} s and was stopped" if overran
                          else "the grading worker crashed")
                self._finish(job[0], Result(success=False, error=reason))
                if len(self.finished) < self.total:
                    self.processes.append(self._start())

    def _finish(self, student: str, result: Result) -> None:
        self.finished[student] = result
        LAST_MEMORY[student] = (result.kernel_memory, result.worker_memory)
        self.done(student, result)

    def stop(self) -> None:
        """Ask every worker to stop after its student; kill those that do not."""
        for _ in self.processes:
            self.tasks.put(None)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                _kill_group(process)


def _kill_group(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.join(timeout=5)
