"""Learning on a worker thread, the app's worker pattern (gui.thread_worker.create_worker on Qt's thread pool).

A run is a series of short tasks, one per frame: the first builds the learning problem if there is none yet
(engine.learn.KernelFit, once per target); each task takes the next steps from the run's engine generator
and computes, for the last of them, the convolved image and the difference, both by the engine. The next
task starts only once the window has shown the frame, so frames never queue up and no pool thread is held
between frames (the document's convolution jobs share the pool). Stop takes effect at once: what a stopped
run still returns is dropped, and the next run starts from the last step the window showed.
"""

from __future__ import annotations

import itertools
import traceback
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from gui.thread_worker import create_worker

import engine
from engine.learn import KernelFit, LearnStep


@dataclass(frozen=True)
class Prepared:
    """A learning problem ready to step: the fit, its least-squares optimum and the views' colour levels."""

    fit: KernelFit
    exact: LearnStep
    levels: tuple[float, float]


@dataclass(frozen=True)
class LearnFrame:
    """What the window shows after some steps: the last step, every loss since the previous frame, and the
    last step's convolved image and its difference from the target."""

    step: LearnStep
    losses: tuple[float, ...]
    convolved: np.ndarray
    difference: np.ndarray


@dataclass(frozen=True)
class RunRequest:
    """One run: ``count`` steps from ``start``, ``per_frame`` steps between frames."""

    start: LearnStep | None  # None: the fit's own start (``start_kind``)
    count: int
    lr: float | None = None  # None: the fit's safe rate
    lr_factor: float = 1.0  # the rate used is lr (or the safe rate) times this
    momentum: float = 0.0
    per_frame: int = 1
    start_kind: str = "zeros"  # without ``start``: "zeros", "random" or "kernel" (then ``start_kernel``)
    seed: int = 0
    start_kernel: tuple = ()
    start_bias: float = 0.0


def prepare(make_fit: Callable[[], KernelFit]) -> Prepared:
    fit = make_fit()
    # the window's own rule for signed output: +-the 99th percentile of |v|, rounded up
    return Prepared(fit, fit.exact(), engine.signed_levels(fit.target).bounds)


def _frame(fit: KernelFit, steps: list[LearnStep]) -> LearnFrame:
    convolved = fit.prediction(steps[-1])
    return LearnFrame(steps[-1], tuple(s.loss for s in steps), convolved, fit.difference(convolved))


class _Run:
    """A run's state between its tasks (only one task of a run is ever in flight)."""

    def __init__(self, prepared: Prepared | None, make_fit: Callable[[], KernelFit], request: RunRequest):
        self.prepared, self.make_fit, self.request = prepared, make_fit, request
        self.steps = None  # the engine's generator, made by the first task


@dataclass(frozen=True)
class _Outcome:
    prepared: Prepared | None = None  # set when this task built the problem
    frame: LearnFrame | None = None
    error: str | None = None  # one line; the run is over


def _advance(run: _Run) -> _Outcome:
    """One task: build the problem if needed, then the next frame (None once the run's steps are done).
    Exceptions come back as a message, so every failure reaches the user the same way."""
    try:
        built = None
        if run.prepared is None:
            run.prepared = built = prepare(run.make_fit)
        fit, request = run.prepared.fit, run.request
        if run.steps is None:
            lr = (fit.safe_lr if request.lr is None else request.lr) * request.lr_factor
            start = request.start
            if start is None:
                begin = request.start_kernel if request.start_kind == "kernel" else request.start_kind
                run.steps = fit.steps(request.count, lr=lr, start=begin, bias=request.start_bias, seed=request.seed,
                                      momentum=request.momentum)
                return _Outcome(built, _frame(fit, [next(run.steps)]))
            run.steps = fit.steps(request.count, lr=lr, start=start.kernel, bias=start.bias, first=start.step,
                                  momentum=request.momentum)
            next(run.steps)  # the start itself: the window shows it already
        batch = list(itertools.islice(run.steps, request.per_frame))
        return _Outcome(built, _frame(fit, batch) if batch else None)
    except Exception as error:  # noqa: BLE001 - every failure is reported to the user
        if isinstance(error, engine.KernelscopeError):
            return _Outcome(error=str(error))
        return _Outcome(error="learning failed: " + traceback.format_exception_only(type(error), error)[-1].strip())


class LearnRunner(QObject):
    """Runs one learning run at a time off the GUI thread. ``frame_shown()`` must be called once each
    ``frame`` is on screen (it starts the next task); ``stop()`` ends the run at once."""

    prepared = Signal(object)  # Prepared
    frame = Signal(object)  # LearnFrame
    failed = Signal(str)
    ended = Signal()  # a run finished, failed or was stopped: the buttons can change

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._run: _Run | None = None
        self._run_id = 0
        self._in_flight = None  # the task's worker, kept until it has finished

    def is_running(self) -> bool:
        return self._run is not None

    def is_idle(self) -> bool:
        """No run, and no task of a stopped run still on a thread."""
        return self._run is None and self._in_flight is None

    def start(self, prepared: Prepared | None, make_fit: Callable[[], KernelFit], request: RunRequest) -> None:
        self.stop()
        self._run = _Run(prepared, make_fit, request)
        self._launch()

    def frame_shown(self) -> None:
        if self._run is not None:
            self._launch()

    def stop(self) -> None:
        if self._run is not None:
            self._run = None
            self._run_id += 1  # what the stopped run's task still returns is stale
            self.ended.emit()

    def _launch(self) -> None:
        self._run_id += 1
        run_id = self._run_id
        worker = create_worker(_advance, self._run, _start_thread=False)
        worker.returned.connect(lambda outcome, r=run_id: self._on_returned(r, outcome))
        worker.finished.connect(lambda w=worker: self._on_finished(w))
        self._in_flight = worker
        worker.start()

    def _on_finished(self, worker) -> None:
        if self._in_flight is worker:
            self._in_flight = None

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop, and wait until the last task has finished (its ``finished`` signal, which comes through the
        event loop)."""
        self.stop()
        if self._in_flight is not None:
            loop = QEventLoop()
            self._in_flight.finished.connect(loop.quit)
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()

    def _on_returned(self, run_id: int, outcome: _Outcome) -> None:
        if run_id != self._run_id:
            return
        if outcome.prepared is not None:
            self.prepared.emit(outcome.prepared)
        if outcome.error is not None:
            self.failed.emit(outcome.error)
        if outcome.frame is None:
            self._run = None
            self.ended.emit()
        else:
            self.frame.emit(outcome.frame)
