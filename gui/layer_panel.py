"""The layer controls: how many feature maps (output channels) the kernel makes, which (input channel,
output channel) slice the kernel editor edits, the layer's shape and its bias per map; and the helpers that
turn those choices and the editor's edits into document changes.

Outputs 0 means a 2-D kernel, which filters each image channel by itself (a colour photo stays colour);
1 to 8 makes a kh x kw x Cin x Cout (HWIO) kernel whose every slice starts as the kernel being edited.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QSpinBox, QWidget

import engine
from gui.text_labels import set_text_if_changed
from engine.numbers import format_number


class LayerPanel(QWidget):
    """Emits outputsChosen(n) and sliceChosen(in_channel, out_channel); shows what ``show_layer`` is given."""

    outputsChosen = Signal(int)
    sliceChosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.outputs = QSpinBox()
        self.outputs.setRange(0, engine.MAX_OUT_CHANNELS)
        self.outputs.setSpecialValueText("off")
        self.outputs.setToolTip("Feature maps the layer makes. 'off': the 2-D kernel filters every "
                                "image channel by itself. 1 to 8: a kh x kw x Cin x Cout kernel (TensorFlow's "
                                "HWIO) whose slices you edit one at a time.")
        self.in_channel, self.out_channel = QSpinBox(), QSpinBox()
        self.in_channel.setToolTip("The input channel (ci) of the slice the kernel editor shows")
        self.out_channel.setToolTip("The output channel (feature map) of the slice the kernel editor shows; its "
                                    "map is the one in the convolved view")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Maps", self.outputs)
        form.addRow("Slice in", self.in_channel)
        form.addRow("Map", self.out_channel)
        form.addRow(self.note)
        self._showing = False
        self.outputs.valueChanged.connect(lambda n: self._showing or self.outputsChosen.emit(n))
        for box in (self.in_channel, self.out_channel):
            box.valueChanged.connect(lambda _v: self._showing or self.sliceChosen.emit(*self.slice))

    @property
    def slice(self) -> tuple[int, int]:
        return (self.in_channel.value(), self.out_channel.value())

    def show_layer(self, options: engine.JobOptions, image_channels: int) -> None:
        kh, kw, cin, cout = options.layer_shape
        self._showing = True
        try:
            self.outputs.setValue(cout or 0)
            # only new ranges: every setRange asks the side panel for a new layout, and this runs per edit
            for box, top in ((self.in_channel, max((cin or 1) - 1, 0)),
                             (self.out_channel, max((cout or image_channels) - 1, 0))):
                if (box.minimum(), box.maximum()) != (0, top):
                    box.setRange(0, top)
        finally:
            self._showing = False
        self.outputs.setEnabled(not options.lab)
        self.in_channel.setEnabled(cin is not None and not options.lab)
        self.out_channel.setEnabled(not options.lab)
        maps = cout or image_channels
        biases = ", ".join(format_number(options.offset_of(o)) for o in range(maps))
        shape = (f"layer kernel {kh}x{kw}x{cin}x{cout} (HWIO)" if cin is not None
                 else f"{kh}x{kw} kernel on each of {image_channels} channel(s)")
        set_text_if_changed(self.note, f"{shape}; bias per map: {biases}")


def editor_values(options: engine.JobOptions, chosen: tuple[int, int]) -> tuple:
    """(kernel, weight, offset) the editor shows: the chosen slice and its map's bias."""
    ci, o = _valid_slice(options, chosen)
    return options.kernel_slice(ci, o), options.weight, options.offset_of(o)


def _valid_slice(options: engine.JobOptions, chosen: tuple[int, int]) -> tuple[int, int]:
    _, _, cin, cout = options.layer_shape
    if cin is None:
        return 0, (chosen[1] if isinstance(options.offset, tuple) and chosen[1] < len(options.offset) else 0)
    return min(chosen[0], cin - 1), min(chosen[1], cout - 1)


def edit_changes(options: engine.JobOptions, chosen: tuple[int, int], state: engine.Preset) -> dict:
    """The document changes for an editor edit of the chosen slice (kernel, weight, that map's bias)."""
    ci, o = _valid_slice(options, chosen)
    if not options.is_layer_kernel and not isinstance(options.offset, tuple):
        return dict(kernel=state.kernel, weight=state.weight, offset=state.offset)
    if options.is_layer_kernel and (len(state.kernel), len(state.kernel[0])) != options.shape:
        kh, kw, cin, cout = options.layer_shape
        array = np.array(options.kernel_array)
        # a new size applies to every slice: each keeps its centre values, the rest start at 0
        kernel = np.zeros((len(state.kernel), len(state.kernel[0]), cin, cout))
        h, w = min(kh, kernel.shape[0]), min(kw, kernel.shape[1])
        kernel[:h, :w] = array[:h, :w]
        options = replace(options, kernel=kernel)
    offsets = [options.offset_of(n) for n in range(len(options.offset) if isinstance(options.offset, tuple)
                                                    else options.layer_shape[3] or 1)]
    offsets[o] = state.offset
    kernel = options.with_kernel_slice(ci, o, state.kernel).kernel if options.is_layer_kernel else state.kernel
    return dict(kernel=kernel, weight=state.weight, offset=offsets)


def outputs_changes(options: engine.JobOptions, chosen: tuple[int, int], maps: int, image_channels: int) -> dict:
    """The document changes for choosing ``maps`` feature maps (0: a 2-D kernel on each channel)."""
    grid, _, offset = editor_values(options, chosen)
    if maps == 0:
        return dict(kernel=grid, offset=offset)
    kernel = np.repeat(np.repeat(np.array(grid)[:, :, None, None], image_channels, 2), maps, 3)
    return dict(kernel=kernel, offset=[offset] * maps)


def layer_preset_changes(options: engine.JobOptions, chosen: tuple[int, int], name: str,
                         image_channels: int) -> dict:
    """The document changes for layer preset ``name``: every slice filled from the edited one. A 2-D kernel
    becomes a layer with one map per image channel; the maps' biases stay."""
    _, _, cin, cout = options.layer_shape
    cout = cout or min(max(image_channels, 1), engine.MAX_OUT_CHANNELS)
    kernel = engine.fill_layer(name, editor_values(options, chosen)[0], image_channels, cout)
    biases = options.offset if isinstance(options.offset, tuple) else (options.offset,) * cout
    return dict(kernel=kernel, offset=[biases[o] if o < len(biases) else 0.0 for o in range(cout)])


def shown_result(result: engine.JobResult, chosen: tuple[int, int]) -> engine.JobResult:
    """What the big views show: one feature map (the chosen one) of a result with several, except a 2-D
    kernel on a colour image, whose three maps are shown as colour."""
    maps = result.convolved
    if maps.ndim == 2 or (maps.shape[2] == 3 and not result.options.is_layer_kernel):
        return result
    o = min(chosen[1], maps.shape[2] - 1)
    pooled = None if result.pooled is None else result.pooled[:, :, o]
    return replace(result, convolved=maps[:, :, o], pooled=pooled)
