"""The window's central widget: the three big views (gui.image_views) over the strip of feature maps'
small multiples (gui.feature_maps), with the strip given only the height the views can spare."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

import engine
from gui.dock_layout import MIN_VIEW
from gui.feature_maps import MapTiles
from gui.image_views import GAP


class CentreArea(QWidget):
    """The window's central widget: the three big views over the strip of small multiples. The strip takes
    only the height the views do not need to show their images at the width they have (and never pushes
    them below gui.dock_layout's MIN_VIEW); where even small tiles would not fit, it hides."""

    def __init__(self, views, parent: QWidget | None = None):
        super().__init__(parent)
        self.views = views
        self.tiles = MapTiles(self)
        views.setParent(self)

    def strip_height(self) -> int:
        width, height = self.width(), self.height()
        if not self.tiles.count:
            return 0
        panel = self.views.input
        chrome = max(panel.height() - panel.view.height(), 60) if panel.height() > 0 else 60
        shape = self.views._image_shape or (1, 1)
        side = (width - 2 * GAP) // 3 * shape[0] / max(shape[1], 1)  # an image as wide as its view is this tall
        room = max(int(height - chrome - side), self.tiles.least_height())  # the views keep that if they can
        strip = self.tiles.wanted_height(width, min(room, height - chrome - MIN_VIEW))
        return strip if strip >= self.tiles.least_height() else 0

    def arrange(self) -> None:
        strip = self.strip_height()
        self.views.setGeometry(0, 0, self.width(), self.height() - strip)
        self.tiles.setGeometry(0, self.height() - strip, self.width(), strip)
        self.tiles.setVisible(strip > 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.arrange()

    def show_result(self, result: engine.JobResult, levels: dict, chosen: int) -> None:
        before = self.tiles.count, len(self.tiles.rows())
        self.tiles.show_result(result, levels, chosen)
        if (self.tiles.count, len(self.tiles.rows())) != before:
            self.arrange()
        count = self.tiles.count
        if count and self.views.convolved.data is not None and self.views.convolved.data.ndim == 2:
            for panel, name in ((self.views.convolved, "Convolved"), (self.views.pooled, "Pooled")):
                title = panel.title.text
                if title.startswith(name + " ") and panel.data is not None:
                    panel.set_title(f"{name} map {min(chosen, count - 1)} of {count}," + title[len(name):])

    def minimumSizeHint(self) -> QSize:
        return self.views.minimumSizeHint()

    def sizeHint(self) -> QSize:
        return self.views.sizeHint()
