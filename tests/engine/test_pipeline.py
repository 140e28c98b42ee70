"""Pipelines: each layer's output equals that layer run alone through the engine, bit for bit, and the
plain-Python pipeline reference; today's job and lab mode as pipelines; editing; shapes and refusals."""

import numpy as np
import pytest

import engine
from engine.pipeline_run import pool_channels
from tests.engine import pipeline_reference as pref


def alone(layer, source):
    """The layer run by itself through the engine's single-layer functions (not the pipeline code)."""
    if layer.kind == "conv":
        return engine.convolve(source, layer.options)
    if layer.kind == "pool":
        return pool_channels(source, layer.pool)
    return engine.relu(source)


def same(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)


@pytest.mark.parametrize("name", list(engine.PIPELINE_PRESETS))
def test_every_preset_layer_equals_the_layer_run_alone(ascent, name):
    pipeline = engine.PIPELINE_PRESETS[name]
    result = engine.run_pipeline(ascent, pipeline)
    assert len(result.outputs) == len(pipeline)
    source = ascent
    for layer, out in zip(pipeline.layers, result.outputs):
        assert same(out, alone(layer, source)), layer.label
        source = out
    assert [o.shape for o in result.outputs] == engine.output_shapes(pipeline, ascent.shape)


def test_pool_layer_on_channels_is_engine_pool_of_each_channel(ascent):
    rgb = np.stack([ascent, ascent[::-1], ascent.T], axis=-1)
    for op in ("max", "avg", "min"):
        layer = engine.PoolLayer(engine.PoolOptions(op, 3, 2))
        out = engine.run_pipeline(rgb, engine.Pipeline((layer,))).outputs[0]
        assert out.shape == (255, 255, 3) and out.dtype == (np.float32 if op == "avg" else np.uint8)
        for c in range(3):
            assert same(np.ascontiguousarray(out[:, :, c]), engine.pool(rgb[:, :, c], layer.pool))


def test_relu_layer_stores_float32_max_with_no_negative_zero():
    x = np.array([[-2.5, -0.0, 0.0], [1e-50, 3.25, -1e11]])
    out = engine.run_pipeline(x, engine.Pipeline((engine.ReluLayer(),))).outputs[0]
    assert out.dtype == np.float32
    assert out.tolist() == [[0.0, 0.0, 0.0], [0.0, 3.25, 0.0]]
    assert not np.signbit(out).any()


def test_small_pipeline_equals_the_plain_python_reference(crop):
    rng = np.random.default_rng(3)
    k1 = rng.integers(-3, 4, (3, 3, 1, 2)).astype(float)
    k2 = rng.normal(size=(3, 2, 2, 3))
    pipeline = engine.Pipeline((
        engine.ConvLayer.make(k1, weight=0.5, offset=[1.0, -2.0], border="reflect"),
        engine.ReluLayer(),
        engine.PoolLayer(engine.PoolOptions("avg", 2, 1)),
        engine.ConvLayer.make(k2, stride=(2, 1), dilation=(1, 2), border="wrap", output_range="clamp"),
        engine.PoolLayer(engine.PoolOptions("min", 2)),
    ))
    want = pref.run(crop, [("conv", k1, 0.5, [1.0, -2.0], "reflect", "raw"), ("relu",), ("pool", "avg", 2, 1),
                           ("conv", k2, 1.0, 0.0, "wrap", "clamp", (2, 1), (1, 2)), ("pool", "min", 2)])
    result = engine.run_pipeline(crop, pipeline)
    for out, expected in zip(result.outputs, want):
        assert pref.as_lists(out) == expected
    assert [o.dtype for o in result.outputs] == [np.float32, np.float32, np.float32, np.uint8, np.uint8]


@pytest.mark.parametrize("options", [
    engine.JobOptions(kernel=engine.get_preset("Sobel x").kernel),
    engine.JobOptions(kernel=engine.get_preset("Box blur 3x3").kernel, weight=1 / 9, output_range="raw",
                      pool=engine.PoolOptions("avg", 3, 2), border="edge"),
    engine.JobOptions(pool=None, stride=2),
    engine.JobOptions(lab=True),
    engine.JobOptions(lab=True, pool=None, kernel=((1, 2, 1), (0, 0, 0), (-1, -2, -1))),
], ids=["sobel", "avg", "nopool", "lab", "lab-nopool"])
def test_todays_job_is_the_conv_pool_pipeline(ascent, options):
    pipeline = engine.Pipeline.from_job(options)
    job = engine.run_job(ascent, options)
    result = engine.run_pipeline(ascent, pipeline)
    assert [layer.kind for layer in pipeline.layers] == (["conv"] if options.pool is None else ["conv", "pool"])
    assert same(result.outputs[0], job.convolved)
    if options.pool is not None:
        assert same(result.outputs[1], job.pooled)


def test_lab_pipeline_refuses_odd_sizes_like_the_notebook(ascent):
    pipeline = engine.Pipeline.from_job(engine.JobOptions(lab=True))
    assert pipeline.labels == ("lab conv 3x3", "max pool 2")
    with pytest.raises(engine.LabModeError, match="layer 2 .max pool 2.*odd sizes"):
        engine.run_pipeline(ascent[:11, :12], pipeline)


def test_editing_returns_new_pipelines():
    a, r, p = engine.ConvLayer.make([[1]]), engine.ReluLayer(), engine.PoolLayer()
    base = engine.Pipeline((a, r))
    assert base.inserted(2, p).layers == (a, r, p)
    assert base.inserted(0, p).layers == (p, a, r)
    assert base.removed(0).layers == (r,)
    assert base.with_layer(1, p).layers == (a, p)
    assert base.inserted(2, p).moved(2, 0).layers == (p, a, r)
    assert base.inserted(2, p).moved(0, 2).layers == (r, p, a)
    assert base.layers == (a, r)
    with pytest.raises(engine.OptionsError, match="no layer 2"):
        base.removed(2)
    assert engine.Pipeline([a, r]) == base and hash(base) == hash(engine.Pipeline((a, r)))


def test_labels():
    assert engine.ConvLayer.make(np.ones((3, 3, 1, 2)), stride=2).label == "conv 3x3x1x2 s2"
    assert engine.ConvLayer.make(np.ones((5, 3)), dilation=(1, 2)).label == "conv 5x3 d1,2"
    assert engine.ReluLayer().label == "ReLU"
    assert engine.PoolLayer(engine.PoolOptions("max", 2)).label == "max pool 2"
    assert engine.PoolLayer(engine.PoolOptions("avg", 3, 1)).label == "avg pool 3 s1"


def test_conv_layer_refuses_pooling_options():
    with pytest.raises(engine.OptionsError, match="add a pool layer"):
        engine.ConvLayer(engine.JobOptions())


def test_output_shapes_name_the_layer_that_cannot_run():
    conv2 = engine.ConvLayer.make(np.ones((3, 3, 2, 1)))
    pipeline = engine.Pipeline((engine.ConvLayer.make(np.ones((3, 3, 1, 3))), engine.ReluLayer(), conv2))
    with pytest.raises(engine.OptionsError, match=r"layer 3 \(conv 3x3x2x1\): the kernel takes 2 input channel"):
        engine.output_shapes(pipeline, (10, 10))
    small = engine.Pipeline((engine.PoolLayer(engine.PoolOptions("max", 4)),
                             engine.PoolLayer(engine.PoolOptions("max", 4))))
    with pytest.raises(engine.OptionsError, match=r"layer 2 \(max pool 4\).*smaller than the 4x4"):
        engine.output_shapes(small, (10, 10))
    assert engine.output_shapes(small.removed(1), (10, 10, 3)) == [(2, 2, 3)]
    with pytest.raises(engine.OptionsError, match="layer 1"):
        engine.run_pipeline(np.zeros((10, 10)), pipeline.with_layer(0, conv2))


def test_empty_pipeline_has_no_outputs(crop):
    result = engine.run_pipeline(crop, engine.Pipeline())
    assert result.outputs == () and result.output is None


@pytest.mark.parametrize("name", list(engine.PIPELINE_PRESETS))
def test_ranges_are_each_outputs_min_and_max(crop, name):
    for image in (crop, crop.astype(np.float64) - 100.5):
        result = engine.run_pipeline(image, engine.PIPELINE_PRESETS[name])
        for out, value_range in zip(result.outputs, result.ranges):
            expected = None if out.dtype == np.uint8 else (float(out.min()), float(out.max()))
            assert value_range == expected


def test_relu_range_of_a_float64_image():
    x = np.array([[-1.5, 2.0 ** -30 + 1.0], [3.0, -0.0]])
    result = engine.run_pipeline(x, engine.Pipeline((engine.ReluLayer(), engine.ReluLayer())))
    assert result.ranges == ((0.0, 3.0), (0.0, 3.0))


def test_values_too_large_for_the_next_conv_name_both_layers(crop):
    big = engine.ConvLayer.make(np.full((3, 3), 1e6), weight=1e6)
    pipeline = engine.Pipeline((big, engine.PoolLayer(), engine.ConvLayer.make([[1]])))
    with pytest.raises(engine.ImageError, match=r"^layer 3 \(conv 1x1\): its input, the output of layer 2 "
                                                r"\(max pool 2\), reaches 1\.\d+e\+15; a conv layer reads values "
                                                r"within \+-1e\+12"):
        engine.run_pipeline(crop, pipeline)
    assert engine.run_pipeline(crop, pipeline.removed(2)).ranges[1][1] > 1e12  # ReLU and pool take any value


@pytest.mark.parametrize("kernel, weight, output_range", [
    ([[1, -2, 1], [0, 3, 0], [-1, 0, 1]], 1.0, "raw"), ([[0.5, -0.25], [1.5, 2]], 0.1, "clamp"),
    ([[1 / 3, 1], [1, 1]], 1.0, "raw"), (np.arange(18.0).reshape(3, 3, 2, 1) - 9, 2.0, "relu")])
def test_a_conv_reading_whole_floats_equals_the_engine_on_the_float_array(kernel, weight, output_range):
    rng = np.random.default_rng(9)
    for peak in (100, 40000, 3e9):
        channels = 2 if np.ndim(kernel) == 4 else 1
        x = np.squeeze(rng.integers(-peak, peak, (37, 41, channels)).astype(np.float32), axis=-1 if channels == 1
                       else ())
        layer = engine.ConvLayer.make(kernel, weight=weight, output_range=output_range)
        out = engine.run_pipeline(x, engine.Pipeline((engine.ReluLayer(), layer))).outputs[1]
        assert same(out, engine.convolve(engine.relu(x), layer.options))
        x[3, 4] += 0.5  # not whole: the float input as it is
        out = engine.run_pipeline(x, engine.Pipeline((engine.PoolLayer(engine.PoolOptions("min", 1)), layer)))
        assert same(out.outputs[1], engine.convolve(x, layer.options))


def test_whole_float_inputs_go_to_the_integer_sums_only_when_exact():
    from engine.pipeline_run import as_whole_numbers
    x = np.array([[3.0, -7.0], [40000.0, 0.0]], np.float32)
    dyadic, third = engine.JobOptions(kernel=[[0.5, 2]]), engine.JobOptions(kernel=[[1 / 3, 1]])
    assert as_whole_numbers(x, (-7.0, 40000.0), dyadic).dtype == np.int32
    assert as_whole_numbers(x[:1], (-7.0, 3.0), dyadic).dtype == np.int16
    assert as_whole_numbers(x, (-7.0, 40000.0), third) is x
    assert as_whole_numbers(x + 0.5, (-6.5, 40000.5), dyadic).dtype == np.float32
    assert as_whole_numbers(x, (-7.0, 2.0 ** 31), dyadic) is x
