"""Worker processes: students graded in parallel, each within a time budget.

Each worker imports nbgrader once and grades one student at a time
(`course.teach.grading.autograde`). A worker runs in its own process group,
so when a student's grading overruns its budget, or the worker dies, the
whole group, kernel included, is killed and a fresh worker takes over the
remaining students. When the batch is isolated, the course kernel is
started through `course.teach.sandbox` (set in nbgrader_config.py).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import time
from pathlib import Path

import nbformat

from course.teach import sandbox
from course.teach.grading.autograde import grade_privately
from course.teach.grading.batch import Batch, Log, Result, Task
from course.teach.release import nbgrader_env


def time_budget(solutions: Path, timeout: int) -> float:
    """Seconds one student may take: every code cell may run to its limit twice, plus start-up."""
    cells = sum(len([c for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code"])
                for p in solutions.glob("*.ipynb"))
    return 30 + 2 * timeout * max(cells, 1)


def run_workers(batch: Batch, tasks: list[Task], log: Log) -> dict[str, Result]:
    """Grade `tasks` in worker processes; every task ends with a Result, by student."""
    if not tasks:
        return {}
    pool = _Pool(batch, tasks, log)
    finished = pool.run()
    pool.stop()
    return finished


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
    os.environ.update(env)
    from nbgrader.apps.api import NbGraderAPI

    while (task := tasks.get()) is not None:
        results.put(("started", task.student, os.getpid()))
        results.put(("done", task.student, grade_privately(NbGraderAPI, batch, task)))


class _Pool:
    """Worker processes sharing one task queue; one that overruns or dies is killed and replaced."""

    def __init__(self, batch: Batch, tasks: list[Task], log: Log) -> None:
        self.batch, self.log, self.total = batch, log, len(tasks)
        self.context = multiprocessing.get_context("fork")
        self.tasks, self.results = self.context.Queue(), self.context.Queue()
        for task in tasks:
            self.tasks.put(task)
        self.env = worker_env(batch)
        self.running: dict[int, tuple[str, float]] = {}  # pid -> (student, start time)
        self.finished: dict[str, Result] = {}
        self.processes = [self._start() for _ in range(min(batch.options.workers or os.cpu_count() or 1, len(tasks)))]

    def _start(self):
        args = (self.tasks, self.results, self.batch, self.env)
        process = self.context.Process(target=_worker, args=args, daemon=True)
        process.start()
        return process

    def run(self) -> dict[str, Result]:
        while len(self.finished) < self.total:
            self._receive()
            self._stop_overruns()
        return self.finished

    def _receive(self) -> None:
        """Wait up to a second for one message from a worker."""
        try:
            kind, student, payload = self.results.get(timeout=1.0)
        except queue.Empty:
            return
        if kind == "started":
            self.running[payload] = (student, time.monotonic())
        elif kind == "done":
            self.finished[student] = payload
            self.running = {pid: job for pid, job in self.running.items() if job[0] != student}
            self.log(f"graded {student} ({len(self.finished)}/{self.total})")

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
                self.finished[job[0]] = Result(success=False, error=reason)
                self.log(f"failed {job[0]}: {reason}")
                if len(self.finished) < self.total:
                    self.processes.append(self._start())

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
