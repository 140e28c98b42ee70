"""The running sum as the step panel writes it, one line per tap, shown up to the tap being stepped through
with the focused tap's line marked; and the line that says where a tap-by-tap walk has got to."""

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
    highlighted; for big kernels the lines far from it (or the middle ones) are elided."""
    terms = e.terms if upto is None else e.terms[:upto + 1]
    lines, previous = [], 0.0
    for k, t in enumerate(terms):
        line = (f"{fmt(previous)} + (<span style='color:{product_colour(t.product)}'>{fmt(t.product)}</span>) = "
                f"<b>{fmt(t.running_sum)}</b>")
        if k == focus:
            line = f"<span style='background-color:{FOCUS_BG}'>▶ {line}</span>"
        lines.append(line)
        previous = t.running_sum
    if len(lines) <= MAX_SUM_LINES:
        return lines or ["0"]
    keep = (MAX_SUM_LINES - 1) // 2
    if focus is None or focus < keep or focus >= len(lines) - keep:
        return lines[:keep] + [f"... {len(lines) - 2 * keep} more terms ..."] + lines[-keep:]
    # the focused line stays in view: the first lines, then those up to it and a few after
    start, end = max(keep // 2, focus - keep), min(len(lines), focus + keep // 2 + 1)
    return (lines[:keep // 2] + [f"... {start - keep // 2} more terms ..."] + lines[start:end]
            + ([f"... {len(lines) - end} more terms ..."] if end < len(lines) else []))


def tap_text(e: engine.PixelExplanation, tap: int) -> str:
    """Where a tap-by-tap walk is: this tap's multiply and the sum so far (the rest of the arithmetic follows
    once the last tap is in)."""
    t = e.terms[tap]
    return (f"<span style='font-size:large'>tap <b>{tap + 1}</b> of {len(e.terms)}: kernel[{t.kernel_pos[0]}]"
            f"[{t.kernel_pos[1]}] × input[{t.input_pos[0]}, {t.input_pos[1]}]</span><br>"
            f"{fmt(t.weight)} × {fmt(t.value)} = <b>{fmt(t.product)}</b><br>"
            f"sum so far: <b>{fmt(t.running_sum)}</b><br><i>weight, offset and the clamp come after the last "
            f"tap</i>")
