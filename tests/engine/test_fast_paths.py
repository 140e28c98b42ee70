"""The speed paths (integer finishing, FFT tiles, bands on several threads) give the reference loops'
values bit for bit, and each is actually taken where it should be."""

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine import jobs
from engine.convolution import Convolution

from . import reference as ref
from .fast_paths_support import check, noise, small_tiles  # noqa: F401 (noise, small_tiles: fixtures)


# -- finishing in integers (clamp) and float32 (raw) ------------------------------------------------------

@pytest.mark.parametrize("weight, offset", [
    (1.0, 0.0), (1.0, 128.0), (1.0, -300.0), (1 / 16, 0.0), (1 / 16, 0.5), (0.5, 127.5), (2.0, -3.0),
    (4.0, 1e6), (1.0, -1e6), (2.0 ** -20, 0.0), (1 / 8, 0.1),  # 0.1 * 8 is not whole: float64 finish
])
@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_power_of_two_weights_and_offsets_match_the_reference(noise, weight, offset, output_range):
    for kernel in ([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], [[1, 2, 1], [2, 4, 2], [1, 2, 1]], [[0.5, -0.25], [3, 1]]):
        check(noise, kernel, weight, offset, "edge", output_range)


def test_results_just_below_a_whole_number_truncate_like_the_loop():
    image = np.array([[255, 254, 1, 0, 3]], dtype=np.uint8)
    for weight, offset in ((0.5, 0.0), (0.25, 0.75), (1 / 1024, 254.5)):
        for output_range in ("clamp", "raw"):
            check(image, [[1, 1, 1]], weight, offset, "wrap", output_range)


def test_the_integer_finish_is_used_for_power_of_two_weights_only(noise):
    sobel = engine.get_preset("Sobel x").kernel
    assert Convolution(noise, engine.JobOptions(kernel=sobel)).finishing == "integer"
    assert Convolution(noise, engine.JobOptions(kernel=sobel, weight=0.3)).finishing == "float64"
    assert Convolution(noise, engine.JobOptions(kernel=sobel, output_range="raw")).finishing == "float32"
    assert Convolution(noise, engine.JobOptions(kernel=sobel, output_range="raw", offset=0.1)).finishing == "float64"


# -- FFT tiles for big integer kernels --------------------------------------------------------------------

@pytest.mark.parametrize("border", engine.BORDERS)
@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_fft_tiles_give_the_exact_sums(small_tiles, noise, border, output_range):
    kernel = np.random.default_rng(5).integers(-9, 10, (9, 11)).astype(float)
    kernel[kernel == 0] = 1  # 99 nonzero taps: above FFT_MIN_TAPS
    options = engine.JobOptions(kernel=kernel, weight=1 / 64, offset=3.0, border=border, output_range=output_range)
    assert Convolution(noise, options).path == "fft"
    check(noise, kernel, 1 / 64, 3.0, border, output_range)


def test_fft_tiles_with_an_awkward_weight_and_a_15x15_kernel(small_tiles):
    image = np.random.default_rng(2).integers(0, 256, (23, 30)).astype(np.uint8)
    kernel = np.random.default_rng(3).integers(1, 4, (15, 15)).astype(float)
    check(image, kernel, 1 / 9, -2.5, "reflect", "clamp")  # FFT sums, float64 finish


def test_fft_is_used_only_for_many_taps_on_integer_data(noise):
    big = np.ones((15, 15)) + np.eye(15)  # not of rank one
    assert Convolution(noise, engine.JobOptions(kernel=big)).path == "fft"
    assert Convolution(noise, engine.JobOptions(kernel=np.ones((5, 5)))).path == "separable"
    assert Convolution(noise, engine.JobOptions(kernel=np.arange(25.0).reshape(5, 5))).path == "integer"
    assert Convolution(noise, engine.JobOptions(kernel=big / 3)).path == "float-fft"
    assert Convolution(noise, engine.JobOptions(kernel=big / 3, output_range="raw")).path == "float"
    assert Convolution(noise.astype(np.float32), engine.JobOptions(kernel=big)).path == "float"


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), high=st.sampled_from([2, 50, 1000]),
       dtype=st.sampled_from([np.uint8, np.uint16]))
def test_random_big_kernels_on_the_fft_path_equal_the_reference(seed, high, dtype):
    rng = np.random.default_rng(seed)
    image = rng.integers(0, np.iinfo(dtype).max, (rng.integers(1, 20), rng.integers(1, 20)), endpoint=True)
    image = image.astype(dtype)
    kernel = rng.integers(-high, high, (rng.integers(9, 16), rng.integers(9, 16)), endpoint=True).astype(float)
    options = engine.JobOptions(kernel=kernel, border="symmetric", output_range="raw")
    got = engine.convolve(image, options)
    assert ref.as_float_lists(got) == ref.convolve(image, kernel, 1.0, 0.0, "symmetric", "raw")


# -- bands on several threads -----------------------------------------------------------------------------

@pytest.fixture
def threaded(monkeypatch):
    """Every job runs in parallel bands of about 5 rows (a multiple of 3 of them) on 3 threads."""
    monkeypatch.setattr(jobs, "PARALLEL_PIXELS", 1)
    monkeypatch.setattr(jobs, "THREADS", 3)
    monkeypatch.setattr(jobs, "CHUNK_PIXELS", 5 * 22)


@pytest.mark.parametrize("options", [
    engine.JobOptions(),
    engine.JobOptions(kernel=[[0.1, 0.2], [1 / 3, -1]], border="wrap", output_range="raw",
                      pool=engine.PoolOptions("avg", 3, 2)),
    engine.JobOptions(kernel=np.ones((5, 4)), weight=1 / 20, border="valid", pool=engine.PoolOptions("min", 3)),
    engine.JobOptions(kernel=engine.get_preset("Notebook: edges").kernel, lab=True),
], ids=["sobel-max", "float-avg-stride", "valid-min3", "lab"])
def test_threaded_bands_equal_the_reference(threaded, crop, options):
    result = engine.run_job(crop, options)
    if options.lab:
        conv = ref.lab_convolve(crop, options.kernel, options.weight)
        pooled = ref.lab_pool(conv)
    else:
        conv = ref.convolve(crop, options.kernel, options.weight, options.offset, options.border,
                            options.output_range)
        pooled = ref.pool(conv, options.pool.op, options.pool.size, options.pool.stride)
    assert ref.as_float_lists(result.convolved) == conv
    assert ref.as_float_lists(result.pooled) == pooled


def test_threaded_bands_really_run_on_other_threads(threaded, crop, monkeypatch):
    names = set()
    real = Convolution.compute
    two = threading.Event()

    def spy(self, *args):
        names.add(threading.current_thread().name)
        if len(names) >= 2:
            two.set()
        two.wait(5)  # a band holds its thread until another thread has taken a band too
        return real(self, *args)

    monkeypatch.setattr(Convolution, "compute", spy)
    engine.run_job(crop, engine.JobOptions())
    assert len(names) >= 2 and all(name.startswith("kernelscope-engine") for name in names)


@pytest.mark.parametrize("stop_after", [0, 1, 2])
def test_a_threaded_job_stops_once_the_bands_in_flight_are_done(threaded, crop, monkeypatch, stop_after):
    started, finished = [], []
    real = Convolution.compute

    def spy(self, *args):
        started.append(1)
        value = real(self, *args)
        finished.append(1)
        return value

    monkeypatch.setattr(Convolution, "compute", spy)
    seen = []
    with pytest.raises(engine.JobCancelled):
        engine.run_job(np.vstack([crop] * 3), engine.JobOptions(pool=None), progress=seen.append,
                       cancelled=lambda: len(seen) >= stop_after)
    assert len(seen) == stop_after
    assert len(started) <= jobs.THREADS * stop_after  # each resume hands out at most one band per thread
    assert len(finished) == len(started)  # nothing still writes once the job has stopped


def test_a_busy_thread_takes_fewer_bands(threaded, crop, monkeypatch):
    """Bands are handed out as threads come free, not in lockstep: a slow band does not hold the others."""
    names = []
    real = Convolution.compute
    slow = threading.Event()

    def spy(self, r0, r1, out):
        if r0 == 0:
            slow.wait(5)  # the first band waits until every other band is done
        names.append(r0)
        value = real(self, r0, r1, out)
        if len(names) == total - 1:
            slow.set()
        return value

    image = np.vstack([crop] * 3)
    total = len(jobs._bands(image.shape[0], image.shape[1]))
    monkeypatch.setattr(Convolution, "compute", spy)
    result = engine.run_job(image, engine.JobOptions(pool=None))
    assert names[-1] == 0 and slow.is_set()
    assert ref.as_float_lists(result.convolved) == ref.convolve(image, engine.JobOptions().kernel)


def test_an_error_in_a_threaded_band_reaches_the_caller_and_the_next_job_works(threaded, crop, monkeypatch):
    real = Convolution.compute

    def fail_once(self, r0, r1, out):
        if r0 <= 10 < r1:
            raise MemoryError("band 10")
        return real(self, r0, r1, out)

    monkeypatch.setattr(Convolution, "compute", fail_once)
    with pytest.raises(MemoryError, match="band 10"):
        engine.run_job(crop, engine.JobOptions(pool=None))
    monkeypatch.setattr(Convolution, "compute", real)
    assert np.array_equal(engine.run_job(crop, engine.JobOptions()).convolved, engine.convolve(crop, engine.JobOptions()))


# -- lab mode on the standard machinery -------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int32])
@pytest.mark.parametrize("kernel, weight", [
    ([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], 1.0),  # rank one: separable
    ([[0, 1, 0], [1, -4, 1], [0, 1, 0]], 0.3),  # integer taps, float64 finish
    ([[0.5, 0.25, 0], [1, -3, 2], [0, 0, 7]], 1 / 16),  # dyadic
    ([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, -0.9]], 1.0),  # not dyadic: the notebook's loop order
], ids=["sobel", "laplace-0.3", "dyadic", "float"])
def test_lab_mode_equals_the_notebook_loop_on_every_route(threaded, kernel, weight, dtype):
    image = np.random.default_rng(8).integers(0, 300 if dtype != np.uint8 else 256, (22, 26)).astype(dtype)
    options = engine.JobOptions(kernel=kernel, weight=weight, lab=True)
    assert (engine.lab.lab_interior(image, options) is None) == (kernel[0][0] == 0.1)
    result = engine.run_job(image, options)
    conv = ref.lab_convolve(image, kernel, weight)
    assert ref.as_float_lists(result.convolved) == conv
    assert ref.as_float_lists(result.pooled) == ref.lab_pool(conv)
    assert result.convolved.dtype == (np.uint8 if dtype == np.uint8 else np.int64)


@pytest.mark.parametrize("options", [
    engine.JobOptions(output_range="raw"),
    engine.JobOptions(kernel=[[-1, -2, -1], [0, 0, 0], [1, 2, 3]], weight=1 / 16, offset=-0.375, output_range="raw"),
    engine.JobOptions(kernel=[[0.1, -2.5], [1 / 3, 1]], border="wrap", output_range="raw", pool=None),
])
def test_raw_results_carry_their_exact_value_range(threaded, crop, options):
    result = engine.run_job(crop, options)
    want = ref.convolve(crop, options.kernel, options.weight, options.offset, options.border, "raw")
    assert ref.as_float_lists(result.convolved) == want
    assert result.convolved_range == (min(map(min, want)), max(map(max, want)))


def test_integer_results_carry_no_value_range(crop):
    assert engine.run_job(crop, engine.JobOptions()).convolved_range is None
    assert engine.run_job(crop, engine.JobOptions(lab=True)).convolved_range is None


def test_fft_false_gives_the_same_values_tap_by_tap(noise):
    kernel = np.random.default_rng(4).integers(-5, 6, (15, 15)).astype(float)
    options = engine.JobOptions(kernel=kernel, weight=1 / 64, border="symmetric", output_range="raw")
    assert Convolution(noise, options).path == "fft"
    assert Convolution(noise, options, fft=False).path == "integer"
    assert Convolution(noise, engine.JobOptions(kernel=np.ones((3, 3))), fft=True).path == "fft"
    want = ref.convolve(noise, kernel, 1 / 64, 0.0, "symmetric", "raw")
    assert ref.as_float_lists(engine.convolve(noise, options, fft=False)) == want
    assert ref.as_float_lists(engine.convolve(noise, options, fft=True)) == want
