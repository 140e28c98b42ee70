"""A layer in Keras / TensorFlow: tf.nn.conv2d with the HWIO kernel (keras.layers.Conv2D's layout),
strides and dilations, and TensorFlow's 'SAME' padding spelled out with tf.pad (or numpy.pad where
TensorFlow has no such border mode) before a 'VALID' convolution."""

from __future__ import annotations

from .keras_code import EXACT, IMPORTS, LAB_CONVOLVE, NAME, OUTPUT, pad
from .layer_parts import finish_function

HELPERS = ['''
def to_tensor(image):
    """An H x W or H x W x C array as a (1, H, W, C) tensor of DTYPE (TensorFlow's NHWC layout)."""
    x = tf.constant(np.asarray(image, dtype=np.float64), dtype=DTYPE)
    return x[None, :, :, None] if len(x.shape) == 2 else x[None]
''', '''
def to_image(y):
    """A (1, H, W, C) tensor as H x W (one channel) or H x W x C, as Kernelscope stores maps."""
    y = y[0].numpy()
    return y[:, :, 0] if y.shape[2] == 1 else y
''']

FINISH = finish_function(OUTPUT)

CONV2D = '''
def conv2d(image, kernel, weight, offset, stride, dilation, pad, output_range):
    """One layer: cross-correlation (tf.nn.conv2d does not flip the kernel) with TensorFlow's 'SAME'
    anchor, then weight, offset (one per output channel, like a bias) and the output range. ``pad`` places
    the border; None is 'valid'. The same layer in Keras: keras.layers.Conv2D(Cout, (kh, kw), strides=stride,
    dilation_rate=dilation, padding="valid", use_bias=False) with this HWIO kernel, after pad().

    A 2-D kernel filters each channel by itself; it is written as the HWIO kernel that is zero off the
    diagonal (output channel o reads channel o only), because tf.nn.depthwise_conv2d refuses unequal
    strides and strides with dilation."""
    x = to_tensor(image)  # (1, H, W, C)
    channels = x.shape[3]
    offsets, (top, bottom, left, right) = layer_plan((x.shape[1], x.shape[2], channels), kernel, offset, stride,
                                                     dilation, pad is not None)
    if kernel.ndim == 2:
        kernel = kernel[:, :, None, None] * np.eye(channels)
    if pad is not None:
        x = pad(x, top, bottom, left, right)
    s = tf.nn.conv2d(x, tf.constant(kernel, dtype=DTYPE), strides=stride, padding="VALID", dilations=dilation)
    value = s * weight + tf.constant(offsets, dtype=DTYPE)
    return to_image(finish(value, output_range))
'''

POOL2D = '''
def pool2d(image, op, size, stride):
    """Max, min or average pooling of each channel: size x size windows moved by stride, 'VALID': windows
    that do not fit are dropped (keras.layers.MaxPooling2D / AveragePooling2D(size, stride) do the same).
    Max and min keep the dtype; average gives float32."""
    x = to_tensor(image)
    if op == "avg":
        return to_image(tf.cast(tf.nn.avg_pool2d(x, size, stride, "VALID"), tf.float32))
    if op == "min":  # TensorFlow has no min pooling: the min is minus the max of the negated values
        return to_image(-tf.nn.max_pool2d(-x, size, stride, "VALID")).astype(image.dtype)
    return to_image(tf.nn.max_pool2d(x, size, stride, "VALID")).astype(image.dtype)
'''

RELU = '''
def relu(x):
    """max(v, 0) of every value, as float32 (tf.nn.relu)."""
    return to_image(tf.nn.relu(tf.cast(to_tensor(x), tf.float32)))
'''

__all__ = ["CONV2D", "RELU", "EXACT", "LAB_CONVOLVE", "FINISH", "HELPERS", "IMPORTS", "NAME", "POOL2D", "pad"]
