"""Help > Keyboard shortcuts: every menu action that has a key, read from the menus themselves, so the
list can never disagree with what the keys do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMenuBar, QTextBrowser, QVBoxLayout, QWidget

#: an action property: the keys of an action whose shortcut is set only while its mode is on (Space plays)
KEYS_WHEN_ACTIVE = "keys_when_active"


#: Keys that some platforms add to a standard shortcut (X11 gives Undo as "Ctrl+Z, F14, Undo": the Sun
#: keyboard's keys) and a PC or Mac keyboard does not have: left out of the list, not out of the action
_DEDICATED_KEYS = {getattr(Qt.Key, f"Key_F{n}") for n in range(13, 36)} | {
    Qt.Key.Key_Undo, Qt.Key.Key_Redo, Qt.Key.Key_Copy, Qt.Key.Key_Cut, Qt.Key.Key_Paste, Qt.Key.Key_Open,
    Qt.Key.Key_Save, Qt.Key.Key_Close, Qt.Key.Key_Find, Qt.Key.Key_Help, Qt.Key.Key_New, Qt.Key.Key_Print,
    Qt.Key.Key_Refresh, Qt.Key.Key_Forward, Qt.Key.Key_Back}


def typed_keys(action) -> list[QKeySequence]:
    """The action's shortcuts a user can type on a PC or Mac keyboard (all of them if none is)."""
    shortcuts = action.shortcuts()
    typed = [k for k in shortcuts if k.count() and k[0].key() not in _DEDICATED_KEYS]
    return typed or shortcuts


def shortcut_rows(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action with a shortcut, menu by menu, submenus included."""
    rows = []

    def walk(menu, where: str) -> None:
        for action in menu.actions():  # the menu's own actions first, then its submenus
            if action.menu() is None and (action.shortcuts() or action.property(KEYS_WHEN_ACTIVE)):
                keys = " or ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in typed_keys(action))
                rows.append((where, action.text().replace("&", ""), keys or action.property(KEYS_WHEN_ACTIVE)))
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{where} > {action.menu().title().replace('&', '')}")

    for top in bar.actions():
        if top.menu() is not None:
            walk(top.menu(), top.menu().title().replace("&", ""))
    return rows


def shortcuts_html(bar: QMenuBar) -> str:
    import html  # with the dialog, not at start-up (gui.menus imports this module)

    lines, menu = [], None
    for where, text, keys in shortcut_rows(bar):
        if where != menu:
            menu = where
            lines.append(f"<tr><td colspan=2><br><b>{html.escape(where)}</b></td></tr>")
        lines.append(f"<tr><td>{html.escape(text)}</td><td>&nbsp;&nbsp;<b>{html.escape(keys)}</b></td></tr>")
    return ("<p>Step actions work while step mode is on (F9); Space plays and pauses.</p><table>"
            + "".join(lines) + "</table>")


def show_shortcuts(window: QWidget) -> None:
    """The list in a dialog that fits the screen (it scrolls on a 1280x720 or 1024x768 laptop)."""
    dialog = QDialog(window)
    dialog.setWindowTitle("Keyboard shortcuts")
    dialog.setObjectName("shortcuts_dialog")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    text = QTextBrowser()
    text.setHtml(shortcuts_html(window.menuBar()))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    text.document().setTextWidth(text.fontMetrics().averageCharWidth() * 60)
    screen = (window.screen() or QApplication.primaryScreen()).availableGeometry()
    size = text.document().size()
    dialog.resize(min(int(size.width()) + 60, int(screen.width() * 0.9)),
                  min(int(size.height()) + 90, int(screen.height() * 0.85)))
    dialog.show()
