"""The kernel's cells: one NumberBox per entry, laid out as the kernel is applied, with Tab and Ctrl+arrow
moves between them. Built anew for each size, so a smaller kernel also needs less room."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractSpinBox, QGridLayout, QSizePolicy, QWidget

from .number_box import NumberBox

Grid = tuple[tuple[float, ...], ...]

MOVES = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1), Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0)}


class CellGrid(QWidget):
    """A rows x cols grid of cells; ``edited(row, col, value)`` when the user commits one."""

    edited = Signal(int, int, float)
    refused = Signal(str)
    accepted = Signal()

    def __init__(self, rows: int, cols: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.shape = (rows, cols)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.cells: list[list[NumberBox]] = []
        for r in range(rows):
            line = []
            for c in range(cols):
                box = NumberBox(f"Kernel cell [{r}][{c}]", min_chars=2)
                box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
                box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
                box.setToolTip(f"Kernel cell [{r}][{c}]: multiplies the pixel {_offset_text(r, c, rows, cols)}. "
                               "Type a number or a fraction (1/9); Up/Down change it; Tab, Ctrl+arrows move "
                               "between cells.")
                box.setObjectName(f"cell_{r}_{c}")
                box.valueChanged.connect(lambda v, rc=(r, c): self.edited.emit(rc[0], rc[1], v))
                box.refused.connect(self.refused)
                box.accepted.connect(self.accepted)
                box.installEventFilter(self)
                layout.addWidget(box, r, c)
                line.append(box)
            self.cells.append(line)
        previous = None
        for line in self.cells:
            for box in line:
                if previous is not None:
                    QWidget.setTabOrder(previous, box)
                previous = box

    def show_values(self, kernel: Grid) -> None:
        """Show ``kernel`` (same shape) without emitting edits."""
        for line, values in zip(self.cells, kernel):
            for box, value in zip(line, values):
                # only the focused box can hold uncommitted typing that the new value must replace
                if box.value() != value or (box.hasFocus() and box.is_uncommitted()):
                    box.show_value(value)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(obj, NumberBox) and event.key() in MOVES:
            line_edit = obj.lineEdit()
            key = event.key()
            at_edge = not line_edit.hasSelectedText() and (
                (key == Qt.Key.Key_Left and line_edit.cursorPosition() == 0)
                or (key == Qt.Key.Key_Right and line_edit.cursorPosition() == len(line_edit.text())))
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier or at_edge:
                return self._move_focus(obj, *MOVES[key])
        return super().eventFilter(obj, event)

    def _move_focus(self, box: NumberBox, dr: int, dc: int) -> bool:
        for r, line in enumerate(self.cells):
            if box in line:
                c = line.index(box)
                target = self.cells[min(max(r + dr, 0), len(self.cells) - 1)][min(max(c + dc, 0), len(line) - 1)]
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
