"""Finding the window's menu actions by their texts, as a user reads them."""


def menu_action(window, *path):
    """The action at ``path`` of menu texts (e.g. "Edit", "Copy as code", "NumPy"), mnemonics ignored."""
    actions = window.menuBar().actions()
    for text in path:
        action = next(a for a in actions if a.text().replace("&", "") == text)
        actions = action.menu().actions() if action.menu() else []
    return action
