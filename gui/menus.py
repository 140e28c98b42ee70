"""The window's menus, and the one way the app makes an action (text, shortcuts, tip, slot)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

import engine
from gui.shortcuts import show_shortcuts

ABOUT = ("<h3>Kernelscope</h3><p>Learn how image convolution and pooling work, the first idea behind every "
         "convolutional neural network.</p><p>It grows out of the TensorFlow lab <i>Introduction to "
         "Convolutions</i>, which runs a 3x3 filter over SciPy's 'ascent' stairwell photo with a Python loop, "
         "multiplies by a weight, clamps to 0..255 and 2x2 max-pools. Kernelscope makes that live: edit the "
         "kernel and watch the results; step through the image to see every multiply-and-sum; switch on "
         "<b>lab mode</b> to run the notebook's own loops bit for bit, quirks included.</p>"
         "<p>Sample images: public domain, from SciPy.</p>")


def make_action(parent: QObject, text: str, slot=None, shortcut=None, tip: str = "", checkable: bool = False,
                menu: QMenu | None = None) -> QAction:
    """An action with its shortcut(s) (one, or a tuple: the first is the one shown), a tip that names the
    shortcut, and ``slot`` connected to ``triggered``; added to ``menu`` if given."""
    action = QAction(text, parent)
    keys = shortcut if isinstance(shortcut, tuple) else () if shortcut is None else (shortcut,)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    if tip:
        shown = QKeySequence(keys[0]).toString() if keys else ""
        action.setToolTip(f"{tip} ({shown})" if shown else tip)
        action.setStatusTip(tip)
    action.setCheckable(checkable)
    if slot is not None:
        action.triggered.connect(slot)
    if menu is not None:
        menu.addAction(action)
    return action


def _open_lessons(window) -> None:
    from gui.lessons import open_lessons  # with the lessons themselves: loaded when first asked for

    open_lessons(window)


@dataclass
class Menus:
    """The actions other parts of the window change after the menus are built."""

    view: QMenu
    histograms: QAction
    presentation: QAction
    save_pooled: QAction


def build_menus(window) -> Menus:
    """File, Edit, View, Step and Help, from the parts the window composed."""
    bar, files, editor, status, views = window.menuBar(), window.files, window.editor, window.status, window.views
    file = bar.addMenu("&File")
    make_action(window, "&Open image...", files.choose_image, QKeySequence.StandardKey.Open,
                "Open a PNG, JPEG, BMP, TIFF or .npy image (colour becomes gray)", menu=file)
    make_action(window, "Open image as &RGB...", lambda: files.choose_image("rgb"), "Ctrl+Shift+R",
                "Open a picture as three colour channels (a CNN layer's input); a 2-D kernel then filters "
                "each channel by itself", menu=file)
    samples = file.addMenu("&Samples")
    for n, name in enumerate(engine.sample_names(), start=1):
        make_action(window, name, lambda _=False, s=name: files.load_sample(s), f"Ctrl+{n}",
                    f"The built-in {name} image", menu=samples)
        make_action(window, f"{name} (RGB)", lambda _=False, s=name: files.load_sample(s, "rgb"), None,
                    f"The built-in {name} image as three colour channels", menu=samples)
    file.addSeparator()
    make_action(window, "Open &session...", files.choose_session, "Ctrl+Shift+O", menu=file)
    make_action(window, "Save s&ession...", files.save_session_as, "Ctrl+Shift+S", menu=file)
    file.addSeparator()
    make_action(window, "Save &convolved image...", lambda: files.save_result_as("convolved"),
                QKeySequence.StandardKey.Save, menu=file)
    save_pooled = make_action(window, "Save &pooled image...", lambda: files.save_result_as("pooled"),
                              "Ctrl+Alt+S", menu=file)
    make_action(window, "Cop&y convolved image", files.copy_convolved, "Ctrl+Shift+C", menu=file)
    window.exports.add_file_actions(file)
    file.addSeparator()
    make_action(window, "&Quit", window.close, "Ctrl+Q", menu=file)  # StandardKey.Quit is empty on Windows

    edit = bar.addMenu("&Edit")
    undo, redo = editor.create_undo_actions(window)
    edit.addAction(undo)
    edit.addAction(redo)
    edit.addSeparator()
    make_action(window, "Reset &kernel", editor.reset, "Ctrl+R", menu=edit)
    make_action(window, "&Normalize weight", editor.normalize_weight, "Ctrl+N", "weight = 1 / sum of the kernel",
                menu=edit)
    edit.addMenu(window.presets.menu)
    make_action(window, "Save kernel as preset...", window.presets.ask_and_save, menu=edit)
    window.exports.add_edit_actions(edit)
    make_action(window, "Cancel job", status.cancel_job, "Esc", menu=edit)

    view = bar.addMenu("&View")
    make_action(window, "&Fit images", views.fit, "Ctrl+0", menu=view)
    histograms = make_action(window, "Show &histograms/levels", window.presentation.show_histograms, "Ctrl+H",
                             checkable=True, menu=view)
    presentation = make_action(window, "&Presentation mode (large text)", window.set_presentation, "F11",
                               "Large text and high-contrast outlines for projectors", checkable=True, menu=view)
    presentation.setIconText("Presentation")  # on the step toolbar
    view.addMenu(views.levels_menu)
    make_action(window, "Show what the &clamp threw away", window.clamp_overlay.set_visible, "Ctrl+K",
                "Mark the pixels that were negative (blue, stored 0) or above 255 (red, stored 255) before "
                "the clamp", checkable=True, menu=view)
    view.addAction(window.side_dock.toggleViewAction())
    view.addAction(window.learn_dock.toggleViewAction())

    step = bar.addMenu("&Step")
    for action in window.step_mode.controls.menu_actions():
        step.addSeparator() if action is None else step.addAction(action)

    help_menu = bar.addMenu("&Help")
    make_action(window, "&Lessons", lambda: _open_lessons(window), "Ctrl+L",
                "Guided lessons: the lab, blur and edges, normalizing, borders, signed output, pooling",
                menu=help_menu)
    make_action(window, "&Keyboard shortcuts", lambda: show_shortcuts(window), "F1",
                "Every key, menu by menu", menu=help_menu)
    make_action(window, "&About Kernelscope", lambda: QMessageBox.about(window, "About Kernelscope", ABOUT),
                menu=help_menu)
    make_action(window, "About &Qt", QApplication.aboutQt, menu=help_menu)
    return Menus(view, histograms, presentation, save_pooled)
