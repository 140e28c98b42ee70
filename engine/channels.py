"""Images with channels: H x W (one channel) or H x W x C (C = 1 to 4), treated alike by the layer code.

engine.images loads and checks them (``load_image(path, channels="rgb")``, ``check_channels_image``).
"""

from __future__ import annotations

import numpy as np

from .images import MAX_CHANNELS, check_channels_image

__all__ = ["MAX_CHANNELS", "channel", "channel_count", "check_channels_image"]


def channel_count(image: np.ndarray) -> int:
    """1 for an H x W image, C for H x W x C."""
    return 1 if image.ndim == 2 else image.shape[2]


def channel(image: np.ndarray, number: int) -> np.ndarray:
    """Channel ``number`` of the image as H x W (the image itself when it is 2-D)."""
    return image if image.ndim == 2 else image[:, :, number]
