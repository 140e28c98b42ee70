"""The Learn panel's controls: what to learn (target, kernel size, border, bias), how (start, rate,
momentum, steps per frame) and the Learn / Stop / Resume / Step once / Reset buttons. Only widgets: the panel
reads them and reacts to their signals."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

import engine

RANDOM, FILE = "Hidden random kernel", "Image file..."
PER_FRAME = (1, 10, 100)


class LearnControls(QWidget):
    """Two columns of settings over the buttons, narrow enough for a side dock."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.target_choice = QComboBox()
        self.target_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target_choice.setMinimumContentsLength(10)
        self.target_choice.addItems([RANDOM] + [f"Hidden preset: {name}" for name in engine.preset_names()] + [FILE])
        self.target_choice.setToolTip("What to learn: the raw output of a kernel you cannot see, or an image "
                                      "file the size of the image (a .npy keeps signed values).")
        self.new_target = QPushButton("New")
        self.new_target.setToolTip("Hide another random kernel")
        self.rows, self.cols = QSpinBox(minimum=1, maximum=engine.MAX_KERNEL_SIDE, value=3), \
            QSpinBox(minimum=1, maximum=engine.MAX_KERNEL_SIDE, value=3)
        self.border = QComboBox()
        self.border.addItems(engine.BORDERS)
        self.bias = QCheckBox("Learn a bias")
        self.start_kind = QComboBox()
        self.start_kind.addItems(["zeros", "random", "current"])
        self.start_kind.setToolTip("Where the kernel starts: all zeros, random numbers in -1..1, or the kernel "
                                   "in the editor")
        self.rate = QDoubleSpinBox(minimum=0.05, maximum=3.0, singleStep=0.05, value=1.0, suffix=" /L")
        self.rate.setToolTip("Step size as a multiple of the safe rate 1/L (L = 2 x the largest eigenvalue of "
                             "A^T A / n). Up to 1 the loss falls at every step; above 2 it runs away.")
        self.momentum = QDoubleSpinBox(minimum=0.0, maximum=0.99, singleStep=0.05, value=0.0, decimals=2)
        self.momentum.setToolTip("0: plain gradient descent. Momentum crosses a long, narrow valley in far fewer "
                                 "steps, but the loss may rise now and then. Resume starts it again from 0.")
        self.steps = QSpinBox(minimum=1, maximum=1_000_000, value=1000, singleStep=500)
        self.per_frame = QComboBox()
        self.per_frame.addItems([str(n) for n in PER_FRAME])
        self.per_frame.setCurrentIndex(0)
        self.per_frame.setToolTip("Steps between frames: 1 shows every step; 10 or 100 get further faster")
        self.mirror = QCheckBox("Show in window")
        self.mirror.setChecked(True)
        self.mirror.setToolTip("Each step sets the kernel editor (and so the convolved view) to the learned "
                               "kernel, with raw output")
        self.buttons = {name: QPushButton(name) for name in ("Learn", "Stop", "Resume", "Step once", "Reset")}
        for button in self.buttons.values():
            button.setMinimumWidth(10)  # their text may be cut rather than widen a narrow dock

        grid = QGridLayout()
        size = QHBoxLayout()
        for widget in (self.rows, QLabel("x"), self.cols):
            size.addWidget(widget)
        rows = [("Target", self.target_choice, None, self.new_target),
                ("Kernel", size, "Border", self.border),
                (None, self.bias, "Start", self.start_kind),
                ("Rate", self.rate, "Momentum", self.momentum),
                ("Steps", self.steps, "Per frame", self.per_frame)]
        for row, (label, first, second_label, second) in enumerate(rows):
            if label:
                grid.addWidget(QLabel(label), row, 0)
            add = grid.addLayout if isinstance(first, QHBoxLayout) else grid.addWidget
            add(first, row, 1, 1, 1 if second_label else 2)
            if second_label:
                grid.addWidget(QLabel(second_label), row, 2)
            grid.addWidget(second, row, 3)
        grid.addWidget(self.mirror, len(rows), 1, 1, 3)
        buttons = QGridLayout()
        for n, button in enumerate(self.buttons.values()):
            buttons.addWidget(button, n // 3, n % 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addLayout(buttons)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.rows.value(), self.cols.value())

    @property
    def frame_steps(self) -> int:
        return PER_FRAME[self.per_frame.currentIndex()]
