"""Convolution layers: channels, HWIO kernels, per-channel bias, stride, dilation and relu, against the
plain reference loop (tests/engine/reference.py), TensorFlow's shape rules and d2l's published values."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine
from engine import layer

from . import reference as ref

X = np.stack([np.arange(9).reshape(3, 3), np.arange(1, 10).reshape(3, 3)], axis=-1)
K = np.stack([[[0, 1], [2, 3]], [[1, 2], [3, 4]]], axis=-1)[..., None]  # 2x2x2x1 HWIO


def _planes(array):
    array = np.asarray(array)
    return [array] if array.ndim == 2 else [array[:, :, o] for o in range(array.shape[2])]


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.float64])
def test_d2l_multiple_input_channels(dtype):
    options = engine.JobOptions(kernel=K, border="valid", output_range="raw", pool=None)
    assert engine.convolve(X.astype(dtype), options).tolist() == [[56, 72], [104, 120]]


def test_d2l_multiple_output_channels():
    bank = np.concatenate([K, K + 1, K + 2], axis=3)
    options = engine.JobOptions(kernel=bank, border="valid", output_range="raw", pool=None)
    result = engine.run_job(X.astype(np.uint8), options)
    assert result.convolved.shape == (2, 2, 3)
    assert [p.tolist() for p in _planes(result.convolved)] == [[[56, 72], [104, 120]], [[76, 100], [148, 172]],
                                                               [[96, 128], [192, 224]]]


def _tf_valid(size, k, s, d):
    """FIELD.md's form of TF 'VALID': ceil((in - k_eff + 1) / s)."""
    return max(math.ceil((size - ((k - 1) * d + 1) + 1) / s), 0)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 17, 512, 513])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("s", [1, 2, 3, 8])
@pytest.mark.parametrize("d", [1, 2, 5])
def test_tensorflow_same_and_valid_shapes(size, k, s, d):
    span = (k - 1) * d + 1
    valid = engine.JobOptions(kernel=np.ones((k, 1)), border="valid", stride=(s, 1), dilation=(d, 1))
    assert valid.output_shape(size, 9)[0] == _tf_valid(size, k, s, d)
    # every output row's window lies inside the image, and one more would not
    rows = valid.output_shape(size, 9)[0]
    assert all(r * s + span <= size for r in range(rows)) and rows * s + span > size
    same = engine.JobOptions(kernel=np.ones((k, 1)), border="edge", stride=(s, 1), dilation=(d, 1))
    out = same.output_shape(size, 9)[0]
    assert out == math.ceil(size / s)
    before, after = same.padding_for(size, 9)[:2]
    total = max((out - 1) * s + span - size, 0)
    assert (before, after) == (total // 2, total - total // 2)
    assert (out - 1) * s + span <= size + before + after  # the last window fits the padded image
    from engine.layer_options import shape_arithmetic

    for is_valid, want in ((True, rows), (False, out)):
        text = shape_arithmetic(size, k, s, d, is_valid)
        assert text.endswith(f"= {want}") if want else text.startswith("no output")


def test_stride_one_dilation_one_padding_is_todays_anchor():
    for kh, kw in [(1, 1), (2, 3), (3, 3), (4, 5), (15, 2)]:
        options = engine.JobOptions(kernel=np.ones((kh, kw)))
        assert options.padding_for(37, 41) == options.padding == ((kh - 1) // 2, kh // 2, (kw - 1) // 2, kw // 2)


entries = st.one_of(st.integers(-3, 3).map(float), st.sampled_from([0.5, 0.1, -1 / 3]))


@st.composite
def layer_cases(draw):
    cin = draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 11)), draw(st.integers(1, 9))
    kind = draw(st.sampled_from(["uint8", "int16", "float"]))
    if kind == "float":
        elements = st.floats(-100, 100, allow_nan=False, width=32)
        image = draw(hnp.arrays(np.float32, (h, w, cin), elements=elements))
    else:
        image = draw(hnp.arrays(np.dtype(kind), (h, w, cin)))
    if cin == 1 and draw(st.booleans()):
        image = image[:, :, 0]
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    hwio = draw(st.booleans())
    cout = draw(st.integers(1, 3)) if hwio else cin
    shape = (kh, kw, cin, cout) if hwio else (kh, kw)
    kernel = np.array(draw(st.lists(entries, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
                      ).reshape(shape)
    offset = draw(st.one_of(st.sampled_from([0.0, 128.0, -0.5]),
                            st.lists(st.sampled_from([0.0, 3.0, -200.0, 0.25]), min_size=cout, max_size=cout)))
    options = engine.JobOptions(
        kernel=kernel, weight=draw(st.sampled_from([1.0, 0.25, 1 / 9, -2.0])), offset=offset,
        border=draw(st.sampled_from(engine.BORDERS)), output_range=draw(st.sampled_from(engine.OUTPUT_RANGES)),
        stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        dilation=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        pool=draw(st.one_of(st.none(), st.builds(engine.PoolOptions, st.sampled_from(engine.POOL_OPS),
                                                 st.integers(1, 2)))))
    return image, options


def _fits(image, options):
    return 0 not in options.output_shape(*image.shape[:2])


def _reference(image, options):
    offset = list(options.offset) if isinstance(options.offset, tuple) else options.offset
    return ref.layer(image, options.kernel_array, options.weight, offset, options.border, options.output_range,
                     options.stride, options.dilation)


def _bits(values):
    return [np.float64(v).tobytes() for v in values]


@settings(max_examples=300, deadline=None)
@given(layer_cases(), st.integers(1, 1 << 12))
def test_layer_equals_reference_loop_and_explanations(case, tile):
    image, options = case
    if not _fits(image, options):
        with pytest.raises(engine.ImageError, match="leaves no output"):
            engine.run_job(image, options)
        return
    old, layer.TILE_BYTES = layer.TILE_BYTES, tile  # tiles of every size, down to one row
    try:
        result = engine.run_job(image, options)
    finally:
        layer.TILE_BYTES = old
    expected = _reference(image, options)
    planes = _planes(result.convolved)
    assert len(planes) == len(expected[0][0])
    for o, plane in enumerate(planes):
        assert plane.dtype == (np.uint8 if options.output_range == "clamp" else np.float32)
        got = [float(v) for v in plane.ravel()]
        want = [float(px[o]) for row in expected for px in row]
        assert _bits(got) == _bits(want)
        for r in range(plane.shape[0]):
            for c in range(plane.shape[1]):
                e = engine.explain_pixel(image, options, r, c, o)
                assert _bits([e.stored]) == _bits([float(plane[r, c])])
        if options.pool is not None:
            assert np.array_equal(_planes(result.pooled)[o], engine.pool(plane, options.pool))
    assert np.array_equal(engine.convolve(image, options), result.convolved)


def test_explanation_lists_every_term_with_channel_subtotals():
    options = engine.JobOptions(kernel=K, border="valid", output_range="raw", pool=None)
    e = engine.explain_pixel(X.astype(np.uint8), options, 1, 0)
    assert [(t.kernel_pos, t.channel, t.input_pos, t.value, t.weight) for t in e.terms] == [
        ((0, 0), 0, (1, 0), 3, 0), ((0, 0), 1, (1, 0), 4, 1), ((0, 1), 0, (1, 1), 4, 1), ((0, 1), 1, (1, 1), 5, 2),
        ((1, 0), 0, (2, 0), 6, 2), ((1, 0), 1, (2, 0), 7, 3), ((1, 1), 0, (2, 1), 7, 3), ((1, 1), 1, (2, 1), 8, 4)]
    assert e.subtotals == ((0, 4.0 + 12 + 21), (1, 4.0 + 10 + 21 + 32))
    assert e.sum == e.stored == 104.0
    assert "input channel 1 contributes 67" in e.describe()


def test_strided_dilated_explanation_reads_the_gapped_window():
    image = np.arange(64, dtype=np.uint8).reshape(8, 8)
    options = engine.JobOptions(kernel=np.ones((3, 3)), border="zero", stride=2, dilation=2, output_range="raw")
    e = engine.explain_pixel(image, options, 1, 2)
    top, _, left, _ = options.padding_for(8, 8)
    assert (top, left) == (1, 1)  # out 4, total (4 - 1) * 2 + 5 - 8 = 3, before 3 // 2
    assert [t.input_pos for t in e.terms] == [(2 + 2 * i - 1, 4 + 2 * j - 1) for i in range(3) for j in range(3)]


def test_depthwise_kernel_keeps_colour_and_matches_todays_filter_per_channel():
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 256, (9, 11, 3), dtype=np.uint8)
    options = engine.JobOptions(kernel=engine.get_preset("Sobel x").kernel, border="reflect", pool=None)
    out = engine.convolve(rgb, options)
    assert out.shape == (9, 11, 3)
    for ch in range(3):
        assert np.array_equal(out[:, :, ch], engine.convolve(np.ascontiguousarray(rgb[:, :, ch]), options))


def test_one_by_one_channel_layer_kernel_is_todays_result():
    image = np.random.default_rng(2).integers(0, 256, (12, 10), dtype=np.uint8)
    grid = ((1, 2, 1), (0, 0, 0), (-1, -2, -1))
    classic = engine.JobOptions(kernel=grid, border="edge", offset=7, pool=None)
    hwio = engine.JobOptions(kernel=np.array(grid, float)[:, :, None, None], border="edge", offset=[7],
                             pool=None)
    assert np.array_equal(engine.convolve(image, hwio), engine.convolve(image, classic))


def test_stride_two_keeps_every_other_pixel_of_stride_one_on_odd_kernels():
    image = np.random.default_rng(3).integers(0, 256, (20, 21, 3), dtype=np.uint8)
    kernel = np.random.default_rng(4).integers(-3, 4, (3, 3, 3, 2)).astype(float)
    one = engine.convolve(image, engine.JobOptions(kernel=kernel, border="valid", output_range="raw"))
    two = engine.convolve(image, engine.JobOptions(kernel=kernel, border="valid", output_range="raw", stride=2))
    assert np.array_equal(two, one[::2, ::2])


def test_relu_clears_negatives_and_keeps_float32():
    image = np.array([[0, 10], [20, 30]], dtype=np.uint8)
    options = engine.JobOptions(kernel=((-1,),), offset=15, output_range="relu", pool=None)
    out = engine.convolve(image, options)
    assert out.dtype == np.float32 and out.tolist() == [[15, 5], [0, 0]]
    assert not np.signbit(out).any()


@pytest.mark.parametrize("kwargs, message", [
    (dict(stride=0), "stride must be between 1 and 8"), (dict(dilation=9), "dilation must be between 1 and 8"),
    (dict(stride=(1, 2, 3)), "one whole number or two"), (dict(stride=1.5), "whole numbers"),
    (dict(kernel=np.zeros((3, 3, 2))), "3 dimension"), (dict(kernel=np.zeros((3, 3, 5, 1))), "input channels"),
    (dict(kernel=np.zeros((3, 3, 1, 9))), "output channels"), (dict(kernel=np.zeros((16, 3, 1, 1))), "16x3"),
    (dict(kernel=np.zeros((3, 3, 1, 2)), offset=[1, 2, 3]), "2 output channel"),
    (dict(offset=list(range(9))), "one per output channel"), (dict(output_range="tanh"), "clamp, raw or relu"),
    (dict(kernel=np.full((1, 1, 1, 1), np.nan)), "finite"),
])
def test_bad_layer_options_are_refused_with_one_clear_message(kwargs, message):
    with pytest.raises(engine.OptionsError, match=message):
        engine.JobOptions(**kwargs)


def test_channel_mismatches_are_refused_when_the_job_runs_or_explains():
    rgb = np.zeros((5, 5, 3), np.uint8)
    two_in = engine.JobOptions(kernel=np.zeros((3, 3, 2, 1)))
    for call in (lambda: engine.run_job(rgb, two_in), lambda: engine.explain_pixel(rgb, two_in, 0, 0)):
        with pytest.raises(engine.OptionsError, match="takes 2 input channel.*image has 3"):
            call()
    with pytest.raises(engine.OptionsError, match="2 offsets were given for 3 output"):
        engine.run_job(rgb, engine.JobOptions(offset=[1, 2]))
    with pytest.raises(engine.OptionsError, match="output channel 3 does not exist"):
        engine.explain_pixel(rgb, engine.JobOptions(), 0, 0, 3)


def test_a_dilated_window_larger_than_the_image_leaves_no_valid_output():
    options = engine.JobOptions(kernel=np.ones((3, 3)), border="valid", dilation=4)
    with pytest.raises(engine.ImageError, match=r"smaller than the kernel's window \(9x9 with dilation\)"):
        engine.run_job(np.zeros((8, 20), np.uint8), options)


def test_lab_mode_refuses_layers():
    with pytest.raises(engine.LabModeError, match="stride 2,2"):
        engine.JobOptions(lab=True, stride=2)
    with pytest.raises(engine.LabModeError, match="dilation"):
        engine.JobOptions(lab=True, dilation=(1, 2))
    with pytest.raises(engine.LabModeError, match="layer kernel"):
        engine.JobOptions(lab=True, kernel=np.zeros((3, 3, 1, 1)))
    with pytest.raises(engine.LabModeError, match="output range relu"):
        engine.JobOptions(lab=True, output_range="relu")
    with pytest.raises(engine.LabModeError, match="3 channels"):
        engine.run_job(np.zeros((4, 4, 3), np.uint8), engine.JobOptions(lab=True))


def test_new_fields_round_trip_and_old_dicts_still_load():
    options = engine.JobOptions(kernel=np.arange(8.0).reshape(2, 2, 1, 2), offset=[1, -2], stride=(2, 3),
                                dilation=2, output_range="relu")
    assert engine.JobOptions.from_dict(options.to_dict()) == options
    old = {"kernel": [[1, 2], [3, 4]], "weight": 1, "offset": 0, "lab": False, "border": "zero",
           "output_range": "clamp", "pool": None}
    loaded = engine.JobOptions.from_dict(old)
    assert loaded.stride == loaded.dilation == (1, 1) and not loaded.is_layer_kernel


def test_pooled_layer_output_is_per_channel():
    image = np.random.default_rng(5).integers(0, 256, (10, 10, 2), dtype=np.uint8)
    options = engine.JobOptions(kernel=np.ones((3, 3, 2, 3)), weight=1 / 18,
                                pool=engine.PoolOptions("avg", 2))
    result = engine.run_job(image, options)
    assert result.pooled.shape == (5, 5, 3) and result.pooled.dtype == np.float32
    for o in range(3):
        assert np.array_equal(result.pooled[:, :, o], engine.pool(result.convolved[:, :, o], options.pool))
        e = engine.explain_pool(image, options, 2, 3, channel=o)
        assert e.result == float(result.pooled[2, 3, o])
        assert engine.explain_pool(image, options, 2, 3, result.convolved, o).result == e.result


def test_relu_results_map_to_png_as_a_fraction_of_their_peak():
    values = np.array([[0.0, 1.0], [2.0, 4.0]], np.float32)
    assert engine.to_display_uint8(values, "relu").tolist() == [[0, 64], [128, 255]]  # 255 * v / 4, halves up
    assert engine.to_display_uint8(np.zeros((2, 2), np.float32), "relu").tolist() == [[0, 0], [0, 0]]


def test_a_png_of_several_channels_is_one_file_per_channel(tmp_path):
    from engine.saving import per_channel_outputs

    maps = np.zeros((2, 3, 4), np.uint8)
    names = [p.name for p, _ in per_channel_outputs(tmp_path / "conv.png", maps, True)]
    assert names == ["conv_c0.png", "conv_c1.png", "conv_c2.png", "conv_c3.png"]
    assert [p.name for p, _ in per_channel_outputs(tmp_path / "conv.npy", maps, True)] == ["conv.npy"]


@pytest.mark.parametrize("size, k, s, d, valid, text", [
    (512, 3, 2, 1, False, "floor((512 + 1 - 3) / 2) + 1 = 256"),
    (512, 3, 2, 1, True, "floor((512 + 0 - 3) / 2) + 1 = 255"),
    (10, 3, 1, 2, False, "floor((10 + 4 - 5) / 1) + 1 = 10"),
])
def test_shape_arithmetic_shows_the_numbers_and_agrees_with_the_output_shape(size, k, s, d, valid, text):
    from engine.layer_options import output_size, shape_arithmetic

    assert shape_arithmetic(size, k, s, d, valid) == text
    assert text.endswith(f"= {output_size(size, k, s, d, valid)}")


def test_shape_arithmetic_explains_a_setting_that_leaves_no_output():
    from engine.layer_options import shape_arithmetic

    text = shape_arithmetic(8, 3, 1, 4, True)
    assert text.startswith("no output") and "spans 9 (3 taps, dilation 4) rows" in text and "has 8" in text


def test_sessions_keep_how_the_picture_was_opened():
    session = engine.Session("photo.png", engine.JobOptions(kernel=np.ones((3, 3, 3, 2))), channels="rgb")
    assert engine.Session.from_dict(session.to_dict()) == session
    old = {key: value for key, value in session.to_dict().items() if key != "channels"}
    assert engine.Session.from_dict(old).channels == "gray"
    with pytest.raises(engine.SessionError, match="channels must be gray or rgb"):
        engine.Session.from_dict({**session.to_dict(), "channels": "cmyk"})
