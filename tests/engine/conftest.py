import numpy as np
import pytest

import engine


@pytest.fixture(scope="session")
def ascent():
    return engine.load_image(engine.sample_path("ascent"))


@pytest.fixture(scope="session")
def crop(ascent):
    """A small, textured piece of ascent (fast enough for pure-Python reference loops)."""
    return np.ascontiguousarray(ascent[180:204, 240:262])
