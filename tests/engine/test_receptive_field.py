"""Receptive fields against brute force: perturb one pixel of any layer's input, see which outputs change.

Kernels with positive taps, positive images and a large upward perturbation make every pixel that is read
change the output (ReLU passes positives, max and avg pools pass a large increase), so the bounding box of
the changed pixels must equal the receptive field exactly; with any kernels the changed pixels must lie
inside it. The unclipped field's size is checked against the textbook formula."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import engine
from engine.pipeline_run import run_layer

BORDERS = ("zero", "valid", "edge", "reflect", "symmetric", "wrap")


@st.composite
def layers(draw, positive: bool):
    kind = draw(st.sampled_from(["conv", "conv", "relu", "pool"]))
    if kind == "relu":
        return engine.ReluLayer()
    if kind == "pool":
        ops = ("max", "avg") if positive else ("max", "avg", "min")
        size = draw(st.integers(1, 3))
        return engine.PoolLayer(engine.PoolOptions(draw(st.sampled_from(ops)), size, draw(st.integers(1, 3))))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    low = 1 if positive else -2
    kernel = np.array(draw(st.lists(st.integers(low, 2), min_size=kh * kw, max_size=kh * kw)), float)
    return engine.ConvLayer.make(kernel.reshape(kh, kw), border=draw(st.sampled_from(BORDERS)),
                                 stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
                                 dilation=(draw(st.integers(1, 3)), draw(st.integers(1, 2))))


@st.composite
def cases(draw, positive: bool):
    pipeline = engine.Pipeline(tuple(draw(st.lists(layers(positive), min_size=1, max_size=3))))
    shape = (draw(st.integers(3, 9)), draw(st.integers(3, 9)))
    try:
        shapes = engine.output_shapes(pipeline, shape)
    except engine.OptionsError:
        assume(False)
    layer = draw(st.integers(0, len(pipeline) - 1))
    row, col = draw(st.integers(0, shapes[layer][0] - 1)), draw(st.integers(0, shapes[layer][1] - 1))
    seed = draw(st.integers(0, 2 ** 16))
    return pipeline, shape, layer, row, col, seed


def changed_pixels(pipeline, level_input, first, layer, row, col):
    """The pixels of ``level_input`` (the input of layer ``first``) whose perturbation changes pixel
    (row, col) of layer ``layer``'s output."""
    def run(array):
        for current in pipeline.layers[first:layer + 1]:
            array = run_layer(current, array)
        return float(array[row, col])

    base = run(level_input)
    found = []
    for r in range(level_input.shape[0]):
        for c in range(level_input.shape[1]):
            bumped = level_input.astype(np.float64)
            bumped[r, c] += 1e6
            if run(bumped) != base:
                found.append((r, c))
    return found


def bounding_box(pixels):
    if not pixels:
        return engine.Rect(0, 0, 0, 0)
    rows, cols = [p[0] for p in pixels], [p[1] for p in pixels]
    return engine.Rect(min(rows), min(cols), max(rows) - min(rows) + 1, max(cols) - min(cols) + 1)


def levels(pipeline, image):
    result = engine.run_pipeline(image, pipeline)
    return [image] + list(result.outputs)


@settings(max_examples=60, deadline=None)
@given(cases(positive=True))
def test_field_is_the_bounding_box_of_the_pixels_that_change_the_output(case):
    pipeline, shape, layer, row, col, seed = case
    image = np.random.default_rng(seed).integers(1, 10, shape).astype(np.float64)
    rects = engine.receptive_field(pipeline, shape, layer, row, col)
    assert len(rects) == layer + 2 and rects[-1] == engine.Rect(row, col, 1, 1)
    arrays = levels(pipeline, image)
    for k in range(layer + 1):
        assert rects[k] == bounding_box(changed_pixels(pipeline, arrays[k], k, layer, row, col)), k


@settings(max_examples=40, deadline=None)
@given(cases(positive=False))
def test_no_pixel_outside_the_field_changes_the_output(case):
    pipeline, shape, layer, row, col, seed = case
    image = np.random.default_rng(seed).normal(0, 50, shape)
    rect = engine.receptive_field(pipeline, shape, layer, row, col)[0]
    for r, c in changed_pixels(pipeline, image, 0, layer, row, col):
        assert rect.contains(r, c)


def formula(pipeline, layer, axis):
    """1 + sum_l (k_l - 1) * d_l * prod_{i<l} s_i, from each layer's own parameters."""
    total, jump = 1, 1
    for current in pipeline.layers[:layer + 1]:
        if current.kind == "conv":
            k, d, s = current.options.shape[axis], current.options.dilation[axis], current.options.stride[axis]
        elif current.kind == "pool":
            k, d, s = current.pool.size, 1, current.pool.step
        else:
            k, d, s = 1, 1, 1
        total += (k - 1) * d * jump
        jump *= s
    return total


@settings(max_examples=80, deadline=None)
@given(cases(positive=False))
def test_unclipped_field_has_the_textbook_size(case):
    pipeline, shape, layer, row, col, _ = case
    unclipped = engine.receptive_field(pipeline, shape, layer, row, col, clip=False)
    assert (unclipped[0].height, unclipped[0].width) == (formula(pipeline, layer, 0), formula(pipeline, layer, 1))
    clipped = engine.receptive_field(pipeline, shape, layer, row, col)
    for inner, outer in zip(clipped, unclipped):  # zero and valid borders read nothing outside the window
        if all(layer.kind != "conv" or layer.options.border in ("zero", "valid") for layer in pipeline.layers):
            assert inner.height == 0 or (outer.top <= inner.top and inner.bottom <= outer.bottom)


def test_lenet_field_on_the_input():
    lenet = engine.PIPELINE_PRESETS["LeNet-like"]
    # 5x5 conv, pool 2, 5x5 conv, pool 2: 1 + 4 + 1 + 4*2 + 1*2 = 16
    rects = engine.receptive_field(lenet, (512, 512), 5, 60, 70, clip=False)
    assert (rects[0].height, rects[0].width) == (16, 16)
    assert engine.receptive_field(lenet, (512, 512), 5, 60, 70)[0] == rects[0]
    # pooled (0, 0) <- rows 0..1 <- conv rows -2..3, clipped 0..3 <- pool rows 0..7 <- conv rows -2..9: 0..9
    assert engine.receptive_field(lenet, (512, 512), 5, 0, 0)[0] == engine.Rect(0, 0, 10, 10)


def test_wrap_border_reaches_the_far_side():
    pipeline = engine.Pipeline((engine.ConvLayer.make(np.ones((3, 3)), border="wrap"),))
    assert engine.receptive_field(pipeline, (10, 12), 0, 0, 5)[0] == engine.Rect(0, 4, 10, 3)
    assert engine.receptive_field(pipeline, (10, 12), 0, 0, 5, clip=False)[0] == engine.Rect(-1, 4, 3, 3)


def test_lab_mode_margin_reads_its_own_pixel_and_the_interior_its_3x3():
    pipeline = engine.Pipeline.from_job(engine.JobOptions(lab=True))
    assert engine.receptive_field(pipeline, (8, 8), 0, 0, 5)[0] == engine.Rect(0, 5, 1, 1)
    assert engine.receptive_field(pipeline, (8, 8), 0, 3, 5)[0] == engine.Rect(2, 4, 3, 3)
    assert engine.receptive_field(pipeline, (8, 8), 1, 0, 0)[:2] == (engine.Rect(0, 0, 3, 3), engine.Rect(0, 0, 2, 2))


def test_bad_positions_are_refused_with_the_layer():
    pipeline = engine.PIPELINE_PRESETS["The notebook"]
    with pytest.raises(engine.OptionsError, match="outside the output of layer 2"):
        engine.receptive_field(pipeline, (10, 10), 1, 5, 0)
    with pytest.raises(engine.OptionsError, match="no layer 2"):
        engine.receptive_field(pipeline, (10, 10), 2, 0, 0)
