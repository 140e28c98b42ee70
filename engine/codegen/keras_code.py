"""The Keras/TensorFlow script: tf.nn.conv2d with HWIO weights (the layout keras.layers.Conv2D keeps its
kernel in) and tf.nn pooling, with the padding spelled out (tf.pad, or numpy.pad where TensorFlow has no
such border mode) and 'VALID' convolution.
"""

from __future__ import annotations

from ..options import JobOptions
from .parts import FLOAT32_EXACT, LAB_LOOP, LAB_POOLING, POOL_TITLES, finish_lines, pad_function, padded_convolve

NAME = "Keras / TensorFlow"

EXACT = FLOAT32_EXACT

IMPORTS = ("import sys\n\nimport numpy as np\nimport tensorflow as tf\n\n"
           "DTYPE = tf.float32  # tf.float64 gives Kernelscope's values up to float64 rounding")

NATIVE = {"zero": "CONSTANT", "reflect": "REFLECT", "symmetric": "SYMMETRIC"}
LIMIT = {"reflect": "<", "symmetric": "<="}

CONVOLVE = '''
def convolve(image):
    """Cross-correlation (tf.nn.conv2d does not flip the kernel){anchor},
    then weight and offset.

    The same layer in Keras: keras.layers.Conv2D(1, KERNEL.shape, padding="valid", use_bias=False) with
    its kernel set to the HWIO array below; Kernelscope multiplies by WEIGHT before adding OFFSET."""
    x = tf.constant(image.astype(np.float64), dtype=DTYPE)[None, :, :, None]  # NHWC: (1, H, W, 1)
    filters = tf.constant(KERNEL[:, :, None, None], dtype=DTYPE)  # HWIO: (kh, kw, in, out)
    # {why}
    s = tf.nn.conv2d({padded}, filters, strides=1, padding="VALID")
    value = s * WEIGHT + OFFSET
    {finish}
'''

#: The output range on ``value`` (a tensor): convolve's last line and a layer's finish.
OUTPUT = {"clamp": "tf.cast(tf.clip_by_value(value, 0, 255), tf.uint8)",
          "relu": "tf.nn.relu(tf.cast(value, tf.float32))", "raw": "tf.cast(value, tf.float32)"}
FINISHES = finish_lines(OUTPUT, "[0, :, :, 0].numpy()", clamp="clip, truncate", relu="max(v, 0)",
                        raw="the signed values")
VALID_WHY = "'valid' border: the output shrinks by kernel - 1"

LAB_CONVOLVE = LAB_LOOP.format(body='''\
    x = tf.constant(image.astype(np.float64), dtype=DTYPE)[None, :, :, None]  # NHWC
    filters = tf.constant(FILTER.T[:, :, None, None], dtype=DTYPE)  # transposed, HWIO
    s = tf.nn.conv2d(x, filters, strides=1, padding="VALID") * WEIGHT  # the (H - 2) x (W - 2) interior
    out[1:-1, 1:-1] = tf.cast(tf.clip_by_value(s, 0, 255), tf.int64)[0, :, :, 0].numpy()  # truncated''')

POOL = '''
def pool(convolved):
    """{title} pooling, POOL_SIZE x POOL_SIZE windows moved by POOL_STRIDE, 'VALID': windows that do not
    fit are dropped (keras.layers.{layer}(POOL_SIZE, POOL_STRIDE) does the same)."""
    x = tf.constant(convolved.astype(np.float64), dtype=DTYPE)[None, :, :, None]
    {reduce}
'''

REDUCE = {
    "max": "return tf.nn.max_pool2d(x, POOL_SIZE, POOL_STRIDE, \"VALID\")[0, :, :, 0].numpy().astype(convolved.dtype)",
    "min": "# TensorFlow has no min pooling: the min is minus the max of the negated values\n"
           "    y = -tf.nn.max_pool2d(-x, POOL_SIZE, POOL_STRIDE, \"VALID\")\n"
           "    return y[0, :, :, 0].numpy().astype(convolved.dtype)",
    "avg": "y = tf.nn.avg_pool2d(x, POOL_SIZE, POOL_STRIDE, \"VALID\")\n"
           "    return tf.cast(y, tf.float32)[0, :, :, 0].numpy()",
}
LAYERS = {"max": "MaxPooling2D", "min": "MaxPooling2D on -x", "avg": "AveragePooling2D"}

LAB_POOL = LAB_POOLING.format(body='''\
    x = tf.constant(convolved.astype(np.float64), dtype=DTYPE)[None, :, :, None]
    return tf.nn.max_pool2d(x, 2, 2, "VALID")[0, :, :, 0].numpy().astype(convolved.dtype)''')


def pad(border: str, name: str = "pad") -> str:
    """The script's pad function for ``border``, on NHWC tensors."""
    return pad_function(border, "TensorFlow", NATIVE, LIMIT,
                        'tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], mode="{mode}")',
                        ("x.shape[1]", "x.shape[2]"),
                        'tf.constant(np.pad(x.numpy(), ((0, 0), (top, bottom), (left, right), (0, 0)), '
                        'mode="{mode}"))', name)


def convolve(options: JobOptions) -> list[str]:
    """The script's pad (unless 'valid') and convolve functions."""
    return padded_convolve(options, CONVOLVE, pad, VALID_WHY, FINISHES)


def pool(op: str) -> str:
    """The script's pool function for ``op``."""
    return POOL.format(title=POOL_TITLES[op], layer=LAYERS[op], reduce=REDUCE[op])
