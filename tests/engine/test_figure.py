"""engine.figure: what a handout figure shows, and what it refuses."""

import numpy as np
import pytest

import engine
from engine.figure import figure_images, kernel_cells


def test_figure_shows_the_engine_arrays_of_a_one_kernel_job():
    image = np.arange(48, dtype=np.uint8).reshape(6, 8)
    result = engine.run_job(image, engine.JobOptions(kernel=[[0, 1], [1, 0]]))
    images = figure_images(result, "ramp")
    assert len(images) == 3  # input, convolved, pooled
    assert kernel_cells(result) == [["0", "1"], ["1", "0"]]


@pytest.mark.parametrize("options", [
    engine.JobOptions(kernel=np.ones((3, 3, 3, 2)), output_range="raw"),  # a layer: two maps
    engine.JobOptions(kernel=[[1, 0], [0, -1]], output_range="raw"),     # depthwise on colour: three maps
])
def test_figure_refuses_results_with_several_maps_with_a_reason(options):
    image = np.random.default_rng(0).integers(0, 256, (6, 8, 3)).astype(np.uint8)
    with pytest.raises(engine.OptionsError, match="single-channel"):
        figure_images(engine.run_job(image, options))
