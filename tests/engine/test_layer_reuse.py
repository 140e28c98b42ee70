"""A layer job given the previous result copies the maps whose kernel slice and offset did not change
(engine.layer_jobs.reused_maps): every map, pooled map and the value range still equal the reference loops
(tests/engine/reference.py) bit for bit, and nothing is reused when anything shared by all maps changed."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.jobs import job_steps
from engine.layer_jobs import reused_maps

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
        pooled = [ref.pool(want[:, :, o], options.pool.op, options.pool.size) for o in range(want.shape[2])]
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
