"""The normal views show the document: its image (and the window's title), each result (the map of the
layer panel's chosen slice, step mode following it), and that the results on screen are out of date when
the options cannot run."""

from __future__ import annotations

from PySide6.QtCore import QObject

from engine.numbers import format_size
from gui.layer_panel import shown_result


class DocumentViews(QObject):
    """Wires ``views`` (gui.image_views) and ``centre`` (the views over the feature maps) of ``window`` to
    ``document``; ``layer_panel`` chooses the map shown, ``step_mode`` steps through it, ``stack_mode``
    shows the layer stack's chosen layer instead when the stack is on. Connect it first: others read what
    the views show."""

    def __init__(self, window, document, views, centre, layer_panel):
        super().__init__(window)
        self.window, self.document, self.views, self.centre, self.layer_panel = window, document, views, centre, layer_panel
        self.step_mode = self.stack_mode = None
        document.imageChanged.connect(self.show_image)
        document.resultReady.connect(self.show_result)
        document.jobFailed.connect(self.mark_out_of_date)

    def follow_slice(self, step_mode, stack_mode) -> None:
        """Once step mode and the stack exist: a new slice in the layer panel shows its map and steps it."""
        self.step_mode, self.stack_mode = step_mode, stack_mode
        self.layer_panel.sliceChosen.connect(self._show_slice)

    def show_image(self) -> None:
        document = self.document
        image, label = document.image, document.source.label
        self.views.show_input(image)
        self.views.input.set_title(f"Input: {label}, {format_size(image.shape)}")
        self.window.setWindowTitle(f"Kernelscope - {label}")
        if document.stack.active:
            self.stack_mode.show_chosen(document.stack.options)

    def show_result(self, shown) -> None:
        for panel in (self.views.convolved, self.views.pooled):
            if panel.item.opacity() != 1.0:
                panel.item.setOpacity(1.0)
        self.views.show_result(shown_result(shown.result, self.layer_panel.slice), shown.levels, shown.display)
        self.centre.show_result(shown.result, shown.levels, self.layer_panel.slice[1])

    def mark_out_of_date(self, failure) -> None:
        """The options cannot run: the results on screen are those of earlier options, and say so."""
        for panel in (self.views.convolved, self.views.pooled):
            if panel.data is not None:
                panel.item.setOpacity(0.35)
                panel.set_title(f"Out of date (these options cannot run): {failure.message}")
        self.centre.tiles.set_stale(True)

    def _show_slice(self, _in_channel: int, _out_channel: int) -> None:
        self.step_mode.channel = self.layer_panel.slice[1]
        self.step_mode.refresh()
        if self.document.shown is not None:
            self.show_result(self.document.shown)
