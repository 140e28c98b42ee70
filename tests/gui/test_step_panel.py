"""The step panel shows exactly the arithmetic of the pixel: every number read back from its widgets equals
plain reference loops written here and the bulk job's output, in standard and lab modes, with pooling."""

import random
import re

import numpy as np
import pytest

import engine
from gui.step.grid import fmt
from gui.step.panel import StepPanel
from gui.step.texts import NEGATIVE, POSITIVE
from tests.engine import reference as ref


# -- independent reference: the arithmetic as the lab and the README state it, one pixel at a time --------
# (border and store rules from tests/engine/reference.py, written independently of the engine)
def reference_pixel(image, kernel, weight, offset, border, output_range, r, c):
    """(values, products, running sums, stored) of convolved[r, c], kernel cells in row-major order."""
    height, width = len(image), len(image[0])
    kh, kw = len(kernel), len(kernel[0])
    top, left = (0, 0) if border == "valid" else ((kh - 1) // 2, (kw - 1) // 2)
    values, products, running, total = [], [], [], 0.0
    for i in range(kh):
        for j in range(kw):
            sr, sc = ref.source(r + i - top, height, border), ref.source(c + j - left, width, border)
            value = 0.0 if sr is None or sc is None else float(image[sr][sc])
            values.append(value)
            products.append(value * kernel[i][j])
            total = total + value * kernel[i][j]
            running.append(total)
    return values, products, running, ref.store(total * weight + offset, output_range)


def reference_lab_pixel(image, kernel, weight, x, y):
    """The notebook's loop body for one (x, y): filter[a][b] meets i[x+b-1, y+a-1]; the margin is kept."""
    height, width = len(image), len(image[0])
    if not (1 <= x <= height - 2 and 1 <= y <= width - 2):
        return None, None, None, float(image[x][y])
    values, products, running, total = [], [], [], 0.0
    for a in range(3):
        for b in range(3):
            value = float(image[x + b - 1][y + a - 1])
            values.append(value)
            products.append(value * kernel[a][b])
            total = total + value * kernel[a][b]
            running.append(total)
    return values, products, running, ref.store(total * weight, "clamp")


def reference_pool(convolved, op, size, step, pr, pc):
    cells = [convolved[pr * step + i][pc * step + j] for i in range(size) for j in range(size)]
    if op == "max":
        return max(cells)
    if op == "min":
        return min(cells)
    total = 0.0
    for v in cells:
        total = total + v
    return float(np.float32(total / len(cells)))


# -- reading the panel back, as a viewer sees it -----------------------------------------------------------
def shown_grid(grid):
    return [cell.shown for line in grid.cells for cell in line]


def exact_grid(grid):
    return [cell.exact for line in grid.cells for cell in line]


def shown_running_sums(panel):
    """The bold right-hand side of each '... + (p) = <b>s</b>' line of the running sum."""
    return [re.search(r"= <b>([^<]+)</b>$", line).group(1) for line in panel.sums.text().split("<br>")]


def shown_stored(panel):
    return re.search(r"stored value: <b>([^<]+)</b>", panel.result.text()).group(1)


def shown_pool_result(panel):
    return re.findall(r"<b>([^<]+)</b>", panel.pool_result.text())[-1]


def show(panel, image, options, r, c, convolved=None):
    pool = None
    if options.pool is not None:
        out_h, out_w = options.pool.output_shape(*options.output_shape(*image.shape))
        pr, pc = r // options.pool.step, c // options.pool.step
        if pr < out_h and pc < out_w and r - pr * options.pool.step < options.pool.size \
                and c - pc * options.pool.step < options.pool.size:
            pool = engine.explain_pool(image, options, pr, pc, convolved=convolved)
    panel.show_explanation(engine.explain_pixel(image, options, r, c), pool, options.shape)
    return pool


@pytest.fixture
def panel(qtbot):
    widget = StepPanel()
    qtbot.addWidget(widget)
    widget.resize(480, 700)
    widget.show()
    return widget


@pytest.fixture
def image():
    rng = np.random.default_rng(7)
    return rng.integers(0, 256, size=(17, 22)).astype(np.uint8)


STANDARD_CASES = [
    # kernel, weight, offset, border, output range, pooling
    (((-1, -2, -1), (0, 0, 0), (1, 2, 1)), 1.0, 0.0, "zero", "clamp", engine.PoolOptions("max", 2)),
    (((1, 1, 1), (1, 1, 1), (1, 1, 1)), 1 / 9, 0.0, "edge", "raw", engine.PoolOptions("avg", 2)),
    (((0, -1, 0, 1, 0), (2, 0.5, -3, 0, 1)), 0.5, 10.0, "reflect", "clamp", engine.PoolOptions("min", 3, 2)),
    (((0.25, -1.5), (3, 1)), 1.0, -4.0, "symmetric", "raw", engine.PoolOptions("max", 2, 1)),
    (((1, 0, -1), (2, 0, -2), (1, 0, -1)), 0.1, 128.0, "wrap", "clamp", None),
    (((1, 2, 1), (2, 4, 2), (1, 2, 1)), 1 / 16, 0.0, "valid", "clamp", engine.PoolOptions("max", 2)),
]


@pytest.mark.parametrize("kernel, weight, offset, border, output_range, pool", STANDARD_CASES)
def test_shown_products_sums_and_stored_value_equal_the_reference_and_the_bulk_output(
        panel, image, kernel, weight, offset, border, output_range, pool):
    options = engine.JobOptions(kernel=kernel, weight=weight, offset=offset, border=border,
                                output_range=output_range, pool=pool)
    bulk = engine.run_job(image, options)
    rows = image.tolist()
    height, width = options.output_shape(*image.shape)
    reference = [[reference_pixel(rows, kernel, weight, offset, border, output_range, r, c)[3]
                  for c in range(width)] for r in range(height)]
    assert bulk.convolved.shape == (height, width)
    rng = random.Random(3)
    pixels = [(0, 0), (height - 1, width - 1)] + [(rng.randrange(height), rng.randrange(width)) for _ in range(25)]
    for r, c in pixels:
        pooled = show(panel, image, options, r, c, convolved=bulk.convolved if r % 2 else None)
        values, products, running, stored = reference_pixel(rows, kernel, weight, offset, border, output_range,
                                                             r, c)
        assert shown_grid(panel.values) == [fmt(v) for v in values]
        assert exact_grid(panel.kernel) == [float(k) for line in kernel for k in line]
        assert exact_grid(panel.products) == products
        assert shown_grid(panel.products) == [fmt(p) for p in products]
        assert shown_running_sums(panel) == [fmt(s) for s in running]
        assert shown_stored(panel) == fmt(stored) == fmt(bulk.convolved[r, c])
        assert panel.stored_exact == stored == float(bulk.convolved[r, c])
        if pooled is not None:
            pr, pc = pooled.out_pos
            want = reference_pool(reference, pool.op, pool.size, pool.step, pr, pc)
            assert panel.pool_result_exact == want == float(bulk.pooled[pr, pc])
            assert shown_pool_result(panel) == fmt(want)


def test_lab_mode_shows_the_notebooks_numbers_and_its_untouched_margin(panel, image):
    kernel = ((-1, -2, -1), (0, 0, 0), (1, 2, 3))  # not symmetric, so the transposition shows
    options = engine.JobOptions(kernel=kernel, weight=0.5, lab=True, pool=engine.LAB_POOL)
    image = image[:16, :22]  # the notebook's pooling needs even sizes
    bulk = engine.run_job(image, options)
    rows = image.tolist()
    reference = [[reference_lab_pixel(rows, kernel, 0.5, x, y)[3] for y in range(22)] for x in range(16)]
    rng = random.Random(5)
    for x, y in [(0, 0), (1, 1), (14, 20), (15, 3), (7, 21)] + [(rng.randrange(16), rng.randrange(22))
                                                               for _ in range(20)]:
        show(panel, image, options, x, y, convolved=bulk.convolved)
        values, products, running, stored = reference_lab_pixel(rows, kernel, 0.5, x, y)
        assert shown_stored(panel) == fmt(stored) == fmt(bulk.convolved[x, y])
        assert panel.stored_exact == float(bulk.convolved[x, y])
        if values is None:
            assert "never computed" in panel.note.text()
            assert shown_grid(panel.values) == [""] * 9 and panel.sums.text() == "(no terms)"
        else:
            assert shown_grid(panel.values) == [fmt(v) for v in values]
            assert exact_grid(panel.products) == products
            assert shown_running_sums(panel) == [fmt(s) for s in running]
            assert "transposed" in panel.note.text()
        pr, pc = x // 2, y // 2
        want = reference_pool(reference, "max", 2, 2, pr, pc)
        assert panel.pool_result_exact == want == float(bulk.pooled[pr, pc])


def test_lab_mode_labels_each_value_with_the_pixel_it_really_meets(panel, image):
    options = engine.JobOptions(kernel=((0, 1, 0), (0, 0, 0), (0, 0, 0)), lab=True, pool=None)
    show(panel, image, options, 5, 7)
    # filter[0][1] (top middle as written) meets i[x+1-1, y+0-1]: the pixel to the LEFT, not above
    top_middle = panel.values.cells[0][1]
    assert top_middle.shown == fmt(image[5, 6])
    assert top_middle.caption == "+0,-1" and "i[5, 6]" in top_middle.tip
    assert panel.stored_exact == float(image[5, 6])


def test_padded_cells_are_marked_and_explained(panel, image):
    options = engine.JobOptions(kernel=((1, 1, 1), (1, 1, 1), (1, 1, 1)), border="edge", pool=None)
    show(panel, image, options, 0, 0)
    corner = panel.values.cells[0][0]
    assert corner.shown == fmt(image[0, 0]) and "edge border" in corner.tip
    assert corner.dashed
    assert "5 of the 9 cells fall outside the image" in panel.note.text()
    assert not panel.values.cells[1][1].dashed


def test_products_are_coloured_by_sign(panel, image):
    options = engine.JobOptions(kernel=((-1, 0, 1),), pool=None)
    show(panel, np.full((3, 3), 10, dtype=np.uint8), options, 1, 1)
    negative, zero, positive = panel.products.cells[0]
    assert (negative.foreground, zero.foreground, positive.foreground) == (NEGATIVE, "#757575", POSITIVE)
    assert negative.shown == "-10" and zero.shown == "0" and positive.shown == "10"


def test_the_clamp_is_shown_with_the_value_before_and_after(panel):
    options = engine.JobOptions(kernel=((0, 0, 0), (0, 3, 0), (0, 0, 0)), offset=-10, pool=None)
    show(panel, np.full((3, 3), 100, dtype=np.uint8), options, 1, 1)
    text = panel.result.text()
    assert "× weight 1 = <b>300</b>" in text and "+ offset -10 = <b>290</b>" in text
    assert "290&nbsp;→&nbsp;255" in text and shown_stored(panel) == "255"


def test_big_kernels_elide_the_middle_of_the_running_sum(panel, image):
    kernel = tuple(tuple(1 for _ in range(9)) for _ in range(9))
    options = engine.JobOptions(kernel=kernel, weight=1 / 81, pool=None)
    show(panel, image, options, 8, 8)
    lines = panel.sums.text().split("<br>")
    assert len(lines) <= 25 and any("more terms" in line for line in lines)
    assert len(panel.running_exact) == 81 and panel.stored_exact == float(engine.run_job(image, options).convolved[8, 8])


def test_cells_write_fractions_as_fractions_and_round_long_numbers():
    """engine.format_number's fractions; float32 results are not written with 17 digits (tooltips are exact)."""
    assert fmt(1 / 9) == "1/9" and fmt(-1 / 16) == "-1/16" and fmt(12.0) == "12" and fmt(-3.5) == "-3.5"
    assert fmt(float(np.float32(97.444443))) == "97.444443"
    assert fmt(102 / 9) == "34/3" and fmt(102 * 0.1) == "10.2"  # 10.200000000000001 in full
