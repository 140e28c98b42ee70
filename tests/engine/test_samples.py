"""The built-in samples: a sample stored decoded (engine.resources.DECODED) is exactly its picture, so the
window's first image is the same whichever file it comes from."""

import numpy as np
import pytest

import engine
from engine.resources import DECODED, load_sample, resource_path, sample_names


@pytest.mark.parametrize("name", sorted(DECODED))
def test_a_decoded_sample_equals_its_picture_decoded_by_pillow(name):
    from PIL import Image

    with Image.open(engine.sample_path(name)) as picture:
        assert picture.mode == "L"  # 8-bit gray: Pillow's pixels are the image as is
        pillow = np.asarray(picture)
    decoded = load_sample(name)
    assert decoded.dtype == np.uint8 and decoded.shape == pillow.shape
    assert np.array_equal(decoded, pillow)


@pytest.mark.parametrize("name", sample_names())
@pytest.mark.parametrize("channels", ["gray", "rgb"])
def test_every_sample_loads_as_load_image_loads_its_picture(name, channels):
    expected = engine.load_image(engine.sample_path(name), channels=channels)
    got = load_sample(name, channels)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)


def test_loading_the_decoded_sample_does_not_import_pillow():
    import subprocess
    import sys

    code = "import sys, engine; engine.load_sample('ascent'); print('PIL' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=resource_path().parent)
    assert out.stdout.strip() == "False", out.stderr


def test_an_unknown_sample_is_refused_with_the_names_there_are():
    with pytest.raises(engine.ImageError, match="ascent"):
        load_sample("nope")
