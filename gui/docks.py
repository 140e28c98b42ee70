"""The side dock (kernel editor, presets, options) and how a dock is widened to show its content."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QDockWidget, QGroupBox, QHBoxLayout, QMainWindow, QPushButton,
                               QScrollArea, QToolButton, QVBoxLayout, QWidget)


def build_side_dock(window: QMainWindow, editor: QWidget, presets_menu, options_panel: QWidget) -> QDockWidget:
    """The kernel box (editor, Presets, Reset) over the options box, scrolling vertically when short."""
    side = QWidget()
    layout = QVBoxLayout(side)
    kernel_box = QGroupBox("Kernel")
    kernel_layout = QVBoxLayout(kernel_box)
    kernel_layout.addWidget(editor)
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


def fit_dock(dock: QDockWidget, scroll: QScrollArea, share: float) -> bool:
    """Widen ``dock`` so the content of its ``scroll`` area fits without a horizontal scrollbar, up to
    ``share`` of its main window (a bigger kernel's grids); never narrows it (the user may have widened it
    on purpose) and leaves it alone when the content fits. False if the dock is not on screen yet."""
    window = dock.parentWidget()
    if not dock.isVisible() or not isinstance(window, QMainWindow):
        return False
    QApplication.sendPostedEvents()  # pending layout requests, so the size hint is current
    missing = scroll.widget().sizeHint().width() - scroll.viewport().width()
    if missing > 0:
        margin = scroll.verticalScrollBar().sizeHint().width() + 8  # room for a vertical scrollbar too
        want = min(dock.width() + missing + margin, int(window.width() * share))
        if want > dock.width():
            window.resizeDocks([dock], [want], Qt.Orientation.Horizontal)
    return True
