"""A layer job given the previous result copies the maps whose kernel slice and offset did not change
(engine.layer_jobs.reused_maps) and finishes the kept sums of maps whose slice did not change but whose
weight, offset or output range did (engine.layer_reuse): every map, pooled map and the value range still
equal the reference loops (tests/engine/reference.py) bit for bit, after any sequence of edits, and
nothing is reused when anything the sums depend on changed."""

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine import jobs, layer_jobs
from engine.jobs import job_steps
from engine.layer_jobs import reused_maps
from engine.layer_reuse import reuse

from . import reference as ref


def finish(steps):
    try:
        while True:
            next(steps)
    except StopIteration as done:
        return done.value


def bits(values):
    return [np.float64(v).tobytes() for v in np.asarray(values, dtype=np.float64).ravel()]


def assert_equals_reference(result, image, kernel, options):
    want = np.array(ref.layer(image, kernel, options.weight, options.offset, options.border, options.output_range,
                              options.stride, options.dilation), dtype=np.float64)
    assert bits(result.convolved) == bits(want)
    if options.pool is None:
        assert result.pooled is None
    else:
        pool = options.pool
        pooled = [ref.pool(want[:, :, o], pool.op, pool.size, pool.stride) for o in range(want.shape[2])]
        assert bits(result.pooled) == bits(np.moveaxis(np.array(pooled, dtype=np.float64), 0, -1))
    if options.output_range != "clamp":
        assert result.convolved_range == (float(want.min()), float(want.max()))


@settings(max_examples=40, deadline=None)
@given(data=st.data(), output_range=st.sampled_from(engine.OUTPUT_RANGES), pool=st.booleans(),
       border=st.sampled_from(["zero", "reflect", "valid"]), stride=st.integers(1, 2))
def test_an_edit_of_one_slice_equals_the_reference_loop(data, output_range, pool, border, stride):
    rng = np.random.default_rng(data.draw(st.integers(0, 1000)))
    image = rng.integers(0, 256, (9, 8, 2), dtype=np.uint8)
    values = [0.0, 1.0, -1.0, 2.0, 0.5, -0.25]
    kernel = rng.choice(values, size=(2, 3, 2, 4))
    offsets = tuple(float(v) for v in rng.choice([0.0, 1.5, -3.0], size=4))
    options = engine.JobOptions(kernel=kernel, offset=offsets, output_range=output_range, border=border,
                                stride=stride, pool=engine.PoolOptions() if pool else None)
    first = finish(job_steps(image, options))
    edited, o = kernel.copy(), data.draw(st.integers(0, 3))
    what = data.draw(st.sampled_from(["slice", "bias", "both"]))  # of map o
    if what != "bias":
        edited[data.draw(st.integers(0, 1)), data.draw(st.integers(0, 2)), data.draw(st.integers(0, 1)), o] += 3.0
    if what != "slice":
        offsets = offsets[:o] + (offsets[o] + 1.0,) + offsets[o + 1:]
    changed = options.with_changes(kernel=edited, offset=offsets)
    assert reused_maps(image, changed, first) == [m for m in range(4) if m != o]
    second = finish(job_steps(image, changed, first))
    assert_equals_reference(second, image, edited, changed)
    back = finish(job_steps(image, options, second))  # and back: the edited map computed again, others copied
    assert_equals_reference(back, image, kernel, options)


@pytest.mark.parametrize("change", [dict(weight=2.0), dict(border="edge"), dict(output_range="raw"),
                                    dict(stride=2), dict(pool=None), dict(flip=True)])
def test_nothing_is_reused_when_every_map_changes(change):
    image = np.arange(6 * 7 * 3, dtype=np.uint8).reshape(6, 7, 3)
    kernel = engine.fill_layer("Per-channel edge", [[1]], 3, 4)
    options = engine.JobOptions(kernel=kernel)
    first = finish(job_steps(image, options))
    assert reused_maps(image, options, first) == [0, 1, 2, 3]
    changed = options.with_changes(**change)
    assert reused_maps(image, changed, first) == []
    assert_equals_reference(finish(job_steps(image, changed, first)), image,
                            np.flip(kernel, (0, 1)) if changed.flip else kernel, changed)


def test_nothing_is_reused_from_another_image_or_a_result_not_made_by_a_layer_job():
    image = np.arange(6 * 7 * 3, dtype=np.uint8).reshape(6, 7, 3)
    options = engine.JobOptions(kernel=engine.fill_layer("Per-channel edge", [[1]], 3, 4))
    first = finish(job_steps(image, options))
    assert reused_maps(image.copy(), options, first) == []  # equal values, but another array
    made_elsewhere = engine.JobResult(image, options, first.convolved.copy(), None, 0.0)
    assert reused_maps(image, options, made_elsewhere) == []
    assert reused_maps(image, options, None) == []


@contextlib.contextmanager
def small_bands():
    """Bands of a row or two on two threads, and finishes of a few pixels at a time: the band and tile
    seams of a big image, on images small enough for the reference loops."""
    old = jobs.CHUNK_PIXELS, jobs.PARALLEL_PIXELS, jobs.THREADS, layer_jobs.FINISH_PIXELS
    jobs.CHUNK_PIXELS, jobs.PARALLEL_PIXELS, jobs.THREADS, layer_jobs.FINISH_PIXELS = 40, 1, 2, 7
    try:
        yield
    finally:
        jobs.CHUNK_PIXELS, jobs.PARALLEL_PIXELS, jobs.THREADS, layer_jobs.FINISH_PIXELS = old


WEIGHTS = [1.0, 1.1, 0.5, -2.0, 0.0, 1 / 3, 2.0, 0.25, -0.1, 1e6]
OFFSETS = [0.0, 1.5, -3.0, 0.1, 100.0, -0.0, 300.0]
POOLS = [None, engine.PoolOptions(), engine.PoolOptions("avg"), engine.PoolOptions("min", 3),
         engine.PoolOptions("max", 3, 2)]


@settings(max_examples=40, deadline=None)
@given(data=st.data(), sums=st.sampled_from(["integer", "integer", "float kernel", "float image"]),
       border=st.sampled_from(["zero", "edge", "valid"]), stride=st.integers(1, 2))
def test_any_sequence_of_edits_equals_a_fresh_reference_run_after_each(data, sums, border, stride):
    floats, float_image = sums == "float kernel", sums == "float image"
    rng = np.random.default_rng(data.draw(st.integers(0, 1000)))
    shape = (data.draw(st.integers(5, 9)), data.draw(st.integers(5, 9)), 2)
    image = rng.integers(0, 256, shape).astype(np.float32 if float_image else np.uint8)
    if float_image:
        image /= np.float32(7.0)
    values = [0.0, 1.0, -1.0, 2.0, 0.5, -0.25] + ([0.1, 1 / 3, -0.7] if floats else [])
    kernel = rng.choice(values, size=(2, 3, 2, 3))
    options = engine.JobOptions(kernel=kernel, offset=(0.0, 1.5, -3.0), output_range=data.draw(
        st.sampled_from(engine.OUTPUT_RANGES)), border=border, stride=stride, pool=data.draw(st.sampled_from(POOLS)))
    with small_bands():
        result = finish(job_steps(image, options))
        assert_equals_reference(result, image, kernel, options)
        for _ in range(data.draw(st.integers(1, 6))):
            what = data.draw(st.sampled_from(["weight", "bias", "cell", "output_range", "pool", "weight and bias"]))
            changes = {}
            if what.startswith("weight"):
                changes["weight"] = data.draw(st.sampled_from(WEIGHTS))
            if what.endswith("bias"):
                o = data.draw(st.integers(0, 2))
                offsets = list(options.offset_of(m) for m in range(3))
                offsets[o] = data.draw(st.sampled_from(OFFSETS))
                changes["offset"] = tuple(offsets)
            if what == "cell":
                kernel = kernel.copy()
                kernel[data.draw(st.integers(0, 1)), data.draw(st.integers(0, 2)), data.draw(st.integers(0, 1)),
                       data.draw(st.integers(0, 2))] = data.draw(st.sampled_from(values))
                changes["kernel"] = kernel
            if what == "output_range":
                changes["output_range"] = data.draw(st.sampled_from(engine.OUTPUT_RANGES))
            if what == "pool":
                changes["pool"] = data.draw(st.sampled_from(POOLS))
            options = options.with_changes(**changes)
            result = finish(job_steps(image, options, result))
            assert_equals_reference(result, image, kernel, options)


@pytest.mark.parametrize("change", [dict(weight=1.1), dict(weight=-0.5), dict(offset=(1.0, 2.0, -0.5, 0.25)),
                                    dict(output_range="raw"), dict(output_range="relu", weight=0.3),
                                    dict(output_range="raw", weight=-0.5), dict(output_range="relu", weight=-3.0),
                                    dict(pool=engine.PoolOptions("avg"))])
@pytest.mark.parametrize("entries", [[0.0, 1.0, -2.0, 0.5], [0.0, 1.0, -2.0, 0.5, 0.1]], ids=["integer", "float"])
def test_an_edit_of_what_the_sums_do_not_depend_on_sums_nothing(change, entries, monkeypatch):
    image = np.random.default_rng(1).integers(0, 256, (7, 9, 3), dtype=np.uint8)
    kernel = np.random.default_rng(2).choice(entries, size=(3, 3, 3, 4))
    options = engine.JobOptions(kernel=kernel)
    first = finish(job_steps(image, options))
    changed = options.with_changes(**change)
    assert reuse(image, changed, first) == ([], [0, 1, 2, 3])

    def no_sums(*_args):
        raise AssertionError("a layer was prepared: the sums were computed again")

    monkeypatch.setattr(layer_jobs, "prepare", no_sums)
    second = finish(job_steps(image, changed, first))
    assert_equals_reference(second, image, kernel, changed)
    third = finish(job_steps(image, options, second))  # and back, from the sums the second job passed on
    assert_equals_reference(third, image, kernel, options)


def test_sums_past_the_memory_budget_are_not_kept_and_an_edit_sums_again(monkeypatch):
    image = np.random.default_rng(3).integers(0, 256, (6, 8, 2), dtype=np.uint8)
    kernel = np.random.default_rng(4).choice([0.0, 1.0, -1.0, 0.25], size=(3, 3, 2, 3))
    options = engine.JobOptions(kernel=kernel, output_range="raw")
    monkeypatch.setattr(layer_jobs, "SUMS_BYTES", 6 * 8 * 3 * 2 - 1)  # one byte short of the int16 sums
    first = finish(job_steps(image, options))
    changed = options.with_changes(weight=0.75)
    assert reuse(image, changed, first) == ([], [])
    assert_equals_reference(finish(job_steps(image, changed, first)), image, kernel, changed)
