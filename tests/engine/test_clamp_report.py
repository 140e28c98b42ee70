"""engine.clamp_report against the reference loops' values before the clamp."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import engine
from engine.clamp_report import HIGH, KEPT, NEGATIVE, clamp_report
from tests.engine import reference as ref


def reference_labels(image, options, monkeypatch):
    """KEPT/NEGATIVE/HIGH from the reference loop's ``sum * weight + offset`` (its store step left out)."""
    kernel = [list(row) for row in options.kernel]
    if options.lab:
        i = np.asarray(image).astype(np.int64).tolist()
        h, w = len(i), len(i[0])
        before = [[0.0] * w for _ in range(h)]
        labels = [[KEPT] * w for _ in range(h)]
        for x in range(1, h - 1):
            for y in range(1, w - 1):
                conv = 0.0
                for a in range(3):
                    for b in range(3):
                        conv = conv + i[x + b - 1][y + a - 1] * kernel[a][b]
                before[x][y] = conv * options.weight
                labels[x][y] = NEGATIVE if before[x][y] < 0 else HIGH if before[x][y] > 255 else KEPT
        return labels
    with monkeypatch.context() as m:
        m.setattr(ref, "store", lambda value, _range: value)
        before = ref.convolve(image, kernel, options.weight, options.offset, options.border)
    return [[NEGATIVE if v < 0 else HIGH if v > 255 else KEPT for v in row] for row in before]


@pytest.mark.parametrize("preset, weight, offset, border", [
    ("Sobel x", 1.0, 0.0, "zero"), ("Notebook: 'horizontal lines'", 1.0, 0.0, "edge"),
    ("Sobel x", 0.25, -10.0, "reflect"), ("Sharpen", 1.0, -3.5, "valid")])
def test_counts_and_masks_equal_the_reference_loop(monkeypatch, preset, weight, offset, border):
    image = engine.load_image(engine.sample_path("ascent"))[100:140, 200:247]
    options = engine.JobOptions(kernel=engine.get_preset(preset).kernel, weight=weight, offset=offset, border=border)
    report = clamp_report(image, options)
    want = reference_labels(image, options, monkeypatch)
    assert report.labels.tolist() == want
    assert report.negative == sum(row.count(NEGATIVE) for row in want) > 0
    assert report.high == sum(row.count(HIGH) for row in want)
    assert report.clamped_pixels == len(want) * len(want[0])


def test_lab_mode_reports_the_interior_only(monkeypatch):
    image = engine.load_image(engine.sample_path("ascent"))[:30, :40]
    options = engine.JobOptions(kernel=((-1, -2, -1), (0, 0, 0), (1, 2, 1)), lab=True)
    report = clamp_report(image, options)
    assert report.labels.tolist() == reference_labels(image, options, monkeypatch)
    assert report.clamped_pixels == 28 * 38


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 255), min_size=6, max_size=6), min_size=5, max_size=5),
       st.lists(st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.1, 1 / 9, 1.0, 3.0]), min_size=9, max_size=9),
       st.sampled_from([1.0, 0.5, 1 / 3, -1.0]), st.sampled_from([0.0, 0.5, -128.0, 255.0]))
def test_any_kernel_weight_and_offset(image, taps, weight, offset):
    image = np.array(image, dtype=np.uint8)
    kernel = tuple(tuple(taps[3 * r:3 * r + 3]) for r in range(3))
    options = engine.JobOptions(kernel=kernel, weight=weight, offset=offset)
    with pytest.MonkeyPatch.context() as m:
        want = reference_labels(image, options, m)
    assert clamp_report(image, options).labels.tolist() == want


def test_the_sentence_and_raw_output_refused():
    image = np.array([[0, 255, 0, 255]] * 4, dtype=np.uint8)
    report = clamp_report(image, engine.JobOptions(kernel=((0, 0, 0), (-1, 2, -1), (0, 0, 0))))
    # each 255 becomes 510 (white), each 0 becomes -510 or -255 (black)
    assert (report.negative, report.high) == (8, 8)
    assert report.describe() == "50% of pixels were negative and show as black; 50% were above 255 and show as white"
    with pytest.raises(engine.OptionsError, match="raw"):
        clamp_report(image, engine.JobOptions(output_range="raw"))


def test_big_float_kernels_match_the_loop(monkeypatch):
    """A 9x9 kernel of +-0.1 (81 taps: clamped output would take certified FFT sums) decides each sign from
    the loop's own sums."""
    image = engine.load_image(engine.sample_path("ascent"))[200:226, 300:329]
    kernel = tuple(tuple(0.1 if (i + j) % 2 else -0.1 for j in range(9)) for i in range(9))
    options = engine.JobOptions(kernel=kernel, offset=0.0)
    assert engine.Convolution(image, options, fft=True).path == "float-fft"
    report = clamp_report(image, options)
    assert report.labels.tolist() == reference_labels(image, options, monkeypatch)
    assert report.negative > 0


def test_colour_images_and_layer_kernels_are_refused_with_the_reason():
    """The report is one label per pixel of one 2-D convolved image; a colour image raised ImageError and a
    kernel of several maps a ValueError (an ambiguous array truth value) from inside the engine."""
    gray = np.array([[0, 255, 0, 255]] * 4, dtype=np.uint8)
    rgb = np.stack([gray] * 3, axis=2)
    layer = engine.JobOptions(kernel=np.ones((3, 3, 1, 2)).tolist(), offset=(0.0, 0.0))
    for image, options in ((rgb, engine.JobOptions()), (gray, layer)):
        assert engine.clamp_report_refusal(image.shape, options) is not None
        with pytest.raises(engine.OptionsError, match="one-channel"):
            clamp_report(image, options)
    assert engine.clamp_report_refusal(gray.shape, engine.JobOptions()) is None
    assert "raw" in engine.clamp_report_refusal(gray.shape, engine.JobOptions(output_range="raw"))
