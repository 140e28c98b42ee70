"""Code export of a stack of layers (engine.Pipeline): the NumPy script's every layer output equals
engine.run_pipeline's bit for bit and the plain-Python pipeline's values; the PyTorch and Keras scripts'
layers each equal the engine's layer on their own previous output up to float32 rounding."""

import numpy as np
import pytest

import engine
from engine.codegen import FRAMEWORKS, pipeline_script
from engine.pipeline_run import run_layer
from tests.engine import pipeline_reference as pref
from tests.engine.script_runs import framework_python, run_pipeline_scripts

FRACTIONS = [1 / 9, 0.1, -0.25, 1 / 3, 2.0, -1.0, 0.0, 1.5, -1 / 7]


def random_conv(rng, channels, seed):
    kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    hwio = rng.random() < 0.5
    cout = int(rng.integers(1, 4)) if hwio else channels
    shape = (kh, kw, channels, cout) if hwio else (kh, kw)
    kernel = rng.choice(FRACTIONS, size=shape) if rng.random() < 0.6 else rng.integers(-2, 3, shape)
    offset = float(rng.choice([0.0, 10.0, -3.5, 1 / 3]))
    if cout > 1 and rng.random() < 0.4:
        offset = rng.choice([0.0, 10.0, -3.5, 1 / 3], size=cout).tolist()
    return engine.ConvLayer(engine.JobOptions(
        kernel=kernel, weight=float(rng.choice([1.0, 0.5, 1 / 9, -2.0])), offset=offset, pool=None,
        border=engine.BORDERS[int(rng.integers(0, 6))], output_range=engine.OUTPUT_RANGES[seed % 3],
        stride=(int(rng.integers(1, 3)), int(rng.integers(1, 3))), dilation=(int(rng.integers(1, 3)), 1),
        flip=bool(rng.random() < 0.2)))


def pipeline_case(seed):
    """A random stack of 1 to 5 conv, ReLU and pool layers that runs on a random image (gray or channels)."""
    rng = np.random.default_rng(seed)
    while True:
        channels = int(rng.choice([0, 2, 3]))
        size = (int(rng.integers(8, 20)), int(rng.integers(8, 20)))
        full = (*size, channels) if channels else size
        image = (rng.integers(0, 256, full).astype(np.uint8) if rng.random() < 0.6
                 else rng.normal(0, 100, full).astype(np.float32))
        layers, shape = [], full
        for _ in range(int(rng.integers(1, 6))):
            kind = rng.choice(["conv", "conv", "relu", "pool"])
            now = 1 if len(shape) == 2 else shape[2]
            layer = (random_conv(rng, now, seed) if kind == "conv" else engine.ReluLayer() if kind == "relu"
                     else engine.PoolLayer(engine.PoolOptions(engine.POOL_OPS[int(rng.integers(0, 3))],
                                                              int(rng.integers(1, 3)))))
            layers.append(layer)
            try:
                shape = engine.output_shapes(engine.Pipeline(tuple(layers)), full)[-1]
            except engine.OptionsError:
                layers.pop()
        if layers:
            return engine.Pipeline(tuple(layers)), image


CASES = [pipeline_case(seed) for seed in range(16)]


def test_the_cases_mix_every_layer_kind():
    kinds = [layer.kind for pipeline, _ in CASES for layer in pipeline.layers]
    assert {"conv", "relu", "pool"} <= set(kinds) and max(len(p.layers) for p, _ in CASES) >= 4
    assert any(image.ndim == 3 for _, image in CASES)


def _presets():
    rng = np.random.default_rng(1)
    return [(pipeline, rng.integers(0, 256, (28, 24)).astype(np.uint8)) for pipeline in engine.PIPELINE_PRESETS.values()]


def test_numpy_pipeline_scripts_give_every_layer_bit_for_bit(tmp_path):
    cases = CASES + _presets()
    runs = run_pipeline_scripts(tmp_path, [(pipeline_script(p, "numpy", "rgb"), image) for p, image in cases])
    for (pipeline, image), outputs in zip(cases, runs):
        expected = engine.run_pipeline(image, pipeline).outputs
        assert len(outputs) == len(expected)
        for number, (got, want) in enumerate(zip(outputs, expected), 1):
            assert got.shape == want.shape and got.dtype == want.dtype, (number, pipeline.labels)
            assert got.tobytes() == want.tobytes(), (number, pipeline.labels)


def test_numpy_pipeline_script_equals_the_plain_python_pipeline(tmp_path, crop):
    image = crop[:14, :12]
    kernel = np.random.default_rng(2).choice([0.5, -1, 1 / 9, 2], size=(3, 2, 1, 2))
    pipeline = engine.Pipeline((
        engine.ConvLayer.make(kernel, weight=0.3, offset=[1.0, -20.0], stride=(2, 1), border="reflect"),
        engine.ReluLayer(), engine.PoolLayer(engine.PoolOptions("avg", 2, 1)),
        engine.ConvLayer.make([[1, -1], [0.25, 2]], dilation=2, border="edge", output_range="clamp")))
    outputs = run_pipeline_scripts(tmp_path, [(pipeline_script(pipeline, "numpy"), image)])[0]
    expected = pref.run(image, [("conv", kernel, 0.3, [1.0, -20.0], "reflect", "raw", (2, 1), (1, 1)), ("relu",),
                                ("pool", "avg", 2, 1), ("conv", [[1, -1], [0.25, 2]], 1.0, 0.0, "edge", "clamp",
                                                        (1, 1), (2, 2))])
    assert [pref.as_lists(out) for out in outputs] == expected


@pytest.mark.parametrize("framework, module", [("pytorch", "torch"), ("keras", "tensorflow")])
def test_framework_pipeline_layers_equal_the_engine_s_layers_up_to_float32_rounding(tmp_path, framework, module):
    python = framework_python(module)
    cases = CASES + _presets()
    runs = run_pipeline_scripts(tmp_path, [(pipeline_script(p, framework, "rgb"), image) for p, image in cases],
                                python)
    for (pipeline, image), outputs in zip(cases, runs):
        source = image[:, :, 0] if image.ndim == 3 and image.shape[2] == 1 else image
        for number, (layer, got) in enumerate(zip(pipeline.layers, outputs), 1):
            want = run_layer(layer, source)  # the engine's layer on the script's own previous output
            assert got.shape == want.shape and got.dtype == want.dtype, (number, pipeline.labels)
            scale = float(np.abs(source).max(initial=0))
            if isinstance(layer, engine.ConvLayer):
                o = layer.options
                scale = scale * np.abs(o.kernel_array).sum() * abs(o.weight) + np.abs(np.asarray(o.offset)).max()
            limit = 1 if want.dtype == np.uint8 else 1e-5 * scale + 1e-6
            difference = np.abs(got.astype(np.float64) - want.astype(np.float64)).max(initial=0)
            assert difference <= limit, (number, pipeline.labels, difference)
            source = got


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_pipeline_scripts_compile_and_name_the_framework_calls(framework):
    text = pipeline_script(engine.PIPELINE_PRESETS["LeNet-like"], framework)
    compile(text, f"{framework}.py", "exec")
    assert {"numpy": "np.maximum(", "pytorch": "F.max_pool2d(", "keras": "tf.nn.max_pool2d("}[framework] in text
    assert '"layer01_conv.npy", "layer02_relu.npy", "layer03_pool.npy"' in text


def test_pipelines_without_layers_are_refused_with_the_reason():
    with pytest.raises(engine.OptionsError, match="no layers"):
        pipeline_script(engine.Pipeline(()), "numpy")


def _lab_pipelines():
    rng = np.random.default_rng(6)
    lab = engine.JobOptions(kernel=[[0, 1, 0], [1, -4, 1], [0, 1, 0]], lab=True, pool=engine.LAB_POOL, weight=0.5)
    job = engine.Pipeline.from_job(lab)  # the notebook: [lab conv, 2x2 max pool]
    deeper = job.inserted(2, engine.ReluLayer()).inserted(3, engine.ConvLayer.make([[1, 2], [-1, 0.5]]))
    return [(job, rng.integers(0, 256, (12, 16)).astype(np.uint8)), (deeper, rng.integers(0, 256, (10, 8)))]


def test_a_lab_mode_conv_layer_runs_the_notebook_s_loop_bit_for_bit(tmp_path):
    cases = _lab_pipelines()
    runs = run_pipeline_scripts(tmp_path, [(pipeline_script(p, "numpy"), image) for p, image in cases])
    for (pipeline, image), outputs in zip(cases, runs):
        expected = engine.run_pipeline(image, pipeline).outputs
        assert [(o.dtype, o.tobytes()) for o in outputs] == [(o.dtype, o.tobytes()) for o in expected]
    assert np.array_equal(runs[0][0][0], cases[0][1][0])  # the notebook's margin keeps the image's pixels


@pytest.mark.parametrize("framework, module", [("pytorch", "torch"), ("keras", "tensorflow")])
def test_a_lab_mode_conv_layer_in_the_frameworks_equals_the_engine(tmp_path, framework, module):
    python = framework_python(module)
    cases = _lab_pipelines()
    runs = run_pipeline_scripts(tmp_path, [(pipeline_script(p, framework), image) for p, image in cases], python)
    for (pipeline, image), outputs in zip(cases, runs):
        for got, want in zip(outputs, engine.run_pipeline(image, pipeline).outputs):
            assert got.dtype == want.dtype and got.shape == want.shape
            assert np.abs(got.astype(np.float64) - want).max() <= (1 if want.dtype.kind in "ui" else 1e-3)


def test_the_notebook_s_pooling_of_an_odd_size_is_refused_like_the_engine(tmp_path):
    pipeline, _ = _lab_pipelines()[0]
    odd = np.zeros((11, 16), np.uint8)
    with pytest.raises(engine.OptionsError, match="fails on odd sizes"):
        engine.run_pipeline(odd, pipeline)
    with pytest.raises(AssertionError, match="the notebook's pooling needs an even image size"):
        run_pipeline_scripts(tmp_path, [(pipeline_script(pipeline, "numpy"), odd)])
