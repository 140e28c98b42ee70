"""Code export: the current options as a short, runnable Python script for NumPy, PyTorch or Keras/TensorFlow.

``script(options, "numpy")`` returns the text of a script that runs as ``python SCRIPT.py INPUT OUTPUT.npy
[POOLED.npy]``. The NumPy script repeats Kernelscope's arithmetic (engine.convolution's loop) and gives its
results bit for bit; the PyTorch and Keras scripts use their framework's convolution and pooling and give
them up to float32 rounding. Each spells out the border (explicit padding, in NumPy where the framework has
no such mode) and lab mode (the transposed kernel and the kept 1-pixel margin). Qt-free, like all of engine.

Layout: ``parts`` holds what every script shares (the constants block, the loader, ``main``, ``pad()``);
each framework module writes its ``convolve`` and ``pool``. Options the layer will gain (stride, dilation,
channels) belong in ``parts.constants`` (STRIDE, DILATION, the padding from engine.geometry's TF 'SAME'
rule) and in each module's convolution call (``stride=``/``dilation=`` for conv2d, ``strides=``/
``dilations=`` for tf.nn.conv2d, a strided slice in the NumPy loop).
"""

from __future__ import annotations

from ..errors import OptionsError
from ..options import JobOptions
from . import keras_code, numpy_code, torch_code

#: Framework name -> (what it is called in menus, the module that writes its script).
FRAMEWORKS = {
    "numpy": ("NumPy", numpy_code),
    "pytorch": ("PyTorch", torch_code),
    "keras": ("Keras / TensorFlow", keras_code),
}


def script(options: JobOptions, framework: str) -> str:
    """The script's text for ``framework`` (one of FRAMEWORKS); OptionsError names the choices otherwise."""
    if framework not in FRAMEWORKS:
        raise OptionsError(f"code export knows {', '.join(FRAMEWORKS)}, not {framework!r}")
    layer = [name for name, used in (("a layer kernel (kh x kw x Cin x Cout)", options.is_layer_kernel),
                                     ("a stride", options.stride != (1, 1)), ("a dilation", options.dilation != (1, 1)),
                                     ("one offset per output channel", isinstance(options.offset, tuple)))
             if used]
    if layer:
        raise OptionsError(f"code export does not write layers yet: these options have {', '.join(layer)}")
    # true convolution is correlation with the kernel turned 180 degrees: the script multiplies that kernel
    return FRAMEWORKS[framework][1].write(options.as_correlation())


__all__ = ["FRAMEWORKS", "script"]
