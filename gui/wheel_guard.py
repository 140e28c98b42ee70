"""Scrolling a panel scrolls it: a mouse wheel turned over a spin box or combo box that the user has not
clicked into scrolls the panel, instead of changing the kernel cell, option or size under the pointer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QScrollArea, QWidget


class WheelGuard(QObject):
    """Watches every widget inside ``scroll`` (also those added later, such as the kernel's cells after a size
    change). A wheel event on an unfocused value box goes to the scroll bar; a focused box still takes it."""

    def __init__(self, scroll: QScrollArea):
        super().__init__(scroll)
        self.scroll = scroll
        self._watch(scroll.widget())

    def _watch(self, widget: QWidget) -> None:
        for each in (widget, *widget.findChildren(QWidget)):
            each.removeEventFilter(self)  # never twice
            each.installEventFilter(self)
            if isinstance(each, (QAbstractSpinBox, QComboBox)) and each.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                # Qt gives a WheelFocus box the focus before it delivers the wheel event, even to this filter
                each.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ChildAdded and isinstance(event.child(), QWidget):
            self._watch(event.child())
        elif (kind == QEvent.Type.Wheel and isinstance(watched, (QAbstractSpinBox, QComboBox))
              and not watched.hasFocus()):
            QApplication.sendEvent(self.scroll.verticalScrollBar(), event)
            return True
        return False


def scroll_on_wheel(scroll: QScrollArea) -> WheelGuard:
    """Makes the wheel scroll ``scroll`` over its value boxes until one is clicked into."""
    return WheelGuard(scroll)
