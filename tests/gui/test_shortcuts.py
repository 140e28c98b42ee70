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
