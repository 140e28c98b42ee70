"""Step-through in compare mode: A's and B's multiply-and-sum for the same pixel side by side (two step
panels, from engine.explain_pixel), with the pooling window holding it when the options pool
(engine.explain_pooled_both), and where A and B differ there (from engine.Comparison)."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolBar, QVBoxLayout, QWidget

import engine
from gui.step.grid import fmt
from gui.step.panel import StepPanel


def _difference_text(difference, pixel: tuple[int, int], channel: int) -> str:
    """'equal here' or 'A - B = v' at ``pixel`` (of map ``channel``) of an engine.Comparison's difference."""
    where = pixel if difference.ndim == 2 else (*pixel, min(channel, difference.shape[2] - 1))
    value = difference[where]
    return "equal here" if value == 0 else f"A - B = <b>{fmt(float(value))}</b>"


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
        self._shown: dict[int, tuple] = {}  # id(panel) -> the (explanation, pool explanation) it shows

    def set_titles(self, a_label: str, b_label: str) -> None:
        self.a_title.setText(f"<b>{html.escape(a_label)}</b>")
        self.b_title.setText(f"<b>{html.escape(b_label)}</b>")

    def set_presentation(self, on: bool) -> None:
        self._shown.clear()  # laid out again at the next pixel shown
        for panel in (self.a_panel, self.b_panel):
            panel.set_presentation(on)

    def show_pixel(self, comparison: engine.Comparison, a: engine.PixelExplanation, b: engine.PixelExplanation,
                   channel: int = 0, pools: tuple[engine.PoolExplanation, engine.PoolExplanation] | None = None
                   ) -> None:
        """A's and B's explanations of one pixel, with A, B and A - B there (the comparison's values);
        ``pools``: A's and B's pooling of the pooled pixel holding it (None: no pooling, or no window)."""
        self.explanations = (a, b)
        row, col = a.out_pos
        for panel, explanation, pool, shape in ((self.a_panel, a, pools and pools[0], comparison.a.options.shape),
                                                (self.b_panel, b, pools and pools[1], comparison.b.options.shape)):
            panel.pool_heading.setVisible(comparison.pooled is not None)
            known = self._shown.get(id(panel))
            if known is None or known[0] is not explanation or known[1] != pool:  # A while B is edited: kept
                panel.show_explanation(explanation, pool, shape)
                self._shown[id(panel)] = (explanation, pool)
        text = f"Pixel ({row}, {col}): A = <b>{fmt(a.stored)}</b>, B = <b>{fmt(b.stored)}</b>, " + \
            _difference_text(comparison.difference, (row, col), channel)
        if pools is not None:
            pooled_row, pooled_col = pools[0].out_pos
            text += (f"; pooled ({pooled_row}, {pooled_col}): A = <b>{fmt(pools[0].result)}</b>, B = "
                     f"<b>{fmt(pools[1].result)}</b>, "
                     + _difference_text(comparison.pooled.difference, (pooled_row, pooled_col), channel))
        self.pixel_line.setText(text)
        self.shown.emit(row, col)

    def show_unavailable(self, reason: str) -> None:
        self.explanations = None
        self._shown.clear()
        self.pixel_line.setText(f"<b>Nothing to step through:</b> {html.escape(reason)}")
        for panel in (self.a_panel, self.b_panel):
            panel.show_unavailable(reason)
