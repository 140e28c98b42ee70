"""Small multiples in the layer stack: under a layer's view with several feature maps, a strip with every
map's thumbnail, drawn with that layer's levels (one colour means one value across its maps), the map the
view shows framed; a click on a thumbnail chooses that map, as the chooser under the view does.

It is gui.feature_maps.MapTiles (the same strided slices through the same colour table) fed one layer's
output instead of a job's convolved and pooled maps.
"""

from __future__ import annotations

import numpy as np

import engine
from gui.feature_maps import MapTiles


class LayerTiles(MapTiles):
    """MapTiles for one stack layer's output: one row of tiles, no row names, a short heading."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.signed = False

    def show_layer(self, array: np.ndarray | None, levels: engine.Levels | None, signed: bool, chosen: int) -> None:
        """Show ``array``'s maps (H x W x C; anything else leaves the strip empty) with ``levels``."""
        self.signed = signed
        self.show_result(array, {} if levels is None else {"output": levels}, chosen)

    def set_chosen(self, chosen: int) -> None:
        if chosen != self.chosen:
            self.chosen = chosen
            self.update()

    def _maps(self) -> np.ndarray | None:
        return self.result

    def rows(self) -> list[tuple[str, np.ndarray]]:
        return [("output", self.result)] if self.count else []

    def is_diverging(self) -> bool:
        return self.signed

    def row_label(self, name: str) -> str:
        return ""

    def _label_width(self) -> int:
        return 0

    def tip(self, o: int) -> str:
        return f"map {o}: click to show it in this layer's view"

    def heading(self) -> str:
        return f"{self.count} maps, click one"
