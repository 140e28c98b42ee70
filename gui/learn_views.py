"""What the Learn panel draws: the target, the learned kernel's output and their difference on one colour
scale, the loss curve, and the learned kernel beside the true one and the least-squares optimum; and the
scroll area that holds them in the dock."""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget

from gui.colorbar import DIVERGING
from gui.image_panel import ExactImageItem

TITLES = ("Target", "Output", "Output - target")
MIN_WIDTH = 120  # the kernel grids' least width: wider grids scroll in their own box


class LearnImages(pg.GraphicsLayoutWidget):
    """Three linked views. All three share the target's levels, so the output comes to look like the target
    and the difference fades to the colour of 0 as the kernel is learned."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedHeight(170)
        self.items: list[pg.ImageItem] = []
        self.titles: list[pg.LabelItem] = []
        first = None
        for column, title in enumerate(TITLES):
            label = self.addLabel(title, row=0, col=column, size="9pt")
            box = self.addViewBox(row=1, col=column, lockAspect=True, invertY=True, enableMenu=False)
            item = ExactImageItem(axisOrder="row-major", autoDownsample=True)  # cost follows the screen
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
    """The loss of every step, on a log scale (it falls by orders of magnitude), with the least-squares loss
    as a dashed floor. The axes keep their range (the run's steps; whole decades of loss) until the curve
    leaves it: re-ranging them on every step would repaint both axes on every frame."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedHeight(190)
        self.setLogMode(x=False, y=True)
        self.setLabel("bottom", "step")
        self.setLabel("left", "loss (MSE)")
        self.showGrid(x=True, y=True, alpha=0.3)
        self.setMouseEnabled(x=False, y=False)
        self.disableAutoRange()
        self.curve = self.plot(pen=pg.mkPen((31, 119, 180), width=2))
        self.optimum = pg.InfiniteLine(angle=0, pen=pg.mkPen((120, 120, 120), style=Qt.PenStyle.DashLine))
        self.addItem(self.optimum, ignoreBounds=True)
        self.steps: list[int] = []
        self.losses: list[float] = []
        self.reset()

    def reset(self, min_loss: float | None = None, last_step: int = 1) -> None:
        self.steps, self.losses = [], []
        self.curve.setData([], [])
        self._decades: tuple[int, int] | None = None
        self.optimum.setVisible(bool(min_loss and min_loss > 0))
        if min_loss and min_loss > 0:
            self.optimum.setValue(math.log10(min_loss))
        self.set_last_step(last_step)

    def set_last_step(self, last_step: int) -> None:
        self.setXRange(0, max(last_step, 1), padding=0.02)

    def extend(self, last_step: int, losses: tuple[float, ...]) -> None:
        first = last_step - len(losses) + 1
        self.steps.extend(range(first, last_step + 1))
        self.losses.extend(max(loss, 1e-300) for loss in losses)  # log scale: an exact 0 has no place
        self.curve.setData(self.steps, self.losses)
        low = math.floor(math.log10(min(self.losses[-len(losses):])))
        high = math.ceil(math.log10(max(self.losses[0], 1e-300)))
        if self._decades is None or low < self._decades[0] or high > self._decades[1]:
            self._decades = (min(low, high - 3), high) if self._decades is None else \
                (min(low, self._decades[0]), max(high, self._decades[1]))
            self.setYRange(*self._decades, padding=0.02)
        self.expect(last_step)

    def expect(self, last_step: int) -> None:
        """Make room for the steps up to ``last_step`` (a run's end) if they do not fit yet."""
        if last_step > self.getViewBox().viewRange()[0][1]:
            self.set_last_step(last_step)


def _short(value: float) -> str:
    """Four decimals, enough to see a kernel converge; a tiny negative value reads 0.0000, not -0.0000."""
    text = f"{value:.4f}"
    return text[1:] if text == "-0.0000" else text


def _grid_html(title: str, kernel, bias: float | None) -> str:
    """The title over the grid (beside it, it would widen the dock by its own width)."""
    rows = "".join("<tr>" + "".join(f"<td align='right'>&nbsp;{_short(v)}</td>" for v in row) + "</tr>"
                   for row in kernel)
    extra = "" if bias is None else f"<tr><td colspan='{len(kernel[0])}'>bias {_short(bias)}</td></tr>"
    return f"<tr><td><b>{html.escape(title)}</b></td></tr><tr><td><table>{rows}{extra}</table></td></tr>"


class KernelComparison(QScrollArea):
    """The learned kernel over the true one (when the target was made from a known kernel) and the
    least-squares optimum, each with its bias when one is learned (stacked: side by side they would not
    fit a narrow dock). Grids wider than the dock (7x7 and up) scroll sideways here, not the whole dock."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.label.setFont(font)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.grids: dict[str, tuple] = {}

    def text(self) -> str:
        return self.label.text()

    def show_kernels(self, grids: dict[str, tuple]) -> None:
        """``grids``: title -> (kernel, bias or None), shown top to bottom in that order."""
        self.grids = dict(grids)
        cells = "".join(_grid_html(title, kernel, bias) for title, (kernel, bias) in grids.items())
        self.label.setText(f"<table cellspacing='4'>{cells}</table>" if grids else "")
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_WIDTH, self.sizeHint().height())

    def sizeHint(self) -> QSize:
        """The grids' whole height, and a scrollbar's when they are wider than the room they have."""
        label = self.label.sizeHint()
        bar = self.horizontalScrollBar().sizeHint().height() if label.width() > self.viewport().width() else 0
        return QSize(label.width(), label.height() + bar)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # a scrollbar may come or go


class DockScroll(QScrollArea):
    """Scrolls a dock's content up and down, never sideways: it is never narrower than the content's least
    width (which the labels keep small by wrapping), so the dock is not either; the least width follows the
    content's (a larger font in presentation mode, another kernel size)."""

    def minimumSizeHint(self) -> QSize:
        hint, content = super().minimumSizeHint(), self.widget()
        if content is None:
            return hint
        width = content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched, event) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)
