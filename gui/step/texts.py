"""The step panel's texts: the note above the grids, the running sum (one line per tap, shown up to the tap
being stepped through, the focused tap's line marked), where a tap-by-tap walk has got to, and the
arithmetic after the sum."""

from __future__ import annotations

import engine
from gui.step.grid import fmt

POSITIVE = "#1b5e20"
NEGATIVE = "#b71c1c"
#: above this many terms the running sum elides lines (a 15x15 kernel has 225)
MAX_SUM_LINES = 25
FOCUS_BG = "#ffe0b2"  # the focused line, a light tint of the focus colour


def product_colour(product: float) -> str:
    return POSITIVE if product > 0 else NEGATIVE if product < 0 else "#757575"


def sum_lines(e: engine.PixelExplanation, upto: int | None = None, focus: int | None = None) -> list[str]:
    """One line per term up to term ``upto`` (all when None): '-102 + (-204) = -306'. Term ``focus`` is
    highlighted; for big kernels the lines far from it (or the middle ones) are elided (and never made)."""
    terms = e.terms if upto is None else e.terms[:upto + 1]
    count = len(terms)

    def lines(first: int, stop: int) -> list[str]:
        made = []
        for k in range(first, stop):
            t = terms[k]
            previous = terms[k - 1].running_sum if k else 0.0
            line = (f"{fmt(previous)} + (<span style='color:{product_colour(t.product)}'>{fmt(t.product)}</span>)"
                    f" = <b>{fmt(t.running_sum)}</b>")
            if k == focus:
                line = f"<span style='background-color:{FOCUS_BG}'>▶ {line}</span>"
            made.append(line)
        return made

    if count <= MAX_SUM_LINES:
        return lines(0, count) or ["0"]
    keep = (MAX_SUM_LINES - 1) // 2
    if focus is None or focus < keep or focus >= count - keep:
        return lines(0, keep) + [f"... {count - 2 * keep} more terms ..."] + lines(count - keep, count)
    # the focused line stays in view: the first lines, then those up to it and a few after
    start, end = max(keep // 2, focus - keep), min(count, focus + keep // 2 + 1)
    return (lines(0, keep // 2) + [f"... {start - keep // 2} more terms ..."] + lines(start, end)
            + ([f"... {count - end} more terms ..."] if end < count else []))


def tap_text(e: engine.PixelExplanation, tap: int) -> str:
    """Where a tap-by-tap walk is: this tap's multiply and the sum so far (the rest of the arithmetic follows
    once the last tap is in)."""
    t = e.terms[tap]
    return (f"<span style='font-size:large'>tap <b>{tap + 1}</b> of {len(e.terms)}: kernel[{t.kernel_pos[0]}]"
            f"[{t.kernel_pos[1]}] × input[{t.input_pos[0]}, {t.input_pos[1]}]</span><br>"
            f"{fmt(t.weight)} × {fmt(t.value)} = <b>{fmt(t.product)}</b><br>"
            f"sum so far: <b>{fmt(t.running_sum)}</b><br><i>weight, offset and the clamp come after the last "
            f"tap</i>")


def note_text(e: engine.PixelExplanation) -> str:
    if e.lab:
        return ("<b>Lab mode</b>: the kernel acts <b>transposed</b> (filter[a][b] × i[x+b-1, y+a-1], "
                "x = row). Small print: the pixel's offset.")
    flipped = ("<b>True convolution</b>: the kernel is shown <b>turned 180 degrees</b>, as it is "
               "multiplied. " if e.flipped else "")
    padded = sum(1 for t in e.terms if t.origin != "image")
    if not padded:
        return flipped
    border = next(t.origin for t in e.terms if t.origin != "image")
    return (f"{flipped}{padded} of the {len(e.terms)} cells fall outside the image (grey, dashed): "
            f"{'zero padding' if border == 'zero' else f'values from the {border} border'}.")

def result_text(e: engine.PixelExplanation) -> str:
    stored = f"<span style='font-size:x-large'>stored value: <b>{fmt(e.stored)}</b></span>"
    if e.untouched:
        return f"{stored}<br>(the input's value, unchanged)"
    lines = [f"sum = <b>{fmt(e.sum)}</b>", f"× weight {fmt(e.weight)} = <b>{fmt(e.weighted)}</b>"]
    if e.subtotals:  # a layer: what each input channel's products add up to, then the bias of this map
        lines.insert(0, "input channels: " + ", ".join(f"c{ci}: {fmt(v)}" for ci, v in e.subtotals))
    if not e.lab:
        lines.append(f"+ offset {fmt(e.offset)} = <b>{fmt(e.before_clamp)}</b>")
    if e.output_range == "clamp":
        lines.append(f"clamp 0..255, truncate: <b>{fmt(e.before_clamp)}&nbsp;→&nbsp;{fmt(e.stored)}</b>")
    elif e.output_range == "relu":
        lines.append(f"relu, max(v, 0), float32: <b>{fmt(e.before_clamp)}&nbsp;→&nbsp;{fmt(e.stored)}</b>")
    else:
        lines.append(f"raw, float32 (no clamp): <b>{fmt(e.before_clamp)}&nbsp;→&nbsp;{fmt(e.stored)}</b>")
    lines.append(stored)
    return "<br>".join(lines)
