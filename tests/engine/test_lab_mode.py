import numpy as np
import pytest

import engine

from . import reference as ref

NOTEBOOK_FILTERS = [p for p in engine.PRESETS if p.name.startswith("Notebook")]


def lab(**changes):
    return engine.JobOptions(lab=True, pool=engine.LAB_POOL, **changes)


def test_the_three_notebook_filters_are_presets():
    assert [p.kernel for p in NOTEBOOK_FILTERS] == [
        ((0, 1, 0), (1, -4, 1), (0, 1, 0)),
        ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),
        ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),
    ]


@pytest.mark.parametrize("preset", NOTEBOOK_FILTERS, ids=lambda p: p.name)
def test_lab_mode_reproduces_the_notebook_on_ascent_bit_for_bit(ascent, preset):
    result = engine.run_job(ascent, lab(kernel=preset.kernel, weight=preset.weight))
    want = ref.lab_convolve(ascent, preset.kernel, preset.weight)
    assert result.convolved.tolist() == want
    assert result.pooled.tolist() == ref.lab_pool(want)
    assert result.pooled.shape == (256, 256)


def test_lab_mode_with_a_fractional_weight_matches_the_notebook(crop):
    kernel = [[1, 1, 1], [1, 2, 1], [1, 1, 1]]  # the notebook's example: weights add up to 10, weight .1
    got = engine.convolve(crop, lab(kernel=kernel, weight=0.1))
    assert got.tolist() == ref.lab_convolve(crop, kernel, 0.1)


def test_lab_mode_applies_the_kernel_transposed():
    image = np.arange(25, dtype=np.uint8).reshape(5, 5)
    kernel = [[0, 0, 1], [0, 0, 0], [0, 0, 0]]  # filter[0][2]: the notebook multiplies i[x+2-1, y+0-1]
    got = engine.convolve(image, lab(kernel=kernel))
    assert got[2, 2] == image[3, 1]  # one row down, one column left: transposed from "top right"
    standard = engine.convolve(image, engine.JobOptions(kernel=kernel))
    assert standard[2, 2] == image[1, 3]  # standard mode: top right as written


def test_lab_mode_keeps_the_one_pixel_margin():
    image = np.full((6, 8), 77, dtype=np.uint8)
    got = engine.convolve(image, lab(kernel=np.zeros((3, 3))))
    assert (got[1:-1, 1:-1] == 0).all()
    assert (got[0] == 77).all() and (got[-1] == 77).all() and (got[:, 0] == 77).all() and (got[:, -1] == 77).all()


def test_lab_mode_refuses_kernels_that_are_not_3x3():
    with pytest.raises(engine.OptionsError, match="only handles 3x3"):
        lab(kernel=np.ones((5, 5)))


def test_lab_mode_refuses_other_pooling():
    with pytest.raises(engine.OptionsError, match="2x2 windows, stride 2"):
        engine.JobOptions(lab=True, pool=engine.PoolOptions("avg", 2))


def test_lab_pooling_on_odd_sizes_says_why_instead_of_a_wrong_image():
    with pytest.raises(engine.LabModeError, match="odd sizes; this image is 5x6"):
        engine.run_job(np.zeros((5, 6), np.uint8), lab())


def test_lab_mode_without_pooling_runs_on_odd_sizes():
    image = np.arange(35, dtype=np.uint8).reshape(5, 7)
    result = engine.run_job(image, engine.JobOptions(lab=True, pool=None))
    assert result.pooled is None
    assert result.convolved.tolist() == ref.lab_convolve(image, engine.JobOptions().kernel, 1.0)


def test_lab_mode_refuses_fractional_images():
    with pytest.raises(engine.LabModeError, match="integer images"):
        engine.convolve(np.full((4, 4), 0.5), lab())


def test_lab_mode_on_images_too_small_for_the_loop_copies_them():
    image = np.array([[5, 6]], dtype=np.uint8)
    assert engine.convolve(image, lab()).tolist() == [[5, 6]]
