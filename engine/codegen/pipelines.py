"""Code export of a stack of layers (engine.Pipeline, issue 15): one script that runs the conv, ReLU and pool
layers in order with the framework's layer functions (the ``*_layer`` modules), and saves the last layer's
output (and, asked, every layer's). The NumPy script gives engine.run_pipeline's outputs bit for bit."""

from __future__ import annotations

from ..errors import OptionsError
from ..pipeline import ConvLayer, Pipeline, PoolLayer, ReluLayer
from . import layer_parts
from .loaders import LOADERS
from .parts import constants as plain_constants
from .parts import describe as plain_describe
from .parts import DESCRIBED, joined, script_docstring

USAGE = "python SCRIPT.py INPUT OUTPUT.npy [--save-layers DIR]"

MAIN = '''
def main(argv):
    if len(argv) != 3 and not (len(argv) == 5 and argv[3] == "--save-layers"):
        sys.exit("usage: " + __doc__.split("\\n\\n")[1].strip())
    outputs = run({load}(argv[1]))
    np.save(argv[2], outputs[-1])
    print(f"layer {{len(outputs)}} (the last): {{described(outputs[-1])}} -> {{argv[2]}}")
    if len(argv) == 5:
        os.makedirs(argv[4], exist_ok=True)
        for name, output in zip(LAYER_FILES, outputs):
            np.save(os.path.join(argv[4], name), output)
            print(f"{{name[:-4]}}: {{described(output)}} -> {{os.path.join(argv[4], name)}}")


{described}


if __name__ == "__main__":
    main(sys.argv)
'''


def _check(pipeline: Pipeline) -> None:
    if not isinstance(pipeline, Pipeline):
        raise OptionsError(f"expected an engine.Pipeline, not {type(pipeline).__name__}")
    if not pipeline.layers:
        raise OptionsError("the pipeline has no layers: there is nothing to export")


def _is_lab(layer) -> bool:
    return isinstance(layer, ConvLayer) and layer.options.lab


def _about(pipeline: Pipeline) -> list[str]:
    """A line (or a few) per layer for the docstring."""
    lines = []
    for number, layer in enumerate(pipeline.layers, 1):
        if isinstance(layer, ConvLayer):
            options = layer.options
            details = plain_describe(options)[:3] if options.lab else layer_parts.layer_lines(options)
            lines.append(f"layer {number}, {layer.label}: {details[0]}")
            lines += [f"    {line}" for line in details[1:]]
        elif isinstance(layer, PoolLayer):
            pool = layer.pool
            lines.append(f"layer {number}, {layer.label}: {pool.op} of {pool.size}x{pool.size} windows, stride "
                         f"{pool.step}, 'valid' (windows that do not fit are dropped)")
        else:
            lines.append(f"layer {number}, ReLU: max(v, 0) of every value, as float32")
    return lines


def _call(number: int, layer, pads: dict[str, str]) -> str:
    n = f"_{number}"
    if _is_lab(layer):
        return f"lab_conv{n}(x)"
    if isinstance(layer, ConvLayer):
        pad = pads.get(layer.options.border, "None")
        return f"conv2d(x, KERNEL{n}, WEIGHT{n}, OFFSET{n}, STRIDE{n}, DILATION{n}, {pad}, OUTPUT_RANGE{n})"
    if isinstance(layer, ReluLayer):
        return "relu(x)"
    return f'pool2d(x, "{layer.pool.op}", {layer.pool.size}, {layer.pool.step})'


def _run_function(pipeline: Pipeline, pads: dict[str, str]) -> str:
    lines = ["def run(image):",
             '    """Every layer\'s output, in order: layer 1 reads the image (H x W x 1 as H x W), each next layer',
             '    the output before it."""',
             "    x = image[:, :, 0] if image.ndim == 3 and image.shape[2] == 1 else image",
             "    outputs = []"]
    previous = None
    for number, layer in enumerate(pipeline.layers, 1):
        if _is_lab(layer):  # the refusals of engine.output_shapes: the notebook's loops take one even gray image
            lines.append(f'    if x.ndim == 3:\n        sys.exit("layer {number} runs the notebook\'s loop on one gray '
                         'image; its input has channels")')
        if isinstance(layer, PoolLayer) and _is_lab(previous):
            lines.append('    if x.shape[0] % 2 or x.shape[1] % 2:\n        sys.exit("the notebook\'s pooling needs '
                         'an even image size")')
        lines += [f"    x = {_call(number, layer, pads)}  # layer {number}: {layer.label}", "    outputs.append(x)"]
        previous = layer
    lines.append("    return outputs")
    return "\n".join(lines)


def _renamed(text: str, number: int) -> str:
    """A lab-mode template's constants and function named after layer ``number``."""
    return (text.replace("FILTER", f"FILTER_{number}").replace("WEIGHT", f"WEIGHT_{number}")
            .replace("def convolve(", f"def lab_conv_{number}(").replace("(see convolve)", f"(see lab_conv_{number})"))


def _constants(layers: list) -> str:
    blocks = []
    for number, layer in enumerate(layers, 1):
        if _is_lab(layer):
            blocks.append(f"# layer {number}: {layer.label}\n" + _renamed(plain_constants(layer.options), number))
        elif isinstance(layer, ConvLayer):
            blocks.append("\n".join([f"# layer {number}: {layer.label}",
                                     *layer_parts.layer_constants(layer.options, f"_{number}")]))
    files = ", ".join(f'"layer{number:02d}_{layer.kind}.npy"' for number, layer in enumerate(layers, 1))
    blocks.append(f"LAYER_FILES = [{files}]  # --save-layers DIR: each layer's output, named as apply "
                  "--save-layers names them")
    return "\n\n".join(blocks)


def _functions(layers: list, framework, pads: dict[str, str]) -> list[str]:
    functions = list(framework.HELPERS)
    if any(isinstance(layer, ConvLayer) and not _is_lab(layer) for layer in layers):
        functions += [layer_parts.SAME_PADDING, layer_parts.LAYER_PLAN]
        functions += [framework.pad(border, name) for border, name in pads.items()]
        functions += [framework.FINISH, framework.CONV2D]
    functions += [_renamed(framework.LAB_CONVOLVE, number) for number, layer in enumerate(layers, 1)
                  if _is_lab(layer)]
    if any(isinstance(layer, ReluLayer) for layer in layers):
        functions.append(framework.RELU)
    if any(isinstance(layer, PoolLayer) for layer in layers):
        functions.append(framework.POOL2D)
    return functions


def pipeline_script(pipeline: Pipeline, framework, channels: str = "gray") -> str:
    """The script running ``pipeline`` in ``framework`` (a ``*_layer`` module), opening pictures as
    ``channels``; OptionsError says why a pipeline cannot be written."""
    _check(pipeline)
    layers = [ConvLayer(layer.options.as_correlation()) if isinstance(layer, ConvLayer) else layer
              for layer in pipeline.layers]
    pipeline = Pipeline(tuple(layers))
    borders = sorted({layer.options.border for layer in layers if isinstance(layer, ConvLayer)
                      and not layer.options.lab} - {"valid"})
    pads = {border: f"pad_{border}" for border in borders}
    load, loader = LOADERS[channels]
    blocks = [_constants(layers), loader, *_functions(layers, framework, pads), _run_function(pipeline, pads),
              MAIN.format(load=load, described=DESCRIBED)]
    doc = script_docstring(f"pipeline of {len(layers)} layer(s)", framework.NAME, USAGE, channels,
                           "the last layer's output\n(H x W, or H x W x C for several channels); with --save-layers "
                           "DIR, DIR/layer01_conv.npy, ... get\neach layer's.", _about(pipeline), framework.EXACT)
    imports = framework.IMPORTS.replace("import sys\n", "import os\nimport sys\n", 1)
    return joined(doc, imports, blocks)


__all__ = ["pipeline_script"]
