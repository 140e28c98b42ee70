"""What fills the step panel's grids: one term's input, kernel and product cells, and the pooling window.

Every number comes from engine.explain_pixel / engine.explain_pool; the cells keep the exact values they show
rounded (gui.step.grid). The panel (gui.step.panel) arranges the grids; this module only fills them.
"""

from __future__ import annotations

import functools

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


def fill_values(grid: NumberGrid, terms, lab: bool, centre: tuple[int, int]) -> None:
    """The input values of ``terms`` in ``grid``, as fill_term fills them, in one pass."""
    cells = grid.cells
    for term in terms:
        i, j = term.kernel_pos
        look = PADDED if term.origin == "zero" else PADDED_ITALIC if term.origin != "image" else {}
        cells[i][j].set_number(term.value, functools.partial(_input_tip, term, lab, False),
                               caption=_caption(term, lab, centre), **look)


def fill_kernel(grid: NumberGrid, terms) -> None:
    """The kernel entries of ``terms`` in ``grid`` (cells already showing their entry are left as they are)."""
    cells = grid.cells
    for term in terms:
        i, j = term.kernel_pos
        weight = cells[i][j]
        if weight.exact != term.weight or weight.shown != fmt(term.weight) or weight.background != KERNEL_BG:
            weight.set_number(term.weight, f"kernel[{i}][{j}]", background=KERNEL_BG)


def fill_products(grid: NumberGrid, terms, upto: int | None) -> None:
    """The products of ``terms`` up to term ``upto`` (all when None) in ``grid``; the later ones blank."""
    cells = grid.cells
    for k, term in enumerate(terms):
        i, j = term.kernel_pos
        if upto is not None and k > upto:
            cells[i][j].set_number(None)
            continue
        product = term.product
        cells[i][j].set_number(product, functools.partial(_product_tip, term),
                               **PRODUCT_LOOK[(product > 0) - (product < 0)])


def grid_texts(kind: str, terms, lab: bool, centre: tuple[int, int], upto: int | None
               ) -> tuple[set[str], set[str]]:
    """(the numbers, the captions) that fill_values / fill_kernel / fill_products (``kind``: "values",
    "kernel", "products") would write: what the grid's size depends on."""
    if kind == "values":
        return {fmt(t.value) for t in terms}, {_caption(t, lab, centre) for t in terms}
    if kind == "kernel":
        return {fmt(t.weight) for t in terms}, {""}
    shown = terms if upto is None else terms[:upto + 1]
    return {fmt(t.product) for t in shown} | ({""} if len(shown) < len(terms) else set()), {""}


def _caption(term: engine.Term, lab: bool, centre: tuple[int, int]) -> str:
    """Lab mode: the pixel this kernel cell really meets, as an offset from the centre."""
    if not lab:
        return ""
    return f"{term.input_pos[0] - centre[0]:+d},{term.input_pos[1] - centre[1]:+d}"


def _product_tip(term: engine.Term) -> str:
    return f"{fmt(term.value)} × {fmt(term.weight)}"


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
