"""The one worker pattern: engine jobs run on a thread, newest request wins.

A job is ``engine.job_steps`` (a generator yielding progress between chunks of rows), run by
gui.thread_worker's ``create_worker`` on Qt's thread pool. At most one job runs at a time; a new request
while one runs asks it to quit (it stops at its next chunk) and becomes the single pending request, replacing
any older pending one.
Every request has a sequence number, and only the result of the newest request is ever emitted, so no stale
result can reach the views.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, QThreadPool, Signal
from gui.thread_worker import create_worker

import engine


@dataclass(frozen=True)
class JobFailure:
    """Why a job failed: a one-line message, the traceback, and whether it is the user's doing (an
    engine.KernelscopeError: bad options or input, nothing to report) or a bug (offer the details)."""

    message: str
    details: str
    is_bug: bool

    @classmethod
    def from_error(cls, error: BaseException) -> "JobFailure":
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        if isinstance(error, engine.KernelscopeError):
            return cls(str(error), details, is_bug=False)
        if isinstance(error, MemoryError):
            return cls("not enough memory for this job", details, is_bug=False)
        return cls(f"the job failed: {type(error).__name__}: {error}", details, is_bug=True)


class _Done:
    """A finished job's value: the result, or what ``prepare`` made of it on the worker thread."""

    def __init__(self, value):
        self.value = value


def _guarded_job(steps: Callable | None, image: np.ndarray, options, prepare: Callable | None):
    """``steps(image, options)`` (engine.job_steps unless the runner was given another job generator), with
    any exception returned as a JobFailure, so that every failure reaches the user through one path
    (``returned``) with its message and traceback."""
    try:
        result = yield from (steps or engine.job_steps)(image, options)
        return _Done(result if prepare is None else prepare(result))
    except Exception as error:  # noqa: BLE001 - every failure is reported to the user
        return JobFailure.from_error(error)


class JobRunner(QObject):
    """Runs convolve+pool jobs off the GUI thread, coalescing rapid requests.

    ``prepare(result)``, if given, also runs on the worker thread after each job (it must not touch
    widgets), and ``finished`` carries its value instead of the bare result: e.g. the result together with
    its display levels, so the two always arrive as one.

    ``steps(image, request)`` is the engine generator run for each request (engine.job_steps, whose request
    is the JobOptions, looked up at each job, unless given: e.g. one that compares two kernels).
    """

    started = Signal(int)  # sequence number
    progress = Signal(int, float)  # sequence number, fraction done
    finished = Signal(int, object)  # sequence number, JobResult or prepare(result) (only the newest request)
    failed = Signal(int, object)  # sequence number, JobFailure
    idle = Signal()  # nothing running and nothing pending

    def __init__(self, parent: QObject | None = None, prepare: Callable | None = None,
                 steps: Callable | None = None):
        super().__init__(parent)
        self.prepare, self.steps = prepare, steps
        self._seq = 0
        self._worker = None
        self._pending: tuple[int, np.ndarray, engine.JobOptions] | None = None
        self._closed = False

    @property
    def latest(self) -> int:
        return self._seq

    def is_busy(self) -> bool:
        return self._worker is not None or self._pending is not None

    def submit(self, image: np.ndarray, options: engine.JobOptions) -> int:
        """Ask for a job; returns its sequence number. Supersedes any running or pending request."""
        self._seq += 1
        self._pending = (self._seq, image, options)
        if self._worker is not None:
            self._worker.quit()  # it stops at its next chunk; the pending request starts then
        else:
            self._start_pending()
        return self._seq

    def cancel(self) -> None:
        """Stop the running job and drop any pending one; nothing is emitted for them."""
        self._seq += 1  # makes every outstanding request stale
        self._pending = None
        if self._worker is not None:
            self._worker.quit()

    def shutdown(self, timeout_ms: int = 10000) -> None:
        """Cancel everything and wait for the thread to finish (call before the window goes away)."""
        self._closed = True
        self.cancel()
        QThreadPool.globalInstance().waitForDone(timeout_ms)

    def _start_pending(self) -> None:
        if self._pending is None or self._closed:
            if not self._closed:
                self.idle.emit()
            return
        seq, image, options = self._pending
        self._pending = None
        worker = create_worker(_guarded_job, self.steps, image, options, self.prepare, _start_thread=False)
        worker.yielded.connect(lambda fraction, s=seq: self._on_progress(s, fraction))
        worker.returned.connect(lambda result, s=seq: self._on_returned(s, result))
        worker.errored.connect(lambda error, s=seq: self._on_error(s, error))
        worker.finished.connect(self._on_finished)
        self._worker = worker
        self.started.emit(seq)
        worker.start()

    def _on_progress(self, seq: int, fraction: float) -> None:
        if seq == self._seq:
            self.progress.emit(seq, float(fraction))

    def _on_returned(self, seq: int, outcome) -> None:
        if isinstance(outcome, JobFailure):
            self._report(seq, outcome)
        elif seq == self._seq and isinstance(outcome, _Done) and not self._closed:
            self.finished.emit(seq, outcome.value)

    def _on_error(self, seq: int, error: BaseException) -> None:
        self._report(seq, JobFailure.from_error(error))

    def _report(self, seq: int, failure: JobFailure) -> None:
        if seq == self._seq and not self._closed:
            self.failed.emit(seq, failure)

    def _on_finished(self) -> None:
        self._worker = None
        self._start_pending()
