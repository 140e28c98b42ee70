"""Pipeline runs as jobs: progress between chunks, cancellation by closing the generator (or a cancel flag),
and recomputing from layer L on: earlier outputs are the previous result's own arrays, later ones equal a
full run bit for bit."""

import numpy as np
import pytest

import engine
from engine.jobs import drive

STACK = engine.Pipeline((engine.ConvLayer.make(np.arange(9.0).reshape(3, 3) - 4), engine.ReluLayer(),
                         engine.PoolLayer(), engine.ConvLayer.make([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])))


#: A new layer for each position (for recomputing from it).
EDITS = {1: engine.PoolLayer(engine.PoolOptions("avg", 2, 1)), 2: engine.PoolLayer(engine.PoolOptions("min", 3)),
         3: engine.ConvLayer.make(np.ones((5, 5)) / 25, border="reflect")}


@pytest.fixture(scope="module")
def big():
    return np.random.default_rng(0).integers(0, 256, (1500, 1400), dtype=np.uint8)


def test_progress_rises_to_one_with_several_chunks_per_layer(big):
    fractions = []
    result = drive(engine.pipeline_steps(big, STACK), fractions.append)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and 0.0 < fractions[0] < 0.5
    assert len(fractions) > 2 * len(STACK)
    assert len(result.outputs) == 4 and result.start == 0


def test_closing_the_generator_cancels_between_chunks(big):
    steps = engine.pipeline_steps(big, STACK)
    fraction = next(steps)
    while fraction < 0.4:
        fraction = next(steps)
    steps.close()  # what the window's worker does for a newer request
    with pytest.raises(StopIteration):
        next(steps)


def test_a_cancel_flag_raises_job_cancelled(big):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(engine.JobCancelled):
        engine.run_pipeline(big, STACK, cancelled=cancelled)
    assert len(calls) == 4


@pytest.mark.parametrize("start", [1, 2, 3, 4])
def test_recompute_from_a_layer_keeps_the_earlier_outputs_and_equals_a_full_run(ascent, start):
    first = engine.run_pipeline(ascent, STACK)
    edited = STACK.with_layer(start, EDITS[start]) if start in EDITS else STACK  # 4: nothing left to compute
    again = engine.run_pipeline(ascent, edited, previous=first, start=start)
    full = engine.run_pipeline(ascent, edited)
    assert again.start == start
    for i in range(start):
        assert again.outputs[i] is first.outputs[i]
        assert again.ranges[i] == first.ranges[i] and again.seconds[i] == first.seconds[i]
    for i in range(start, len(edited)):
        assert again.outputs[i].dtype == full.outputs[i].dtype and np.array_equal(again.outputs[i], full.outputs[i])
        assert again.ranges[i] == full.ranges[i]


def test_a_last_layer_edit_recomputes_only_the_last_layer(ascent):
    first = engine.run_pipeline(ascent, STACK)
    edited = STACK.with_layer(3, engine.ConvLayer.make([[0, 1, 0], [1, -4, 1], [0, 1, 0]]))
    assert edited.first_difference(STACK) == 3
    result = drive(engine.pipeline_steps(ascent, edited, first, edited.first_difference(STACK)))
    assert result.outputs[:3] == first.outputs[:3] and result.outputs[3] is not first.outputs[3]


def test_first_difference():
    assert STACK.first_difference(None) == 0
    assert STACK.first_difference(STACK) == 4
    assert STACK.removed(3).first_difference(STACK) == 3
    assert STACK.moved(1, 2).first_difference(STACK) == 1


def test_reuse_is_refused_when_the_previous_result_does_not_match(ascent):
    first = engine.run_pipeline(ascent, STACK)
    with pytest.raises(engine.OptionsError, match="needs the previous result"):
        engine.run_pipeline(ascent, STACK, start=2)
    with pytest.raises(engine.OptionsError, match="other layers before layer 3"):
        engine.run_pipeline(ascent, STACK.with_layer(1, engine.PoolLayer()), previous=first, start=2)
    with pytest.raises(engine.OptionsError, match="another image"):
        engine.run_pipeline(ascent[::-1].copy(), STACK, previous=first, start=2)
    with pytest.raises(engine.OptionsError, match="start must be a layer index from 0 to 4"):
        engine.run_pipeline(ascent, STACK, previous=first, start=5)
    assert engine.run_pipeline(ascent.copy(), STACK, previous=first, start=2).outputs[1] is first.outputs[1]
