"""The window's file dialogs start in the last folder used and give a name typed without a suffix the suffix
of the file type chosen."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from gui import settings as app_settings
from gui.file_dialogs import ask_open_path, ask_save_path, suffix_of

FILTERS = "Kernel text (*.txt *.kernel);;NumPy array (*.npy);;All files (*)"


@pytest.fixture
def dialog(monkeypatch, tmp_path):
    """QFileDialog answering with ``answer`` (path, file type); ``asked`` records where it started."""
    app_settings.set_last_folder(tmp_path / "pictures" / "earlier.png")
    state = {"answer": ("", ""), "asked": None}

    def answer(parent, title, start, filters):
        state["asked"] = (title, start, filters)
        return state["answer"]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(answer))
    return state


def test_a_file_type_s_suffix_is_its_first_pattern():
    assert suffix_of("PNG image (*.png)") == ".png"
    assert suffix_of("Kernel text (*.txt *.kernel)") == ".txt"
    assert suffix_of("Kernelscope session (*.kscope.json *.json)") == ".kscope.json"
    assert suffix_of("All files (*)", ".txt") == ".txt"


def test_saving_starts_with_the_name_in_the_last_folder(dialog, tmp_path):
    dialog["answer"] = (str(tmp_path / "k.txt"), "Kernel text (*.txt *.kernel)")
    assert ask_save_path(None, "Save kernel", "kernel.txt", FILTERS) == str(tmp_path / "k.txt")
    assert dialog["asked"] == ("Save kernel", str(tmp_path / "pictures" / "kernel.txt"), FILTERS)


@pytest.mark.parametrize("chosen, suffix", [("NumPy array (*.npy)", ".npy"), ("Kernel text (*.txt *.kernel)", ".txt"),
                                            ("All files (*)", ".txt")])
def test_a_name_without_a_suffix_gets_the_chosen_type_s(dialog, tmp_path, chosen, suffix):
    dialog["answer"] = (str(tmp_path / "mine"), chosen)
    assert ask_save_path(None, "Save kernel", "kernel.txt", FILTERS) == str(tmp_path / "mine") + suffix


def test_a_name_with_a_suffix_is_kept_and_cancel_gives_none(dialog, tmp_path):
    dialog["answer"] = (str(tmp_path / "mine.kernel"), "NumPy array (*.npy)")
    assert ask_save_path(None, "Save kernel", "kernel.txt", FILTERS) == str(tmp_path / "mine.kernel")
    dialog["answer"] = ("", "")
    assert ask_save_path(None, "Save kernel", "kernel.txt", FILTERS) is None
    assert ask_open_path(None, "Load kernel", FILTERS) is None


def test_opening_starts_in_the_last_folder(dialog, tmp_path):
    dialog["answer"] = (str(tmp_path / "a.npy"), "NumPy array (*.npy)")
    assert ask_open_path(None, "Load kernel", FILTERS) == str(tmp_path / "a.npy")
    assert dialog["asked"] == ("Load kernel", str(Path(tmp_path / "pictures")), FILTERS)
