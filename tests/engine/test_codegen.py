"""Code export: the NumPy script reproduces the engine bit for bit when run on its own; the PyTorch and Keras
scripts compile, and equal the engine's raw output up to float32 rounding where their framework is installed
(in this interpreter, or in the one KERNELSCOPE_FRAMEWORK_PYTHON names)."""

import numpy as np
import pytest
from PIL import Image

import engine
from engine.codegen import FRAMEWORKS, script
from tests.engine.script_runs import framework_python, run_script, run_scripts

FRACTIONS = [1 / 9, 0.1, -0.25, 1 / 3, 2.0, -1.0, 0.0, 1.5, -1 / 7]


def random_case(seed):
    """Options and an image that exercise one random corner of the option space: every seventh case is lab
    mode, the others go through the border modes in turn."""
    rng = np.random.default_rng(seed)
    if seed % 7 == 6:  # lab mode: the notebook's 3x3 filter on an integer image of even size
        kernel = rng.choice([-2, -1, 0, 1, 2, 0.5, 1 / 3], size=(3, 3)).tolist()
        pool = engine.LAB_POOL if rng.random() < 0.7 else None
        options = engine.JobOptions(kernel=kernel, weight=float(rng.choice([1.0, 0.5, 1 / 9])), lab=True, pool=pool)
        shape = (2 * int(rng.integers(2, 8)), 2 * int(rng.integers(2, 8)))
        image = rng.integers(0, 256, shape).astype(rng.choice([np.uint8, np.int64]))
        return options, image
    kh, kw = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    kernel = rng.choice(FRACTIONS, size=(kh, kw)) if rng.random() < 0.6 else rng.integers(-3, 4, (kh, kw))
    border = engine.BORDERS[seed % 7]
    pool = None
    if rng.random() < 0.8:
        pool = engine.PoolOptions(str(rng.choice(engine.POOL_OPS)), int(rng.integers(1, 4)),
                                  int(rng.integers(1, 4)) if rng.random() < 0.5 else None)
    options = engine.JobOptions(kernel=kernel.tolist(), weight=float(rng.choice([1.0, 0.5, 1 / 9, -2.0, 0.3])),
                                offset=float(rng.choice([0.0, 128.0, -3.5, 0.1])), border=border,
                                output_range=str(rng.choice(engine.OUTPUT_RANGES)), pool=pool)
    low = kh if border == "valid" else 1  # small images make pads wider than the image
    shape = (int(rng.integers(max(low, pool.size if pool else 1), 12)),
             int(rng.integers(max(kw if border == "valid" else 1, pool.size if pool else 1), 12)))
    if rng.random() < 0.7:
        image = rng.integers(0, 256, shape).astype(np.uint8)
    else:
        image = rng.normal(0, 100, shape).astype(rng.choice([np.float32, np.float64]))
    return options, image


def test_numpy_script_reproduces_the_engine_bit_for_bit(tmp_path):
    cases = [random_case(seed) for seed in range(14)]  # every script run in one interpreter
    runs = run_scripts(tmp_path, [(script(o, "numpy"), image, o.pool is not None) for o, image in cases])
    for (options, image), (convolved, pooled) in zip(cases, runs):
        expected = engine.run_job(image, options)
        assert convolved.dtype == expected.convolved.dtype, options
        assert convolved.tobytes() == expected.convolved.tobytes(), options
        if options.pool is not None:
            assert pooled.dtype == expected.pooled.dtype, options
            assert pooled.tobytes() == expected.pooled.tobytes(), options


def test_numpy_script_runs_the_lab_on_ascent_like_the_engine(tmp_path, ascent):
    options = engine.JobOptions(kernel=[[0, 1, 0], [1, -4, 1], [0, 1, 0]], lab=True, pool=engine.LAB_POOL)
    image = ascent[:64, :96].astype(np.int64)  # the notebook's int64 ascent; the margin keeps its pixels
    expected = engine.run_job(image, options)
    convolved, pooled = run_script(tmp_path, script(options, "numpy"), image)
    assert np.array_equal(convolved[0], image[0]) and convolved.dtype == np.int64
    assert convolved.tobytes() == expected.convolved.tobytes()
    assert pooled.tobytes() == expected.pooled.tobytes()


def test_numpy_script_pads_wider_than_the_image_like_numpy_pad(tmp_path):
    image = np.arange(6, dtype=np.uint8).reshape(2, 3) * 40
    borders = ("reflect", "symmetric", "wrap", "edge")
    options = [engine.JobOptions(kernel=np.full((7, 6), 1 / 7).tolist(), border=border, output_range="raw", pool=None)
               for border in borders]
    runs = run_scripts(tmp_path, [(script(o, "numpy"), image, False) for o in options])
    for border, o, (convolved, _) in zip(borders, options, runs):
        assert convolved.tobytes() == engine.run_job(image, o).convolved.tobytes(), border


def _loader(text, channels):
    namespace = {"__name__": "exported"}
    exec(compile(text, "exported.py", "exec"), namespace)
    return namespace[f"load_{channels}"]


@pytest.mark.parametrize("channels", ["gray", "rgb"])
@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "LA", "P", "1", "I;16"])
def test_scripts_load_pictures_as_the_engine_does(tmp_path, mode, channels):
    rng = np.random.default_rng(3)
    rgba = rng.integers(0, 256, (9, 7, 4)).astype(np.uint8)
    picture = Image.fromarray(rgba, "RGBA")
    if mode == "I;16":
        picture = Image.fromarray(rng.integers(0, 65536, (9, 7)).astype(np.uint16))
    elif mode == "P":
        picture = picture.convert("RGB").quantize(16)
    else:
        picture = picture.convert(mode)
    path = tmp_path / "picture.png"
    picture.save(path)
    loaded = _loader(script(engine.JobOptions(), "numpy", channels), channels)(str(path))
    expected = engine.load_image(path, channels=channels)
    assert loaded.dtype == expected.dtype and np.array_equal(loaded, expected)


@pytest.mark.parametrize("framework", list(FRAMEWORKS))
@pytest.mark.parametrize("seed", range(6))
def test_every_script_compiles(framework, seed):
    options, _ = random_case(100 + seed)
    compile(script(options, framework), f"{framework}.py", "exec")


def test_even_kernels_pad_after_the_image_in_every_framework():
    options = engine.JobOptions(kernel=[[1, 10]], border="symmetric", pool=None)
    assert "TOP, BOTTOM, LEFT, RIGHT = 0, 0, 0, 1" in script(options, "pytorch")
    torch_text, keras_text = script(options, "pytorch"), script(options, "keras")
    assert 'mode="symmetric"' in torch_text and "PyTorch has no such mode" in torch_text
    assert 'mode="SYMMETRIC"' in keras_text


def test_unknown_framework_is_refused_with_the_choices():
    with pytest.raises(engine.OptionsError, match="numpy, pytorch, keras"):
        script(engine.JobOptions(), "jax")


@pytest.mark.parametrize("framework, module", [("pytorch", "torch"), ("keras", "tensorflow")])
def test_framework_scripts_equal_the_engine_up_to_float32_rounding(tmp_path, framework, module):
    python = framework_python(module)
    cases = [random_case(200 + seed) for seed in range(14)]
    runs = run_scripts(tmp_path, [(script(options, framework), image, options.pool is not None)
                                  for options, image in cases], python)
    for (options, image), (convolved, pooled) in zip(cases, runs):
        expected = engine.run_job(image, options)
        peak = float(np.abs(image).max()) * np.abs(options.kernel_array).sum() * abs(options.weight)
        tolerance = 1e-5 * (peak + abs(options.offset)) + 1e-6
        assert convolved.dtype == expected.convolved.dtype and convolved.shape == expected.convolved.shape
        for got, want in ((convolved, expected.convolved), (pooled, expected.pooled)):
            if want is None:
                continue
            difference = np.abs(got.astype(np.float64) - want.astype(np.float64))
            limit = 1 if want.dtype.kind in "ui" else tolerance
            assert difference.max(initial=0) <= limit, options


def test_numpy_script_equals_the_plain_reference_loops(tmp_path, crop):
    from tests.engine import reference as ref

    kernel = [[0.5, -1, 1 / 9], [2, 1, 0], [0, 0.1, 0.25], [1, 1, -3]]  # even rows: TF anchor
    image = crop[:12, :10]
    scripts = [(script(engine.JobOptions(kernel=kernel, weight=0.3, offset=7.0, border=border, output_range="raw",
                                         pool=engine.PoolOptions("avg", 3, 2)), "numpy"), image, True)
               for border in engine.BORDERS]  # every border's script run in one interpreter
    for border, (convolved, pooled) in zip(engine.BORDERS, run_scripts(tmp_path, scripts)):
        expected = ref.convolve(image, kernel, 0.3, 7.0, border, "raw")
        assert ref.as_float_lists(convolved) == expected, border
        assert ref.as_float_lists(pooled) == ref.pool(expected, "avg", 3, 2), border


def test_numpy_script_of_a_true_convolution_multiplies_the_turned_kernel(tmp_path):
    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, (8, 9)).astype(np.uint8)
    options = engine.JobOptions(kernel=[[1, 2, 0], [-1, 3, 1]], flip=True, output_range="raw", border="edge",
                                pool=None)
    convolved, _ = run_script(tmp_path, script(options, "numpy"), image, pooled=False)
    assert convolved.tobytes() == engine.run_job(image, options).convolved.tobytes()


def test_one_image_scripts_take_one_channel_and_refuse_more_with_the_reason(tmp_path):
    rng = np.random.default_rng(12)
    options = engine.JobOptions(kernel=[[1, -2], [0.5, 1]], output_range="raw", border="wrap")
    single = rng.integers(0, 256, (7, 6, 1)).astype(np.uint8)
    convolved, pooled = run_script(tmp_path, script(options, "numpy"), single)
    expected = engine.run_job(single, options)
    assert convolved.tobytes() == expected.convolved.tobytes() and pooled.tobytes() == expected.pooled.tobytes()
    colour = rng.integers(0, 256, (7, 6, 3)).astype(np.uint8)
    with pytest.raises(AssertionError, match="export it with --channels rgb"):
        run_script(tmp_path, script(options, "numpy"), colour)
    lab = engine.JobOptions(kernel=[[0, 1, 0], [1, -4, 1], [0, 1, 0]], lab=True)
    with pytest.raises(AssertionError, match="lab mode runs the notebook's loop on one gray image"):
        run_script(tmp_path, script(lab, "numpy"), colour)
