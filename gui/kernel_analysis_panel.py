"""The kernel analysis dock: what the kernel being edited does before it runs (sum, DC gain, separability,
frequency response and its cuts, a plain-words reading). Every number and sentence comes from
engine.analysis; this module only lays them out."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import (QBoxLayout, QDockWidget, QFormLayout, QFrame, QGraphicsItem, QLabel, QMainWindow,
                               QScrollArea, QVBoxLayout, QWidget)

import engine
from gui.docks import LazyDock, following
from gui.image_panel import ExactImageItem

#: The panel updates once edits pause this long, and at least every MAX_WAIT_S while they go on: its update
#: (~10 ms of painting) then rarely lands between an edit and that edit's result on screen.
QUIET_MS = 120
MAX_WAIT_S = 0.5
RESPONSE_COLORMAP = "viridis"
DOCK_WIDTH = 420  # beside the views: the plots' titles whole, the numbers on few lines
NUMBERS_WIDTH = 300  # the numbers' column beside the plots, when wide
RESPONSE_TITLE = {False: "Frequency response |DFT| (64x64)", True: "|DFT| (64x64)"}  # short: titles set widths
PLOTS_HEIGHT = {False: 380, True: 220}  # least height of the plots: in a column, or in a row under the views
APPLIED = {False: "correlation: the kernel as written (like TensorFlow and PyTorch)",
           True: "true convolution: the kernel turned 180 degrees, as analysed here"}
CUT_PENS = {"x": pg.mkPen("#e6a100", width=2), "y": pg.mkPen("#35a7ff", width=2)}


def _cuts_title(wide: bool) -> str:
    names = (("x", "x"), ("y", "y")) if wide else (("x", "along x (fy = 0)"), ("y", "along y (fx = 0)"))
    return "Cuts: " + ", ".join(f"<span style='color:{CUT_PENS[axis].color().name()}'>{text}</span>"
                                for axis, text in names)


def _label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class KernelAnalysisPanel(QWidget):
    """Shows engine.analysis for a kernel and weight. Given a document (an object with ``options`` and an
    ``optionsChanged`` signal), it follows the document's kernel: QUIET_MS after the last edit, at least every
    MAX_WAIT_S during a run of edits (a held-down spinbox), never while the panel is hidden. A document that
    runs jobs (``is_busy()``, an ``idle`` signal) has its result shown first: an update due while a job runs
    waits until the job is done and the views have painted its result, so it never stands between an edit
    and that edit's result on screen."""

    updated = Signal(object)  # the KernelAnalysis now shown

    def __init__(self, document=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.analysis: engine.KernelAnalysis | None = None
        self._pending: tuple | None = None
        self._timer = QTimer(self, singleShot=True, interval=QUIET_MS, timeout=self._update)
        self._waiting_since: float | None = None
        self._document = document
        self._after_result = False  # an update is due once the running job is done
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.applied_label, self.sum_label, self.gain_label, self.separable_label, self.reading_label, \
            self.peak_label = (_label() for _ in range(6))
        self.source_label = _label()  # whose kernel: the editor's, or the layer stack's chosen layer
        form.addRow("Kernel of", self.source_label)
        form.addRow("Applied as", self.applied_label)
        form.addRow("Sum", self.sum_label)
        form.addRow("DC gain", self.gain_label)
        form.addRow("Separability", self.separable_label)
        form.addRow("Reading", self.reading_label)
        form.addRow("Peak", self.peak_label)
        self.gain_label.setToolTip("weight x sum: what the kernel multiplies a flat image by (before the offset)")
        numbers = QWidget()
        numbers.setLayout(form)
        form.setContentsMargins(0, 0, 4, 0)
        # the numbers scroll when short (in a dock under the views): they never make the window taller
        self.numbers = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.numbers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.numbers.setWidget(numbers)
        layout.addWidget(self.numbers)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setMinimumHeight(PLOTS_HEIGHT[False])
        layout.addWidget(self.plots, 1)
        self.wide = False
        self.response_plot = self.plots.addPlot(row=0, col=0, title=RESPONSE_TITLE[False])
        self.response_plot.setLabel("bottom", "fx (cycles/pixel)")
        self.response_plot.setLabel("left", "fy (cycles/pixel, down)")
        self.response_plot.invertY(True)  # fy grows downwards like image rows: directions read as on screen
        self.response_plot.setAspectLocked(True)
        self.response_plot.setMenuEnabled(False)
        self.image_item = ExactImageItem(axisOrder="row-major")  # drawn scaled up from RGB32: no per-paint conversion
        self.image_item.setColorMap(pg.colormap.get(RESPONSE_COLORMAP))
        self.response_plot.addItem(self.image_item)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get(RESPONSE_COLORMAP), interactive=False, width=12,
                                        label="gain")
        self.colorbar.setImageItem(self.image_item)
        self.plots.addItem(self.colorbar, row=0, col=1)
        self.cut_plot = self.plots.addPlot(row=1, col=0, colspan=2, title=_cuts_title(False))
        self.cut_plot.setLabel("bottom", "frequency (cycles/pixel)")
        self.cut_plot.setLabel("left", "gain")
        self.cut_plot.setMenuEnabled(False)
        self.cut_curves = {axis: self.cut_plot.plot(pen=CUT_PENS[axis]) for axis in ("x", "y")}
        for plot in (self.response_plot, self.cut_plot):
            for side in ("bottom", "left"):
                plot.getAxis(side).enableAutoSIPrefix(False)  # cycles per pixel as they are, not in milli
        # fixed ranges: axes that re-tick on every edit would cost more than the rest of the panel
        from engine.frequency import RESPONSE_SIZE  # the engine's analysis modules load with the panel

        half_step = 0.5 / RESPONSE_SIZE
        self.response_plot.setRange(xRange=(-0.5 - half_step, 0.5 - half_step),
                                    yRange=(-0.5 - half_step, 0.5 - half_step), padding=0)
        self.cut_plot.setXRange(-0.5, 0.5, padding=0.02)
        for plot in (self.response_plot, self.cut_plot):
            plot.disableAutoRange()
        self._scale_top: float | None = None
        for item in self._fixed_items():
            # drawn again from a pixmap when an edit repaints the plots around them; redrawn only on change
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plots.ci.layout.setRowStretchFactor(0, 3)
        self.plots.ci.layout.setRowStretchFactor(1, 2)
        if document is not None:
            document.optionsChanged.connect(self.show_options)
            if hasattr(document, "idle"):
                document.idle.connect(self._on_idle)
            self.show_options(document.options)

    def _fixed_items(self) -> list:
        """The plots' axes and titles: they change only with the gain scale or the layout, not every edit."""
        items = [self.colorbar.axis]
        for plot in (self.response_plot, self.cut_plot):
            items += [plot.getAxis(side) for side in ("left", "bottom", "top", "right")] + [plot.titleLabel]
        return items

    def set_wide(self, on: bool) -> None:
        """Wide (a short dock under the views): the numbers, the response and its cuts in one row; else
        (a dock beside the views) the numbers over the response over the cuts."""
        if on == self.wide:
            return
        self.wide = on
        self.layout().setDirection(QBoxLayout.Direction.LeftToRight if on else QBoxLayout.Direction.TopToBottom)
        self.plots.setMinimumHeight(PLOTS_HEIGHT[on])
        self.numbers.setMaximumWidth(NUMBERS_WIDTH if on else 16777215)
        self.response_plot.setTitle(RESPONSE_TITLE[on])
        self.cut_plot.setTitle(_cuts_title(on))
        self.plots.ci.removeItem(self.cut_plot)
        if on:
            self.plots.addItem(self.cut_plot, row=0, col=2)
        else:
            self.plots.addItem(self.cut_plot, row=1, col=0, colspan=2)
        self.plots.ci.layout.setRowStretchFactor(1, 0 if on else 2)
        self.layout().activate()  # the new minimum size now, before the dock moves: the window must not grow

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_numbers()

    def _fit_numbers(self) -> None:
        """Beside the views the numbers show whole when the dock is tall enough (never asking for more height
        than it has: that would make the window grow); under them they scroll."""
        inner = self.numbers.widget()
        inner.layout().activate()  # new texts: their wrapped height
        width = self.numbers.width() - self.numbers.verticalScrollBar().sizeHint().width()  # fits beside one too
        whole = inner.heightForWidth(width) if inner.hasHeightForWidth() else -1
        whole = max(whole, inner.minimumSizeHint().height())
        inner.setMinimumHeight(whole)  # the scroll area sizes it by a hint that ignores wrapping: texts were cut
        inner.resize(inner.width(), max(whole, self.numbers.viewport().height()))  # now, not at its next event
        inner.layout().update()  # and lay the rows out again for the new texts' wrapped heights
        room = self.height() - PLOTS_HEIGHT[self.wide] - 30
        self.numbers.setMinimumHeight(0 if self.wide else max(0, min(whole, room)))

    # -- input ----------------------------------------------------------------------------------------
    def show_source(self, text: str) -> None:
        self.source_label.setText(text)
        self._fit_numbers()

    def show_options(self, options: engine.JobOptions) -> None:
        """Analyse the kernel as the job multiplies it (turned 180 degrees for true convolution)."""
        self.applied_label.setText(APPLIED[options.flip])
        self.show_kernel(options.effective_kernel, options.weight)

    def show_kernel(self, kernel, weight: float = 1.0) -> None:
        """Analyse and show this kernel soon (see the class docstring; the newest request wins)."""
        self._pending = (kernel, weight)
        if self.isVisible():
            self._wait()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending is not None:
            self._wait()

    def _wait(self) -> None:
        """(Re)start the quiet period, unless updates have waited MAX_WAIT_S already: then let it run out."""
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        if now - self._waiting_since < MAX_WAIT_S or not self._timer.isActive():
            self._timer.start()

    # -- output ---------------------------------------------------------------------------------------
    def _on_idle(self) -> None:
        if self._after_result:
            self._after_result = False
            # queued behind the repaint the views just asked for: they are painted first
            QTimer.singleShot(0, self._update)

    def _update(self) -> None:
        document = self._document
        if document is not None and hasattr(document, "is_busy") and document.is_busy():
            self._after_result = True
            return
        self._waiting_since = None
        if self._pending is None or not self.isVisible():
            return
        kernel, weight = self._pending
        self._pending = None
        self.show_analysis(engine.kernel_analysis(kernel, weight))

    def show_analysis(self, analysis: engine.KernelAnalysis) -> None:
        self.analysis = analysis
        self.sum_label.setText(analysis.sum_text())
        self.gain_label.setText(analysis.dc_gain_text())
        self.separable_label.setText(analysis.separability_text())
        f = analysis.frequency
        self.reading_label.setText(f.reading())
        self.peak_label.setText(analysis.peak_text())
        levels = (0.0, f.scale_top)
        self.image_item.setImage(f.response, autoLevels=False, levels=levels)
        self.image_item.setRect(QRectF(*f.extent))
        if f.scale_top != self._scale_top:  # the colour bar and the gain axis re-tick only when it changes
            self._scale_top = f.scale_top
            self.colorbar.setLevels(levels)
            self.cut_plot.setYRange(0.0, f.scale_top, padding=0.02)
        self.cut_curves["x"].setData(f.frequencies, f.cut_x)
        self.cut_curves["y"].setData(f.frequencies, f.cut_y)
        self._fit_numbers()
        self.updated.emit(analysis)

    def shown_cuts(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The (frequencies, gains) each cut curve draws."""
        return {name: curve.getData() for name, curve in self.cut_curves.items()}


def build_analysis_dock(window: QMainWindow, document, dock_layout=None) -> QDockWidget:
    """The analysis panel in a right-hand dock, following ``document``; hidden until the user opens it
    (View > Kernel analysis, the dock's toggle action), and built then. ``dock_layout`` (gui.dock_layout)
    places it where the views keep their width."""
    def build(parent: QWidget) -> KernelAnalysisPanel:
        return following(KernelAnalysisPanel(document, parent), document)

    dock = LazyDock("Kernel analysis", "analysis_dock", build, window)
    if dock_layout is not None:
        dock_layout.manage(dock, DOCK_WIDTH, lambda wide: dock.widget().set_wide(wide))
    return dock
