"""The layer stack's step panel: how one pixel of any layer is made (engine.explain_layer_pixel), one row per
term, each naming the pixel of the layer below it reads; "Go down" (or a double click on a term) moves to
that pixel, "Back up" returns. Every number shown is the engine's."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

import engine
from gui.step.grid import fmt
from gui.step.labels import wrapping_label
from gui.step.texts import result_text

COLUMNS = ("reads", "value", "× w", "= product")


def below_name(layer: int) -> str:
    """What layer ``layer`` reads: 'input' for the first, else 'layer N' (numbered from 1)."""
    return "input" if layer == 0 else f"layer {layer}"


class StackStepPanel(QWidget):
    """Emits goDown(row, col, channel) with the pixel of the layer below a chosen term reads, backUp()."""

    goDown = Signal(int, int, int)
    backUp = Signal()
    termChosen = Signal(object)  # (row, col, channel) the chosen term reads below, or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading = wrapping_label()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeaderItem(2).setToolTip("the kernel's weight for this term")
        self.result = wrapping_label()
        self.down = QPushButton("Go down")
        self.down.setToolTip("Step to the pixel of the layer below that the chosen term reads (double-click a "
                             "term does the same)")
        self.up = QPushButton("Back up")
        self.up.setToolTip("Back to the pixel you went down from")
        buttons = QHBoxLayout()
        buttons.addWidget(self.down)
        buttons.addWidget(self.up)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        self.targets: list[tuple[int, int, int] | None] = []  # per row: (row, col, channel) below, or None
        self.explanation = None
        self.down.clicked.connect(self._go_down)
        self.up.clicked.connect(self.backUp)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self._go_down())
        self.table.itemSelectionChanged.connect(self._enable)
        self._enable()

    def sizeHint(self) -> QSize:
        return QSize(340, 420)

    def minimumSizeHint(self) -> QSize:
        """Small: as a tab over the side dock it must not widen it (the table scrolls instead)."""
        return QSize(200, 240)

    def show_unavailable(self, reason: str, can_go_up: bool = False) -> None:
        self.explanation = None
        self.heading.setText(f"<i>{html.escape(reason)}</i>")
        self._fill([])
        self.result.setText("")
        self.up.setEnabled(can_go_up)

    def show_explanation(self, index: int, layer, explanation, channel: int = 0, can_go_up: bool = False) -> None:
        """Layer ``index``'s explanation of a pixel of map ``channel`` (a conv layer's PixelExplanation, a
        pool layer's PoolExplanation, a ReLU's ReluExplanation) as rows of terms."""
        self.explanation = explanation
        row, col = explanation.out_pos
        where = f"[{row}, {col}" + (f", map {channel}]" if channel else "]")
        self.heading.setText(f"<span style='font-size:large'><b>layer {index + 1} ({html.escape(layer.label)})"
                             f"{where} = {fmt(self._value(explanation))}</b></span><br>reads "
                             f"{below_name(index)}; choose a term and <b>Go down</b> to see how its pixel is made")
        if layer.kind == "conv":
            rows = [self._term_row(term) for term in explanation.terms]
            self.result.setText(result_text(explanation))
        elif layer.kind == "pool":
            rows = [(f"[{r}, {c}]", value, None, None, (r, c, channel), (r, c) == explanation.chosen)
                    for (r, c), value in explanation.cells]
            self.result.setText(self._pool_text(explanation))
        else:
            r, c = explanation.source_pos
            rows = [(f"[{r}, {c}]", explanation.value, None, None, (r, c, channel), True)]
            self.result.setText(f"ReLU: max({fmt(explanation.value)}, 0) = <b>{fmt(explanation.stored)}</b> "
                                "(float32)")
        self._fill(rows)
        self.up.setEnabled(can_go_up)

    @staticmethod
    def _value(explanation) -> float:
        return explanation.result if isinstance(explanation, engine.PoolExplanation) else explanation.stored

    @staticmethod
    def _term_row(term) -> tuple:
        """A conv term: the pixel below it reads (a border copies one; zero padding reads none)."""
        r, c = term.input_pos
        ch = f", c{term.channel}" if term.channel else ""
        target = None if term.source_pos is None else (*term.source_pos, term.channel)
        if term.origin == "image":
            reads = f"[{r}, {c}{ch}]"
        elif term.source_pos is None:
            reads = f"[{r}, {c}{ch}] zero padding"
        else:
            reads = f"[{r}, {c}{ch}] {term.origin} border: [{term.source_pos[0]}, {term.source_pos[1]}]"
        return (reads, term.value, term.weight, term.product, target, False)

    @staticmethod
    def _pool_text(e) -> str:
        if e.op == "avg":
            return f"sum {fmt(e.total)} / {len(e.cells)} = <b>{fmt(e.result)}</b> (float32)"
        return f"{e.op} of the {len(e.cells)} cells = <b>{fmt(e.result)}</b>"

    def _fill(self, rows: list[tuple]) -> None:
        self.table.setRowCount(len(rows))
        self.targets = []
        for n, (reads, value, weight, product, target, chosen) in enumerate(rows):
            cells = (reads, fmt(value), "" if weight is None else fmt(weight), "" if product is None else fmt(product))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 3 and product:
                    item.setForeground(Qt.GlobalColor.darkGreen if product > 0 else Qt.GlobalColor.darkRed)
                if chosen:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(n, column, item)
            self.targets.append(target)
        products = any(weight is not None or product is not None for _r, _v, weight, product, _t, _c in rows)
        for column in (2, 3):  # a pool or ReLU multiplies nothing: no empty "× w" and "= product" columns
            self.table.setColumnHidden(column, not products)
        if rows:
            self.table.selectRow(next((n for n, r in enumerate(rows) if r[5]), 0))
        self._enable()

    def _current_target(self):
        rows = self.table.selectionModel().selectedRows()
        return self.targets[rows[0].row()] if rows and rows[0].row() < len(self.targets) else None

    def _enable(self) -> None:
        target = self._current_target()
        self.down.setEnabled(target is not None)
        self.termChosen.emit(target)

    def _go_down(self) -> None:
        target = self._current_target()
        if target is not None:
            self.goDown.emit(*target)

    def choose_term(self, row: int) -> None:
        """Select term ``row`` of the table (as a click would)."""
        self.table.selectRow(row)
