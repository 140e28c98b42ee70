"""The side dock: the kernel editor with Presets and Reset, over the options."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDockWidget, QGroupBox, QHBoxLayout, QMainWindow, QPushButton,
                               QScrollArea, QToolButton, QVBoxLayout, QWidget)


def build_side_dock(window: QMainWindow, editor: QWidget, presets_menu, options_panel: QWidget,
                    kernel_tools: QWidget | None = None) -> QDockWidget:
    """The kernel box (editor, ``kernel_tools`` if given, Presets, Reset) over the options box, scrolling
    vertically when short."""
    side = QWidget()
    layout = QVBoxLayout(side)
    kernel_box = QGroupBox("Kernel")
    kernel_layout = QVBoxLayout(kernel_box)
    kernel_layout.addWidget(editor)
    if kernel_tools is not None:
        kernel_layout.addWidget(kernel_tools)
    buttons = QHBoxLayout()
    presets_button = QToolButton()
    presets_button.setText("Presets")
    presets_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    presets_button.setMenu(presets_menu)
    reset = QPushButton("Reset")
    reset.setToolTip("Back to the notebook's filter (-1,-2,-1 / 0,0,0 / 1,2,1), weight 1.")
    reset.clicked.connect(editor.reset)
    buttons.addWidget(presets_button)
    buttons.addWidget(reset)
    buttons.addStretch(1)
    kernel_layout.addLayout(buttons)
    options_box = QGroupBox("Options")
    QVBoxLayout(options_box).addWidget(options_panel)
    layout.addWidget(kernel_box)
    layout.addWidget(options_box)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidget(side)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    dock = QDockWidget("Kernel and options", window)
    dock.setObjectName("side_dock")
    dock.setWidget(scroll)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    return dock
