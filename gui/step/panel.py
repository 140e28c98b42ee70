"""The explanation panel of step mode: one output pixel's multiply-and-sum, laid out like the kernel.

Everything shown comes from engine.explain_pixel / engine.explain_pool; each grid cell keeps the exact value
it shows rounded (gui.step.grid). This module builds and arranges the panel and says what it shows;
gui.step.filling fills a term's cells and the pooling window.
"""

from __future__ import annotations

import functools
import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

import engine
from gui.step.channel_grids import ChannelGrids
from gui.step.grid import NumberGrid, fmt
from gui.step.filling import fill_kernel, fill_pool, fill_products, fill_term, fill_values, grid_texts
from gui.step.texts import note_text, result_text, sum_lines, tap_text
from gui.step.labels import SteadyLabel, SteadyText, rule, wrapping_label

RESULT_SHARE = (3, 2)  # the row under the grids: the arithmetic after the sum, then the pooling
SIDE_BY_SIDE_EMS = 52  # the body's width (in widths of "M") from which those two sit side by side


def _or_none(index: int | None) -> int:
    return -1 if index is None else index


class StepPanel(QWidget):
    """Shows how one convolved pixel (and the pooled pixel containing it) was computed. ``termHovered(k)``:
    the mouse is over term k's input, kernel or product cell (-1: over none)."""

    termHovered = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.presentation = False
        self.wide = False
        self._shape = (3, 3)
        self.heading = SteadyText()
        self.note = wrapping_label()
        self.values = NumberGrid("Input values")
        self.kernel = NumberGrid("Kernel")
        self.products = NumberGrid("= Products")
        for grid in (self.values, self.kernel, self.products):
            grid.hovered.connect(lambda r, c: self.termHovered.emit(-1 if r < 0 else _or_none(self.term_at(r, c))))
        self.sums = SteadyLabel()
        self.result = SteadyText()
        self.pool_heading = SteadyText()
        self.pool = NumberGrid("Pooling window")
        self.pool_result = SteadyText()
        self.times = QLabel("<span style='font-size:x-large'><b>×</b></span>")
        self.sum_box = QWidget()
        sum_layout = QVBoxLayout(self.sum_box)
        sum_layout.setContentsMargins(0, 0, 0, 0)
        sum_layout.setSpacing(2)
        sum_layout.addWidget(QLabel("<b>Running sum</b>"))
        sum_layout.addWidget(self.sums)
        sum_layout.addStretch(1)
        self.grids = QGridLayout()
        self.grids.setContentsMargins(0, 0, 0, 0)
        self.grids.setHorizontalSpacing(10)
        self.grids.setVerticalSpacing(8)
        pool_side = QWidget()
        # its share of the row is set by the stretch factors below alone, not by what it shows, so the texts
        # that change from step to step keep the widths they were given
        pool_side.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        pool_box = QVBoxLayout(pool_side)
        pool_box.setContentsMargins(0, 0, 0, 0)
        pool_box.addWidget(self.pool_heading)
        self.pool.title.hide()  # the heading above says it
        pool_box.addWidget(self.pool)
        pool_box.addWidget(self.pool_result)  # under the grid: the whole width for the (large) pooled value
        pool_box.addStretch(1)
        # the arithmetic after the sum and the pooling side by side: the panel fits 1280x720 when projected;
        # the arithmetic has the longer lines, so it gets the larger share
        self.bottom = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.bottom.addWidget(self.result, RESULT_SHARE[0])
        self.bottom_rule = rule(vertical=True)
        self.bottom.addWidget(self.bottom_rule)
        self.bottom.addWidget(pool_side, RESULT_SHARE[1])
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.heading)
        layout.addLayout(self.grids)
        self.channels = ChannelGrids()  # a layer on several channels: per channel grids, where the grids go
        self.channels.termHovered.connect(self.termHovered)
        self.channels.hide()
        layout.addWidget(rule())
        layout.addLayout(self.bottom)
        layout.addStretch(1)
        body.installEventFilter(self)
        self._arrange(3, 3)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.explanation: engine.PixelExplanation | None = None
        self.tap: int | None = None  # tap by tap: the last term shown
        self.focus: int | None = None  # the term lit up (the tap, or the one hovered)
        self.stored_exact: float | None = None
        self.running_exact: list[float] = []
        self.pool_result_exact: float | None = None
        self._arranged_for: tuple[int, int] | None = None
        #: grid -> (explanation, tap) its cells show; a grid out of sight is filled when painted or read
        self._filled: dict[NumberGrid, tuple] = {}

    def _arrange(self, rows: int, cols: int) -> None:
        """Values x weights side by side, products under them with the running sum beside and the note
        under the products (so the panel fits 1280x720); big kernels stack everything in one column (in
        presentation mode from 4 columns on: its large font makes a 5x5 pair too wide for a projector's 1280)."""
        for widget in (self.values, self.times, self.kernel, self.products, self.sum_box, self.note, self.channels):
            self.grids.removeWidget(widget)
        for column in range(6):
            self.grids.setColumnStretch(column, 0)
        if self.wide and cols <= (3 if self.presentation else 5):  # a short, wide dock under the views
            self.grids.addWidget(self.note, 0, 0, 1, 5)  # above the grids: the dock is short
            for column, widget in enumerate((self.values, self.times, self.kernel, self.products, self.sum_box)):
                self.grids.addWidget(widget, 1, column, Qt.AlignmentFlag.AlignTop if widget is not self.times
                                     else Qt.AlignmentFlag.AlignCenter)
            self.grids.addWidget(self.channels, 1, 0, 1, 4, Qt.AlignmentFlag.AlignTop)
            self.grids.setRowStretch(2, 0)
            self.grids.setColumnStretch(5, 1)
            self.times.show()
            self._arranged_for = (rows, cols)
            return
        if cols <= (3 if self.presentation else 5):
            self.grids.addWidget(self.values, 0, 0)
            self.grids.addWidget(self.times, 0, 1, Qt.AlignmentFlag.AlignCenter)
            self.grids.addWidget(self.kernel, 0, 2)
            self.grids.addWidget(self.products, 1, 0)
            self.grids.addWidget(self.note, 2, 0, Qt.AlignmentFlag.AlignTop)
            self.grids.addWidget(self.sum_box, 1, 1, 2, 3)
            self.grids.addWidget(self.channels, 0, 0, 1, 4)
            self.grids.setRowStretch(2, 1)
            self.times.show()
        else:
            for i, widget in enumerate((self.note, self.values, self.kernel, self.products, self.sum_box)):
                self.grids.addWidget(widget, i, 0, 1, 4)
            self.grids.addWidget(self.channels, 1, 0, 1, 4)
            self.grids.setRowStretch(2, 0)
            self.times.hide()
        self.grids.setColumnStretch(3, 1)
        self._arranged_for = (rows, cols)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:  # the body, in the scroll area
            self._fit_bottom(event.size().width())
        return False

    def _fit_bottom(self, width: int) -> None:
        """The arithmetic and the pooling side by side where both fit, else the pooling under it (a narrow
        dock, or presentation mode's large text at 1024 wide), so neither is squeezed or cut."""
        side_by_side = width >= SIDE_BY_SIDE_EMS * self.fontMetrics().horizontalAdvance("M")
        direction = QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
        if self.bottom.direction() != direction:
            self.bottom.setDirection(direction)
            self.bottom_rule.setFrameShape(QFrame.Shape.VLine if side_by_side else QFrame.Shape.HLine)

    # -- content -------------------------------------------------------------------------------------
    def show_explanation(self, explanation: engine.PixelExplanation, pool: engine.PoolExplanation | None,
                         kernel_shape: tuple[int, int], tap: int | None = None) -> None:
        """Show the pixel's arithmetic; with ``tap`` (an index into its terms), only up to that tap: the
        later products are still blank and the tap's cells and sum line are focused."""
        r, c = explanation.out_pos
        mode = "&nbsp; <span style='color:#555'>(lab)</span>" if explanation.lab else ""
        if explanation.subtotals:  # a job with several maps: which one this pixel belongs to
            mode = f"&nbsp; <span style='color:#555'>(map {explanation.channel})</span>"
        self.heading.setText(f"<span style='font-size:x-large'><b>convolved[{r}, {c}] = "
                             f"{fmt(explanation.stored)}</b></span>{mode}")
        rows, cols = self._shape = kernel_shape
        if self._arranged_for != (rows, cols):
            self._arrange(rows, cols)
            self.sums.reset()
        for grid in (self.values, self.kernel, self.products):
            if grid.set_shape(rows, cols):
                self._filled.pop(grid, None)
        self.explanation = explanation
        self.tap = tap if explanation.terms else None
        self.running_exact = [t.running_sum for k, t in enumerate(explanation.terms) if tap is None or k <= tap]
        if explanation.untouched:
            self.note.setText("This margin pixel is <b>never computed</b>: the notebook's loop runs x and y from "
                              "1 to size-2, so it keeps the input's value.")
            self.sums.set_lines(["(no terms)"])
        else:
            self.note.setText(note_text(explanation))
            if ChannelGrids.applies(explanation):  # the channel grids are filled here; the panel's own keep theirs
                self.channels.prepare(explanation, (rows, cols))
                for k, term in enumerate(explanation.terms):
                    fill_term(self.channels.grids_of(term.channel), term, explanation.lab, explanation.out_pos,
                              tap is None or k <= tap, channel_named=True)
        self._show_channels(ChannelGrids.applies(explanation) and not explanation.untouched)
        self.note.setVisible(bool(self.note.text()))
        self.stored_exact = explanation.stored
        self._show_pool(pool)
        self.set_focus(self.tap)

    def _show_channels(self, on: bool) -> None:
        # the × sits between the grids only where they stand side by side (in the stacked arrangement it is
        # out of the layout, and shown it would sit over the note)
        times = (self.times,) if self.grids.indexOf(self.times) >= 0 else ()
        self.channels.take_over(on, (self.values, *times, self.kernel, self.products),
                                self.scroll.viewport().width() - self.sum_box.sizeHint().width() - 40
                                if self.wide else 0)

    def set_focus(self, focus: int | None) -> None:
        """Light up term ``focus`` (its input cell, kernel cell, product and sum line), or none."""
        e = self.explanation
        if e is None:
            return
        terms = e.terms
        focus = focus if focus is not None and 0 <= focus < len(terms) else None
        self.focus = focus
        for grid in (self.values, self.kernel, self.products):
            if grid.canvas.in_sight() or ChannelGrids.applies(e):
                self._fill(grid)
                grid.refresh()
            else:  # scrolled away (a 15x15 kernel's grids fill a long column): filled when painted or read
                kind = "values" if grid is self.values else "kernel" if grid is self.kernel else "products"
                grid.fill_later(functools.partial(self._fill, grid),
                                *grid_texts(kind, e.terms, e.lab, e.out_pos, self.tap if kind == "products" else None))
        if self.channels.isVisibleTo(self):
            self.channels.set_focus(focus)
        if e.untouched:
            self.sums.set_lines(["(no terms)"])
        else:
            self.sums.set_lines(sum_lines(e, self.tap, focus))
        last = self.tap is None or self.tap == len(terms) - 1
        self.result.setText(result_text(e) if last else tap_text(e, self.tap))

    def _fill(self, grid: NumberGrid) -> None:
        """Bring ``grid``'s cells to what the panel shows: the explanation's terms (the products up to the
        tap), the focused term outlined."""
        e = self.explanation
        want = (e, self.tap if grid is self.products else None)
        filled = self._filled.get(grid)
        if filled is None or filled[0] is not want[0] or filled[1] != want[1]:
            self._filled[grid] = want
            if e is None or e.untouched:
                grid.clear()
            elif not ChannelGrids.applies(e):  # a layer's terms go to the channel grids
                if grid is self.values:
                    fill_values(grid, e.terms, e.lab, e.out_pos)
                elif grid is self.kernel:
                    fill_kernel(grid, e.terms)
                else:
                    fill_products(grid, e.terms, self.tap)
        for line in grid.cells:  # one cell at most is focused: set_number unfocuses a cell it fills
            for cell in line:
                if cell.focus:
                    cell.focus = False
        if e is not None and self.focus is not None:
            i, j = e.terms[self.focus].kernel_pos
            grid.cells[i][j].focus = True

    def term_at(self, row: int, col: int) -> int | None:
        """The index of the term of kernel cell (row, col), or None."""
        if self.explanation is None:
            return None
        return next((k for k, t in enumerate(self.explanation.terms) if t.kernel_pos == (row, col)), None)

    def show_unavailable(self, reason: str) -> None:
        """No numbers at all (never those of other options or another image): say why instead."""
        self.explanation = self.stored_exact = self.pool_result_exact = self.tap = self.focus = None
        self.running_exact = []
        self.heading.setText(f"<b>Nothing to step through:</b> {html.escape(reason)}")
        self.note.hide()
        for grid in (self.values, self.kernel, self.products):
            self._fill(grid)
            grid.refresh()
        self.sums.set_lines([""])
        self.result.setText("")
        self._show_pool(None)

    def _show_pool(self, pool: engine.PoolExplanation | None) -> None:
        self.pool_result_exact = fill_pool(self.pool_heading, self.pool, self.pool_result, pool)

    def set_wide(self, on: bool, fits_in: int | None = None) -> None:
        """Wide: the panel sits in a short dock under the views, so the grids go in one row, if that row
        fits in ``fits_in`` pixels (else they keep the taller arrangement)."""
        if on != self.wide:
            self.wide = on
            self._arranged_for = None
            self._arrange(*self._shape)
        self._show_channels(self.channels.isVisibleTo(self))
        if on and fits_in is not None:
            body = self.scroll.widget()
            body.layout().activate()
            if body.sizeHint().width() > fits_in:
                self.wide = False
                self._arrange(*self._shape)
                self._show_channels(self.channels.isVisibleTo(self))

    def set_presentation(self, on: bool) -> None:
        """The window scales the application font for projection; the panel's text and cells follow it."""
        self.presentation = on
        self._arranged_for = None  # lay the grids out again for the new font at the next pixel
