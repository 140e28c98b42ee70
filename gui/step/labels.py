"""The step panel's labels: the running sum's steady-size label, wrapping text that changes from step to
step without a new layout, and rules between parts."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QFontMetrics, QPainter, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget

QWIDGETSIZE_MAX = 16777215
_DIGITS = re.compile(r"[0-9]")
MAX_SHAPES = 256


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
        self.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode
            self.reset()


class SteadyText(QWidget):
    """Wrapping rich text (what a word-wrapped QLabel shows) for the texts that change on every step.

    A QLabel asks its layout to start again whenever its text changes, and the step panel's layout then
    measures every wrapped text in it: milliseconds a step. This widget paints its text itself and asks for a
    new layout only when the new text takes another height at its width (or unwrapped): the layout gives it
    its width whatever its text, so a new layout would decide what it has already decided, and the panel
    looks exactly as a fresh layout makes it."""

    def __init__(self):
        super().__init__()
        self._html = ""
        self._doc_html = ""  # what _doc holds: set from _html when painted (a text out of sight is never parsed)
        self._doc = QTextDocument()
        self._doc.setDocumentMargin(0)
        self._doc.setUndoRedoEnabled(False)
        option = self._doc.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)  # as a QLabel wraps: between words, never in a number
        self._doc.setDefaultTextOption(option)
        self._sizes: dict[tuple, tuple[int, int]] = {}  # (text with its digits as 0, width) -> (height, ideal width)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # wrap, never widen
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._fit_font()

    def text(self) -> str:
        return self._html

    def setText(self, text: str) -> None:
        if text == self._html:
            return
        before = self._heights(self._html)
        self._html = text
        if self._heights(text) != before:
            self.updateGeometry()
        self.update()

    def _heights(self, text: str) -> tuple[int, int]:
        """What the layout reads of this text (its width comes from the layout alone): the height at the
        present width, and the height unwrapped (the size hint)."""
        return self._measure(text, self.width())[0], self._measure(text, QWIDGETSIZE_MAX)[0]

    def _measure(self, text: str, width: int) -> tuple[int, int]:
        """(height at ``width``, ideal width) of ``text``; digits are equally wide, so texts that differ only
        in their digits measure alike and are measured once."""
        key = (_DIGITS.sub("0", text), width)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > MAX_SHAPES:
                self._sizes.clear()
            if text == self._html:
                self._sync_doc()
            doc = self._doc if text == self._doc_html else self._doc.clone()
            if doc is not self._doc:
                doc.setHtml(text)
            doc.setTextWidth(max(width, 1))
            height = math.ceil(doc.size().height())
            doc.setTextWidth(-1)
            size = self._sizes[key] = (height, math.ceil(doc.idealWidth()))
            self._doc.setTextWidth(max(self.width(), 1))
        return size

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._measure(self._html, width)[0]

    def sizeHint(self) -> QSize:
        height, ideal = self._measure(self._html, QWIDGETSIZE_MAX)
        return QSize(ideal, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def _sync_doc(self) -> None:
        if self._doc_html != self._html:
            self._doc.setHtml(self._html)
            self._doc_html = self._html

    def paintEvent(self, event) -> None:
        self._sync_doc()
        painter = QPainter(self)
        self._doc.setTextWidth(max(self.width(), 1))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = self.palette()
        context.palette.setColor(QPalette.ColorRole.Text, self.palette().color(QPalette.ColorRole.WindowText))
        context.clip = QRectF(event.rect())
        self._doc.documentLayout().draw(painter, context)
        painter.end()

    def _fit_font(self) -> None:
        self._doc.setDefaultFont(self.font())
        self._sizes.clear()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode
            self._fit_font()
            self.updateGeometry()


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
