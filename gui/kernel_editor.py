"""The kernel editor: a grid of spinboxes laid out as the kernel is applied, with weight, offset, presets
and undo/redo. It edits a (kernel, weight, offset) value; the window turns that into engine.JobOptions."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QAbstractSpinBox, QDoubleSpinBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

import engine
from engine.options import MAX_KERNEL_SIDE, VALUE_LIMIT

Grid = tuple[tuple[float, ...], ...]

@dataclass(frozen=True)
class KernelState:
    """What the editor edits: the kernel as written, its weight and offset."""

    kernel: Grid
    weight: float = 1.0
    offset: float = 0.0

    @classmethod
    def from_preset(cls, preset: engine.Preset) -> "KernelState":
        return cls(preset.kernel, float(preset.weight), float(preset.offset))

    def resized(self, rows: int, cols: int) -> "KernelState":
        """Same centre cells, new size: new cells are 0."""
        old_rows, old_cols = len(self.kernel), len(self.kernel[0])
        dr, dc = (rows - old_rows) // 2, (cols - old_cols) // 2
        grid = [[0.0] * cols for _ in range(rows)]
        for r in range(old_rows):
            for c in range(old_cols):
                if 0 <= r + dr < rows and 0 <= c + dc < cols:
                    grid[r + dr][c + dc] = self.kernel[r][c]
        return KernelState(tuple(tuple(row) for row in grid), self.weight, self.offset)

DEFAULT_STATE = KernelState.from_preset(engine.get_preset("Notebook: 'horizontal lines'"))

class _SetState(QUndoCommand):
    def __init__(self, editor: "KernelEditor", old: KernelState, new: KernelState, text: str, merge_key=None):
        super().__init__(text)
        self.editor, self.old, self.new, self.merge_key = editor, old, new, merge_key

    def id(self) -> int:
        return 1 if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # consecutive steps of one spinbox are one undo step
        if isinstance(other, _SetState) and other.merge_key == self.merge_key and self.merge_key is not None:
            self.new = other.new
            return True
        return False

    def redo(self) -> None:
        self.editor._apply(self.new)

    def undo(self) -> None:
        self.editor._apply(self.old)

class NumberBox(QDoubleSpinBox):
    """A spinbox that writes numbers as people do: -1, 0.5, 0.1111111111 (no trailing zeros)."""

    def textFromValue(self, value: float) -> str:
        text = f"{value:.{self.decimals()}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text


def _spinbox(decimals: int, tooltip: str) -> QDoubleSpinBox:
    box = NumberBox()
    box.setRange(-VALUE_LIMIT, VALUE_LIMIT)
    box.setDecimals(decimals)
    box.setSingleStep(1.0)
    box.setKeyboardTracking(False)
    box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setToolTip(tooltip)
    box.setAccelerated(True)
    return box

class KernelEditor(QWidget):
    """Spinbox grid + size + weight/offset + sum. Emits stateChanged(KernelState) on every change."""

    stateChanged = Signal(object)
    message = Signal(str)  # something to tell the user (e.g. why normalise is impossible)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._state = DEFAULT_STATE
        self._cells: list[list[QDoubleSpinBox]] = []
        self._lab = False

        self.rows = QSpinBox()
        self.cols = QSpinBox()
        for box, what in ((self.rows, "rows"), (self.cols, "columns")):
            box.setRange(1, MAX_KERNEL_SIDE)
            box.setToolTip(f"Kernel {what} (1 to {MAX_KERNEL_SIDE}). Even sizes anchor like TensorFlow's "
                           "'SAME': the extra row/column is below/right of the centre.")
            box.valueChanged.connect(self._resize_from_boxes)
        size_row = QHBoxLayout()
        size_row.addWidget(QLabel("Size"))
        size_row.addWidget(self.rows)
        size_row.addWidget(QLabel("x"))
        size_row.addWidget(self.cols)
        size_row.addStretch(1)

        self.grid = QGridLayout()
        self.grid.setSpacing(3)
        grid_holder = QWidget()
        grid_holder.setLayout(self.grid)

        self.weight = _spinbox(10, "Weight: the sum of products is multiplied by this. Use 1/sum (Normalize) "
                                   "to keep a blur's brightness; the notebook uses 1 for edge filters.")
        self.weight.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.weight.setSingleStep(0.1)
        self.weight.valueChanged.connect(lambda v: self._user_edit(weight=v, key="weight"))
        self.offset = _spinbox(3, "Offset: added after the weight, like a CNN layer's bias. 128 shows an "
                                  "emboss's negative responses as darker gray instead of black.")
        self.offset.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.offset.valueChanged.connect(lambda v: self._user_edit(offset=v, key="offset"))
        self.normalize = QPushButton("Normalize")
        self.normalize.setToolTip("Set weight = 1 / (sum of the kernel), so a flat area keeps its brightness.")
        self.normalize.clicked.connect(self.normalize_weight)
        self.sum_label = QLabel()
        self.sum_label.setToolTip("The kernel's sum, and the sum times the weight (1 keeps flat areas unchanged).")
        weight_row = QHBoxLayout()
        weight_row.addWidget(self.weight, 1)
        weight_row.addWidget(self.normalize)
        form = QFormLayout()
        form.addRow("Weight", weight_row)
        form.addRow("Offset", self.offset)
        form.addRow("Sum", self.sum_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(size_row)
        layout.addWidget(grid_holder)
        layout.addLayout(form)
        self._apply(self._state)

    # -- the value -------------------------------------------------------------------------------
    @property
    def state(self) -> KernelState:
        return self._state

    def cell(self, row: int, col: int) -> QDoubleSpinBox:
        return self._cells[row][col]

    def set_state(self, state: KernelState, text: str = "Set kernel") -> None:
        """Change the whole value as one undoable step (presets, reset, sessions)."""
        if state != self._state:
            self.undo_stack.push(_SetState(self, self._state, state, text))

    def set_preset(self, preset: engine.Preset) -> None:
        self.set_state(KernelState.from_preset(preset), f"Preset {preset.name}")

    def reset(self) -> None:
        self.set_state(DEFAULT_STATE, "Reset kernel")

    def set_lab_mode(self, lab: bool) -> None:
        """Lab mode runs the notebook's 3x3 loop and has no offset: lock what does not apply."""
        self._lab = lab
        self.rows.setEnabled(not lab)
        self.cols.setEnabled(not lab)
        self.offset.setEnabled(not lab)

    def normalize_weight(self) -> None:
        try:
            weight = engine.normalizing_weight(self._state.kernel)
        except engine.OptionsError as e:
            self.message.emit(f"Cannot normalize: {e}")
            return
        self.set_state(KernelState(self._state.kernel, weight, self._state.offset), "Normalize")

    # -- internals ---------------------------------------------------------------------------------
    def _user_edit(self, weight=None, offset=None, cell=None, value=None, key=None) -> None:
        state = self._state
        if cell is not None:
            rows = [list(r) for r in state.kernel]
            rows[cell[0]][cell[1]] = float(value)
            new = KernelState(tuple(tuple(r) for r in rows), state.weight, state.offset)
        else:
            new = KernelState(state.kernel, state.weight if weight is None else float(weight),
                              state.offset if offset is None else float(offset))
        if new != state:
            self.undo_stack.push(_SetState(self, state, new, "Edit kernel", merge_key=key))

    def _resize_from_boxes(self) -> None:
        rows, cols = self.rows.value(), self.cols.value()
        if (rows, cols) != (len(self._state.kernel), len(self._state.kernel[0])):
            self.set_state(self._state.resized(rows, cols), f"Resize to {rows}x{cols}")

    def _apply(self, state: KernelState) -> None:
        self._state = state
        rows, cols = len(state.kernel), len(state.kernel[0])
        if (len(self._cells), len(self._cells[0]) if self._cells else 0) != (rows, cols):
            self._build_grid(rows, cols)
        for box, value in ((self.rows, rows), (self.cols, cols)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        for r in range(rows):
            for c in range(cols):
                self._set_box(self._cells[r][c], state.kernel[r][c])
        self._set_box(self.weight, state.weight)
        self._set_box(self.offset, state.offset)
        total = engine.JobOptions(kernel=state.kernel, weight=state.weight).kernel_sum
        self.sum_label.setText(f"{_fmt(total)}   (x weight = {_fmt(total * state.weight)})")
        self.stateChanged.emit(state)

    @staticmethod
    def _set_box(box: QDoubleSpinBox, value: float) -> None:
        if box.value() != value:
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)

    def _build_grid(self, rows: int, cols: int) -> None:
        for row in self._cells:
            for box in row:
                self.grid.removeWidget(box)
                box.deleteLater()
        self._cells = []
        width = 64 if max(rows, cols) <= 7 else 52
        for r in range(rows):
            line = []
            for c in range(cols):
                box = _spinbox(3, f"Kernel cell [{r}][{c}]: multiplies the pixel {_offset_text(r, c, rows, cols)}."
                                  " Up/Down change it; Tab, Ctrl+arrows move between cells.")
                box.setMinimumWidth(width)
                box.setObjectName(f"cell_{r}_{c}")
                box.valueChanged.connect(lambda v, rc=(r, c): self._user_edit(cell=rc, value=v, key=rc))
                box.installEventFilter(self)
                self.grid.addWidget(box, r, c)
                line.append(box)
            self._cells.append(line)
        previous = None
        for line in self._cells:
            for box in line:
                if previous is not None:
                    QWidget.setTabOrder(previous, box)
                previous = box

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(obj, QDoubleSpinBox):
            moves = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1), Qt.Key.Key_Up: (-1, 0),
                     Qt.Key.Key_Down: (1, 0)}
            key = event.key()
            if key in moves:
                line_edit = obj.lineEdit()
                at_edge = ((key == Qt.Key.Key_Left and line_edit.cursorPosition() == 0 and not line_edit.hasSelectedText())
                           or (key == Qt.Key.Key_Right and line_edit.cursorPosition() == len(line_edit.text())
                               and not line_edit.hasSelectedText()))
                if event.modifiers() & Qt.KeyboardModifier.ControlModifier or at_edge:
                    return self._move_focus(obj, *moves[key])
        return super().eventFilter(obj, event)

    def _move_focus(self, box: QDoubleSpinBox, dr: int, dc: int) -> bool:
        for r, line in enumerate(self._cells):
            if box in line:
                c = line.index(box)
                r2 = min(max(r + dr, 0), len(self._cells) - 1)
                c2 = min(max(c + dc, 0), len(line) - 1)
                target = self._cells[r2][c2]
                target.setFocus(Qt.FocusReason.TabFocusReason)
                target.selectAll()
                return True
        return False

def _offset_text(r: int, c: int, rows: int, cols: int) -> str:
    dr, dc = r - (rows - 1) // 2, c - (cols - 1) // 2
    parts = []
    if dr:
        parts.append(f"{abs(dr)} {'row' if abs(dr) == 1 else 'rows'} {'above' if dr < 0 else 'below'}")
    if dc:
        parts.append(f"{abs(dc)} {'column' if abs(dc) == 1 else 'columns'} {'left' if dc < 0 else 'right'}")
    return "at the centre" if not parts else " and ".join(parts) + " of the centre (standard mode)"

def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"

