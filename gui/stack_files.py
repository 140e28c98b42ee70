"""The layer stack's menu and files: View > Layer stack, the Layers menu (presets, add, remove, open and save a
pipeline file), and File > Open/Save pipeline. A pipeline file that cannot be read gets one message
(naming the layer and the key, from engine.load_pipeline) and changes nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenu, QMessageBox

import engine
from gui.file_dialogs import ask_open_path, ask_save_path
from gui.menus import make_action

PIPELINE_FILTER = "Kernelscope pipeline (*.json);;All files (*)"


class StackFiles:
    """Open and save pipeline files for ``stack_mode`` (a gui.stack_mode.StackMode) of ``window``."""

    def __init__(self, window, stack_mode):
        self.window, self.stack_mode, self.stack = window, stack_mode, stack_mode.stack

    def choose_pipeline(self) -> None:
        path = ask_open_path(self.window, "Open pipeline", PIPELINE_FILTER)
        if path:
            self.open_pipeline(path)

    def open_pipeline(self, path: str | Path) -> bool:
        """Load a pipeline file into the stack (turning it on); a bad file: one message, nothing changes."""
        try:
            pipeline = engine.load_pipeline(path)
        except (engine.KernelscopeError, OSError) as e:
            QMessageBox.warning(self.window, "Cannot open pipeline", str(e))
            return False
        if not self.stack.activate(pipeline):
            return False  # the stack said why (it cannot run on this image)
        self.window.status.show_message(f"Opened the pipeline {path}")
        return True

    def save_pipeline_as(self) -> None:
        path = ask_save_path(self.window, "Save pipeline", "pipeline.json", PIPELINE_FILTER)
        if path:
            self.save_pipeline(path)

    def save_pipeline(self, path: str | Path) -> bool:
        """Save the layers shown (the stack's, or today's [conv, pool] as a pipeline)."""
        try:
            engine.save_pipeline(self.window.document.pipeline, path)
        except (engine.KernelscopeError, OSError) as e:
            QMessageBox.warning(self.window, "Cannot save pipeline", str(e))
            return False
        self.window.status.show_message(f"Saved the pipeline to {path}")
        return True


def build_stack_menus(window, stack_mode, files: StackFiles):
    """The Layers menu (before Help) and the File menu's pipeline actions; returns View > Layer stack."""
    stack = stack_mode.stack
    toggle = make_action(window, "&Layer stack", stack_mode.set_active, "Ctrl+Shift+L",
                         "Stack conv, ReLU and pool layers; every layer's output in a view", checkable=True)
    window.menus.view.addAction(toggle)
    bar = window.menuBar()
    help_action = next(a for a in bar.actions() if a.menu() is not None and a.menu().title() == "&Help")
    layers = QMenu("&Layers", window)
    bar.insertMenu(help_action, layers)
    layers.addAction(toggle)
    presets = layers.addMenu("&Presets")
    for name, pipeline in engine.PIPELINE_PRESETS.items():
        make_action(window, name, lambda _=False, p=pipeline: stack.activate(p), menu=presets)
    layers.addSeparator()
    for kind, text in (("conv", "Add &conv layer"), ("relu", "Add &ReLU"), ("pool", "Add &pool layer")):
        make_action(window, text, lambda _=False, k=kind: stack.add(k), tip="after the chosen layer", menu=layers)
    make_action(window, "Re&move chosen layer", lambda: stack.active and stack.remove(), menu=layers)
    layers.addSeparator()
    views = stack_mode.views
    zoom = make_action(window, "&Zoom to the receptive field", views.set_zoom_to_field,
                       tip="On a click, every view zooms onto the clicked pixel's receptive field", checkable=True,
                       menu=layers)
    zoom.setChecked(views.zoom_to_field)
    make_action(window, "&Fit the layer views", views.fit, tip="Show every view's whole image", menu=layers)
    layers.addSeparator()
    file_menu = next(a.menu() for a in bar.actions() if a.menu() is not None and a.menu().title() == "&File")
    session_save = next(a for a in file_menu.actions() if a.text() == "Save s&ession...")
    opener = make_action(window, "Open p&ipeline...", files.choose_pipeline,
                         tip="Open a pipeline file (JSON: {\"layers\": [...]}) into the layer stack")
    saver = make_action(window, "Save pipe&line...", files.save_pipeline_as, tip="Save the layers as a pipeline file")
    after = file_menu.actions()[file_menu.actions().index(session_save) + 1]
    file_menu.insertAction(after, opener)
    file_menu.insertAction(after, saver)
    layers.addAction(opener)
    layers.addAction(saver)
    return toggle
