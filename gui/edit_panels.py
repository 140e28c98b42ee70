"""The panels that edit the options: the kernel editor, the options panel and the layer panel show the
document's options (with the layer stack on, its chosen layer's) and send their edits back to it; a refused
edit puts them back as they were."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject

import engine
from gui.layer_panel import edit_changes, editor_values, layer_preset_changes, outputs_changes
from gui.stack_docks import conv_before


class EditPanels(QObject):
    """Wires ``editor``, ``options_panel`` and ``layer_panel`` to ``document``. ``mirroring()``: a learning
    run is handing its kernels to the document (the editor then keeps the whole run as one undo step);
    ``shape_changed(shape)``: the kernel's shape after each edit (the docks' layout follows it);
    ``pooling_changed(on)``: whether the options pool; ``say(text, error=...)``: refusals."""

    def __init__(self, document, editor, options_panel, layer_panel, say: Callable[..., None],
                 mirroring: Callable[[], bool], shape_changed: Callable, pooling_changed: Callable[[bool], None]):
        super().__init__(document)
        self.document, self.editor, self.options_panel, self.layer_panel = document, editor, options_panel, layer_panel
        self.say, self._mirroring = say, mirroring
        self._shape_changed, self._pooling_changed = shape_changed, pooling_changed
        self._kernel_shown: tuple | None = None  # (stack on, its chosen layer, slice) the editor shows
        editor.stateChanged.connect(self._on_kernel_edited)
        editor.message.connect(lambda text: say(text, error=True))
        options_panel.edited.connect(lambda changes: self.edits.change(**changes))
        layer_panel.outputsChosen.connect(lambda maps: self.edits.change(**outputs_changes(
            self.edits.options, layer_panel.slice, maps, self.channels())))
        layer_panel.sliceChosen.connect(lambda _in, _out: self.show_options(self.edits.options, again=True))
        document.imageChanged.connect(self._show_image_shape)
        document.optionsChanged.connect(self.show_options)
        document.refused.connect(lambda _why: self.show_options(document.options, again=True))

    @property
    def edits(self):
        """Where the editor's and options panel's edits go: the document's options, or the layer the stack
        has chosen (both offer options, change and accepts)."""
        return self.document.stack if self.document.stack.active else self.document

    def channels(self) -> int:
        """The channels the edited layer reads: the image's, or the stack's chosen layer's input's."""
        if self.document.stack.active:
            return self.document.stack.input_channels()
        image = self.document.image
        return 1 if image is None else engine.channel_count(image)

    def _conv_input_shape(self) -> tuple[int, ...] | None:
        """What the conv layer whose options are shown reads: the chosen layer's, or for a ReLU or pool layer
        the conv layer's before it (None if there is none)."""
        stack = self.document.stack
        conv = conv_before(stack.pipeline, stack.chosen)
        return None if conv is None else stack.input_shape(conv)

    def _on_kernel_edited(self, state: engine.Preset) -> None:
        edits = self.edits
        if not edits.change(**edit_changes(edits.options, self.layer_panel.slice, state)):
            self.editor.set_values(*editor_values(edits.options, self.layer_panel.slice), text="Refused edit")

    def fill_layer(self, name: str) -> None:
        """A layer preset: every slice of the kernel (of the stack's chosen layer) at once, refused with the
        reason, e.g. in lab mode."""
        try:
            changes = layer_preset_changes(self.edits.options, self.layer_panel.slice, name, self.channels())
        except engine.KernelscopeError as e:
            self.say(str(e), error=True)
            return
        self.edits.change(**changes)

    def show_options(self, options: engine.JobOptions, again: bool = False) -> None:
        """The editor, the options panel and the layer panel show ``options``; ``again`` False: only what an
        edit of the same options changes."""
        self.editor.set_lab_mode(options.lab)
        state, shown = self.editor.state, editor_values(options, self.layer_panel.slice)
        if (state.kernel, state.weight, state.offset) != shown:
            if self._mirroring():  # a whole learning run is one undo step
                self.editor.set_values(*shown, text="Learned kernel", merge_key="learned")
            else:
                self.editor.set_values(*shown, text="Set options")
        stack = self.document.stack
        kernel_shown = (stack.active, stack.chosen if stack.active else None, self.layer_panel.slice)
        if kernel_shown != self._kernel_shown:  # another layer or slice: the editor's history was the last one's,
            self._kernel_shown = kernel_shown  # and undoing it here would write that kernel into this one
            self.editor.undo_stack.clear()
        self.options_panel.show_options(options, again)
        self.layer_panel.show_layer(options, self.channels())
        image = self.document.image
        shape = self._conv_input_shape() if stack.active else None if image is None else image.shape
        self.options_panel.show_shape(shape, options)
        self._shape_changed(options.shape)
        self._pooling_changed(options.pool is not None)

    def _show_image_shape(self) -> None:
        document = self.document
        if not document.stack.active:  # the stack shows its chosen layer's (gui.stack_mode)
            self.options_panel.show_shape(document.image.shape, document.options)
            self.layer_panel.show_layer(document.options, self.channels())
