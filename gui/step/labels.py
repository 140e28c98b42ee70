"""The step panel's labels: the running sum's steady-size label, wrapping text, and rules between parts."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy


class SteadyLabel(QLabel):
    """The running sum: a rich-text label of a fixed size that only grows while one kernel shape is stepped
    through (reset() when the shape or the font changes). A label whose size follows its text makes Qt lay
    the whole window out again on every step."""

    def __init__(self):
        super().__init__()
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._hint = QSize()

    def set_lines(self, lines: list[str]) -> None:
        """Show rich-text ``lines``, one per row, growing the size hint only when they need more room."""
        bold = QFont(self.font())
        bold.setBold(True)  # measuring everything bold gives an upper bound for the mixed text
        metrics = QFontMetrics(bold)
        plain = [re.sub(r"<[^>]+>", "", line).replace("&nbsp;", " ") for line in lines] or [""]
        need = QSize(max(metrics.horizontalAdvance(line) for line in plain) + 4,
                     len(plain) * metrics.lineSpacing() + 4)
        grow = not self._hint.isValid() or need.width() > self._hint.width() or need.height() > self._hint.height()
        if grow:
            self._hint = need.expandedTo(self._hint) if self._hint.isValid() else need
        if grow:
            self.setFixedSize(self._hint)  # fixed: Qt then skips re-measuring the rich text on each step
        self.setText("<br>".join(lines))

    def reset(self) -> None:
        self._hint = QSize()
        self.setMinimumSize(0, 0)
        self.setMaximumSize(16777215, 16777215)  # QWIDGETSIZE_MAX

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode
            self.reset()


def wrapping_label(rich: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # wrap, never widen
    return label


def rule(vertical: bool = False) -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine if vertical else QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
