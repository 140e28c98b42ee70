"""How wide the side dock is and where the step dock goes, so that from 1024x768 up, in presentation mode
too, every kernel cell and option shows without sideways scrolling and each image view keeps MIN_VIEW pixels.

The side dock takes what its content asks for (growing for a bigger kernel, shrinking back after), never
less than its content's minimum (so it cannot collapse), and never so much that the views get narrower than
MIN_VIEW while the content could be narrower. The step dock sits right of the views when they keep MIN_VIEW
there, else under the views (its panel then lays the grids out in one row).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QScrollArea

MIN_VIEW = 240
VIEW_GAPS = 2 * 6 + 12  # between the three views, and the dock separators
STEP_WIDTH = {False: 420, True: 520}  # the step dock on the right, by presentation mode
STEP_HEIGHT_SHARE = {False: 0.45, True: 0.45}  # of the window, for the step dock under the views


def _scroll_extra(scroll: QScrollArea) -> int:
    """What a scroll area adds to its content's width: a vertical scrollbar and the frames."""
    return scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth() + 4


class DockLayout(QObject):
    """Arranges the side dock and step mode's dock of ``window`` after every resize, kernel size, font or
    step mode change (call ``schedule``)."""

    def __init__(self, window: QMainWindow, side: QDockWidget, step):
        super().__init__(window)
        self.window, self.side, self.step = window, side, step
        # the side dock keeps the full height; the step dock, when below, sits under the views only
        window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.setCorner(Qt.Corner.TopLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.arrange)
        window.installEventFilter(self)
        step.dock.visibilityChanged.connect(lambda _visible: self.schedule())
        self._shape: tuple[int, int] | None = None

    def kernel_shape_changed(self, shape: tuple[int, int]) -> None:
        """Called with the options' kernel shape after each edit: only a new size lays the docks out again."""
        if shape != self._shape:
            self._shape = shape
            self.schedule()

    def schedule(self) -> None:
        self._timer.start()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange):
            self.schedule()
        return False

    def arrange(self) -> None:
        window = self.window
        if not window.isVisible():
            return
        QApplication.sendPostedEvents()  # pending layout requests, so the size hints are current
        scroll: QScrollArea = self.side.widget()
        extra = _scroll_extra(scroll)
        least = scroll.widget().minimumSizeHint().width() + extra
        wanted = scroll.widget().sizeHint().width() + extra
        views = 3 * MIN_VIEW + VIEW_GAPS
        side = max(least, min(wanted, window.width() - views))
        scroll.setMinimumWidth(least)
        if abs(self.side.width() - side) > 1:
            window.resizeDocks([self.side], [side], Qt.Orientation.Horizontal)
        if self.step.is_active:
            self._place_step(side, views)

    def _place_step(self, side: int, views: int) -> None:
        window, dock, panel = self.window, self.step.dock, self.step.panel
        presentation = self.step.presentation
        panel.set_wide(False)  # measured as it would be laid out on the right
        QApplication.sendPostedEvents()
        width = max(STEP_WIDTH[presentation], panel.scroll.widget().sizeHint().width() + _scroll_extra(panel.scroll))
        right = window.width() - side - width >= views
        area = Qt.DockWidgetArea.RightDockWidgetArea if right else Qt.DockWidgetArea.BottomDockWidgetArea
        if window.dockWidgetArea(dock) != area:
            window.addDockWidget(area, dock)
            dock.show()
        dock.setMinimumWidth(STEP_WIDTH[presentation] if right else 0)
        if right:
            window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        else:
            window.resizeDocks([dock], [int(window.height() * STEP_HEIGHT_SHARE[presentation])], Qt.Orientation.Vertical)
            QApplication.sendPostedEvents()
            panel.set_wide(True, fits_in=panel.scroll.viewport().width())
