"""The Keras/TensorFlow script: tf.nn.conv2d with HWIO weights (the layout keras.layers.Conv2D keeps its
kernel in) and tf.nn pooling, with the padding spelled out (tf.pad, or numpy.pad where TensorFlow has no
such border mode) and 'VALID' convolution.
"""

from __future__ import annotations

from ..options import JobOptions
from .parts import assemble, pad_function

EXACT = ("Its results equal Kernelscope's raw output up to float32 rounding (DTYPE); a clamped value can\n"
         "then differ by 1 where the exact value lies within that rounding of a whole number.")

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

CLAMP = ("return tf.cast(tf.clip_by_value(value, 0, 255), tf.uint8)[0, :, :, 0].numpy()  "
         "# clamp: clip, truncate")
RAW = "return tf.cast(value, tf.float32)[0, :, :, 0].numpy()  # raw: the signed values"

RELU = "return tf.nn.relu(tf.cast(value, tf.float32))[0, :, :, 0].numpy()  # relu: max(v, 0)"

LAB_CONVOLVE = '''
def convolve(image):
    """The notebook's loop: for x (the ROW) and y in 1..size-2, s = sum of i[x + b - 1, y + a - 1] *
    filter[a][b], so filter[a][b] multiplies the pixel b - 1 rows down and a - 1 columns right: the kernel
    acts transposed. No padding: the 1-pixel margin keeps the image's own pixels. s * weight, clamped,
    stored into the integer image."""
    out = image.astype(np.uint8 if image.dtype == np.uint8 else np.int64)  # margin: the image itself
    if min(image.shape) < 3:
        return out
    x = tf.constant(image.astype(np.float64), dtype=DTYPE)[None, :, :, None]  # NHWC
    filters = tf.constant(FILTER.T[:, :, None, None], dtype=DTYPE)  # transposed, HWIO
    s = tf.nn.conv2d(x, filters, strides=1, padding="VALID") * WEIGHT  # the (H - 2) x (W - 2) interior
    out[1:-1, 1:-1] = tf.cast(tf.clip_by_value(s, 0, 255), tf.int64)[0, :, :, 0].numpy()  # truncated
    return out
'''

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

LAB_POOL = '''
def pool(convolved):
    """The notebook's pooling: the maximum of each 2x2 window, stride 2 (its loop needs an even size)."""
    if convolved.shape[0] % 2 or convolved.shape[1] % 2:
        sys.exit("the notebook's pooling needs an even image size")
    x = tf.constant(convolved.astype(np.float64), dtype=DTYPE)[None, :, :, None]
    return tf.nn.max_pool2d(x, 2, 2, "VALID")[0, :, :, 0].numpy().astype(convolved.dtype)
'''


def pad(border: str, name: str = "pad") -> str:
    """The script's pad function for ``border``, on NHWC tensors."""
    return pad_function(border, "TensorFlow", NATIVE, LIMIT,
                        'tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], mode="{mode}")',
                        ("x.shape[1]", "x.shape[2]"),
                        'tf.constant(np.pad(x.numpy(), ((0, 0), (top, bottom), (left, right), (0, 0)), '
                        'mode="{mode}"))', name)


def write(options: JobOptions) -> str:
    if options.lab:
        body = [LAB_CONVOLVE] + ([LAB_POOL] if options.pool is not None else [])
        return assemble(options, "Keras / TensorFlow", EXACT, IMPORTS, body)
    body = []
    if options.border == "valid":
        padded, why, anchor = "x", "'valid' border: the output shrinks by kernel - 1", ""
    else:
        padded, why = "pad(x, TOP, BOTTOM, LEFT, RIGHT)", "pad() placed the border as TensorFlow's 'SAME' does"
        anchor = " with TensorFlow's 'SAME' anchor"
        body.append(pad(options.border))
    body.append(CONVOLVE.format(anchor=anchor, padded=padded, why=why,
                            finish={"clamp": CLAMP, "relu": RELU}.get(options.output_range, RAW)))
    if options.pool is not None:
        op = options.pool.op
        title = {"max": "Max", "min": "Min", "avg": "Average"}[op]
        body.append(POOL.format(title=title, layer=LAYERS[op], reduce=REDUCE[op]))
    return assemble(options, "Keras / TensorFlow", EXACT, IMPORTS, body)
