"""Explaining any layer's pixel: the stored value equals the pipeline's output bit for bit, and every
position a term, a window cell or a ReLU names holds, in the layer below, the value the explanation used."""

import numpy as np
import pytest
from hypothesis import given, settings

import engine
from tests.engine.test_receptive_field import cases


def below(image, result, layer):
    return image if layer == 0 else result.outputs[layer - 1]


def value(array, pos, channel):
    return float(array[pos] if array.ndim == 2 else array[pos[0], pos[1], channel])


def check_pixel(image, pipeline, result, layer, row, col, channel):
    explanation = engine.explain_layer_pixel(image, pipeline, result, layer, row, col, channel)
    out, source = result.outputs[layer], below(image, result, layer)
    stored = explanation.result if isinstance(explanation, engine.PoolExplanation) else explanation.stored
    assert stored == value(out, (row, col), channel)
    if isinstance(explanation, engine.PixelExplanation):
        for term in explanation.terms:
            if term.source_pos is not None:
                assert term.value == value(source, term.source_pos, term.channel)
            else:
                assert term.value == 0.0
    elif isinstance(explanation, engine.PoolExplanation):
        for pos, v in explanation.cells:
            assert v == value(source, pos, channel)
    else:
        assert explanation.value == value(source, explanation.source_pos, channel)
    return explanation


@pytest.mark.parametrize("name", list(engine.PIPELINE_PRESETS))
def test_every_pixel_of_every_preset_layer_explains_to_its_stored_value(crop, name):
    pipeline = engine.PIPELINE_PRESETS[name]
    result = engine.run_pipeline(crop, pipeline)
    for layer, out in enumerate(result.outputs):
        for channel in range(1 if out.ndim == 2 else out.shape[2]):
            for row in range(out.shape[0]):
                for col in range(out.shape[1]):
                    check_pixel(crop, pipeline, result, layer, row, col, channel)


@settings(max_examples=60, deadline=None)
@given(cases(positive=False))
def test_random_pipelines_explain_to_the_bulk_output(case):
    pipeline, shape, layer, row, col, seed = case
    image = np.random.default_rng(seed).normal(0, 100, shape).round(1)
    result = engine.run_pipeline(image, pipeline)
    check_pixel(image, pipeline, result, layer, row, col, 0)


def test_lab_pipeline_explains_the_notebooks_loops(crop):
    pipeline = engine.Pipeline.from_job(engine.JobOptions(lab=True))
    result = engine.run_pipeline(crop, pipeline)
    conv = check_pixel(crop, pipeline, result, 0, 3, 4, 0)
    assert conv.lab and len(conv.terms) == 9
    pooled = check_pixel(crop, pipeline, result, 1, 2, 3, 0)
    assert [pos for pos, _ in pooled.cells] == [(4, 6), (4, 7), (5, 6), (5, 7)]


def test_relu_explanation_names_its_input_pixel():
    x = np.array([[-3.0, 2.5]])
    pipeline = engine.Pipeline((engine.ReluLayer(),))
    result = engine.run_pipeline(x, pipeline)
    e = engine.explain_layer_pixel(x, pipeline, result, 0, 0, 0)
    assert (e.source_pos, e.value, e.stored) == ((0, 0), -3.0, 0.0)
    assert "max(in[0, 0] -3, 0) -> 0" in e.describe()


def test_a_result_of_another_pipeline_is_refused(crop):
    notebook, edges = engine.PIPELINE_PRESETS["The notebook"], engine.PIPELINE_PRESETS["Edges of edges"]
    result = engine.run_pipeline(crop, notebook)
    with pytest.raises(engine.OptionsError, match=r"not made by this pipeline up to layer 1 \(conv 3x3\)"):
        engine.explain_layer_pixel(crop, edges, result, 0, 0, 0)
    with pytest.raises(engine.OptionsError, match="output channel 1 does not exist"):
        engine.explain_layer_pixel(crop, notebook, result, 1, 0, 0, channel=1)
