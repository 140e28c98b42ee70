"""Painting a handout figure (engine.figure says what it shows) as PNG at a chosen DPI, or as SVG.

Every image is scaled by a whole factor with nearest-neighbour sampling before it is drawn at 1:1, so each
image pixel is a block of identical device pixels (and the SVG embeds the scaled pixels, which viewers show
without smoothing at 100 %). Sizes are in device pixels derived from the DPI (96 DPI = 1 unit per pixel).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator

import engine
from engine.figure import FigureImage, figure_images, figure_text, kernel_cells, whole_scales
from engine.saving import atomic_write_bytes

#: Inches an image of the figure aims for (it stays pixel-exact: whole factors only, never smaller than 1:1).
TARGET_INCHES = 2.4
DEFAULT_DPI = 150
DPI_RANGE = (72, 600)
#: Largest figure, in pixels (it is painted in memory at 4 bytes a pixel).
MAX_FIGURE_PIXELS = 150_000_000


def gray_qimage(pixels: np.ndarray, factor: int) -> QImage:
    """``pixels`` (uint8) as a gray QImage, each pixel a factor x factor block."""
    data = np.ascontiguousarray(np.repeat(np.repeat(pixels, factor, axis=0), factor, axis=1))
    height, width = data.shape
    return QImage(data.data, width, height, width, QImage.Format.Format_Grayscale8).copy()


class Figure:
    """The layout of one figure: where each image, colour bar, the kernel grid and the text go."""

    def __init__(self, result: engine.JobResult, label: str = "", dpi: int = DEFAULT_DPI):
        self.unit = dpi / 96.0
        self.dpi = dpi
        self.images = figure_images(result, label)
        self.cells = kernel_cells(result)
        self.lines = figure_text(result)
        self.font = QFont()
        self.font.setPixelSize(max(8, round(12 * self.unit)))
        self.small = QFont(self.font)
        self.small.setPixelSize(max(7, round(10 * self.unit)))
        metrics, small = QFontMetrics(self.font), QFontMetrics(self.small)
        u = self.unit
        self.margin, self.gap = round(16 * u), round(20 * u)
        self.bar_height, self.line = round(10 * u), metrics.height()
        target = round(TARGET_INCHES * dpi)
        x, top = self.margin, self.margin + self.line + round(4 * u)
        self.placed: list[tuple[FigureImage, int, QRect]] = []  # image, factor, where its pixels go
        bottom = top
        for image, factor in zip(self.images, whole_scales(result, target)):
            height, width = image.pixels.shape
            rect = QRect(x, top, width * factor, height * factor)
            width_needed = max(rect.width(), metrics.horizontalAdvance(image.title))
            self.placed.append((image, factor, rect))
            x += width_needed + self.gap
            bottom = max(bottom, rect.bottom() + 1)
        self.bar_gap = round(6 * u)
        images_bottom = bottom + self.bar_gap + self.bar_height + small.height() + round(4 * u)
        cell = max(small.horizontalAdvance(c) for row in self.cells for c in row) + round(10 * u)
        self.cell = QSize(max(cell, round(28 * u)), small.height() + round(8 * u))
        self.kernel_origin = QPoint(x, top)
        kernel_bottom = top + self.cell.height() * len(self.cells)
        text_width = max(small.horizontalAdvance(t) for t in self.lines)
        self.text_origin = QPoint(x, kernel_bottom + round(10 * u))
        right = x + max(self.cell.width() * len(self.cells[0]), text_width)
        text_bottom = self.text_origin.y() + small.height() * len(self.lines)
        self.size = QSize(right + self.margin, max(images_bottom, text_bottom) + self.margin)

    def paint(self, painter: QPainter) -> None:
        painter.fillRect(QRect(QPoint(0, 0), self.size), Qt.GlobalColor.white)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setPen(Qt.GlobalColor.black)
        small = QFontMetrics(self.small)
        for image, factor, rect in self.placed:
            painter.setFont(self.font)
            painter.drawText(QPoint(rect.left(), rect.top() - round(6 * self.unit)), image.title)
            painter.drawImage(rect.topLeft(), gray_qimage(image.pixels, factor))
            bar = QRect(rect.left(), rect.bottom() + 1 + self.bar_gap, rect.width(), self.bar_height)
            ramp = np.arange(256, dtype=np.uint8)[None, :]
            painter.drawImage(bar, gray_qimage(ramp, 1))  # a gradient: smoothing here would be harmless
            painter.setPen(QPen(QColor(90, 90, 90)))
            painter.drawRect(bar.adjusted(0, 0, -1, -1))
            painter.setFont(self.small)
            painter.setPen(Qt.GlobalColor.black)
            for gray, text in image.ticks:
                x = bar.left() + round(gray / 255 * (bar.width() - 1))
                width = small.horizontalAdvance(text)
                left = min(max(x - width // 2, bar.left()), bar.right() - width)
                painter.drawLine(x, bar.bottom(), x, bar.bottom() + round(3 * self.unit))
                painter.drawText(QPoint(left, bar.bottom() + small.ascent() + round(4 * self.unit)), text)
        painter.setFont(self.font)
        painter.drawText(QPoint(self.kernel_origin.x(), self.kernel_origin.y() - round(6 * self.unit)), "Kernel")
        painter.setFont(self.small)
        for r, row in enumerate(self.cells):
            for c, text in enumerate(row):
                cell = QRect(self.kernel_origin + QPoint(c * self.cell.width(), r * self.cell.height()), self.cell)
                painter.setPen(QPen(QColor(150, 150, 150)))
                painter.drawRect(cell)
                painter.setPen(Qt.GlobalColor.black)
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)
        for n, text in enumerate(self.lines):
            painter.drawText(self.text_origin + QPoint(0, small.ascent() + n * small.height()), text)

    def png(self) -> bytes:
        image = QImage(self.size, QImage.Format.Format_RGB32)
        dots_per_meter = round(self.dpi / 0.0254)
        image.setDotsPerMeterX(dots_per_meter)
        image.setDotsPerMeterY(dots_per_meter)
        painter = QPainter(image)
        self.paint(painter)
        painter.end()
        return _encoded(lambda buffer: image.save(buffer, "PNG"))

    def svg(self, title: str = "Kernelscope figure") -> bytes:
        def write(buffer: QBuffer) -> bool:
            generator = QSvgGenerator()
            generator.setOutputDevice(buffer)
            generator.setSize(self.size)
            generator.setViewBox(QRect(QPoint(0, 0), self.size))
            generator.setResolution(self.dpi)
            generator.setTitle(title)
            painter = QPainter(generator)
            self.paint(painter)
            return painter.end()
        return _encoded(write)


def _encoded(write) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not write(buffer):
        raise OSError("the figure could not be encoded")
    buffer.close()
    return bytes(data.data())


def save_figure(path: str | Path, result: engine.JobResult, label: str = "", dpi: int = DEFAULT_DPI) -> None:
    """Write the figure as .png (at ``dpi``) or .svg, all or nothing (engine.saving's atomic write)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise engine.KernelscopeError(f"{path}: figures are saved as .png or .svg")
    if not DPI_RANGE[0] <= dpi <= DPI_RANGE[1]:
        raise engine.KernelscopeError(f"the DPI must be between {DPI_RANGE[0]} and {DPI_RANGE[1]}, not {dpi}")
    figure = Figure(result, label, dpi)
    width, height = figure.size.width(), figure.size.height()
    if width * height > MAX_FIGURE_PIXELS:
        raise engine.KernelscopeError(f"the figure would be {width}x{height} pixels, too large to paint: its "
                                      "images are never shrunk (each image pixel stays whole); export a "
                                      "smaller image or a lower DPI")
    atomic_write_bytes(path, figure.png() if suffix == ".png" else figure.svg())
