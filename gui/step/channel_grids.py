"""Step mode for a layer reading several input channels: one block per input channel, each with that
channel's input values, its kernel slice, their products and what they add up to (the explanation's
per-channel subtotal), so the sum over channels, the bias and the stored value below read as the layer's
formula. The cells are filled by StepPanel like its own grids; this module lays the blocks out and keeps
the focus and hover of terms that differ only in their channel apart.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

import engine
from gui.step.grid import NumberGrid, fmt

RGB_NAMES = ("R", "G", "B", "A")


def channel_label(ci: int, channels: int) -> str:
    name = f" ({RGB_NAMES[ci]})" if channels in (3, 4) else ""
    return f"input channel {ci}{name}"


class ChannelBlock(QWidget):
    """One input channel: values × slice = products, and their subtotal."""

    def __init__(self):
        super().__init__()
        self.title = QLabel()
        self.values = NumberGrid("Input values")
        self.kernel = NumberGrid("Kernel slice")
        self.products = NumberGrid("= Products")
        self.subtotal = QLabel()
        self.subtotal.setTextFormat(Qt.TextFormat.RichText)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.title, 0, 0, 1, 3)
        grid.addWidget(self.values, 1, 0)
        grid.addWidget(QLabel("<b>×</b>"), 1, 1, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(self.kernel, 1, 2)
        grid.addWidget(self.products, 2, 0)
        grid.addWidget(self.subtotal, 2, 1, 1, 2, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(3, 1)

    @property
    def grids(self) -> tuple[NumberGrid, NumberGrid, NumberGrid]:
        return (self.values, self.kernel, self.products)


class ChannelGrids(QWidget):
    """The blocks of every input channel an output pixel reads. ``termHovered(k)``: the mouse is over
    term k's cell in some block (-1: none)."""

    termHovered = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.blocks: list[ChannelBlock] = []
        self.channels: list[int] = []
        self.explanation: engine.PixelExplanation | None = None
        self.columns = 1
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setHorizontalSpacing(18)
        self._layout.setVerticalSpacing(10)
        self._placed: tuple[int, int] | None = None

    @staticmethod
    def applies(explanation: engine.PixelExplanation | None) -> bool:
        """Whether the pixel's terms read more than one input channel (a layer kernel on channels)."""
        return explanation is not None and len({t.channel for t in explanation.terms}) > 1

    def prepare(self, explanation: engine.PixelExplanation, kernel_shape: tuple[int, int]) -> None:
        """One block per channel read, shaped like the kernel, emptied: StepPanel then fills the cells."""
        self.explanation = explanation
        self.channels = sorted({t.channel for t in explanation.terms})
        while len(self.blocks) < len(self.channels):
            block = ChannelBlock()
            for grid in block.grids:
                grid.hovered.connect(lambda r, c, b=block: self._hovered(b, r, c))
            self.blocks.append(block)
        self._place()
        subtotals = dict(explanation.subtotals)
        for k, block in enumerate(self.blocks):
            block.setVisible(k < len(self.channels))
            if k >= len(self.channels):
                continue
            ci = self.channels[k]
            block.title.setText(f"<b>{channel_label(ci, len(self.channels))}</b>")
            for grid in block.grids:
                grid.set_shape(*kernel_shape)
                grid.clear()
            block.subtotal.setText(f"sum of its products:<br><b>{fmt(subtotals[ci])}</b>" if ci in subtotals else "")

    def grids_of(self, channel: int) -> tuple[NumberGrid, NumberGrid, NumberGrid]:
        return self.blocks[self.channels.index(channel)].grids

    def take_over(self, on: bool, single: tuple[QWidget, ...], fits_in: int = 0) -> None:
        """Show the blocks instead of the panel's one-channel grids (``single``), as many side by side as
        fit in ``fits_in`` pixels (0: one column), or give the place back."""
        self.setVisible(on)
        for widget in single:
            widget.setVisible(not on)
        columns = 1
        if on and fits_in and self.blocks:
            block = self.blocks[0].sizeHint().width() + self._layout.horizontalSpacing()
            columns = min(len(self.channels), max(1, fits_in // max(block, 1)))
        self.set_columns(columns)

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            self._place()

    def _place(self) -> None:
        wanted = (len(self.blocks), self.columns)
        if wanted == self._placed:
            return
        self._placed = wanted
        for block in self.blocks:
            self._layout.removeWidget(block)
        for k, block in enumerate(self.blocks):
            self._layout.addWidget(block, k // self.columns, k % self.columns, Qt.AlignmentFlag.AlignTop)
        self._layout.setColumnStretch(self.columns, 1)

    def set_focus(self, focus: int | None) -> None:
        """Light up term ``focus``'s cells in its channel's block only; repaint the blocks."""
        terms = self.explanation.terms if self.explanation is not None else ()
        target = terms[focus] if focus is not None and 0 <= focus < len(terms) else None
        for k, block in enumerate(self.blocks[:len(self.channels)]):
            for grid in block.grids:
                for line in grid.cells:
                    for cell in line:
                        cell.focus = False
                if target is not None and self.channels[k] == target.channel:
                    i, j = target.kernel_pos
                    grid.cells[i][j].focus = True
                grid.refresh()

    def _hovered(self, block: ChannelBlock, row: int, col: int) -> None:
        if row < 0 or self.explanation is None or block not in self.blocks:
            self.termHovered.emit(-1)
            return
        ci = self.channels[self.blocks.index(block)]
        term = next((k for k, t in enumerate(self.explanation.terms)
                     if t.kernel_pos == (row, col) and t.channel == ci), -1)
        self.termHovered.emit(term)


__all__ = ["ChannelGrids", "channel_label"]

