"""What fills the step panel's grids: one term's input, kernel and product cells, and the pooling window.

Every number comes from engine.explain_pixel / engine.explain_pool; the cells keep the exact values they show
rounded (gui.step.grid). The panel (gui.step.panel) arranges the grids; this module only fills them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

import engine
from gui.step.grid import NumberGrid, fmt
from gui.step.texts import NEGATIVE, POSITIVE

POSITIVE_BG = "#dcedc8"
NEGATIVE_BG = "#ffcdd2"
CHOSEN_BG = "#ffd54f"
PADDED = {"foreground": "#616161", "background": "#eeeeee", "dashed": True}
PADDED_ITALIC = dict(PADDED, italic=True)
KERNEL_BG = "#e3f2fd"
PRODUCT_LOOK = {1: {"foreground": POSITIVE, "background": POSITIVE_BG, "bold": True},
                -1: {"foreground": NEGATIVE, "background": NEGATIVE_BG, "bold": True},
                0: {"foreground": "#757575", "bold": True}}


def _input_tip(term: engine.Term, lab: bool, channel_named: bool) -> str:
    """What the tooltip of term's input cell says under its value."""
    i, j = term.kernel_pos
    row, col = term.input_pos
    if lab:  # the quirk made visible: which pixel this kernel cell really meets
        return f"filter[{i}][{j}] multiplies i[{row}, {col}] = i[x+{j}-1, y+{i}-1]"
    where = f"input[{row}, {col}, {term.channel}]" if channel_named else f"input[{row}, {col}]"
    if term.origin == "zero":
        return f"{where} is outside the image: zero padding"
    if term.origin != "image":
        return f"{where} is outside the image: the {term.origin} border copies input{list(term.source_pos)}"
    return where


def fill_term(grids: tuple[NumberGrid, NumberGrid, NumberGrid], term: engine.Term, lab: bool,
              centre: tuple[int, int], shown: bool, channel_named: bool) -> bool:
    """Fill term's cells in ``grids`` (values, kernel, products); True when its product is shown (tap by tap,
    a later product stays blank). ``channel_named``: the input's tip names the channel too. Tooltips are
    made when asked (a 15x15 step fills 675 cells)."""
    values, kernel, products = grids
    i, j = term.kernel_pos
    caption = ""
    if lab:  # the pixel this kernel cell really meets, as an offset from the centre
        caption = f"{term.input_pos[0] - centre[0]:+d},{term.input_pos[1] - centre[1]:+d}"
    look = PADDED if term.origin == "zero" else PADDED_ITALIC if term.origin != "image" else {}
    values.cells[i][j].set_number(term.value, lambda: _input_tip(term, lab, channel_named), caption=caption,
                                  **look)
    weight = kernel.cells[i][j]
    if weight.exact != term.weight or weight.shown != fmt(term.weight) or weight.background != KERNEL_BG:
        weight.set_number(term.weight, f"kernel[{i}][{j}]", background=KERNEL_BG)  # else: as the last pixel's
    if not shown:  # tap by tap: not multiplied yet
        products.cells[i][j].set_number(None)
        return False
    product = term.product
    products.cells[i][j].set_number(product, lambda: f"{fmt(term.value)} × {fmt(term.weight)}",
                                    **PRODUCT_LOOK[(product > 0) - (product < 0)])
    return True


def fill_pool(heading: QWidget, grid: NumberGrid, result: QWidget,
              pool: engine.PoolExplanation | None) -> float | None:
    """Show the pooling window holding the pixel (or say there is none); the pooled value, exact, or None."""
    if pool is None:
        heading.setText("<i>No pooling window holds this pixel (or pooling is off).</i>")
        grid.set_shape(0, 0)
        grid.refresh()
        grid.hide()
        result.setText("")
        return None
    grid.show()
    top, left, size, _ = pool.window
    heading.setText(f"<span style='font-size:large'><b>pooled[{pool.out_pos[0]}, "
                    f"{pool.out_pos[1]}]</b></span> = {pool.op} of {size}×{size}")
    heading.setToolTip(f"the window: convolved rows {top}..{top + size - 1}, "
                       f"columns {left}..{left + size - 1}")
    grid.set_shape(size, size)
    for (r, c), value in pool.cells:
        chosen = pool.chosen == (r, c) or pool.op == "avg"
        look = {"background": CHOSEN_BG, "bold": True} if chosen else {}
        grid.cells[r - top][c - left].set_number(value, f"convolved[{r}, {c}]", **look)
    grid.refresh()
    if pool.op == "avg":
        text = (f"sum {fmt(pool.total)} / {len(pool.cells)}<br>= <span style='font-size:x-large'>"
                f"<b>{fmt(pool.result)}</b></span> (float32)")
    else:
        text = f"{pool.op} = <span style='font-size:x-large'><b>{fmt(pool.result)}</b></span>"
    result.setText(text)
    return pool.result
