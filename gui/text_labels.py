"""Labels that change only when their text does: QLabel.setText asks the window for a new layout even for
the same text, and a relayout of the side panel on every kernel edit repaints all of it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def set_text_if_changed(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)
