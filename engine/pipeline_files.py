"""Pipeline files: a pipeline as JSON, ``{"layers": [ ... ]}`` with one object per layer, in order.

- ``{"type": "conv", "kernel": [[...]], "weight": 1, "offset": 0, "stride": 1, "dilation": 1, "border": "zero",
  "output_range": "raw"}``: a 2-D kernel (rows) or a 4-D one in HWIO order (kh x kw x Cin x Cout nested
  lists); ``offset`` a number or one per output channel; ``stride``/``dilation`` a number or [rows, columns];
  optional ``"flip": true`` (true convolution) and ``"lab": true`` (the notebook's loop). Omitted keys take
  these defaults; only ``kernel`` is required.
- ``{"type": "relu"}``.
- ``{"type": "pool", "op": "max", "size": 2, "stride": 2}``; omitted: max, 2, stride = size.

The file may also hold a ``name`` and a ``description`` (text). A bad file raises PipelineFileError with one
message naming the file, the layer (number from 1 and type) and the key; nothing is changed. Saving is atomic.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import KernelscopeError, OptionsError
from .layer_options import step_pair
from .options import BORDERS, MAX_POOL_SIZE, MAX_STEP, OUTPUT_RANGES, POOL_OPS, JobOptions, PoolOptions, _finite
from .pipeline import ConvLayer, Layer, Pipeline, PoolLayer, ReluLayer, MAX_LAYERS
from .saving import atomic_write_bytes

#: Larger files are refused unread: sixteen 15x15x4x8 kernels take well under a megabyte.
MAX_FILE_BYTES = 4 * 1024 * 1024
CONV_DEFAULTS = {"weight": 1, "offset": 0, "stride": 1, "dilation": 1, "border": "zero", "output_range": "raw",
                 "flip": False, "lab": False}
POOL_DEFAULTS = {"op": "max", "size": 2}
KEYS = {"conv": {"type", "kernel", *CONV_DEFAULTS}, "relu": {"type"}, "pool": {"type", "op", "size", "stride"}}


class PipelineFileError(OptionsError):
    """A pipeline file or dict cannot be read or does not hold a usable pipeline."""


class _KeyError(Exception):
    """A bad value of one key of one layer (turned into a PipelineFileError naming both)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _text(key: str, value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _KeyError(key, f"must be one of {', '.join(choices)}, not {json.dumps(value)}")
    return value


def _flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _KeyError(key, f"must be true or false, not {json.dumps(value)}")
    return value


def _checked(key: str, check, *args, **kwargs) -> Any:
    try:
        return check(*args, **kwargs)
    except OptionsError as e:
        raise _KeyError(key, str(e)) from None


def _conv(item: dict) -> ConvLayer:
    if "kernel" not in item:
        raise _KeyError("kernel", "is missing; a conv layer needs its kernel (rows, or kh x kw x Cin x Cout)")
    values = {**CONV_DEFAULTS, **item}
    kernel = values["kernel"]
    if isinstance(kernel, (str, bytes, int, float)) or not isinstance(kernel, list):
        raise _KeyError("kernel", "must be a list of rows (or a kh x kw x Cin x Cout nested list)")
    _checked("kernel", _options, kernel)
    weight = _checked("weight", _finite, "the weight", values["weight"])
    offset = values["offset"]
    for v in offset if isinstance(offset, list) else [offset]:
        _checked("offset", _finite, "every offset", v)
    if isinstance(offset, list):
        offset = _checked("offset", _options, kernel, offset=offset).offset
    for key in ("stride", "dilation"):
        if isinstance(values[key], list) and len(values[key]) != 2:
            raise _KeyError(key, f"must be one whole number or two [rows, columns], not {json.dumps(values[key])}")
        _checked(key, step_pair, key, values[key], MAX_STEP)
    border = _text("border", values["border"], BORDERS)
    output_range = _text("output_range", values["output_range"], OUTPUT_RANGES)
    flip, lab = _flag("flip", values["flip"]), _flag("lab", values["lab"])
    options = _checked("lab" if lab else "kernel", _options, kernel, weight=weight, offset=offset, lab=lab,
                       border=border, output_range=output_range, flip=flip, stride=values["stride"],
                       dilation=values["dilation"])
    return ConvLayer(options)


def _options(kernel: Any, **values: Any) -> JobOptions:
    return JobOptions(kernel=kernel, pool=None, **values)


def _pool(item: dict) -> PoolLayer:
    values = {**POOL_DEFAULTS, **item}
    op = _text("op", values["op"], POOL_OPS)
    for key in ("size", "stride"):
        value = values.get(key)
        if key in values and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_POOL_SIZE):
            raise _KeyError(key, f"must be a whole number from 1 to {MAX_POOL_SIZE}, not {json.dumps(value)}")
    return PoolLayer(PoolOptions(op, values["size"], values.get("stride")))


def _layer(item: Any) -> Layer:
    if not isinstance(item, dict):
        raise _KeyError("type", f"each layer must be an object like {{\"type\": \"relu\"}}, not {json.dumps(item)}")
    kind = item.get("type")
    if kind not in KEYS:
        what = "is missing" if "type" not in item else f"must be conv, relu or pool, not {json.dumps(kind)}"
        raise _KeyError("type", what)
    unknown = sorted(set(item) - KEYS[kind])
    if unknown:
        raise _KeyError(unknown[0], f"is not a key of a {kind} layer (its keys: {', '.join(sorted(KEYS[kind]))})")
    return _conv(item) if kind == "conv" else _pool(item) if kind == "pool" else ReluLayer()


def pipeline_from_dict(data: Any, source: str = "the pipeline") -> Pipeline:
    """The pipeline a parsed pipeline file holds; PipelineFileError names the layer and the key."""
    if not isinstance(data, dict):
        raise PipelineFileError(f'{source}: must be a JSON object like {{"layers": [...]}}')
    unknown = sorted(set(data) - {"layers", "name", "description"})
    if unknown:
        raise PipelineFileError(f"{source}: {unknown[0]!r} is not a key of a pipeline file (its keys: layers, "
                                "name, description)")
    for key in ("name", "description"):
        if key in data and not isinstance(data[key], str):
            raise PipelineFileError(f"{source}: {key} must be text")
    items = data.get("layers")
    if not isinstance(items, list):
        raise PipelineFileError(f"{source}: layers " + ("is missing" if "layers" not in data else "must be a list"))
    if len(items) > MAX_LAYERS:
        raise PipelineFileError(f"{source}: has {len(items)} layers; a pipeline has at most {MAX_LAYERS}")
    layers = []
    for number, item in enumerate(items, start=1):
        kind = item.get("type") if isinstance(item, dict) else None
        name = f"layer {number} ({kind})" if kind in KEYS else f"layer {number}"
        try:
            layers.append(_layer(item))
        except _KeyError as e:
            raise PipelineFileError(f"{source}: {name}: {e.key}: {e}") from None
    _check_channels(layers, source)
    return Pipeline(tuple(layers))


def _check_channels(layers: list[Layer], source: str) -> None:
    """A conv layer whose kernel's input channels differ from the output channels of the last conv layer
    with a 4-D kernel before it (ReLU and pool keep channels) can never run, whatever the image."""
    known: tuple[int, int] | None = None  # (layer number, channels) of the last 4-D conv layer
    for number, layer in enumerate(layers, start=1):
        if not isinstance(layer, ConvLayer):
            continue
        _, _, cin, cout = layer.options.layer_shape
        if cin is not None and known is not None and cin != known[1]:
            raise PipelineFileError(f"{source}: layer {number} (conv): kernel: takes {cin} input channel(s) but "
                                    f"layer {known[0]} (conv) makes {known[1]}")
        if cout is not None:
            known = (number, cout)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() and abs(value) < 2 ** 53 else value


def _pair(pair: tuple[int, int]) -> int | list[int]:
    return pair[0] if pair[0] == pair[1] else list(pair)


def _layer_dict(layer: Layer) -> dict[str, Any]:
    if isinstance(layer, ReluLayer):
        return {"type": "relu"}
    if isinstance(layer, PoolLayer):
        pool = layer.pool
        return {"type": "pool", "op": pool.op, "size": pool.size, **({} if pool.stride is None else
                                                                       {"stride": pool.stride})}
    o = layer.options
    kernel = o.kernel_array.tolist()
    data = {"type": "conv", "kernel": _map_numbers(kernel), "weight": _number(o.weight),
            "offset": [_number(v) for v in o.offset] if isinstance(o.offset, tuple) else _number(o.offset),
            "stride": _pair(o.stride), "dilation": _pair(o.dilation), "border": o.border,
            "output_range": o.output_range}
    data.update({key: True for key in ("flip", "lab") if getattr(o, key)})
    return data


def _map_numbers(value: Any) -> Any:
    return [_map_numbers(v) for v in value] if isinstance(value, list) else _number(value)


def pipeline_to_dict(pipeline: Pipeline) -> dict[str, Any]:
    """The pipeline as a pipeline file's JSON object (whole numbers written without '.0')."""
    if not isinstance(pipeline, Pipeline):
        raise OptionsError(f"expected an engine.Pipeline, not {type(pipeline).__name__}")
    return {"layers": [_layer_dict(layer) for layer in pipeline.layers]}


def _json_text(value: Any, indent: str = "", rows: bool = False) -> str:
    """Indented JSON in which a kernel is one row (kernel[i], all its cells) per line, so it stays readable."""
    inner = indent + "  "
    if isinstance(value, dict):
        lines = [f"{inner}{json.dumps(k)}: {_json_text(v, inner, k == 'kernel')}" for k, v in value.items()]
        return "{\n" + ",\n".join(lines) + f"\n{indent}}}"
    if isinstance(value, list) and (rows or any(isinstance(v, dict) for v in value)):
        return "[\n" + ",\n".join(inner + (json.dumps(v) if rows else _json_text(v, inner)) for v in value) \
            + f"\n{indent}]"
    return json.dumps(value)


def save_pipeline(pipeline: Pipeline, path: str | os.PathLike) -> None:
    """Write the pipeline file (atomically: the previous file stays whole if anything fails)."""
    atomic_write_bytes(Path(path), (_json_text(pipeline_to_dict(pipeline)) + "\n").encode("utf-8"))


def load_pipeline(path: str | os.PathLike) -> Pipeline:
    """Read a pipeline file; PipelineFileError (naming the file, the layer and the key) if it is unusable."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PipelineFileError(f"{path}: is larger than a pipeline file can be ({MAX_FILE_BYTES // 2 ** 20} MB)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PipelineFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise PipelineFileError(f"{path}: is a folder, not a pipeline file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise PipelineFileError(f"{path}: cannot be read ({e})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise PipelineFileError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:
        raise PipelineFileError(f"{path}: nested too deeply to be a pipeline file") from None
    try:
        return pipeline_from_dict(data, str(path))
    except PipelineFileError:
        raise
    except KernelscopeError as e:  # a rule checked only on the whole pipeline
        raise PipelineFileError(f"{path}: {e}") from None
