"""The Presets menu: the built-in kernels and the user's own, saved in the data folder.

Choosing a preset is checked with the document first (refused with a reason if the options cannot take
it, e.g. a 5x5 kernel in lab mode); then the kernel editor takes it and the document follows the editor."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

import engine
from gui import settings as app_settings
from gui.document import Document


class Presets(QObject):
    userPresetsChanged = Signal(list)  # the user's presets, after loading or saving them
    chosen = Signal(object)  # an engine.Preset the document accepts
    layerChosen = Signal(str)  # the name of an engine.LayerPreset (fills every slice; the window applies it)

    def __init__(self, document: Document, parent: QWidget, say: Callable[..., None]):
        super().__init__(parent)
        self.document, self.parent_widget, self.say = document, parent, say
        self.menu = QMenu("&Presets", parent)
        self.menu.setToolTipsVisible(True)
        self.user_presets: list[engine.Preset] = []
        self._damaged: str | None = None
        self.load()

    def choose(self, preset: engine.Preset) -> bool:
        """Emit ``chosen`` (the kernel editor takes it, named, as one undo step) if the options can take it."""
        if not self.document.accepts(kernel=preset.kernel, weight=preset.weight, offset=preset.offset):
            return False
        self.chosen.emit(preset)
        return True

    def load(self) -> None:
        """Read the user's presets; a damaged file is reported and left untouched (nothing is saved over it)."""
        path = app_settings.presets_path()
        self._damaged = None
        if path.exists():
            try:
                self.user_presets = engine.load_presets(path)
            except engine.KernelscopeError as e:
                self._damaged = str(e)
                self.say(f"Your presets file is damaged and was not changed: {e}", error=True)
        self._rebuild_menu()
        self.userPresetsChanged.emit(self.user_presets)

    def ask_and_save(self) -> None:
        name, ok = QInputDialog.getText(self.parent_widget, "Save preset", "Name for this kernel:")
        if ok and name.strip():
            self.add(name.strip())

    def add(self, name: str) -> bool:
        """Save the document's kernel, weight and offset as the user's preset ``name``."""
        if self._damaged:
            QMessageBox.warning(self.parent_widget, "Cannot save preset", "Your presets file is damaged, so it "
                                f"was left as it is and nothing was saved: {self._damaged}")
            return False
        options = self.document.options
        preset = engine.Preset(name, options.kernel, options.weight, options.offset, "Saved by you")
        presets = [p for p in self.user_presets if p.name != name] + [preset]
        try:
            engine.save_presets(app_settings.presets_path(), presets)
        except (OSError, engine.KernelscopeError) as e:
            QMessageBox.warning(self.parent_widget, "Cannot save preset", str(e))
            return False
        self.user_presets = presets
        self._rebuild_menu()
        self.userPresetsChanged.emit(presets)
        self.say(f"Saved preset {name!r}")
        return True

    def _rebuild_menu(self) -> None:
        menu = self.menu
        menu.clear()
        for preset in engine.PRESETS:
            action = menu.addAction(preset.name)
            action.setToolTip(preset.description)
            action.triggered.connect(lambda _=False, p=preset: self.choose(p))
        menu.addSeparator()
        menu.addSection("Every slice of a layer")
        for layer_preset in engine.LAYER_PRESETS:
            action = menu.addAction(layer_preset.name)
            action.setToolTip(layer_preset.description)
            action.triggered.connect(lambda _=False, name=layer_preset.name: self.layerChosen.emit(name))
        if self.user_presets:
            menu.addSeparator()
            for preset in self.user_presets:
                menu.addAction(f"{preset.name} (yours)").triggered.connect(lambda _=False, p=preset: self.choose(p))
        menu.addSeparator()
        menu.addAction("Save current kernel as preset...").triggered.connect(self.ask_and_save)
