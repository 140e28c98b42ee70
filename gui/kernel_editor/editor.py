"""The kernel editor widget: the active preset's name, size, cells, weight, offset, Normalize and the sum,
with undo/redo. Its value is an engine.Preset named after the preset it started from; the window turns
that into engine.JobOptions."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QAbstractSpinBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QVBoxLayout, QWidget)

import engine
from engine.numbers import format_number
from engine.options import MAX_KERNEL_SIDE

from .cells import CellGrid
from .kernel_value import PresetNames, resized, values
from .number_box import EXTRA_UNDO_KEYS, NumberBox, SizeBox

DEFAULT_PRESET = engine.kernels.DEFAULT_PRESET


class _SetState(QUndoCommand):
    def __init__(self, editor: "KernelEditor", old: engine.Preset, new: engine.Preset, text: str, merge_key=None):
        super().__init__(text)
        self.editor, self.old, self.new, self.merge_key = editor, old, new, merge_key

    def id(self) -> int:
        return 1 if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # consecutive steps of one box are one undo step
        if isinstance(other, _SetState) and other.merge_key == self.merge_key and self.merge_key is not None:
            self.new = other.new
            self.setText(other.text())
            self.setObsolete(self.new == self.old)  # steps that end where they began leave no undo step
            return True
        return False

    def redo(self) -> None:
        self.editor._apply(self.new)

    def undo(self) -> None:
        self.editor._apply(self.old)


class KernelEditor(QWidget):
    """Preset name + size + cell grid + weight/offset + sum. Emits stateChanged(engine.Preset) on every change."""

    stateChanged = Signal(object)
    #: The editor's message for the user (why Normalize or a typed number was refused), or "" once its
    #: cause is gone. The editor shows it too, under the weight and offset.
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._state = DEFAULT_PRESET
        self._names = PresetNames()
        self._grid: CellGrid | None = None
        self._lab_fixed: dict[str, tuple] = {}  # engine.lab_rules.FIXED while lab mode is on
        self._lab: bool | None = None  # the lab mode shown (None: not yet told)

        self.preset_label = QLabel()
        # Its text wraps inside the dock rather than widening it, in room for two lines kept from the start:
        # "(modified)" coming and going must not relayout the side panel (that repaints all of it).
        self.preset_label.setWordWrap(True)
        self.preset_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.preset_label.setMinimumHeight(2 * self.preset_label.fontMetrics().lineSpacing())
        self.rows, self.cols = SizeBox(MAX_KERNEL_SIDE), SizeBox(MAX_KERNEL_SIDE)
        self._size_tip = tuple(f"Kernel {what} (1 to {MAX_KERNEL_SIDE}), applied on Enter, Tab or an arrow. "
                               "Even sizes anchor like TensorFlow's 'SAME': the extra row/column is below/right "
                               "of the centre." for what in ("rows", "columns"))
        for box, tip in ((self.rows, self._size_tip[0]), (self.cols, self._size_tip[1])):
            box.setToolTip(tip)
            box.valueChanged.connect(self._resize_from_boxes)
        size_row = QHBoxLayout()
        for widget in (QLabel("Size"), self.rows, QLabel("x"), self.cols):
            size_row.addWidget(widget)
        size_row.addStretch(1)
        self.grid_holder = QVBoxLayout()
        self.grid_holder.setContentsMargins(0, 0, 0, 0)

        self.weight = NumberBox("Weight", step=0.1, min_chars=5, max_chars=12)
        self.weight.setToolTip("Weight: the sum of products is multiplied by this. Type a fraction (1/9) or use "
                               "1/sum (Normalize) to keep a blur's brightness; the notebook uses 1 for edge filters.")
        self.offset = NumberBox("Offset", min_chars=4, max_chars=10)
        self._offset_tip = ("Offset: added after the weight, like a CNN layer's bias. 128 shows an emboss's "
                            "negative responses as darker gray instead of black.")
        self.offset.setToolTip(self._offset_tip)
        for box, name in ((self.weight, "weight"), (self.offset, "offset")):
            box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
            box.valueChanged.connect(lambda v, n=name: self._user_edit(replace(self._state, **{n: v}), n))
            box.refused.connect(self._say)
            box.accepted.connect(self._unsay)
        self.normalize = QPushButton("Normalize")
        self.normalize.setToolTip("Set weight = 1 / (sum of the kernel), so a flat area keeps its brightness.")
        self.normalize.clicked.connect(self.normalize_weight)
        self.sum_label = QLabel()
        self.sum_label.setWordWrap(True)
        self.sum_label.setToolTip("The kernel's sum, and the sum times the weight (1 keeps flat areas unchanged).")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #c62828; font-weight: bold;")
        self.note.hide()
        normalize_row = QHBoxLayout()
        normalize_row.addWidget(self.normalize)
        normalize_row.addStretch(1)
        form = QFormLayout()  # the sum and Normalize get rows of their own, so a narrow dock still fits them
        form.addRow("Weight", self.weight)
        form.addRow("Offset", self.offset)
        form.addRow(self.sum_label)
        form.addRow(normalize_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preset_label)
        layout.addLayout(size_row)
        layout.addLayout(self.grid_holder)
        layout.addLayout(form)
        layout.addWidget(self.note)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._apply(self._state)

    # -- the value -------------------------------------------------------------------------------
    @property
    def state(self) -> engine.Preset:
        return self._state

    @property
    def modified(self) -> bool:
        """Whether the values differ from those of the preset the editor is named after."""
        return self._names.modified(self._state)

    def cell(self, row: int, col: int) -> NumberBox:
        return self._grid.cells[row][col]

    def set_state(self, state: engine.Preset, text: str = "Set kernel", merge_key=None) -> None:
        """Change the whole value as one undoable step (presets, reset, sessions); consecutive changes with
        the same ``merge_key`` make one step."""
        if state != self._state:
            self.undo_stack.push(_SetState(self, self._state, state, text, merge_key=merge_key))

    def set_values(self, kernel, weight: float, offset: float, name: str | None = None,
                   text: str = "Set kernel", merge_key=None) -> None:
        """Show these values, named ``name`` (a session's preset) or, if None, after a preset that has exactly
        these values (the current name if the values do not change)."""
        unnamed = engine.Preset("", kernel, weight, offset)
        if name is None and values(unnamed) == values(self._state):
            return
        self.set_state(self._names.named(unnamed, name), text, merge_key)

    def set_preset(self, preset: engine.Preset) -> None:
        self._names.add(preset)
        self.set_state(preset, f"Preset {preset.name}")

    def set_user_presets(self, presets: list[engine.Preset]) -> None:
        """The user's own presets, so that a kernel named after one knows whether it was modified."""
        self._names.set_user_presets(presets)
        self._show_name()

    def reset(self) -> None:
        self.set_state(DEFAULT_PRESET, "Reset kernel")

    def set_lab_mode(self, lab: bool) -> None:
        """Lock what lab mode fixes (engine.lab_rules): the kernel's size, and the offset, which shows the
        value lab mode runs with; the tooltips say why."""
        if self._lab == lab:
            return  # called after every edit: new tooltips and states would be sent to each box again
        self._lab = lab
        self._lab_fixed = dict(engine.lab_rules.FIXED) if lab else {}
        rows, cols = engine.lab_rules.KERNEL_SHAPE
        for box, tip in ((self.rows, self._size_tip[0]), (self.cols, self._size_tip[1])):
            box.setEnabled(not lab)
            box.setToolTip(f"Lab mode runs the notebook's loop, which takes a {rows}x{cols} kernel." if lab else tip)
        fixed_offset = self._lab_fixed.get("offset")
        self.offset.setEnabled(fixed_offset is None)
        self.offset.setToolTip(self._offset_tip if fixed_offset is None else f"Lab mode: {fixed_offset[1]}.")
        self._show_offset()

    def normalize_weight(self) -> None:
        try:
            weight = engine.normalizing_weight(self._state.kernel)
        except engine.OptionsError as e:
            self._say(f"Cannot normalize: {e}")
            return
        self.set_state(replace(self._state, weight=weight), "Normalize")

    def create_undo_actions(self, parent) -> tuple[QAction, QAction]:
        """Edit > Undo and Redo for the window, with every usual shortcut (Ctrl+Z; Ctrl+Shift+Z and Ctrl+Y).
        The editor's boxes pass these keys on to them once what was typed is committed."""
        undo = self.undo_stack.createUndoAction(parent, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(parent, "&Redo")
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        redo.setShortcuts(keys + [k for k in EXTRA_UNDO_KEYS if k not in keys])
        return undo, redo

    # -- internals ---------------------------------------------------------------------------------
    def _user_edit(self, new: engine.Preset, key) -> None:
        if new != self._state:
            self.undo_stack.push(_SetState(self, self._state, new, "Edit kernel", merge_key=key))

    def _edit_cell(self, row: int, col: int, value: float) -> None:
        kernel = [list(line) for line in self._state.kernel]
        kernel[row][col] = value
        self._user_edit(replace(self._state, kernel=kernel), (row, col))

    def _resize_from_boxes(self) -> None:
        rows, cols = self.rows.value(), self.cols.value()
        if (rows, cols) != (len(self._state.kernel), len(self._state.kernel[0])):
            new = replace(self._state, kernel=resized(self._state.kernel, rows, cols))
            self.undo_stack.push(_SetState(self, self._state, new, f"Resize to {rows}x{cols}", merge_key="size"))

    def _apply(self, state: engine.Preset) -> None:
        self._state = state
        shape = (len(state.kernel), len(state.kernel[0]))
        if self._grid is None or self._grid.shape != shape:
            self._build_grid(*shape)
        for box, value in zip((self.rows, self.cols), shape):
            if box.value() != value or box.is_uncommitted():  # setValue repaints the box even for its own value
                box.blockSignals(True)
                box.setValue(value)
                box.blockSignals(False)
        self._grid.show_values(state.kernel)
        self._show_box(self.weight, state.weight)
        self._show_offset()
        total = engine.JobOptions(kernel=state.kernel, weight=state.weight).kernel_sum
        self.sum_label.setText(f"Sum {format_number(total)}   (x weight = {format_number(total * state.weight)})")
        self._show_name()
        self._unsay()  # whatever the editor said was about the previous value
        self.stateChanged.emit(state)

    def _show_offset(self) -> None:
        fixed = self._lab_fixed.get("offset")
        self._show_box(self.offset, self._state.offset if fixed is None else fixed[0])

    @staticmethod
    def _show_box(box: NumberBox, value: float) -> None:
        if box.value() != value or box.is_uncommitted():
            box.show_value(value)

    def _show_name(self) -> None:
        name = self._state.name
        text = f"Preset: {name}{' (modified)' if self.modified else ''}" if name else "Custom kernel"
        self.preset_label.setText(text)
        self.preset_label.setToolTip(self._state.description)

    def _build_grid(self, rows: int, cols: int) -> None:
        if self._grid is not None:
            self.grid_holder.removeWidget(self._grid)
            self._grid.setParent(None)  # gone at once, not when the event loop gets to deleteLater
            self._grid.deleteLater()
        self._grid = CellGrid(rows, cols)
        self._grid.edited.connect(self._edit_cell)
        self._grid.refused.connect(self._say)
        self._grid.accepted.connect(self._unsay)
        self.grid_holder.addWidget(self._grid)
        self.updateGeometry()

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.message.emit(text)

    def _unsay(self) -> None:
        if self.note.text():
            self._say("")
