"""What the Learn panel draws: the target, the learned kernel's output and their difference on one colour
scale, the loss curve, and the learned kernel beside the true one and the least-squares optimum."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.image_views import DIVERGING

TITLES = ("Target", "Learned kernel's output", "Difference (output - target)")


class LearnImages(pg.GraphicsLayoutWidget):
    """Three linked views. All three share the target's levels, so the output comes to look like the target
    and the difference fades to the colour of 0 as the kernel is learned."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(150)
        self.items: list[pg.ImageItem] = []
        self.titles: list[pg.LabelItem] = []
        first = None
        for column, title in enumerate(TITLES):
            label = self.addLabel(title, row=0, col=column, size="9pt")
            box = self.addViewBox(row=1, col=column, lockAspect=True, invertY=True, enableMenu=False)
            item = pg.ImageItem(axisOrder="row-major")
            item.setColorMap(DIVERGING)
            box.addItem(item)
            if first is None:
                first = box
            else:
                box.setXLink(first)
                box.setYLink(first)
            self.items.append(item)
            self.titles.append(label)
        self.levels = (-1.0, 1.0)

    def show_target(self, target: np.ndarray, levels: tuple[float, float]) -> None:
        self.levels = levels
        self.items[0].setImage(target, levels=levels, autoLevels=False)
        for item in self.items[1:]:
            item.clear()
        self.items[0].getViewBox().autoRange(padding=0)

    def show_output(self, convolved: np.ndarray, difference: np.ndarray) -> None:
        self.items[1].setImage(convolved, levels=self.levels, autoLevels=False)
        self.items[2].setImage(difference, levels=self.levels, autoLevels=False)

    def clear_output(self) -> None:
        for item in self.items[1:]:
            item.clear()


class LossCurve(pg.PlotWidget):
    """The loss of every step, on a log scale (it falls by orders of magnitude)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(120)
        self.setLogMode(x=False, y=True)
        self.setLabel("bottom", "step")
        self.setLabel("left", "loss (mean squared error)")
        self.showGrid(x=True, y=True, alpha=0.3)
        self.curve = self.plot(pen=pg.mkPen((31, 119, 180), width=2))
        self.optimum = pg.InfiniteLine(angle=0, pen=pg.mkPen((120, 120, 120), style=Qt.PenStyle.DashLine))
        self.optimum.setVisible(False)
        self.addItem(self.optimum)
        self.steps: list[int] = []
        self.losses: list[float] = []

    def reset(self, min_loss: float | None = None) -> None:
        self.steps, self.losses = [], []
        self.curve.setData([], [])
        # the least-squares loss as a floor line (log scale: only when it is above 0)
        self.optimum.setVisible(bool(min_loss and min_loss > 0))
        if min_loss and min_loss > 0:
            self.optimum.setValue(np.log10(min_loss))

    def extend(self, last_step: int, losses: tuple[float, ...]) -> None:
        first = last_step - len(losses) + 1
        self.steps.extend(range(first, last_step + 1))
        self.losses.extend(max(loss, 1e-300) for loss in losses)  # log scale: an exact 0 has no place
        self.curve.setData(self.steps, self.losses)


def _grid_html(title: str, kernel, bias: float | None) -> str:
    rows = "".join("<tr>" + "".join(f"<td align='right'>&nbsp;{v:.4f}</td>" for v in row) + "</tr>"
                   for row in kernel)
    extra = "" if bias is None else f"<tr><td colspan='{len(kernel[0])}'>bias {bias:.4f}</td></tr>"
    return f"<td valign='top'><b>{html.escape(title)}</b><table>{rows}{extra}</table></td>"


class KernelComparison(QLabel):
    """The learned kernel beside the true one (when the target was made from a known kernel) and the
    least-squares optimum, each with its bias when one is learned."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.grids: dict[str, tuple] = {}

    def show_kernels(self, grids: dict[str, tuple]) -> None:
        """``grids``: title -> (kernel, bias or None), shown left to right in that order."""
        self.grids = dict(grids)
        cells = "".join(_grid_html(title, kernel, bias) for title, (kernel, bias) in grids.items())
        self.setText(f"<table cellspacing='8'><tr>{cells}</tr></table>" if grids else "")


def stacked(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return box
