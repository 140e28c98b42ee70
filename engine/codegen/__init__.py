"""Code export: the current options as a short, runnable Python script for NumPy, PyTorch or Keras/TensorFlow.

``script(options, "numpy")`` returns the text of a script that runs as ``python SCRIPT.py INPUT OUTPUT.npy
[POOLED.npy]``. The NumPy script repeats Kernelscope's arithmetic (engine.convolution's and engine.layer's
loops) and gives its results bit for bit; the PyTorch and Keras scripts use their framework's convolution
and pooling and give them up to float32 rounding. Each spells out the border (explicit padding, in NumPy
where the framework has no such mode) and lab mode (the transposed kernel and the kept 1-pixel margin).
Qt-free, like all of engine.

Layout: ``parts`` holds what every script shares (the constants block, ``main``, ``pad()``), ``loaders`` the
image loaders; ``numpy_code``/``torch_code``/``keras_code`` write one 2-D kernel on a gray image (and lab
mode); ``layer_parts`` with ``numpy_layer``/``torch_layer``/``keras_layer`` write a layer: channels, an HWIO
or depthwise kernel, one offset per output channel, stride and dilation with TensorFlow's 'SAME' rule;
``pipelines`` a stack of conv, ReLU and pool layers (engine.Pipeline) with the same layer functions:
``pipeline_script(pipeline, "numpy")``.
"""

from __future__ import annotations

from .. import lab_rules
from ..errors import OptionsError
from ..options import JobOptions
from . import keras_code, keras_layer, layer_parts, numpy_code, numpy_layer, parts, pipelines, torch_code, torch_layer

#: Framework name -> (what it is called in menus, the module writing a 2-D kernel's script, a layer's).
FRAMEWORKS = {
    "numpy": ("NumPy", numpy_code, numpy_layer),
    "pytorch": ("PyTorch", torch_code, torch_layer),
    "keras": ("Keras / TensorFlow", keras_code, keras_layer),
}
#: How the script opens pictures: as 8-bit gray (Kernelscope's default) or as 3 colour channels.
CHANNELS = ("gray", "rgb")


def is_layer(options: JobOptions, channels: str = "gray") -> bool:
    """Does the script need the layer form (anything beyond one 2-D kernel with stride 1 on a gray image)?"""
    return not options.lab and (channels == "rgb" or options.is_layer_kernel or options.stride != (1, 1)
                                or options.dilation != (1, 1) or isinstance(options.offset, tuple))


def _check(framework: str, channels: str) -> None:
    if framework not in FRAMEWORKS:
        raise OptionsError(f"code export knows {', '.join(FRAMEWORKS)}, not {framework!r}")
    if channels not in CHANNELS:
        raise OptionsError(f"pictures open as gray or rgb, not {channels!r}")


def script(options: JobOptions, framework: str, channels: str = "gray") -> str:
    """The script's text for ``framework`` (one of FRAMEWORKS), opening pictures as ``channels`` (gray or
    rgb; a .npy is used as stored); OptionsError names the choices otherwise."""
    _check(framework, channels)
    if options.lab and channels == "rgb":
        lab_rules.check_channels((1, 1, 3))  # the notebook's loop takes one gray image: its refusal, as apply's
    # true convolution is correlation with the kernel turned 180 degrees: the script multiplies that kernel
    options = options.as_correlation()
    _, plain, layer = FRAMEWORKS[framework]
    if is_layer(options, channels):
        return layer_parts.write(options, layer, channels)
    return parts.write(options, plain)


def pipeline_script(pipeline, framework: str, channels: str = "gray") -> str:
    """The script running ``pipeline`` (engine.Pipeline) in ``framework``, opening pictures as ``channels``;
    it saves the last layer's output and, asked, every layer's. OptionsError says why it cannot be written."""
    _check(framework, channels)
    return pipelines.pipeline_script(pipeline, FRAMEWORKS[framework][2], channels)


__all__ = ["CHANNELS", "FRAMEWORKS", "is_layer", "pipeline_script", "script"]
