"""The explanation panel of step mode: one output pixel's multiply-and-sum, laid out like the kernel.

Everything shown comes from engine.explain_pixel / engine.explain_pool; each number's label carries the
exact value in its tooltip (and ``exact`` property), the text shows it rounded to 8 significant digits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

import engine

POSITIVE = "#1b7a3a"
NEGATIVE = "#b3261e"


def fmt(value: float) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.8g}"


class NumberCell(QLabel):
    def __init__(self):
        super().__init__()
        self.exact: float | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(40)
        self.setFrameShape(QFrame.Shape.Box)

    def set_number(self, value: float | None, tip: str = "", style: str = "") -> None:
        self.exact = None if value is None else float(value)
        self.setText("" if value is None else fmt(value))
        exact = "" if value is None else repr(float(value))
        self.setToolTip(f"{exact}\n{tip}".strip())
        self.setStyleSheet(f"QLabel {{ padding: 2px 4px; {style} }}")


class NumberGrid(QWidget):
    """A titled grid of NumberCells."""

    def __init__(self, title: str):
        super().__init__()
        self.title = QLabel(f"<b>{title}</b>")
        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        row = QHBoxLayout()
        row.addLayout(self.grid)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addStretch(1)
        self.cells: list[list[NumberCell]] = []

    def set_shape(self, rows: int, cols: int) -> None:
        if len(self.cells) == rows and (not rows or len(self.cells[0]) == cols):
            return
        for line in self.cells:
            for cell in line:
                self.grid.removeWidget(cell)
                cell.deleteLater()
        self.cells = [[NumberCell() for _ in range(cols)] for _ in range(rows)]
        for r, line in enumerate(self.cells):
            for c, cell in enumerate(line):
                self.grid.addWidget(cell, r, c)

    def values(self) -> list[list[float | None]]:
        return [[cell.exact for cell in line] for line in self.cells]


class StepPanel(QWidget):
    """Shows how one convolved pixel (and the pooled pixel containing it) was computed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.values = NumberGrid("Neighbourhood (input values)")
        self.kernel = NumberGrid("Kernel weights")
        self.products = NumberGrid("Products (value x weight)")
        self.sums = QLabel()
        self.sums.setWordWrap(True)
        self.sums.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.pool_heading = QLabel()
        self.pool = NumberGrid("Pooling window (convolved values)")
        self.pool_result = QLabel()
        self.pool_result.setWordWrap(True)
        grids = QWidget()
        grid_layout = QGridLayout(grids)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(self.values, 0, 0)
        grid_layout.addWidget(self.kernel, 0, 1)
        grid_layout.addWidget(self.products, 1, 0)
        grid_layout.setColumnStretch(2, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        for widget in (self.heading, self.note, grids, QLabel("<b>Running sum, term by term</b>"), self.sums,
                       self.result, self.pool_heading, self.pool, self.pool_result):
            layout.addWidget(widget)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.explanation: engine.PixelExplanation | None = None
        self.pool_explanation: engine.PoolExplanation | None = None
        self.stored_exact: float | None = None
        self.sum_exact: float | None = None
        self.running_exact: list[float] = []
        self.pool_result_exact: float | None = None
        self._presentation = False

    # -- content -------------------------------------------------------------------------------------
    def show_explanation(self, explanation: engine.PixelExplanation, pool: engine.PoolExplanation | None,
                         kernel_shape: tuple[int, int]) -> None:
        self.explanation, self.pool_explanation = explanation, pool
        r, c = explanation.out_pos
        mode = "lab mode: the notebook's loop" if explanation.lab else "standard mode"
        self.heading.setText(f"<span style='font-size:130%'><b>convolved[{r}, {c}]</b></span> ({mode})")
        rows, cols = kernel_shape
        for grid in (self.values, self.kernel, self.products):
            grid.set_shape(rows, cols)
        self.running_exact = []
        if explanation.untouched:
            self.note.setText("The notebook's loop runs x and y from 1 to size-2, so this margin pixel is never "
                              "computed: it keeps the input's value.")
            for grid in (self.values, self.kernel, self.products):
                for line in grid.cells:
                    for cell in line:
                        cell.set_number(None)
            self.sums.setText("(no terms)")
            self.sum_exact = None
        else:
            self.note.setText(self._note_text(explanation))
            for term in explanation.terms:
                i, j = term.kernel_pos
                where = f"input[{term.input_pos[0]}, {term.input_pos[1]}]"
                if term.origin == "zero":
                    tip, style = f"{where} is outside the image: zero padding", "border: 1px dashed gray; color: gray;"
                elif term.origin != "image":
                    tip = f"{where} is outside the image: {term.origin} border copies input{list(term.source_pos)}"
                    style = "border: 1px dashed gray; font-style: italic;"
                else:
                    tip, style = where, ""
                if explanation.lab:
                    tip = f"filter[{i}][{j}] multiplies i[{term.input_pos[0]}, {term.input_pos[1]}] (x+{j}-1, y+{i}-1)"
                self.values.cells[i][j].set_number(term.value, tip, style)
                self.kernel.cells[i][j].set_number(term.weight, f"kernel[{i}][{j}]")
                colour = POSITIVE if term.product > 0 else NEGATIVE if term.product < 0 else "gray"
                self.products.cells[i][j].set_number(
                    term.product, f"{fmt(term.value)} x {fmt(term.weight)}",
                    f"color: {colour}; font-weight: bold;")
                self.running_exact.append(term.running_sum)
            self.sums.setText(self._sum_text(explanation))
            self.sum_exact = explanation.sum
        self.stored_exact = explanation.stored
        self.result.setText(self._result_text(explanation))
        self._show_pool(pool)

    @staticmethod
    def _note_text(e: engine.PixelExplanation) -> str:
        if e.lab:
            return ("Lab mode: the notebook multiplies filter[a][b] with i[x+b-1, y+a-1], and x is the row, so "
                    "each kernel cell meets the pixel mirrored across the diagonal: the kernel acts transposed. "
                    "Hover a value to see which pixel it is.")
        padded = sum(1 for t in e.terms if t.origin != "image")
        return (f"{padded} of the {len(e.terms)} cells fall outside the image (dashed); they come from the border "
                "mode." if padded else "")

    @staticmethod
    def _sum_text(e: engine.PixelExplanation) -> str:
        """'0 + (-102) = -102;  -102 + (-204) = -306; ...' with the middle elided for big kernels."""
        steps, previous = [], 0.0
        for t in e.terms:
            steps.append(f"{fmt(previous)} + ({fmt(t.product)}) = <b>{fmt(t.running_sum)}</b>")
            previous = t.running_sum
        if len(steps) > 27:
            steps = steps[:12] + [f"... {len(steps) - 24} more terms ..."] + steps[-12:]
        return ";&nbsp;&nbsp; ".join(steps) if steps else "0"

    @staticmethod
    def _result_text(e: engine.PixelExplanation) -> str:
        if e.untouched:
            return f"<span style='font-size:140%'>stored value: <b>{fmt(e.stored)}</b></span> (unchanged)"
        lines = [f"sum = <b>{fmt(e.sum)}</b>", f"× weight {fmt(e.weight)} = <b>{fmt(e.weighted)}</b>"]
        if not e.lab:
            lines.append(f"+ offset {fmt(e.offset)} = <b>{fmt(e.before_clamp)}</b> (before clamping)")
        if e.output_range == "clamp":
            clamp = {"low": "below 0 → 0", "high": "above 255 → 255"}.get(e.clamped or "", "within 0..255")
            lines.append(f"clamp: {clamp}; truncate toward zero")
        else:
            lines.append("raw output: kept as float32")
        lines.append(f"<span style='font-size:140%'>stored value: <b>{fmt(e.stored)}</b></span>")
        return "<br>".join(lines)

    def _show_pool(self, pool: engine.PoolExplanation | None) -> None:
        if pool is None:
            self.pool_heading.setText("<i>This pixel is in no pooling window (or pooling is off).</i>")
            self.pool.set_shape(0, 0)
            self.pool_result.setText("")
            self.pool_result_exact = None
            return
        top, left, size, _ = pool.window
        self.pool_heading.setText(f"<b>pooled[{pool.out_pos[0]}, {pool.out_pos[1]}]</b>: {pool.op} of "
                                  f"convolved rows {top}..{top + size - 1}, columns {left}..{left + size - 1}")
        self.pool.set_shape(size, size)
        for (r, c), value in pool.cells:
            chosen = pool.chosen == (r, c)
            style = "background: #ffd54f; color: black; font-weight: bold;" if chosen else ""
            self.pool.cells[r - top][c - left].set_number(value, f"convolved[{r}, {c}]", style)
        if pool.op == "avg":
            text = f"sum {fmt(pool.total)} / {len(pool.cells)} = <b>{fmt(pool.result)}</b> (stored as float32)"
        else:
            text = f"{pool.op} = <b>{fmt(pool.result)}</b> (highlighted)"
        self.pool_result.setText(text)
        self.pool_result_exact = pool.result

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        font = QFont(self.font())
        base = QFont().pointSizeF()
        font.setPointSizeF(base * 1.6 if on else base)
        self.setFont(font)
