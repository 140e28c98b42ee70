"""What the kernel editor's tests share: the editor on its own, its grid's values, typing into a box, and
what the window runs and says."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from gui.kernel_editor import KernelEditor

NOTEBOOK = [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]]


@pytest.fixture
def editor(qtbot):
    widget = KernelEditor()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def grid_values(editor):
    rows, cols = editor.rows.value(), editor.cols.value()
    return [[editor.cell(r, c).value() for c in range(cols)] for r in range(rows)]


def type_into(qtbot, box, text, commit=True):
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    if commit:
        qtbot.keyClick(box, Qt.Key.Key_Return)



def run_options(window):
    """The options the window runs (held by the window, or by its document once it has one)."""
    return getattr(window, "document", window).options


def status_text(window):
    return " | ".join(label.text() for label in window.statusBar().findChildren(QLabel))
