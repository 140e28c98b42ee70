"""The Kernel menu: transforms, kernel files and their errors act on the document and nothing else."""

import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QToolButton, QWidget

import engine
from engine.kernel_transforms import TRANSFORMS
from gui.kernel_actions import KernelActions


class FakeDocument(QObject):
    """A document as the actions use it: options, change() that validates or refuses, optionsChanged."""

    optionsChanged = Signal(object)
    refused = Signal(str)

    def __init__(self, options):
        super().__init__()
        self.options = options

    def change(self, **changes):
        try:
            self.options = self.options.with_changes(**changes)
        except engine.KernelscopeError as e:
            self.refused.emit(str(e))
            return False
        self.optionsChanged.emit(self.options)
        return True


@pytest.fixture
def actions(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    messages = []
    document = FakeDocument(engine.JobOptions(kernel=((1, 2, 3), (4, 5, 6)), weight=0.5, offset=3))
    kernel_actions = KernelActions(document, parent, lambda text, error=False: messages.append((text, error)))
    return kernel_actions, document, messages


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_each_transform_changes_only_the_kernel(actions, name):
    kernel_actions, document, _ = actions
    before = document.options
    kernel_actions.transforms[name].trigger()
    assert document.options.kernel == engine.JobOptions(kernel=TRANSFORMS[name](before.kernel)).kernel
    assert (document.options.weight, document.options.offset) == (0.5, 3)


def test_the_button_row_has_a_button_per_transform(actions):
    kernel_actions, document, _ = actions
    row = kernel_actions.button_row()
    buttons = row.findChildren(QToolButton)
    assert [b.defaultAction() for b in buttons] == list(kernel_actions.transforms.values())
    buttons[0].click()  # rotate clockwise
    assert document.options.kernel == ((4, 1), (5, 2), (6, 3))


@pytest.mark.parametrize("suffix", [".txt", ".npy"])
def test_save_then_load_gives_the_kernel_back(actions, tmp_path, suffix):
    kernel_actions, document, messages = actions
    path = tmp_path / f"k{suffix}"
    assert kernel_actions.save_to(path)
    saved = document.options.kernel
    document.change(kernel=[[0]])
    assert kernel_actions.load_from(path)
    assert document.options.kernel == saved and document.options.weight == 0.5
    assert [error for _, error in messages] == [False, False]


def test_a_bad_kernel_file_says_why_and_changes_nothing(actions, tmp_path):
    kernel_actions, document, messages = actions
    path = tmp_path / "bad.txt"
    path.write_text("1 2\n3 x\n")
    before = document.options
    assert not kernel_actions.load_from(path)
    assert document.options == before
    assert len(messages) == 1 and messages[0][1]
    assert messages[0][0].startswith(f"{path}: line 2, entry 2: 'x' is not a number")
    np.save(tmp_path / "big.npy", np.ones((16, 16)))
    assert not kernel_actions.load_from(tmp_path / "big.npy")
    assert "16x16" in messages[-1][0] and document.options == before


def test_saving_where_it_cannot_write_says_so(actions, tmp_path):
    kernel_actions, _, messages = actions
    assert not kernel_actions.save_to(tmp_path / "missing" / "k.txt")
    assert messages[-1][1] and "cannot be written" in messages[-1][0]
