"""Learning a kernel: the loss and gradient against plain Python, d2l's example, and Sobel x learned on ascent."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.learn import CLAMP_NOTE, KernelFit, LearnStep, applied_kernel, make_target, random_kernel
from tests.engine import reference as ref

SOBEL_X = [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]


def plain_loss(image, target, kernel, bias, border):
    """Mean squared error of the convolution (TF 'SAME' anchor or 'valid') + bias against the target, in
    plain Python floats."""
    image = np.asarray(image).tolist()
    target = np.asarray(target).tolist()
    kh, kw = len(kernel), len(kernel[0])
    top, left = (0, 0) if border == "valid" else ((kh - 1) // 2, (kw - 1) // 2)
    mode = "zero" if border == "valid" else border
    total, count = 0.0, 0
    for r in range(len(target)):
        for c in range(len(target[0])):
            s = 0.0
            for i in range(kh):
                for j in range(kw):
                    s += kernel[i][j] * ref.pixel(image, r + i - top, c + j - left, mode)
            total += (s + bias - target[r][c]) ** 2
            count += 1
    return total / count


@pytest.fixture(scope="module")
def ascent():
    return engine.load_image(engine.sample_path("ascent"))


@pytest.fixture(scope="module")
def sobel_fit(ascent):
    options = engine.JobOptions(kernel=SOBEL_X, output_range="raw", pool=None)
    return KernelFit(ascent, engine.run_job(ascent, options).convolved, (3, 3))


def small_problem(border, shape=(3, 2)):
    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, size=(7, 9)).astype(np.uint8)
    kh, kw = shape
    out = (7 - kh + 1, 9 - kw + 1) if border == "valid" else (7, 9)
    return image, rng.normal(0, 50, size=out)


@pytest.mark.parametrize("border", engine.BORDERS)
@pytest.mark.parametrize("fit_bias", [False, True])
def test_loss_equals_the_plain_mean_squared_error(border, fit_bias):
    image, target = small_problem(border)
    fit = KernelFit(image, target, (3, 2), border=border, fit_bias=fit_bias)
    kernel, bias = [[0.5, -1.25], [2.0, 0.0], [-0.75, 1.5]], (3.5 if fit_bias else 0.0)
    expected = plain_loss(image, target, kernel, bias, border)
    assert fit.loss(kernel, bias) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("border", ["zero", "edge", "reflect", "symmetric", "wrap"])
def test_a_kernel_larger_than_the_image_reads_the_border_as_numpy_pad_does(border):
    image, target = small_problem(border)
    image, target = image[:4, :5], target[:4, :5]
    fit = KernelFit(image, target, (11, 11), border=border, fit_bias=True)  # pads 5 rows on 4 rows
    kernel = [[((i * 11 + j) % 7 - 3) / 4 for j in range(11)] for i in range(11)]
    assert fit.loss(kernel, -2.0) == pytest.approx(plain_loss(image, target, kernel, -2.0, border), rel=1e-10)


@pytest.mark.parametrize("border", ["zero", "reflect", "valid"])
def test_gradient_equals_finite_differences_of_the_plain_loss(border):
    image, target = small_problem(border)
    fit = KernelFit(image, target, (3, 2), border=border, fit_bias=True)
    kernel, bias = [[0.5, -1.25], [2.0, 0.0], [-0.75, 1.5]], 3.5
    gk, gb = fit.gradient(kernel, bias)
    h = 1e-3  # the loss is quadratic: central differences are exact up to rounding
    for i in range(3):
        for j in range(2):
            up = [row[:] for row in kernel]
            down = [row[:] for row in kernel]
            up[i][j] += h
            down[i][j] -= h
            numeric = (plain_loss(image, target, up, bias, border)
                       - plain_loss(image, target, down, bias, border)) / (2 * h)
            assert gk[i, j] == pytest.approx(numeric, rel=1e-6, abs=1e-6)
    numeric = (plain_loss(image, target, kernel, bias + h, border)
               - plain_loss(image, target, kernel, bias - h, border)) / (2 * h)
    assert gb == pytest.approx(numeric, rel=1e-6)


def test_d2l_example_learns_one_minus_one():
    x = [[1.0] * 8 for _ in range(6)]
    for row in x:
        row[2:6] = [0.0] * 4
    y = [[x[r][c] * 1.0 + x[r][c + 1] * -1.0 for c in range(7)] for r in range(6)]  # raw 'valid' response
    fit = KernelFit(np.array(x), np.array(y), (1, 2), border="valid")
    last = list(fit.steps(200))[-1]
    assert last.step == 200
    assert last.kernel[0][0] == pytest.approx(1.0, abs=0.01)
    assert last.kernel[0][1] == pytest.approx(-1.0, abs=0.01)


def test_sobel_x_learned_from_zeros_on_ascent(sobel_fit):
    steps = list(sobel_fit.steps(10000))
    assert steps[0].kernel == ((0.0,) * 3,) * 3
    assert all(b.loss < a.loss for a, b in zip(steps, steps[1:])), "the loss must fall at every step"
    learned = steps[-1].kernel
    for i in range(3):
        for j in range(3):
            assert learned[i][j] == pytest.approx(SOBEL_X[i][j], abs=0.01)


def test_least_squares_optimum_is_sobel_x(sobel_fit):
    optimum = sobel_fit.exact()
    assert np.abs(np.array(optimum.kernel) - SOBEL_X).max() < 1e-6
    assert optimum.loss < 1e-12


def test_default_learning_rate_is_one_over_the_lipschitz_constant(sobel_fit, ascent):
    # L = 2 * the largest eigenvalue of A^T A / n, with A built here the obvious way
    padded = np.pad(ascent.astype(float), 1)
    a = np.stack([padded[i:i + 512, j:j + 512].ravel() for i in range(3) for j in range(3)], axis=1)
    top = np.linalg.eigvalsh(a.T @ a / len(a)).max()
    assert sobel_fit.safe_lr == pytest.approx(1 / (2 * top), rel=1e-9)
    assert sobel_fit.condition > 100  # a photo's neighbouring pixels are alike: a long, narrow valley


def test_momentum_gets_there_in_fewer_steps(sobel_fit):
    def error_after(momentum):
        last = list(sobel_fit.steps(1000, momentum=momentum))[-1]
        return np.abs(np.array(last.kernel) - SOBEL_X).max()

    assert error_after(0.9) < 0.01 < error_after(0.0)


def test_bias_is_learned_with_the_kernel():
    image, _ = small_problem("edge")
    kernel = [[0.25, -0.5], [1.0, 0.5], [0.0, -0.25]]
    target = np.array(ref.convolve(image, kernel, border="edge", output_range="raw")) + 12.0
    fit = KernelFit(image, target, (3, 2), border="edge", fit_bias=True)
    exact = fit.exact()
    assert np.abs(np.array(exact.kernel) - kernel).max() < 1e-6
    assert exact.bias == pytest.approx(12.0, abs=1e-5)


def test_starts_from_zeros_random_or_a_given_kernel():
    image, target = small_problem("zero")
    fit = KernelFit(image, target, (3, 2))
    first = next(fit.steps(5, start="random", seed=3))
    assert first == next(fit.steps(5, start="random", seed=3))
    assert first != next(fit.steps(5, start="random", seed=4))
    assert all(-1 <= v <= 1 for row in first.kernel for v in row)
    given = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    start = next(fit.steps(5, start=given))
    assert start.loss == pytest.approx(plain_loss(image, target, given, 0.0, "zero"), rel=1e-10)
    assert start.kernel == ((1.0, 2.0), (3.0, 4.0), (5.0, 6.0))
    later = list(fit.steps(3, start=given, first=10))
    assert [s.step for s in later] == [10, 11, 12, 13]


def test_prediction_and_difference_come_from_the_engine_convolution():
    image, target = small_problem("symmetric")
    fit = KernelFit(image, target, (3, 2), border="symmetric", fit_bias=True)
    step = LearnStep(4, 0.0, ((0.5, -1.0), (2.0, 0.25), (0.0, 1.5)), 7.0)
    prediction = fit.prediction(step)
    expected = ref.convolve(image, step.kernel, 1.0, 7.0, "symmetric", "raw")
    assert ref.as_float_lists(prediction) == expected
    difference = fit.difference(prediction)
    assert difference.dtype == np.float32
    assert np.allclose(difference, np.array(expected) - target, atol=1e-4)


def test_a_learning_rate_far_too_large_stops_with_a_clear_error(sobel_fit):
    with pytest.raises(engine.OptionsError, match="learning rate .* too large"):
        list(sobel_fit.steps(1000, lr=sobel_fit.safe_lr * 10))


@pytest.mark.parametrize("make, match", [
    (lambda im: KernelFit(im, np.zeros((5, 6)), (3, 3)), "target is 6x5, .* makes 9x7 from the 9x7 input"),
    (lambda im: KernelFit(im, np.zeros((7, 9)), (3, 3), border="valid"), "valid"),
    (lambda im: KernelFit(im, np.zeros((7, 9)), (16, 3)), "1x1 up to 15x15"),
    (lambda im: KernelFit(im, np.zeros((7, 9)), (0, 3)), "1x1 up to 15x15"),
    (lambda im: KernelFit(im, np.zeros((7, 9)), "3x3"), "kernel size"),
    (lambda im: KernelFit(im, np.full((7, 9), math.nan), (3, 3)), "target contains NaN"),
    (lambda im: KernelFit(im.astype(float) * math.inf, np.zeros((7, 9)), (3, 3)), "NaN or infinite"),
    (lambda im: KernelFit(im, np.zeros((7, 9)), (3, 3), border="mirror"), "border must be"),
    (lambda im: KernelFit(im, np.zeros((1, 1)), (9, 9), border="valid"), "does not fit"),
    (lambda im: next(KernelFit(im, np.zeros((7, 9)), (3, 3)).steps(lr=-1)), "learning rate"),
    (lambda im: next(KernelFit(im, np.zeros((7, 9)), (3, 3)).steps(lr=math.nan)), "learning rate"),
    (lambda im: next(KernelFit(im, np.zeros((7, 9)), (3, 3)).steps(-2)), "number of steps"),
    (lambda im: next(KernelFit(im, np.zeros((7, 9)), (3, 3)).steps(start="ones")), "start must be"),
    (lambda im: next(KernelFit(im, np.zeros((7, 9)), (3, 3)).steps(start=[[1, 2]])), "start kernel is 1x2"),
    (lambda im: next(KernelFit(im, np.zeros((7, 9)), (3, 3)).steps(momentum=1.0)), "momentum"),
])
def test_bad_input_gets_one_clear_message(make, match):
    image, _ = small_problem("zero")
    with pytest.raises(engine.KernelscopeError, match=match):
        make(image)


def test_clamp_note_says_why_clamped_output_cannot_be_learned():
    assert "gradient 0" in CLAMP_NOTE and "raw" in CLAMP_NOTE


def test_random_kernels_are_whole_numbers_repeatable_by_seed():
    kernels = [random_kernel((3, 4), seed) for seed in range(20)]
    assert kernels[5] == random_kernel((3, 4), 5)
    assert len(set(kernels)) > 15
    for kernel in kernels:
        assert len(kernel) == 3 and len(kernel[0]) == 4
        assert all(v in (-2, -1, 0, 1, 2) for row in kernel for v in row) and any(v for row in kernel for v in row)


def test_make_target_is_the_raw_output_plus_bias():
    image, _ = small_problem("wrap")
    kernel = [[1.0, -2.0], [0.5, 0.0], [0.0, 2.0]]
    expected = ref.convolve(image, kernel, 1.0, 4.0, "wrap", "raw")
    assert ref.as_float_lists(make_target(image, kernel, "wrap", 4.0)) == expected



def test_a_preset_applies_weight_times_kernel_and_its_offset():
    kernel, bias = applied_kernel(engine.get_preset("Box blur 3x3"))
    assert kernel == ((1 / 9,) * 3,) * 3 and bias == 0.0
    assert applied_kernel(engine.get_preset("Emboss (gray offset)"))[1] == 128.0


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_loss_and_gradient_equal_plain_python_for_any_shapes_and_borders(data):
    h, w = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))
    kh, kw = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 5))
    border = data.draw(st.sampled_from(engine.BORDERS if kh <= h and kw <= w else
                                       [b for b in engine.BORDERS if b != "valid"]))
    values = st.integers(-300, 300).map(float)
    image = np.array(data.draw(st.lists(values, min_size=h * w, max_size=h * w))).reshape(h, w)
    out = (h - kh + 1, w - kw + 1) if border == "valid" else (h, w)
    target = np.array(data.draw(st.lists(values, min_size=out[0] * out[1], max_size=out[0] * out[1]))).reshape(out)
    kernel = [[data.draw(st.integers(-4, 4)) / 2 for _ in range(kw)] for _ in range(kh)]
    bias = data.draw(st.integers(-8, 8)) / 4
    fit = KernelFit(image, target, (kh, kw), border=border, fit_bias=True)
    assert fit.loss(kernel, bias) == pytest.approx(plain_loss(image, target, kernel, bias, border), rel=1e-9, abs=1e-9)
    gk, gb = fit.gradient(kernel, bias)
    for i in range(kh):
        for j in range(kw):
            up = [row[:] for row in kernel]
            up[i][j] += 1.0
            down = [row[:] for row in kernel]
            down[i][j] -= 1.0
            numeric = (plain_loss(image, target, up, bias, border) - plain_loss(image, target, down, bias, border)) / 2
            assert gk[i, j] == pytest.approx(numeric, rel=1e-9, abs=1e-7)
    numeric = (plain_loss(image, target, kernel, bias + 1, border)
               - plain_loss(image, target, kernel, bias - 1, border)) / 2
    assert gb == pytest.approx(numeric, rel=1e-9, abs=1e-7)


def test_a_problem_too_big_to_set_up_is_refused_before_any_work():
    image = np.zeros((4096, 4097), dtype=np.uint8)  # one column over MAX_LEARN_PIXELS
    with pytest.raises(engine.OptionsError, match="learning a 3x3 kernel on 4097x4096 pixels is too much work"):
        KernelFit(image, image, (3, 3))
    with pytest.raises(engine.OptionsError, match="too much work"):
        KernelFit(image[:2048, :2048], image[:2048, :2048], (15, 15))  # 4M pixels x 15 x 29 shifts
