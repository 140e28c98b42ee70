"""The layer strip: the stack's layers in order, input first, as a row of items to choose (the chosen layer is
the one the kernel editor and options panel edit), drag to reorder, add after the chosen one, remove, move
left or right; and the stack presets. It only sends edits to the StackDocument and shows what it holds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QListView, QListWidget,
                               QListWidgetItem, QToolButton, QVBoxLayout, QWidget)

import engine
from gui.stack_document import StackDocument

CUSTOM = "(your stack)"


def _button(text: str, tip: str, slot) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


class LayerStrip(QWidget):
    """Shows ``stack``'s pipeline; every click or drag becomes one StackDocument edit."""

    def __init__(self, stack: StackDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.stack = stack
        self.list = QListWidget()
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setSpacing(2)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setToolTip("The layers, first to last: click one to edit it, drag one to move it")
        # one row of items and room for the scrollbar a long stack needs
        scrollbar = self.list.horizontalScrollBar().sizeHint().height()
        self.list.setFixedHeight(self.list.fontMetrics().height() + 14 + scrollbar)
        self.preset = QComboBox()
        self.preset.addItem(CUSTOM)
        for name in engine.PIPELINE_PRESETS:
            self.preset.addItem(name)
        self.preset.setToolTip("Stacks to start from: the notebook (conv + max pool), edges of edges (two 3x3 "
                               "convs with a ReLU between), a small LeNet-like stack")
        self.buttons = {
            "conv": _button("+ Conv", "Add a 3x3 conv layer after the chosen one", lambda: stack.add("conv")),
            "relu": _button("+ ReLU", "Add a ReLU (max(v, 0)) after the chosen layer", lambda: stack.add("relu")),
            "pool": _button("+ Pool", "Add a 2x2 max pool after the chosen layer", lambda: stack.add("pool")),
            "remove": _button("Remove", "Remove the chosen layer", lambda: stack.remove()),
            "left": _button("\u25c0", "Move the chosen layer one place earlier",
                            lambda: stack.move(stack.chosen, stack.chosen - 1)),
            "right": _button("\u25b6", "Move the chosen layer one place later",
                             lambda: stack.move(stack.chosen, stack.chosen + 1)),
        }
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(QLabel("Preset"))
        tools.addWidget(self.preset)
        tools.addSpacing(8)
        for button in self.buttons.values():
            tools.addWidget(button)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(tools)
        layout.addWidget(self.list)
        self._showing = False
        self.list.currentRowChanged.connect(self._on_row)
        self.list.model().rowsMoved.connect(self._on_dragged)
        self.preset.activated.connect(self._on_preset)
        stack.pipelineChanged.connect(self.show_pipeline)
        stack.refused.connect(lambda _why: self.show_pipeline(stack.pipeline))

    def show_pipeline(self, pipeline: engine.Pipeline | None) -> None:
        """One item per layer, numbered from 1 (as the views' titles and the CLI's files number them)."""
        if pipeline is None:
            return
        self._showing = True
        try:
            labels = [f"{n}. {layer.label}" for n, layer in enumerate(pipeline.layers, start=1)]
            if [self.list.item(i).text() for i in range(self.list.count())] != labels:
                self.list.clear()
                for text in labels:
                    item = QListWidgetItem(text)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
                    self.list.addItem(item)
            self.list.setCurrentRow(self.stack.chosen)
            name = next((n for n, p in engine.PIPELINE_PRESETS.items() if p == pipeline), CUSTOM)
            self.preset.setCurrentText(name)
        finally:
            self._showing = False
        count, chosen = len(pipeline.layers), self.stack.chosen
        self.buttons["remove"].setEnabled(count > 1)
        self.buttons["left"].setEnabled(chosen > 0)
        self.buttons["right"].setEnabled(chosen < count - 1)

    def _on_row(self, row: int) -> None:
        if not self._showing and row >= 0:
            self.stack.choose(row)

    def _on_dragged(self, _parent, start: int, _end: int, _dest, row: int) -> None:
        if self._showing:
            return
        to = row if row < start else row - 1
        if not self.stack.move(start, to):
            self.show_pipeline(self.stack.pipeline)

    def _on_preset(self, index: int) -> None:
        name = self.preset.itemText(index)
        if name in engine.PIPELINE_PRESETS:
            self.stack.activate(engine.PIPELINE_PRESETS[name])
