"""What the clamp threw away, on the convolved view: pixels that were negative before the clamp (stored 0,
shown black) in blue, those above 255 (stored 255, shown white) in red, and a caption with their share
("48% of pixels were negative and show as black"). The masks and counts are engine.clamp_report's,
computed with the job on the worker thread (Document.set_clamp_report)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QFont, QTransform
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsTextItem

from engine.clamp_report import HIGH, NEGATIVE, clamp_report_refusal
from gui.image_panel import ExactImageItem

NEGATIVE_RGBA = (41, 121, 255, 190)  # blue: below 0
HIGH_RGBA = (255, 23, 68, 190)  # red: above 255


class ClampOverlay:
    """The overlay and caption on the convolved panel; ``set_visible`` turns them (and the reports) on."""

    def __init__(self, document, panel):
        self.document, self.panel = document, panel
        self.visible = False
        self.item = ExactImageItem(axisOrder="row-major", autoDownsample=True)  # big images: every k-th label
        lut = np.zeros((256, 4), dtype=np.ubyte)
        lut[NEGATIVE], lut[HIGH] = NEGATIVE_RGBA, HIGH_RGBA
        self.item.setLookupTable(lut)
        self.item.setZValue(2)  # over the image, under the numbers and step mode's outlines
        self.item.setVisible(False)
        panel.view.addItem(self.item, ignoreBounds=True)
        self.box = QGraphicsRectItem(panel.view)  # in the view box's own coordinates: it does not zoom
        self.box.setBrush(QColor(0, 0, 0, 190))
        self.box.setPen(QColor(0, 0, 0, 0))
        self.box.setZValue(30)
        self.caption = QGraphicsTextItem(self.box)
        self.caption.setDefaultTextColor(QColor(255, 255, 255))
        self.box.setVisible(False)
        self.text = ""
        panel.view.sigResized.connect(lambda _view: self.box.isVisible() and self._caption(self.caption_text))
        self.caption_text = ""
        document.resultReady.connect(lambda _shown: self.show())
        document.jobFailed.connect(lambda _failure: self.show())

    def set_visible(self, on: bool) -> None:
        self.visible = on
        self.document.set_clamp_report(on)
        self.show()

    def show(self) -> None:
        shown = self.document.shown
        report = shown.clamp if shown is not None and self.document.is_current else None
        if not self.visible or report is None:
            self.item.setVisible(False)
            self.box.setVisible(False)
            self.text = ""
            if self.visible and shown is not None and self.document.is_current:
                why = clamp_report_refusal(shown.result.image.shape, shown.result.options)
                self.text = "" if why is None else why[0].upper() + why[1:]
                if why is not None:
                    self._caption(self.text)
            return
        placement = self.panel.placement
        self.item.setImage(report.labels, autoLevels=False, levels=(0, 255))
        transform = QTransform()
        transform.translate(placement.origin[1], placement.origin[0])
        transform.scale(placement.scale[1], placement.scale[0])
        self.item.setTransform(transform)
        self.item.setVisible(True)
        self.text = report.describe()
        self._caption(self.text.replace("; ", ";<br>"))

    def _caption(self, text: str) -> None:
        """The caption, wrapped to the view's width (presentation mode's large text included)."""
        self.caption_text = text
        font = QFont(self.caption.font())
        font.setPointSizeF(max(QFont().pointSizeF() * 0.85, 8.0))  # a caption: smaller than the text
        self.caption.setFont(font)
        self.caption.setTextWidth(max(self.panel.view.width() - 24, 80))
        self.caption.setHtml(text)
        self.caption.setPos(2, 0)
        rect = self.caption.boundingRect()
        self.box.setRect(0, 0, rect.width() + 4, rect.height())
        self.box.setPos(4, 4)
        self.box.setVisible(True)
