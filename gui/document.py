"""What the window is about: the image and where it came from, the job options, the latest result with its
display levels, and the job runner that turns the first two into the third.

Widgets read the document and send it edits; it validates each edit and either applies it and says so
(imageChanged, optionsChanged, then resultReady when the job is done) or refuses it with one message
(refused) and stays as it was. Nothing here builds a widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal

import engine
from engine.clamp_report import ClampReport, clamp_report
from gui.stack_document import StackDocument
from gui.worker import JobFailure, JobRunner


@dataclass(frozen=True)
class Source:
    """Where the image came from: a label for titles, and the file or built-in sample to reopen it."""

    label: str
    path: str | None = None
    sample: str | None = None


@dataclass(frozen=True)
class ShownResult:
    """A job's result and the display levels of its outputs, computed together on the worker thread."""

    result: engine.JobResult
    levels: dict[str, engine.Levels]
    clamp: ClampReport | None = None  # what the clamp threw away, when asked for (want_clamp_report)
    display: dict = field(default_factory=dict)  # output name -> its pixels (engine.colour_maps.DisplayImage)


def _apply_lab_rules(options: engine.JobOptions, changes: dict) -> dict:
    """Turning lab mode on sets what it fixes (engine.lab_rules) and the notebook's pooling; the kernel it
    cannot run (not 3x3) is refused by the options themselves, with the reason."""
    if not changes.get("lab") or options.lab:
        return changes
    changes = {**changes, **engine.lab_rules.fixed_options()}
    if "pool" not in changes and options.pool is not None:
        changes["pool"] = engine.LAB_POOL
    return changes


class Document(QObject):
    """The image, the options, the latest result; every edit goes through here."""

    imageChanged = Signal()
    optionsChanged = Signal(object)  # engine.JobOptions
    resultReady = Signal(object)  # ShownResult, for the current image and the options it was run with
    jobStarted = Signal()
    jobProgress = Signal(float)
    jobFailed = Signal(object)  # gui.worker.JobFailure
    idle = Signal()  # no job running or pending
    refused = Signal(str)  # an edit that was not applied, and why

    def __init__(self, levels: Callable[[engine.JobResult], dict], options: engine.JobOptions | None = None,
                 parent: QObject | None = None, display: Callable[[engine.JobResult, dict], dict] | None = None):
        """``levels(result)`` gives a result's display levels and ``display(result, levels)`` the pixels to
        show; both run on the worker thread with the job."""
        super().__init__(parent)
        self.image: np.ndarray | None = None
        self.source: Source | None = None
        self.options = options if options is not None else engine.JobOptions()
        self.shown: ShownResult | None = None
        self.failure: JobFailure | None = None  # why the newest job failed; None once one succeeds
        self.want_clamp_report = False  # read on the worker thread: jobs then add engine.clamp_report
        self._levels, self._display = levels, display
        self.runner = JobRunner(self, prepare=self._prepare, steps=self._job_steps)
        self.runner.started.connect(lambda _seq: self.jobStarted.emit())
        self.runner.progress.connect(lambda _seq, fraction: self.jobProgress.emit(fraction))
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.idle.connect(self.idle)
        self.stack = StackDocument(self, self)  # the layer stack: off until a layer is added or a stack chosen

    @property
    def pipeline(self) -> engine.Pipeline:
        """The layers the window shows: the stack's when it is on, else today's [conv, pool] (or [conv])."""
        return self.stack.pipeline if self.stack.active else engine.Pipeline.from_job(self.options)

    @property
    def result(self) -> engine.JobResult | None:
        return None if self.shown is None else self.shown.result

    # -- edits ----------------------------------------------------------------------------------------
    def set_image(self, image: np.ndarray, source: Source) -> None:
        """Show a new image (checked by the engine) and run the options on it."""
        image = engine.check_channels_image(image)  # gray, or H x W x C (RGB)
        self.image, self.source, self.shown = image, source, None
        self.imageChanged.emit()
        self.submit()

    def change(self, **changes) -> bool:
        """Apply some option changes (lab mode's rules included), or refuse them all with one message."""
        options = self._changed(changes)
        return options is not None and self.set_options(options)

    def accepts(self, **changes) -> bool:
        """Whether ``change(**changes)`` would be applied; if not, says why (refused) like change."""
        return self._changed(changes) is not None

    def _changed(self, changes: dict) -> engine.JobOptions | None:
        try:
            return self.options.with_changes(**_apply_lab_rules(self.options, changes))
        except engine.KernelscopeError as e:
            self.refused.emit(str(e))
            return None

    def set_options(self, options: engine.JobOptions) -> bool:
        """Replace the options (already validated: a JobOptions is always a valid one) and run them."""
        if options != self.options:
            self.options = options
            self.submit()  # first: the job runs on the worker while the widgets below show the new options
            self.optionsChanged.emit(options)
        return True

    def set_clamp_report(self, on: bool) -> None:
        """Have jobs also report what the clamp threw away; run again if the result shown lacks it."""
        self.want_clamp_report = on
        if (on and self.shown is not None and self.shown.clamp is None and self.image is not None
                and engine.clamp_report_refusal(self.image.shape, self.options) is None):
            self.submit()

    def _prepare(self, result: engine.JobResult) -> ShownResult:
        """On the worker thread, after the job: everything the window shows of the result."""
        levels = self._levels(result)
        display = self._display(result, levels) if self._display is not None else {}
        return ShownResult(result, levels, self._clamp_report(result), display)

    def _clamp_report(self, result: engine.JobResult) -> ClampReport | None:
        """On the worker thread, with the job: the clamp report when wanted and the output is clamped."""
        if not self.want_clamp_report or engine.clamp_report_refusal(result.image.shape, result.options):
            return None  # raw output, a colour image or several maps: the overlay says why
        return clamp_report(result.image, result.options)

    # -- jobs -----------------------------------------------------------------------------------------
    def submit(self) -> None:
        self.failure = None
        if self.image is not None and not self.stack.active:  # the stack runs its own job (gui.stack_document)
            self.runner.submit(self.image, self.options)

    def _job_steps(self, image: np.ndarray, options: engine.JobOptions):
        """On the worker thread: engine.job_steps, given the shown result when the job can copy maps or
        finish sums from it (an edit of one map's kernel slice, a bias, the weight, the output range:
        engine.reused_maps, engine.refinished_maps)."""
        previous = self.result
        if previous is not None and (engine.reused_maps(image, options, previous)
                                     or engine.refinished_maps(image, options, previous)):
            return engine.job_steps(image, options, previous)
        return engine.job_steps(image, options)

    def cancel(self) -> bool:
        """Stop the running job (the views keep the last result); False if none was running."""
        if not self.is_busy():
            return False
        self.runner.cancel()
        self.stack.runner.cancel()
        self.idle.emit()
        return True

    def is_busy(self) -> bool:
        """Whether a job (today's, or the layer stack's) runs or is pending."""
        return self.runner.is_busy() or self.stack.runner.is_busy()

    @property
    def is_current(self) -> bool:
        """Whether the shown result is that of the image and options held now."""
        return (self.shown is not None and self.shown.result.image is self.image
                and self.shown.result.options == self.options)

    def _on_finished(self, _seq: int, shown: ShownResult) -> None:
        self.shown, self.failure = shown, None
        self.resultReady.emit(shown)

    def _on_failed(self, _seq: int, failure: JobFailure) -> None:
        self.failure = failure
        self.jobFailed.emit(failure)

    def wait_for_idle(self, timeout_ms: int = 10000) -> bool:
        """Run the event loop until no job runs or is pending (for tests and scripted screenshots).

        A nested QEventLoop, not a processEvents() loop: PySide6 keeps the GIL while processEvents waits,
        which starves the engine's threads."""
        if self.is_busy():
            loop = QEventLoop()
            poll = QTimer(interval=2, timeout=lambda: self.is_busy() or loop.quit())
            deadline = QTimer(singleShot=True, timeout=loop.quit)
            poll.start()
            deadline.start(timeout_ms)
            loop.exec()
            poll.stop()
            deadline.stop()
        QCoreApplication.processEvents()
        return not self.is_busy()

    def shutdown(self) -> None:
        self.stack.shutdown()
        self.runner.shutdown()

    # -- sessions -------------------------------------------------------------------------------------
    def session(self, step_pos: tuple[int, int] | None = None, preset: str | None = None) -> engine.Session:
        """What a session file stores: the image's source, the options, the step position and the name of the
        preset the kernel came from (both held by widgets, so passed in), and the layer stack and its chosen layer
        when it is on."""
        source = self.source or Source("")
        channels = "rgb" if self.image is not None and self.image.ndim == 3 else "gray"
        pipeline, chosen = (self.stack.pipeline, self.stack.chosen) if self.stack.active else (None, 0)
        return engine.Session(source.path, self.options, step_pos, source.sample, preset, channels, pipeline, chosen)


__all__ = ["Document", "JobFailure", "ShownResult", "Source"]
