"""What the kernel analysis and Learn docks follow: the kernel the editor edits. In the one-layer window
that is the document's; with the layer stack on, the conv layer chosen in the strip (for a ReLU or pool
layer, which have no kernel, the conv layer before it, and the docks say so). A layer kernel with several
channels is followed one slice at a time, the slice the editor shows.

ChosenKernel offers the document's interface the docks use (``options``, ``image``, ``set_options``,
``is_busy`` and the signals ``optionsChanged``, ``imageChanged``, ``idle``), so they need not know which
of the two they follow."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

import engine
from gui.layer_panel import edit_changes, editor_values
from gui.stack_document import first_change


def conv_before(pipeline: engine.Pipeline, index: int) -> int | None:
    """The index of layer ``index`` if it is a conv layer, else of the last conv layer before it (None)."""
    return next((k for k in range(index, -1, -1) if pipeline.layers[k].kind == "conv"), None)


class ChosenKernel(QObject):
    """Follows ``document`` (gui.document.Document, its ``stack`` included) and the editor's slice
    (``layer_panel``: gui.layer_panel.LayerPanel)."""

    optionsChanged = Signal(object)  # engine.JobOptions of one 2-D kernel (the slice followed)
    imageChanged = Signal()  # the image the chosen layer reads is another one
    idle = Signal()
    described = Signal(str)  # what the docks show, in words

    def __init__(self, document, layer_panel, parent: QObject | None = None):
        super().__init__(parent)
        self.document, self.stack, self.layer_panel = document, document.stack, layer_panel
        self._followed: tuple = (None, None)  # (layer, image) the docks were last told of
        document.optionsChanged.connect(lambda _o: None if self.stack.active else self._changed())
        self.stack.optionsChanged.connect(lambda _o: self._changed() if self.stack.active else None)
        self.stack.activeChanged.connect(lambda _on: self._changed())
        layer_panel.sliceChosen.connect(lambda *_: self._changed())
        document.imageChanged.connect(self._check_image)
        self.stack.resultReady.connect(lambda _shown: self._check_image())
        document.idle.connect(self.idle)
        self._followed = (self.layer, self.image)

    # -- what is followed -----------------------------------------------------------------------------
    @property
    def layer(self) -> int | None:
        """The stack's layer whose kernel is followed (None: the one-layer window's, or no conv layer)."""
        if not self.stack.active or self.stack.pipeline is None:
            return None
        return conv_before(self.stack.pipeline, self.stack.chosen)

    @property
    def whole_options(self) -> engine.JobOptions:
        """The options of the layer followed, its whole kernel (every slice) included."""
        layer = self.layer
        return self.stack.pipeline.layers[layer].options if layer is not None else self.document.options

    @property
    def options(self) -> engine.JobOptions:
        """The followed options with the kernel slice the editor shows (its weight and that map's bias)."""
        whole = self.whole_options
        if not whole.is_layer_kernel and not isinstance(whole.offset, tuple):
            return whole
        kernel, weight, offset = editor_values(whole, self.layer_panel.slice)
        return whole.with_changes(kernel=kernel, weight=weight, offset=offset)

    def describe(self) -> str:
        """Whose kernel the docks show, in a few words: 'the kernel editor', 'layer 4 (conv 5x5x4x2)', or
        for a ReLU or pool layer the conv before it and that the chosen layer has no kernel."""
        whole, stack = self.whole_options, self.stack
        part = ""
        if whole.is_layer_kernel or isinstance(whole.offset, tuple):
            kernel_in, kernel_out = self.layer_panel.slice
            part = f", slice input {kernel_in} -> map {kernel_out}"
        if not stack.active or stack.pipeline is None:
            return "the kernel editor" + part
        chosen, layer = stack.chosen, self.layer
        name = f"layer {chosen + 1} ({stack.pipeline.layers[chosen].label})"
        if layer is None:
            return f"none: {name} has no kernel, nor a conv layer before it"
        if layer == chosen:
            return name + part
        return f"layer {layer + 1} ({stack.pipeline.layers[layer].label}){part}: {name} has no kernel"

    # -- what the Learn dock needs besides ------------------------------------------------------------
    @property
    def image(self) -> np.ndarray | None:
        """What the followed layer reads: the document's image, or the output of the stack layer before it
        (None while that is not computed yet; an edit of the layer itself or later ones keeps it)."""
        layer = self.layer
        if not layer:  # the one-layer window, or the stack's first layer: the image itself
            return self.document.image
        shown, stack = self.stack.shown, self.stack
        if first_change(shown, self.document.image, stack.pipeline) < layer:  # not computed yet for these layers
            return None
        return shown.outputs[layer - 1]

    def set_options(self, options: engine.JobOptions) -> bool:
        """Put a 2-D kernel (with its weight, offset, border and output range) where the editor's edits go:
        the document, or the followed slice of the chosen conv layer."""
        layer = self.layer
        if not self.stack.active:
            return self.document.set_options(options)
        if layer is None or layer != self.stack.chosen:
            return False
        whole = self.whole_options
        state = engine.Preset("learned", options.kernel, options.weight, options.offset)
        changes = edit_changes(whole, self.layer_panel.slice, state)
        return self.stack.change(**changes, border=options.border, output_range=options.output_range)

    def is_busy(self) -> bool:
        return self.document.is_busy()

    # -- following --------------------------------------------------------------------------------------
    def _check_image(self) -> None:
        layer, image = self.layer, self.image
        if layer != self._followed[0] or image is not self._followed[1]:
            self._followed = (layer, image)
            self.imageChanged.emit()

    def _changed(self) -> None:
        self._check_image()
        self.optionsChanged.emit(self.options)
        self.described.emit(self.describe())
