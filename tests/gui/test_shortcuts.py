"""Help > Keyboard shortcuts fits the screen: the list scrolls instead of running off it (seen under Xvfb at
1280x720, where the list was taller than the screen, its title bar and Step section out of reach)."""

from PySide6.QtWidgets import QApplication, QDialog, QTextBrowser


def test_the_shortcut_list_fits_the_screen_and_scrolls_to_every_key(qtbot, window):
    from gui.shortcuts import show_shortcuts

    show_shortcuts(window)
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "shortcuts_dialog")
    qtbot.waitExposed(dialog)
    screen = (window.screen() or QApplication.primaryScreen()).availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height() and dialog.frameGeometry().width() <= screen.width()
    text = dialog.findChild(QTextBrowser)
    assert isinstance(dialog, QDialog) and text is not None
    for keys in ("Ctrl+O", "F8", "F9", "Ctrl+L"):  # the first and last menus' keys are all there
        assert keys in text.toPlainText()
    dialog.close()


def test_the_list_leaves_out_keys_a_pc_keyboard_does_not_have(qtbot):
    """X11 gives Undo as Ctrl+Z, F14 and the Sun keyboard's Undo key: the list said "Ctrl+Z or F14 or Undo"."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMenuBar

    from gui.shortcuts import shortcut_rows

    bar = QMenuBar()
    qtbot.addWidget(bar)
    edit = bar.addMenu("&Edit")
    undo = QAction("&Undo", edit)
    undo.setShortcuts([QKeySequence("Ctrl+Z"), QKeySequence(Qt.Key.Key_F14), QKeySequence(Qt.Key.Key_Undo)])
    only_f14 = QAction("Only a Sun key", edit)
    only_f14.setShortcuts([QKeySequence(Qt.Key.Key_F14)])
    both = QAction("Two keys", edit)
    both.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
    edit.addActions([undo, only_f14, both])
    native = QKeySequence.SequenceFormat.NativeText
    assert shortcut_rows(bar) == [
        ("Edit", "Undo", QKeySequence("Ctrl+Z").toString(native)),
        ("Edit", "Only a Sun key", QKeySequence(Qt.Key.Key_F14).toString(native)),  # kept: it is all there is
        ("Edit", "Two keys", " or ".join(QKeySequence(k).toString(native) for k in ("F5", "Ctrl+R"))),
    ]
    assert len(undo.shortcuts()) == 3  # the keys still work; only the list leaves them out
