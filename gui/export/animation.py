"""Recording the step-through as an animation: frames are grabs of the window, one per step, taken on the
GUI thread one per turn of the event loop (a QTimer drives it, so the window stays responsive and the views
settle between steps); the frames are then encoded on the worker by engine.animation.encode_steps.

An animation of one pixel's taps is step mode's own tap-by-tap walk (gui.step.taps): each frame is the
window as the live step-through shows that tap, its term lit up in the step panel and its input pixel
outlined on the image.
"""

from __future__ import annotations

import traceback
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage
from gui.thread_worker import create_worker

import engine
from engine.animation import AnimationRequest, animation_format, encode_steps

#: Time the window gets to lay out the step dock (it appears when step mode starts) before the first frame.
SETTLE_MS = 150
#: Fraction of the progress bar that rendering the frames takes; encoding takes the rest.
RENDER_SHARE = 0.6


def frame_of(window, width: int) -> np.ndarray:
    """The window as it looks now, ``width`` pixels wide (height in proportion), as RGB uint8."""
    image = window.grab().toImage()
    if image.width() != width:
        image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    height, line = image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=height * line).reshape(height, line)
    return data[:, :image.width() * 3].reshape(height, image.width(), 3).copy()


def _guarded_encode(frames, path, fps):
    """encode_steps with any error returned, not raised (one path for every outcome: ``returned``)."""
    try:
        return (yield from encode_steps(frames, path, fps))
    except Exception as error:  # noqa: BLE001 - reported to the user
        message = str(error) if isinstance(error, (engine.KernelscopeError, OSError)) else \
            f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
        return RuntimeError(message)


class AnimationRecorder(QObject):
    """Records ``request`` from ``window``'s step mode into ``path``; emits progress (0..1), then exactly
    one of finished(path), failed(message) or cancelled()."""

    progress = Signal(float)
    finished = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, window, request: AnimationRequest, path: str | Path, parent: QObject | None = None):
        super().__init__(parent or window)
        self.window, self.request, self.path = window, request, Path(path)
        self.frames: list[np.ndarray] = []
        self.positions: list[tuple[int, int]] = []
        self.total = 0
        self._stride = 1
        self._worker = None
        self._done = False
        self._taps = False
        self._timer = QTimer(self, singleShot=True, timeout=self._next_frame)

    def start(self) -> None:
        try:
            animation_format(self.path)
            if not self.path.parent.resolve().is_dir():
                raise engine.KernelscopeError(f"{self.path}: the folder {self.path.parent} does not exist")
            if not self.window.document.is_current:
                raise engine.KernelscopeError("there is no up-to-date result to step through yet")
            step = self.window.step_mode
            step.pause()
            if self.request.start is not None:
                step.select(*self.request.start)
                if step.cursor.index_of(*self.request.start) is None:
                    first = replace(step.cursor, index=0).pos
                    raise engine.KernelscopeError(
                        f"pixel {self.request.start} is in lab mode's 1-pixel margin, which the notebook's loop "
                        f"never computes: its first pixel is {first}")
            else:
                step.enter()
                step.home()
            cursor = step.cursor
            if cursor is None or cursor.count == 0:
                raise engine.KernelscopeError("this image has no pixels to step through")
        except engine.KernelscopeError as e:
            self._finish(self.failed, str(e))
            return
        self._stride = self.request.stride(cursor.count)
        left = cursor.count - 1 - cursor.index
        self.total = min(self.request.steps, 1 + left // self._stride)
        if self.request.taps:
            document = self.window.document
            terms = engine.explain_pixel(document.image, document.options, *step.current).terms
            if not terms:
                self._finish(self.failed, "this pixel has no kernel taps (lab mode's margin is kept, not computed)")
                return
            # as far as the live walk goes: it moves to the next pixel after taps_per_pixel taps
            self.total = min(self.request.steps, len(terms), step.taps_per_pixel())
            self._taps = True
            step.set_tap_mode(True)  # the pixel's first tap
        elif step.tap is not None:
            step.set_tap_mode(False)  # each frame a whole pixel, not its first product
        window_size = self.window.size()
        height = round(window_size.height() * self.request.width / max(window_size.width(), 1))
        try:
            self.request.check_memory(self.total, (height, self.request.width))
        except engine.KernelscopeError as e:
            self._finish(self.failed, str(e))
            return
        QTimer.singleShot(SETTLE_MS, self._settled)

    def _settled(self) -> None:
        """The dock is laid out: zoom onto the first pixel for the views' final size, then record."""
        if self._done:
            return
        self.window.dock_layout.arrange()
        self.window.step_mode.zoom_to_current()
        self.window.repaint()  # the views render the new zoom once on screen (pyqtgraph's downsampling)
        self._timer.start(SETTLE_MS)

    def cancel(self) -> None:
        if self._done:
            return
        self._timer.stop()
        if self._worker is not None:
            self._worker.quit()  # the encoder stops at its next frame; it writes only at the end
        else:
            self._finish(self.cancelled)

    def _next_frame(self) -> None:
        step = self.window.step_mode
        self.frames.append(frame_of(self.window, self.request.width))
        self.positions.append(step.current)
        self.progress.emit(RENDER_SHARE * len(self.frames) / self.total)
        if len(self.frames) < self.total:
            if self._taps:
                step.next_tap()
            else:
                step.move(self._stride)
            self._timer.start(0)  # the next frame after the views have settled
        else:
            self._encode()

    def _encode(self) -> None:
        worker = create_worker(_guarded_encode, self.frames, self.path, self.request.fps, _start_thread=False)
        worker.yielded.connect(lambda f: self.progress.emit(RENDER_SHARE + (1 - RENDER_SHARE) * f))
        worker.returned.connect(self._on_returned)
        worker.errored.connect(lambda error: self._finish(self.failed, str(error)))
        worker.aborted.connect(lambda: self._finish(self.cancelled))
        self._worker = worker
        worker.start()

    def _on_returned(self, outcome) -> None:
        if isinstance(outcome, RuntimeError):
            self._finish(self.failed, str(outcome))
        else:
            self._finish(self.finished, str(self.path))

    def _finish(self, signal, *args) -> None:
        if not self._done:
            self._done = True
            self._worker = None
            signal.emit(*args)
