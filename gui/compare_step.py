"""Step-through in compare mode: A's and B's multiply-and-sum for the same pixel side by side (two step
panels, from engine.explain_pixel), and where A and B differ at that pixel (from engine.Comparison)."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolBar, QVBoxLayout, QWidget

import engine
from gui.step.grid import fmt
from gui.step.panel import StepPanel


def _side(title: str, panel: StepPanel) -> tuple[QWidget, QLabel]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel(title)
    label.setWordWrap(True)
    layout.addWidget(label)
    layout.addWidget(panel, 1)
    return box, label


class CompareStep(QWidget):
    """A toolbar (the compare actions), a line about the pixel, and A's and B's step panels side by side.
    ``termHovered`` is not used here: each side lights up its own cells."""

    shown = Signal(int, int)  # the pixel whose explanations are now shown

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.toolbar = QToolBar("Compare")
        self.pixel_line = QLabel()
        self.pixel_line.setWordWrap(True)
        self.a_panel, self.b_panel = StepPanel(), StepPanel()
        for panel in (self.a_panel, self.b_panel):
            panel.pool_heading.hide()  # compare mode compares the convolved images, not their pooling
        a_box, self.a_title = _side("<b>A</b>", self.a_panel)
        b_box, self.b_title = _side("<b>B</b>", self.b_panel)
        sides = QHBoxLayout()
        sides.setContentsMargins(0, 0, 0, 0)
        sides.addWidget(a_box, 1)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        sides.addWidget(line)
        sides.addWidget(b_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.pixel_line)
        layout.addLayout(sides, 1)
        self.explanations: tuple[engine.PixelExplanation, engine.PixelExplanation] | None = None
        self._shown: dict[int, engine.PixelExplanation] = {}  # id(panel) -> the explanation it shows

    def set_titles(self, a_label: str, b_label: str) -> None:
        self.a_title.setText(f"<b>{html.escape(a_label)}</b>")
        self.b_title.setText(f"<b>{html.escape(b_label)}</b>")

    def set_presentation(self, on: bool) -> None:
        self._shown.clear()  # laid out again at the next pixel shown
        for panel in (self.a_panel, self.b_panel):
            panel.set_presentation(on)

    def show_pixel(self, comparison: engine.Comparison, a: engine.PixelExplanation, b: engine.PixelExplanation,
                   channel: int = 0) -> None:
        """A's and B's explanations of one pixel, with A, B and A - B there (the comparison's values)."""
        self.explanations = (a, b)
        row, col = a.out_pos
        for panel, explanation, shape in ((self.a_panel, a, comparison.a.options.shape),
                                          (self.b_panel, b, comparison.b.options.shape)):
            if self._shown.get(id(panel)) is not explanation:  # unchanged (A while B is edited): no repaint
                panel.show_explanation(explanation, None, shape)
                self._shown[id(panel)] = explanation
        difference = comparison.difference
        where = (row, col) if difference.ndim == 2 else (row, col, min(channel, difference.shape[2] - 1))
        value = difference[where]
        same = "equal here" if value == 0 else f"A - B = <b>{fmt(float(value))}</b>"
        self.pixel_line.setText(f"Pixel ({row}, {col}): A = <b>{fmt(a.stored)}</b>, B = <b>{fmt(b.stored)}</b>, "
                                f"{same}")
        self.shown.emit(row, col)

    def show_unavailable(self, reason: str) -> None:
        self.explanations = None
        self._shown.clear()
        self.pixel_line.setText(f"<b>Nothing to step through:</b> {html.escape(reason)}")
        for panel in (self.a_panel, self.b_panel):
            panel.show_unavailable(reason)
