"""Code export of layers (channels, HWIO and depthwise kernels, per-channel offsets, stride, dilation, the
'SAME'/'VALID' rules): the NumPy script gives the engine's results bit for bit and the plain reference
loops' values; the PyTorch and Keras scripts equal them up to float32 rounding where the framework runs."""

import numpy as np
import pytest

import engine
from engine.codegen import FRAMEWORKS, is_layer, script
from tests.engine import reference as ref
from tests.engine.script_runs import framework_python, run_script, run_scripts

FRACTIONS = [1 / 9, 0.1, -0.25, 1 / 3, 2.0, -1.0, 0.0, 1.5, -1 / 7]


def layer_case(seed):
    """A random layer and an image it fits: gray or 1 to 4 channels, a depthwise 2-D or an HWIO kernel,
    one offset or one per output channel, stride and dilation up to 3, every border, output range and
    pooling op in turn."""
    rng = np.random.default_rng(seed)
    channels = int(rng.choice([0, 1, 2, 3, 4]))  # 0: an H x W image
    kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    hwio = rng.random() < 0.6
    cin = max(channels, 1)
    cout = int(rng.integers(1, 5)) if hwio else cin
    shape = (kh, kw, cin, cout) if hwio else (kh, kw)
    kernel = rng.choice(FRACTIONS, size=shape) if rng.random() < 0.6 else rng.integers(-3, 4, shape)
    offset = float(rng.choice([0.0, 128.0, -3.5, 0.1]))
    if cout > 1 and rng.random() < 0.5:
        offset = rng.choice([0.0, 100.0, -3.5, 0.1, 1 / 3], size=cout).tolist()
    stride = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    dilation = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    border = engine.BORDERS[seed % 6]
    pool = None
    if rng.random() < 0.6:
        pool = engine.PoolOptions(engine.POOL_OPS[seed % 3], int(rng.integers(1, 3)))
    options = engine.JobOptions(kernel=kernel, weight=float(rng.choice([1.0, 0.5, 1 / 9, -2.0, 0.3])),
                                offset=offset, border=border, output_range=engine.OUTPUT_RANGES[seed % 3],
                                pool=pool, stride=stride, dilation=dilation, flip=bool(rng.random() < 0.2))
    spans = [(k - 1) * d + 1 for k, d in zip((kh, kw), dilation)]
    low = [span if border == "valid" else 1 for span in spans]
    size = [int(rng.integers(low[a], low[a] + 11)) for a in (0, 1)]
    if pool is not None:  # room for one pooling window on the convolved image
        while 0 in options.pooled_shape(*size):
            size = [s + 1 for s in size]
    full = (*size, channels) if channels else tuple(size)
    if rng.random() < 0.6:
        image = rng.integers(0, 256, full).astype(np.uint8)
    else:
        image = rng.normal(0, 100, full).astype(rng.choice([np.float32, np.float64]))
    return options, image


CASES = [layer_case(seed) for seed in range(30)]


def test_the_cases_cover_the_layer_options():
    kinds = {(o.is_layer_kernel, image.ndim, o.stride != (1, 1), o.dilation != (1, 1), o.border) for o, image in CASES}
    assert {True, False} == {k[0] for k in kinds} and {2, 3} == {k[1] for k in kinds}
    assert all(is_layer(o, "rgb") for o, _ in CASES)
    assert {o.border for o, _ in CASES} == set(engine.BORDERS)
    assert any(isinstance(o.offset, tuple) for o, _ in CASES)


@pytest.mark.parametrize("chunk", range(3))
def test_numpy_layer_script_reproduces_the_engine_bit_for_bit(tmp_path, chunk):
    cases = CASES[chunk::3]
    runs = run_scripts(tmp_path, [(script(o, "numpy", "rgb"), image, o.pool is not None) for o, image in cases])
    for (options, image), (convolved, pooled) in zip(cases, runs):
        expected = engine.run_job(image, options)
        assert convolved.dtype == expected.convolved.dtype and convolved.shape == expected.convolved.shape
        assert convolved.tobytes() == expected.convolved.tobytes(), options
        if options.pool is not None:
            assert pooled.dtype == expected.pooled.dtype and pooled.tobytes() == expected.pooled.tobytes()


@pytest.mark.parametrize("border", engine.BORDERS)
def test_numpy_layer_script_equals_the_plain_reference_loops(tmp_path, crop, border):
    rng = np.random.default_rng(11)
    image = np.stack([crop[:11, :9], crop[5:16, 3:12]], axis=-1)  # 11 x 9 x 2
    kernel = rng.choice([0.5, -1, 1 / 9, 2, 0.1, 0.25, -3], size=(2, 3, 2, 3))
    options = engine.JobOptions(kernel=kernel, weight=0.3, offset=[7.0, -1.0, 0.5], border=border,
                                output_range="raw", stride=(2, 3), dilation=(2, 1), pool=None)
    convolved, _ = run_script(tmp_path, script(options, "numpy"), image, pooled=False)
    expected = ref.layer(image, kernel, 0.3, [7.0, -1.0, 0.5], border, "raw", (2, 3), (2, 1))
    assert convolved.astype(np.float64).tolist() == expected


def test_a_depthwise_kernel_on_colour_gives_one_map_per_channel_like_the_reference(tmp_path, crop):
    image = np.stack([crop[:9, :10], crop[3:12, :10], 255 - crop[:9, :10]], axis=-1)
    kernel = [[1, -2, 1], [0, 0.5, 0]]
    options = engine.JobOptions(kernel=kernel, offset=[1.0, 2.0, 3.0], stride=2, dilation=(1, 2), border="edge",
                                output_range="relu", pool=None)
    convolved, _ = run_script(tmp_path, script(options, "numpy"), image, pooled=False)
    assert convolved.shape == (5, 5, 3)
    assert convolved.astype(np.float64).tolist() == ref.layer(image, kernel, 1.0, [1.0, 2.0, 3.0], "edge", "relu", (2, 2),
                                                      (1, 2))


@pytest.mark.parametrize("framework, module", [("pytorch", "torch"), ("keras", "tensorflow")])
def test_framework_layer_scripts_equal_the_engine_up_to_float32_rounding(tmp_path, framework, module):
    python = framework_python(module)
    runs = run_scripts(tmp_path, [(script(o, framework, "rgb"), image, o.pool is not None) for o, image in CASES],
                       python)
    for (options, image), (convolved, pooled) in zip(CASES, runs):
        expected = engine.run_job(image, options)
        offsets = np.abs(np.asarray(options.offset, dtype=np.float64)).max()
        peak = float(np.abs(image).max()) * np.abs(options.kernel_array).sum() * abs(options.weight)
        tolerance = 1e-5 * (peak + offsets) + 1e-6
        assert convolved.dtype == expected.convolved.dtype and convolved.shape == expected.convolved.shape, options
        for got, want in ((convolved, expected.convolved), (pooled, expected.pooled)):
            if want is None:
                continue
            assert got.shape == want.shape and got.dtype == want.dtype, options
            difference = np.abs(got.astype(np.float64) - want.astype(np.float64))
            limit = 1 if want.dtype.kind in "ui" else tolerance
            assert difference.max(initial=0) <= limit, options


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_layer_scripts_compile_and_name_their_framework_calls(framework):
    options, _ = CASES[0]
    text = script(options, framework, "rgb")
    compile(text, f"{framework}.py", "exec")
    call = {"numpy": "np.pad(", "pytorch": "F.conv2d(x,", "keras": "tf.nn.conv2d(x,"}[framework]
    assert call in text or options.border == "valid"


def test_torch_script_spells_out_same_padding_with_f_pad_and_strides():
    options = engine.JobOptions(kernel=np.ones((3, 3, 1, 2)), stride=2, dilation=2, border="zero", pool=None)
    text = script(options, "pytorch")
    assert 'F.pad(x, (left, right, top, bottom), mode="constant")' in text
    assert "stride=stride, dilation=dilation" in text and "STRIDE = (2, 2)" in text
    assert "kernel.transpose(3, 2, 0, 1)" in text  # HWIO -> (out, in, kh, kw)


def test_keras_script_keeps_the_hwio_kernel_with_strides_and_dilations():
    options = engine.JobOptions(kernel=np.ones((2, 3, 1, 2)), stride=(1, 2), dilation=(2, 1), pool=None)
    text = script(options, "keras")
    assert "KERNEL = np.zeros((2, 3, 1, 2))" in text
    assert 'strides=stride, padding="VALID", dilations=dilation' in text


def test_the_script_refuses_an_image_whose_channels_do_not_fit_the_kernel(tmp_path):
    options = engine.JobOptions(kernel=np.ones((3, 3, 3, 2)), pool=None)
    with pytest.raises(AssertionError, match="takes 3 input channel"):
        run_script(tmp_path, script(options, "numpy"), np.zeros((5, 5, 2), np.uint8), pooled=False)
    with pytest.raises(engine.OptionsError, match="3 input channel"):
        engine.run_job(np.zeros((5, 5, 2), np.uint8), options)


def test_a_plain_kernel_stays_the_short_2d_script_unless_pictures_open_as_rgb():
    options = engine.JobOptions(kernel=[[1, 0], [0, -1]])
    assert "def conv2d(" not in script(options, "numpy") and "load_gray(argv[1])" in script(options, "numpy")
    assert "def conv2d(" in script(options, "numpy", "rgb") and "load_rgb(argv[1])" in script(options, "numpy", "rgb")
    with pytest.raises(engine.OptionsError, match="gray or rgb"):
        script(options, "numpy", "cmyk")
