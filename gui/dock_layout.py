"""How wide the side dock is and where the step dock goes, so that from 1024x768 up, in presentation mode
too, every kernel cell and option shows without sideways scrolling and each image view keeps MIN_VIEW pixels.

The side dock takes what its content asks for (growing for a bigger kernel, shrinking back after), never
less than its content's minimum (so it cannot collapse), and never so much that the views get narrower than
MIN_VIEW while the content could be narrower. The step dock sits right of the views when they keep MIN_VIEW
there, else under the views (its panel then lays the grids out in one row).
"""

from __future__ import annotations

from typing import Callable

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
        self._beside: list[tuple[QDockWidget, int, Callable[[bool], None]]] = []
        self._below: list[QDockWidget] = []
        self._raise: QDockWidget | None = None

    def manage(self, dock: QDockWidget, width: int, set_wide: Callable[[bool], None]) -> None:
        """Place ``dock`` (``width`` wide beside the views) by the rule in the module docstring whenever it is
        shown; ``set_wide(True)`` when it goes under the views, False beside them."""
        self._beside.append((dock, width, set_wide))
        dock.visibilityChanged.connect(lambda _visible: self.schedule())
        dock.toggleViewAction().triggered.connect(lambda shown: self.schedule(dock if shown else None))

    def manage_below(self, dock: QDockWidget) -> None:
        """``dock`` sits under the views, as tall as the step dock there, whenever it is shown."""
        self._below.append(dock)
        dock.visibilityChanged.connect(lambda _visible: self.schedule())

    def kernel_shape_changed(self, shape: tuple[int, int]) -> None:
        """Called with the options' kernel shape after each edit: only a new size lays the docks out again."""
        if shape != self._shape:
            self._shape = shape
            self.schedule()

    def schedule(self, raise_dock: QDockWidget | None = None) -> None:
        """Arrange soon; ``raise_dock``, just opened, then comes to the front of the tabs it may share."""
        if raise_dock is not None:
            self._raise = raise_dock
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
        step_width = self._place_step(side, views) if self.step.is_active else 0
        below = [dock for dock in self._below if not dock.isHidden()]
        for dock in below:
            self._put_below(dock)
        for dock, width, set_wide in self._beside:
            if not dock.isHidden():
                self._place_beside(dock, max(width, dock.minimumSizeHint().width()), set_wide, side + step_width,
                                   views, below)
        if self._raise is not None:
            self._raise.raise_()
            self._raise = None

    def _put_below(self, dock: QDockWidget, partner: QDockWidget | None = None) -> None:
        window = self.window
        area = Qt.DockWidgetArea.BottomDockWidgetArea
        tabbed = partner is None or dock in window.tabifiedDockWidgets(partner)
        if window.dockWidgetArea(dock) != area or not tabbed:
            window.addDockWidget(area, dock)
            if partner is not None:
                window.tabifyDockWidget(partner, dock)
            dock.show()
        window.resizeDocks([dock], [int(window.height() * STEP_HEIGHT_SHARE[self.step.presentation])],
                           Qt.Orientation.Vertical)

    def _place_beside(self, dock: QDockWidget, width: int, set_wide, used: int, views: int,
                      below: list[QDockWidget]) -> None:
        """Right of the views (and of a step dock there) if the views keep MIN_VIEW; else tabbed with a step
        dock on the right; else under the views, tabbed with a dock already there."""
        window, step = self.window, self.step.dock
        step_right = self.step.is_active and window.dockWidgetArea(step) == Qt.DockWidgetArea.RightDockWidgetArea
        if window.width() - used - width >= views:
            set_wide(False)
            if window.dockWidgetArea(dock) != Qt.DockWidgetArea.RightDockWidgetArea or window.tabifiedDockWidgets(dock):
                window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock, Qt.Orientation.Horizontal)
                dock.show()
            window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        elif step_right:
            set_wide(False)
            if dock not in window.tabifiedDockWidgets(step):
                window.tabifyDockWidget(step, dock)
                dock.show()
                dock.raise_()
        else:
            set_wide(True)
            partner = step if self.step.is_active else (below[0] if below else None)
            self._put_below(dock, partner)

    def _place_step(self, side: int, views: int) -> int:
        """Place the step dock; returns the width it takes beside the views (0 when under them)."""
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
            return width
        window.resizeDocks([dock], [int(window.height() * STEP_HEIGHT_SHARE[presentation])], Qt.Orientation.Vertical)
        QApplication.sendPostedEvents()
        panel.set_wide(True, fits_in=panel.scroll.viewport().width())
        return 0
