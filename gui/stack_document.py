"""The layer stack of the document (issue 15): a pipeline of conv, ReLU and pool layers run on the document's
image, which layer the editor edits, and the latest result of every layer.

Off (``active`` False) the window is today's one-layer window and this holds nothing. On, edits of the chosen
layer come here instead of to the document's options; each edit is validated by the engine (the pipeline's
output shapes) and either applied and run, or refused with one message. A job recomputes from the first
layer that differs from the result shown on (earlier outputs are kept), on the worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

import engine
from engine import levels as engine_levels
from gui.worker import JobFailure, JobRunner

#: What a new layer starts as: an identity-ish 3x3 conv with signed output, a ReLU, a 2x2 max pool.
NEW_CONV = engine.JobOptions(kernel=((0, -1, 0), (-1, 5, -1), (0, -1, 0)), output_range="raw", pool=None)


@dataclass(frozen=True)
class StackRequest:
    """What the worker is asked to run: the pipeline, the result it may keep layers of, and from where."""

    pipeline: engine.Pipeline
    previous: engine.PipelineResult | None
    start: int
    previous_levels: tuple = ()


@dataclass(frozen=True)
class ShownStack:
    """A pipeline's result (engine.PipelineResult: its image, pipeline and outputs) with the display levels of
    every layer, made together on the worker thread."""

    result: engine.PipelineResult
    levels: tuple  # engine.Levels, one per layer

    @property
    def outputs(self) -> tuple:
        return self.result.outputs

    @property
    def pipeline(self) -> engine.Pipeline:
        return self.result.pipeline


def is_signed(pipeline: engine.Pipeline, index: int) -> bool:
    """Whether layer ``index``'s output is drawn with the diverging colormap: raw conv output and what pools
    it; clamped, ReLU and the layers after a ReLU in gray."""
    for layer in reversed(pipeline.layers[:index + 1]):
        if layer.kind == "conv":
            return layer.options.output_range == "raw" and not layer.options.lab
        if layer.kind == "relu":
            return False
    return False


def stack_steps(image: np.ndarray, request: StackRequest):
    """The worker's job: engine.pipeline_steps from ``request.start`` on, then the new layers' levels."""
    pipeline, start = request.pipeline, request.start
    result = yield from engine.pipeline_steps(image, pipeline, request.previous, start)
    levels = list(request.previous_levels[:start])
    for index in range(len(levels), len(result.outputs)):
        output, value_range = result.outputs[index], result.ranges[index]
        levels.append(engine_levels.signed_levels(output, value_range=value_range) if is_signed(pipeline, index)
                      else engine_levels.plain_levels(output, value_range))
    return ShownStack(result, tuple(levels))


def first_change(shown: ShownStack | None, image: np.ndarray, pipeline: engine.Pipeline) -> int:
    """The first layer whose output the shown result cannot give for ``pipeline`` on ``image``."""
    if shown is None or shown.result.image is not image:
        return 0
    return min(pipeline.first_difference(shown.pipeline), len(shown.outputs))


def _nearest_conv(pipeline: engine.Pipeline, index: int) -> engine.JobOptions:
    for layer in reversed(pipeline.layers[:index + 1]):
        if layer.kind == "conv":
            return layer.options
    return NEW_CONV


class StackDocument(QObject):
    """The layer stack; ``document`` gives the image. Mirrors the document's edit interface (``options``,
    ``change``, ``accepts``, ``optionsChanged``, ``refused``) so the editor and options panel can edit the
    chosen layer as they edit today's single layer."""

    activeChanged = Signal(bool)
    pipelineChanged = Signal(object)  # engine.Pipeline (chosen layer included: emitted on choose too)
    optionsChanged = Signal(object)  # engine.JobOptions the editor and options panel show for the chosen layer
    resultReady = Signal(object)  # ShownStack
    jobFailed = Signal(object)  # JobFailure
    refused = Signal(str)

    def __init__(self, document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.active = False
        self.pipeline: engine.Pipeline | None = None
        self.chosen = 0
        self.shown: ShownStack | None = None
        self.failure: JobFailure | None = None
        self.runner = JobRunner(self, steps=stack_steps)
        # progress and idle are the document's (one status bar, one Cancel for whichever job runs)
        self.runner.started.connect(lambda _seq: document.jobStarted.emit())
        self.runner.progress.connect(lambda _seq, fraction: document.jobProgress.emit(fraction))
        self.runner.idle.connect(document.idle)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        document.imageChanged.connect(self.submit)

    # -- on and off -----------------------------------------------------------------------------------
    def activate(self, pipeline: engine.Pipeline | None = None, chosen: int = 0) -> bool:
        """Show the stack: ``pipeline``, or today's window as a pipeline ([conv, pool] or [conv])."""
        if pipeline is None:
            pipeline = engine.Pipeline.from_job(self.document.options)
        if not self._check(pipeline):
            return False
        was = self.active
        self.active = True
        self._set(pipeline, chosen)
        if not was:
            self.activeChanged.emit(True)
        return True

    def deactivate(self) -> None:
        """Back to the one-layer window (its options as they were); the stack's job stops."""
        if not self.active:
            return
        self.active = False
        self.runner.cancel()
        self.activeChanged.emit(False)
        self.document.submit()

    # -- the chosen layer, as the editor and options panel see it -----------------------------------------
    @property
    def layer(self):
        return self.pipeline.layers[self.chosen]

    @property
    def options(self) -> engine.JobOptions:
        """A conv layer's options; for a pool layer the conv before it with this pool (its pool row is what
        is edited); for a ReLU the conv before it."""
        layer = self.layer
        if layer.kind == "conv":
            return layer.options
        pool = layer.pool if layer.kind == "pool" else None
        return _nearest_conv(self.pipeline, self.chosen).with_changes(pool=pool)

    def input_shape(self, index: int | None = None) -> tuple[int, ...] | None:
        """The shape of what layer ``index`` (default: the chosen one) reads, or None without an image."""
        image = self.document.image
        index = self.chosen if index is None else index
        if image is None or index == 0:
            return None if image is None else image.shape
        try:
            return tuple(engine.output_shapes(self.pipeline, image.shape)[index - 1])
        except engine.KernelscopeError:
            return None

    def input_channels(self, index: int | None = None) -> int:
        shape = self.input_shape(index)
        return 1 if shape is None or len(shape) == 2 else shape[2]

    def change(self, **changes) -> bool:
        """Apply option changes to the chosen layer, or refuse them all with one message."""
        layer = self._changed_layer(changes)
        return layer is not None and self.replace(self.chosen, layer)

    def accepts(self, **changes) -> bool:
        layer = self._changed_layer(changes)
        return layer is not None and self._check(self.pipeline.with_layer(self.chosen, layer))

    def _changed_layer(self, changes: dict):
        layer = self.layer
        try:
            if layer.kind == "conv":
                if changes.get("lab") and not layer.options.lab:
                    changes = {**changes, **engine.lab_rules.fixed_options()}  # what lab mode fixes
                if changes.get("pool") is not None:
                    raise engine.OptionsError("in the layer stack pooling is a layer of its own: add a pool layer")
                return engine.ConvLayer(layer.options.with_changes(**{k: v for k, v in changes.items()
                                                                      if k not in ("pool", "lab")}))
            if layer.kind == "pool" and set(changes) == {"pool"}:
                if changes["pool"] is None:
                    raise engine.OptionsError("to stop pooling here, remove the pool layer")
                return engine.PoolLayer(changes["pool"])
            raise engine.OptionsError(f"layer {self.chosen + 1} ({layer.label}) has no such option")
        except engine.KernelscopeError as e:
            self.refused.emit(str(e))
            return None

    # -- strip edits ----------------------------------------------------------------------------------
    def choose(self, index: int) -> None:
        if self.pipeline is not None and 0 <= index < len(self.pipeline.layers) and index != self.chosen:
            self.chosen = index
            self.pipelineChanged.emit(self.pipeline)
            self.optionsChanged.emit(self.options)

    def replace(self, index: int, layer) -> bool:
        return self._apply(self.pipeline.with_layer(index, layer), self.chosen)

    def add(self, kind: str) -> bool:
        """A new layer of ``kind`` ('conv', 'relu', 'pool') after the chosen one, chosen next."""
        if not self.active and not self.activate():
            return False
        layer = {"conv": lambda: engine.ConvLayer(NEW_CONV), "relu": engine.ReluLayer,
                 "pool": lambda: engine.PoolLayer(engine.PoolOptions())}[kind]()
        at = self.chosen + 1
        return self._apply(self.pipeline.inserted(at, layer), at)

    def remove(self, index: int | None = None) -> bool:
        index = self.chosen if index is None else index
        if len(self.pipeline.layers) == 1:
            self.refused.emit("a stack keeps at least one layer")
            return False
        return self._apply(self.pipeline.removed(index), min(self.chosen, len(self.pipeline.layers) - 2))

    def move(self, index: int, to: int) -> bool:
        """Move layer ``index`` to position ``to``; the chosen layer follows it if it was the one moved."""
        count = len(self.pipeline.layers)
        if not (0 <= index < count and 0 <= to < count) or index == to:
            return False
        return self._apply(self.pipeline.moved(index, to), to if index == self.chosen else self.chosen)

    def _apply(self, pipeline: engine.Pipeline, chosen: int) -> bool:
        if not self._check(pipeline):
            return False
        self._set(pipeline, chosen)
        return True

    def _check(self, pipeline: engine.Pipeline) -> bool:
        """Whether the pipeline can run on the image (engine.output_shapes); if not, says why (refused)."""
        if not pipeline.layers:
            self.refused.emit("this pipeline has no layers; a stack needs at least one")
            return False
        image = self.document.image
        if image is None:
            return True
        try:
            engine.output_shapes(pipeline, image.shape)
        except engine.KernelscopeError as e:
            self.refused.emit(str(e))
            return False
        return True

    def _set(self, pipeline: engine.Pipeline, chosen: int) -> None:
        self.pipeline, self.chosen = pipeline, max(0, min(chosen, len(pipeline.layers) - 1))
        self.pipelineChanged.emit(pipeline)
        self.optionsChanged.emit(self.options)
        self.submit()

    # -- jobs -----------------------------------------------------------------------------------------
    def submit(self) -> None:
        image = self.document.image
        if not self.active or image is None or self.pipeline is None:
            return
        self.failure = None
        start = first_change(self.shown, image, self.pipeline)
        shown = self.shown if start else None
        self.runner.submit(image, StackRequest(self.pipeline, None if shown is None else shown.result, start,
                                               () if shown is None else shown.levels))

    @property
    def is_current(self) -> bool:
        return (self.shown is not None and self.shown.result.image is self.document.image
                and self.shown.pipeline == self.pipeline)

    def _on_finished(self, _seq: int, shown: ShownStack) -> None:
        self.shown, self.failure = shown, None
        self.resultReady.emit(shown)

    def _on_failed(self, _seq: int, failure: JobFailure) -> None:
        self.failure = failure
        self.jobFailed.emit(failure)

    def shutdown(self) -> None:
        self.runner.shutdown()
