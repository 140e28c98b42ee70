"""Learning on a worker thread, the app's worker pattern: a generator run by superqt's ``create_worker``.

A run builds the learning problem if it has none yet (engine.learn.KernelFit, once per target), then yields
one LearnFrame per frame: the steps since the previous frame and, for the last of them, the convolved image
and the difference, both computed by the engine. The worker waits until the window has shown a frame before
it computes the next, so no frames queue up, and Stop takes effect at once: frames of a stopped run are
dropped, and the next run starts from the last step the window showed.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal
from superqt.utils import create_worker

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
    start_kind: str = "zeros"
    seed: int = 0


def prepare(make_fit: Callable[[], KernelFit]) -> Prepared:
    fit = make_fit()
    return Prepared(fit, fit.exact(), engine.display_levels(fit.target, diverging=True))


def _frame(fit: KernelFit, steps: list[LearnStep]) -> LearnFrame:
    convolved = fit.prediction(steps[-1])
    return LearnFrame(steps[-1], tuple(s.loss for s in steps), convolved, fit.difference(convolved))


def _run(prepared: Prepared | None, make_fit, request: RunRequest, shown: threading.Event,
         stop: threading.Event):
    """Yields the Prepared problem first if it had to be built, then a LearnFrame per frame; returns the
    reason the run failed (a one-line message) or None. Exceptions are returned, not raised: superqt drops
    a RuntimeError raised in a generator worker."""
    try:
        if prepared is None:
            prepared = prepare(make_fit)
            yield prepared
        fit = prepared.fit
        lr = (fit.safe_lr if request.lr is None else request.lr) * request.lr_factor
        start = request.start
        if start is None:
            steps = fit.steps(request.count, lr=lr, start=request.start_kind, seed=request.seed,
                              momentum=request.momentum)
        else:
            steps = fit.steps(request.count, lr=lr, start=start.kernel, bias=start.bias, first=start.step,
                              momentum=request.momentum)
        first = next(steps)  # the start: shown first unless the window shows it already
        pending = [first] if start is None else None
        while True:
            while not shown.wait(0.01):  # the window has not shown the previous frame yet
                if stop.is_set():
                    return None
            if stop.is_set():
                return None
            shown.clear()
            batch = pending or list(itertools.islice(steps, request.per_frame))
            pending = None
            if not batch:
                return None
            yield _frame(fit, batch)
    except Exception as error:  # noqa: BLE001 - every failure is reported to the user
        if isinstance(error, engine.KernelscopeError):
            return str(error)
        return "learning failed: " + "".join(traceback.format_exception_only(type(error), error)).strip()


class LearnRunner(QObject):
    """Runs one learning run at a time off the GUI thread. ``frame_shown()`` must be called after each
    ``frame`` is on screen; ``stop()`` ends the run at once (nothing more is emitted for it)."""

    prepared = Signal(object)  # Prepared
    frame = Signal(object)  # LearnFrame
    failed = Signal(str)
    ended = Signal()  # a run finished, failed or was stopped: the buttons can change

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._worker = None
        self._run_id = 0
        self._shown = threading.Event()
        self._stop = threading.Event()

    def is_running(self) -> bool:
        return self._worker is not None and not self._stop.is_set()

    def start(self, prepared: Prepared | None, make_fit: Callable[[], KernelFit], request: RunRequest) -> None:
        self.stop()
        self._run_id += 1
        run_id = self._run_id
        self._shown, self._stop = threading.Event(), threading.Event()
        self._shown.set()
        worker = create_worker(_run, prepared, make_fit, request, self._shown, self._stop, _start_thread=False)
        worker.yielded.connect(lambda value, r=run_id: self._on_yielded(r, value))
        worker.returned.connect(lambda reason, r=run_id: self._on_returned(r, reason))
        worker.finished.connect(lambda r=run_id: self._on_finished(r))
        self._worker = worker
        worker.start()

    def frame_shown(self) -> None:
        self._shown.set()

    def stop(self) -> None:
        if self._worker is not None:
            self._stop.set()
            self._worker.quit()
            self._run_id += 1  # anything the stopped run still sends is stale
            self._worker = None
            self.ended.emit()

    def _on_yielded(self, run_id: int, value) -> None:
        if run_id != self._run_id:
            return
        if isinstance(value, Prepared):
            self.prepared.emit(value)
        else:
            self.frame.emit(value)

    def _on_returned(self, run_id: int, reason: str | None) -> None:
        if run_id == self._run_id and reason:
            self.failed.emit(reason)

    def _on_finished(self, run_id: int) -> None:
        if run_id == self._run_id:
            self._worker = None
            self.ended.emit()
