"""The start-up floor: the least a PySide6 + pyqtgraph app showing three 512x512 images can take.

Imports the toolkit, opens a window with three 512x512 ImageItems (like Kernelscope's input, convolved and
pooled views), shows and paints it, prints 'ready' and exits. benchmarks/startup.py times it the same way
as the app and reports the app's time against it.

    python benchmarks/startup_floor.py
"""

import sys

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def main() -> int:
    app = QApplication(sys.argv[:1])
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
    window = pg.GraphicsLayoutWidget()
    window.resize(1280, 720)
    image = (np.arange(512 * 512) % 251).astype(np.uint8).reshape(512, 512)
    for column in range(3):
        view = window.addViewBox(row=0, col=column, lockAspect=True)
        view.addItem(pg.ImageItem(image, levels=(0, 255)))
    window.show()

    def ready() -> None:
        window.repaint()
        print("ready", flush=True)
        QTimer.singleShot(0, window.close)

    QTimer.singleShot(0, ready)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
