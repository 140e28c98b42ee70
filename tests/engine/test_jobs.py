import threading

import numpy as np
import pytest

import engine
from engine import jobs

from . import reference as ref


def test_a_job_gives_the_same_result_as_convolve_then_pool(crop):
    options = engine.JobOptions(kernel=engine.get_preset("Sobel x").kernel, pool=engine.PoolOptions("avg", 3, 2))
    result = engine.run_job(crop, options)
    conv = engine.convolve(crop, options)
    assert np.array_equal(result.convolved, conv)
    assert np.array_equal(result.pooled, engine.pool(conv, options.pool))
    assert result.options is options and result.seconds >= 0


def test_progress_rises_to_one_in_chunks(monkeypatch, ascent):
    monkeypatch.setattr(jobs, "CHUNK_PIXELS", 512 * 64)  # 8 chunks of 64 rows
    seen = []
    engine.run_job(ascent, engine.JobOptions(), progress=seen.append)
    assert len(seen) >= 8
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_cancel_stops_the_job_within_one_chunk(monkeypatch, ascent):
    monkeypatch.setattr(jobs, "CHUNK_PIXELS", 512 * 16)
    seen = []
    flag = threading.Event()

    def progress(fraction):
        seen.append(fraction)
        if len(seen) == 3:
            flag.set()

    with pytest.raises(engine.JobCancelled):
        engine.run_job(ascent, engine.JobOptions(), progress=progress, cancelled=flag.is_set)
    assert len(seen) == 3  # no chunk ran after the flag was set


def test_job_steps_is_a_generator_that_returns_the_result(crop):
    steps = engine.job_steps(crop, engine.JobOptions(pool=None))
    fractions = []
    try:
        while True:
            fractions.append(next(steps))
    except StopIteration as done:
        result = done.value
    assert fractions[-1] == 1.0 and result.pooled is None


def test_lab_job_fails_before_any_work_on_odd_sizes():
    steps = engine.job_steps(np.zeros((7, 8), np.uint8), engine.JobOptions(lab=True))
    with pytest.raises(engine.LabModeError):
        next(steps)


JOB_OPTIONS = [
    engine.JobOptions(),
    engine.JobOptions(kernel=[[0.1, 0.2], [1 / 3, -1]], border="wrap", output_range="raw",
                      pool=engine.PoolOptions("avg", 3, 2)),
    engine.JobOptions(kernel=np.ones((5, 4)), weight=1 / 20, border="valid", pool=engine.PoolOptions("min", 2, 1)),
    engine.JobOptions(kernel=engine.get_preset("Sobel y").kernel, border="symmetric", pool=None),
    engine.JobOptions(kernel=engine.get_preset("Notebook: edges").kernel, lab=True),
    engine.JobOptions(kernel=[[1, 2, 1], [0, 0, 0], [-1, -2, -1]], weight=0.3, lab=True, pool=None),
]


@pytest.mark.parametrize("options", JOB_OPTIONS, ids=range(len(JOB_OPTIONS)))
@pytest.mark.parametrize("chunk", [1, 7, 23 * 5, 1 << 18])
def test_chunked_jobs_equal_the_reference_whatever_the_chunk_size(monkeypatch, crop, options, chunk):
    monkeypatch.setattr(jobs, "CHUNK_PIXELS", chunk)
    result = engine.run_job(crop, options)
    if options.lab:
        conv = ref.lab_convolve(crop, options.kernel, options.weight)
        pooled = ref.lab_pool(conv) if options.pool else None
    else:
        conv = ref.convolve(crop, options.kernel, options.weight, options.offset, options.border, options.output_range)
        pooled = ref.pool(conv, options.pool.op, options.pool.size, options.pool.stride) if options.pool else None
    assert ref.as_float_lists(result.convolved) == conv
    assert (result.pooled is None) == (pooled is None)
    if pooled is not None:
        assert ref.as_float_lists(result.pooled) == pooled
    # and the same as the one-shot calls
    assert np.array_equal(result.convolved, engine.convolve(crop, options))
    if options.pool is not None:
        assert np.array_equal(result.pooled, engine.pool(result.convolved, options.pool))


@pytest.mark.parametrize("options", [engine.JobOptions(), engine.JobOptions(lab=True)], ids=["standard", "lab"])
def test_progress_strictly_increases_and_ends_at_exactly_one(monkeypatch, ascent, options):
    monkeypatch.setattr(jobs, "CHUNK_PIXELS", 512 * 32)
    seen = []
    engine.run_job(ascent, options, progress=seen.append)
    assert len(seen) >= 16
    assert all(0 < a < b for a, b in zip(seen, seen[1:])) and seen[-1] == 1.0


@pytest.mark.parametrize("options", [engine.JobOptions(), engine.JobOptions(lab=True)], ids=["standard", "lab"])
@pytest.mark.parametrize("stop_after", [0, 1, 5])
def test_cancel_raises_job_cancelled_within_one_chunk(monkeypatch, ascent, options, stop_after):
    monkeypatch.setattr(jobs, "CHUNK_PIXELS", 512 * 16)
    chunks = []
    real_compute = jobs.Convolution.compute
    real_lab_rows = jobs.lab_rows

    def counted_compute(self, *args):
        chunks.append(1)
        return real_compute(self, *args)

    def counted_lab_rows(*args):
        chunks.append(1)
        return real_lab_rows(*args)

    monkeypatch.setattr(jobs.Convolution, "compute", counted_compute)
    monkeypatch.setattr(jobs, "lab_rows", counted_lab_rows)
    seen = []
    with pytest.raises(engine.JobCancelled):
        engine.run_job(ascent, options, progress=seen.append, cancelled=lambda: len(seen) >= stop_after)
    assert len(seen) == stop_after and len(chunks) == stop_after  # not one chunk more once the flag is up


def test_a_cancelled_job_can_be_followed_by_a_fresh_one(crop):
    with pytest.raises(engine.JobCancelled):
        engine.run_job(crop, engine.JobOptions(), cancelled=lambda: True)
    assert np.array_equal(engine.run_job(crop, engine.JobOptions()).convolved, engine.convolve(crop, engine.JobOptions()))


def test_a_job_rejects_bad_images_with_image_errors():
    for bad in (np.zeros((0, 4)), np.zeros((2, 2, 5)), np.zeros((2, 2, 3, 1)), np.array([[np.nan]]), np.array([[1 + 2j]])):
        with pytest.raises(engine.ImageError):
            engine.run_job(bad, engine.JobOptions())


def test_the_engine_never_imports_qt():
    import subprocess
    import sys
    code = ("import sys, engine, engine.cli, engine.jobs, engine.explain, engine.sessions; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', "
            "'pyqtgraph', 'superqt', 'qtpy')]; print(bad); sys.exit(1 if bad else 0)")
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


# -- output arrays reused once nobody holds them (engine.buffers) -------------------------------------------

def _address(array):
    return array.__array_interface__["data"][0]


def test_the_pool_hands_an_array_out_again_only_when_nobody_holds_it():
    pool = engine.buffers.OutputBuffers(keep=2, min_bytes=0)
    a, b = pool.empty((4, 5), np.float32), pool.empty((4, 5), np.float32)
    assert not np.shares_memory(a, b)
    view, address = a[1:, 2:], _address(a)
    del a
    c = pool.empty((4, 5), np.float32)  # a is still readable through its view
    assert not np.shares_memory(c, view) and not np.shares_memory(c, b)
    del view
    assert _address(pool.empty((4, 5), np.float32)) == address  # released: reused
    assert pool.empty((5, 4), np.float32).shape == (5, 4) and pool.empty((4, 5), np.uint8).dtype == np.uint8


def test_the_pool_remembers_few_arrays_and_no_small_ones():
    import weakref
    pool = engine.buffers.OutputBuffers(keep=2, min_bytes=100)
    assert pool.empty((3, 3), np.uint8).shape == (3, 3) and len(pool._buffers) == 0  # 9 bytes: not kept
    held = [pool.empty(shape, np.float32) for shape in [(20, 20), (21, 20), (22, 20), (23, 20)]]
    assert len(pool._buffers) == 2
    first = weakref.ref(held[0])
    del held
    assert first() is None  # an array the pool forgot is freed as soon as its holder lets go


@pytest.fixture
def pooled_outputs(monkeypatch):
    """Every output array goes through a fresh pool, small ones included."""
    pool = engine.buffers.OutputBuffers(keep=3, min_bytes=0)
    monkeypatch.setattr(jobs, "OUTPUTS", pool)
    return pool


def test_a_result_someone_holds_is_never_overwritten_by_later_jobs(pooled_outputs, crop):
    shown = engine.run_job(crop, engine.JobOptions(output_range="raw", kernel=[[0.1, -1], [1 / 3, 2]]))
    on_screen, pooled = shown.convolved[2:, :], shown.pooled  # e.g. an image item holds a view
    before = on_screen.copy(), pooled.copy()
    del shown
    for kernel in ([[1, 0], [0, -1]], [[0.7, 0.2], [0.1, 5]], [[-1, 1], [1, 1]]):
        later = engine.run_job(crop, engine.JobOptions(output_range="raw", kernel=kernel))
        assert not np.shares_memory(later.convolved, on_screen) and not np.shares_memory(later.pooled, pooled)
    assert np.array_equal(on_screen, before[0]) and np.array_equal(pooled, before[1])


def test_released_outputs_are_reused_and_still_give_the_reference_values(pooled_outputs, crop):
    first = engine.run_job(crop, engine.JobOptions(output_range="raw", kernel=[[0.3, -2], [1, 9]]))
    addresses = {_address(first.convolved), _address(first.pooled)}
    del first
    options = engine.JobOptions(output_range="raw", kernel=[[0.1, 0.2], [1 / 3, -1]], border="wrap")
    second = engine.run_job(crop, options)
    assert {_address(second.convolved), _address(second.pooled)} == addresses
    want = ref.convolve(crop, options.kernel, 1.0, 0.0, "wrap", "raw")
    assert ref.as_float_lists(second.convolved) == want
    assert ref.as_float_lists(second.pooled) == ref.pool(want, "max", 2)
    assert second.convolved_range == (min(map(min, want)), max(map(max, want)))


def test_a_cancelled_jobs_output_is_reused(pooled_outputs, monkeypatch, ascent):
    monkeypatch.setattr(jobs, "CHUNK_PIXELS", 512 * 16)
    options = engine.JobOptions(output_range="raw", pool=None)
    with pytest.raises(engine.JobCancelled):
        engine.run_job(ascent, options, progress=lambda f: None, cancelled=iter([False, True]).__next__)
    assert len(pooled_outputs._buffers) == 1
    address = _address(pooled_outputs._buffers[0])
    assert _address(engine.run_job(ascent, options).convolved) == address


def test_lab_mode_outputs_keep_their_margin_in_a_reused_array(pooled_outputs, crop):
    garbage = engine.run_job(crop, engine.JobOptions(kernel=np.full((3, 3), 9.0), pool=None)).convolved
    del garbage  # a released array full of 255s
    options = engine.JobOptions(kernel=engine.get_preset("Notebook: edges").kernel, lab=True)
    assert engine.run_job(crop, options).convolved.tolist() == ref.lab_convolve(crop, options.kernel, 1.0)
