"""Play in step mode: a timer that advances the step cursor by the wall-clock time since its last frame,
so a rate of 60,000 pixels a second sweeps a 512x512 image in under 5 s whatever the frame rate, and a slow
frame (a big image) skips ahead rather than slowing the sweep or blocking the window.

Each frame costs one explanation (the pixel reached) whatever the rate: the build-up on the views is the
engine's result already on screen, uncovered by the overlays as the cursor passes."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

FRAME_MS = 16
#: a frame later than this (a stall, a debugger) does not jump the sweep ahead by more
MAX_FRAME_S = 0.25


class Playback(QObject):
    """Calls ``advance(steps)`` once a frame with the steps due at ``rate()`` steps a second; ``advance``
    returns False at the end, which stops play and calls ``stopped()``."""

    def __init__(self, advance: Callable[[int], bool], rate: Callable[[], float], stopped: Callable[[], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._advance, self._rate, self._stopped = advance, rate, stopped
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self._budget = 0.0

    @property
    def running(self) -> bool:
        return self.timer.isActive()

    def start(self) -> None:
        self._budget = 0.0
        self.clock.start()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        elapsed = min(self.clock.restart() / 1000.0, MAX_FRAME_S)
        self._budget += self._rate() * elapsed
        steps = int(self._budget)
        if not steps:
            return
        self._budget -= steps
        if not self._advance(steps):
            self.stop()
            self._stopped()
