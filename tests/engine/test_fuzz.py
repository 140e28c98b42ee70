"""Fuzzing (issue 7): random and mutated files only ever give an image or one ImageError line, never another
exception or a hang; random kernels and options only ever give the reference loops' numbers."""

import faulthandler
import io
import struct
import time
import zlib
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

import engine
from engine import convolution, jobs

from . import reference as ref

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SECONDS_PER_FILE = 5


@contextmanager
def no_hang(seconds=60):
    """A hang inside C code cannot be interrupted, so if one happens the process dumps every thread's stack
    and exits: a failed run instead of a stuck one."""
    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def load_or_image_error(path):
    """load_image's outcome: a valid image, or a one-line ImageError; anything else fails the test."""
    start = time.perf_counter()
    with no_hang():
        try:
            image = engine.load_image(path)
        except engine.ImageError as error:
            text = str(error)
            assert text and "\n" not in text and "Traceback" not in text
            image = None
    assert time.perf_counter() - start < SECONDS_PER_FILE
    if image is not None:
        assert isinstance(image, np.ndarray) and image.ndim == 2 and image.size > 0
        assert image.dtype.kind in "uif" and image.size <= engine.MAX_PIXELS
    return image


def _samples():
    rng = np.random.default_rng(7)
    gray = rng.integers(0, 256, (12, 10)).astype(np.uint8)
    files = {}
    for fmt, image in [("PNG", Image.fromarray(gray)), ("JPEG", Image.fromarray(gray)),
                       ("BMP", Image.fromarray(gray)), ("TIFF", Image.fromarray(gray)),
                       ("PNG", Image.fromarray((gray.astype(np.uint16) * 200))),
                       ("PNG", Image.fromarray(np.dstack([gray, gray, gray, gray]), "RGBA")),
                       ("JPEG", Image.fromarray(np.dstack([gray, 255 - gray, gray]))),
                       ("TIFF", Image.fromarray(gray.astype(np.float32) / 7, "F")),
                       ("PNG", Image.fromarray(gray).convert("P"))]:
        buffer = io.BytesIO()
        image.save(buffer, format=fmt)
        files[f"{fmt.lower()}-{image.mode}"] = (fmt, buffer.getvalue())
    buffer = io.BytesIO()
    np.save(buffer, gray.astype(np.int16))
    files["npy"] = ("NPY", buffer.getvalue())
    return files


SAMPLES = _samples()
SUFFIX = {"PNG": ".png", "JPEG": ".jpg", "BMP": ".bmp", "TIFF": ".tif", "NPY": ".npy"}

mutations = st.lists(st.tuples(st.sampled_from(["set", "insert", "delete", "flip"]), st.integers(0, 10 ** 6),
                               st.integers(0, 255)), min_size=1, max_size=6)


def mutate(data, edits, cut):
    data = bytearray(data)
    for kind, position, value in edits:
        at = position % max(len(data), 1)
        if kind == "set" and data:
            data[at] = value
        elif kind == "insert":
            data[at:at] = bytes([value]) * (1 + value % 16)
        elif kind == "delete" and data:
            del data[at:at + 1 + value % 32]
        elif kind == "flip" and data:
            data[at] ^= 1 << (value % 8)
    return bytes(data[: max(cut % (len(data) + 1), 1)]) if cut is not None else bytes(data)


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".png", ".jpg", ".bmp", ".tif", ".tiff", ".npy", ".gif",
                                                             ".txt"]))
def test_random_bytes_only_ever_give_an_image_or_an_image_error(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    load_or_image_error(path)


@FUZZ
@given(sample=st.sampled_from(sorted(SAMPLES)), edits=mutations, cut=st.one_of(st.none(), st.integers(0, 10 ** 6)),
       renamed=st.booleans())
def test_mutated_real_files_only_ever_give_an_image_or_an_image_error(tmp_path, sample, edits, cut, renamed):
    fmt, data = SAMPLES[sample]
    suffix = ".png" if renamed else SUFFIX[fmt]
    path = tmp_path / f"mutant{suffix}"
    path.write_bytes(mutate(data, edits, cut))
    load_or_image_error(path)


@FUZZ
@given(sample=st.sampled_from(sorted(SAMPLES)), cut=st.integers(1, 10 ** 6))
def test_every_truncation_of_a_real_file_gives_an_image_or_an_image_error(tmp_path, sample, cut):
    fmt, data = SAMPLES[sample]
    path = tmp_path / f"cut{SUFFIX[fmt]}"
    path.write_bytes(data[: cut % len(data)])
    load_or_image_error(path)


def _chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


@FUZZ
@given(width=st.integers(0, 2 ** 31 - 1), height=st.integers(0, 2 ** 31 - 1),
       depth_colour=st.sampled_from([(8, 0), (16, 0), (1, 0), (8, 2), (8, 3), (8, 4), (8, 6), (16, 6), (3, 7)]),
       body=st.binary(max_size=200))
def test_pngs_declaring_any_size_with_tiny_bodies_are_refused_or_open_within_limits(tmp_path, width, height,
                                                                                      depth_colour, body):
    depth, colour = depth_colour
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(body))
            + _chunk(b"IEND", b""))
    path = tmp_path / "declared.png"
    path.write_bytes(data)
    image = load_or_image_error(path)
    if width * height > engine.MAX_PIXELS:
        assert image is None


# -- random kernels and options against the reference loops ------------------------------------------------

images = st.one_of(
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=9)),
    hnp.arrays(st.sampled_from([np.int8, np.uint16, np.int32]),
               hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=7)),
    hnp.arrays(np.int64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=7),
               elements=st.integers(-10 ** 12, 10 ** 12)),  # the documented limit of pixel values
    hnp.arrays(st.sampled_from([np.float32, np.float64]), hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=7),
               elements=st.floats(-1e4, 1e4, allow_nan=False, width=32)),
)
values = st.one_of(st.integers(-20, 20).map(float), st.floats(-1e6, 1e6, allow_nan=False),
                   st.sampled_from([0.0, 1e6, -1e6, 0.1, 1 / 3, 2 ** -20, 0.5]))
kernels = st.integers(1, 7).flatmap(lambda h: st.integers(1, 7).flatmap(
    lambda w: st.lists(st.lists(values, min_size=w, max_size=w), min_size=h, max_size=h)))
pools = st.one_of(st.none(), st.builds(engine.PoolOptions, st.sampled_from(engine.POOL_OPS), st.integers(1, 4),
                                       st.one_of(st.none(), st.integers(1, 4))))


@settings(max_examples=120, deadline=None)
@given(image=images, kernel=kernels, weight=values, offset=values, border=st.sampled_from(engine.BORDERS),
       output_range=st.sampled_from(engine.OUTPUT_RANGES), pool=pools, chunk=st.integers(1, 1 << 18),
       tile=st.integers(1, 1 << 12))
def test_random_kernels_and_options_agree_with_the_reference_loops(image, kernel, weight, offset, border,
                                                                   output_range, pool, chunk, tile):
    options = engine.JobOptions(kernel=kernel, weight=weight, offset=offset, border=border,
                                output_range=output_range, pool=pool)
    kh, kw = options.shape
    if border == "valid" and (image.shape[0] < kh or image.shape[1] < kw):
        with pytest.raises(engine.ImageError, match="smaller than"):
            engine.run_job(image, options)
        return
    old = jobs.CHUNK_PIXELS, convolution.TILE_BYTES
    jobs.CHUNK_PIXELS, convolution.TILE_BYTES = chunk, tile  # bands and tiles of every size
    try:
        result = engine.run_job(image, options)
    finally:
        jobs.CHUNK_PIXELS, convolution.TILE_BYTES = old
    want = ref.convolve(image, options.kernel, options.weight, options.offset, border, output_range)
    assert ref.as_float_lists(result.convolved) == want
    if output_range == "raw":
        assert np.isfinite(result.convolved).all()
    if pool is not None and result.pooled.size:
        assert ref.as_float_lists(result.pooled) == ref.pool(want, pool.op, pool.size, pool.stride)
    r, c = image.shape[0] // 2 % result.convolved.shape[0], image.shape[1] // 3 % result.convolved.shape[1]
    assert engine.explain_pixel(image, options, r, c).stored == want[r][c]


# kernels of one or two values (a box, 0.1 in every cell, a cell edited) take the float path's narrow reads
few_value_kernels = st.tuples(st.lists(values, min_size=1, max_size=2), st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda spec: st.lists(st.lists(st.sampled_from([0.0, *spec[0]]), min_size=spec[2], max_size=spec[2]),
                          min_size=spec[1], max_size=spec[1]))


@settings(max_examples=120, deadline=None)
@given(image=images, kernel=few_value_kernels, weight=values, offset=values, border=st.sampled_from(engine.BORDERS),
       output_range=st.sampled_from(engine.OUTPUT_RANGES), chunk=st.integers(1, 1 << 18), tile=st.integers(1, 1 << 12))
def test_kernels_of_few_values_agree_with_the_reference_loops(image, kernel, weight, offset, border, output_range,
                                                              chunk, tile):
    options = engine.JobOptions(kernel=kernel, weight=weight, offset=offset, border=border,
                                output_range=output_range, pool=None)
    kh, kw = options.shape
    if border == "valid" and (image.shape[0] < kh or image.shape[1] < kw):
        return
    old = jobs.CHUNK_PIXELS, convolution.TILE_BYTES
    jobs.CHUNK_PIXELS, convolution.TILE_BYTES = chunk, tile
    try:
        result = engine.run_job(image, options)
    finally:
        jobs.CHUNK_PIXELS, convolution.TILE_BYTES = old
    want = ref.convolve(image, options.kernel, options.weight, options.offset, border, output_range)
    assert [[np.float64(v).tobytes() for v in row] for row in ref.as_float_lists(result.convolved)] == \
        [[np.float64(v).tobytes() for v in row] for row in want]


@settings(max_examples=60, deadline=None)
@given(image=st.one_of(
           hnp.arrays(np.uint8, st.tuples(st.integers(1, 5), st.integers(1, 5)).map(lambda s: (2 * s[0], 2 * s[1]))),
           hnp.arrays(np.int64, st.tuples(st.integers(1, 4), st.integers(1, 4)).map(lambda s: (2 * s[0], 2 * s[1])),
                      elements=st.integers(-10 ** 6, 10 ** 6))),
       kernel=st.lists(st.lists(values, min_size=3, max_size=3), min_size=3, max_size=3), weight=values)
def test_random_lab_mode_jobs_agree_with_the_notebook_transcription(image, kernel, weight):
    result = engine.run_job(image, engine.JobOptions(kernel=kernel, weight=weight, lab=True))
    conv = ref.lab_convolve(image, kernel, weight)
    assert result.convolved.tolist() == conv
    assert ref.as_float_lists(result.pooled) == ref.as_float_lists(ref.lab_pool(conv))


@settings(max_examples=100, deadline=None)
@given(kernel=st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.lists(
           st.one_of(st.floats(), st.integers(), st.text(max_size=2), st.none()), max_size=17), max_size=17)),
       weight=st.one_of(st.floats(), st.integers(), st.text(max_size=3), st.none()),
       border=st.one_of(st.sampled_from(engine.BORDERS), st.text(max_size=6)),
       pool_size=st.integers(-3, 20))
def test_random_option_values_give_valid_options_or_one_options_error(kernel, weight, border, pool_size):
    try:
        options = engine.JobOptions(kernel=kernel, weight=weight, border=border,
                                    pool=engine.PoolOptions("max", pool_size))
    except engine.OptionsError as error:
        assert str(error) and "\n" not in str(error)
        return
    kh, kw = options.shape
    assert 1 <= kh <= 15 and 1 <= kw <= 15 and np.isfinite(options.kernel_array).all()
    assert abs(options.weight) <= 1e6 and border in engine.BORDERS and 1 <= pool_size <= 16
