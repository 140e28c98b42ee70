"""The side dock (the kernel editor with Presets and Reset, over the options), and docks whose content is
built on first use."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDockWidget, QGroupBox, QHBoxLayout, QMainWindow, QPushButton,
                               QScrollArea, QToolButton, QVBoxLayout, QWidget)

from gui.wheel_guard import scroll_on_wheel


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
    scroll_on_wheel(scroll)
    dock = QDockWidget("Kernel and options", window)
    dock.setObjectName("side_dock")
    dock.setWidget(scroll)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    return dock


class LazyDock(QDockWidget):
    """A dock whose content is made on first show (or first use of ``content`` or ``widget()``): the dock, its
    title and its toggle action exist from the start, so the menus and shortcuts that open it do too, while
    what it shows costs nothing at start-up. ``build(dock)`` returns the panel: a widget, which goes in the
    dock, or an object that has put its widget in the dock itself."""

    def __init__(self, title: str, name: str, build: Callable[[QDockWidget], object], window: QMainWindow,
                 area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea):
        super().__init__(title, window)
        self.setObjectName(name)
        self._build: Callable[[QDockWidget], object] | None = build
        self._content = None
        window.addDockWidget(area, self)
        self.hide()

    @property
    def built(self) -> bool:
        return self._build is None

    @property
    def content(self):
        """What ``build`` returned, built now if it was not yet."""
        if self._build is not None:
            build, self._build = self._build, None
            self._content = build(self)
            if isinstance(self._content, QWidget) and super().widget() is None:
                self.setWidget(self._content)
        return self._content

    def widget(self) -> QWidget:
        self.content
        return super().widget()

    def setVisible(self, visible: bool) -> None:
        if visible:
            self.content
        super().setVisible(visible)


def lesson_dock(window: QMainWindow) -> LazyDock:
    """Help > Lessons' dock on the left (gui.lessons), built when first shown."""

    def build(dock: QDockWidget) -> QWidget:
        from gui.lessons import build_lesson_panel

        return build_lesson_panel(dock, window)

    dock = LazyDock("Lesson", "lesson_dock", build, window, Qt.DockWidgetArea.LeftDockWidgetArea)
    dock.setMinimumWidth(260)
    return dock


def following(panel, source):
    """``panel`` (a dock's panel with ``show_source``) saying in words what ``source`` is when that is not
    the one-layer window's kernel (gui.stack_docks.ChosenKernel's ``described``)."""
    source.described.connect(panel.show_source)
    panel.show_source(source.describe())
    return panel


def learn_dock(window: QMainWindow, document) -> LazyDock:
    """View > Learn a kernel's dock, built when first shown; its ``content`` is the gui.learn_panel.LearnPanel."""

    def build(dock: QDockWidget):
        from gui.learn_panel import LearnPanel

        return following(LearnPanel(document, window, dock), document)

    return LazyDock("Learn a kernel", "learn_dock", build, window)
