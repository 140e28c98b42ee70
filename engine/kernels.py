"""Kernels: the built-in presets, parsing the command line's "a,b,c;d,e,f" form, and normalising weights."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import OptionsError
from .numbers import format_number, parse_number
from .options import _kernel_rows

Grid = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Preset:
    """A named kernel with the weight and offset it is meant to be used with."""

    name: str
    kernel: Grid
    weight: float = 1.0
    offset: float = 0.0
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kernel", _kernel_rows(self.kernel))


def _binomial(n: int) -> list[int]:
    row = [1]
    for _ in range(n - 1):
        row = [a + b for a, b in zip([0] + row, row + [0])]
    return row


def _outer(a: list[int], b: list[int]) -> list[list[int]]:
    return [[x * y for y in b] for x in a]


PRESETS: tuple[Preset, ...] = (
    Preset("Notebook: edges", ((0, 1, 0), (1, -4, 1), (0, 1, 0)), 1, 0,
           "The notebook's first filter: passes only sharp edges and straight lines."),
    Preset("Notebook: 'horizontal lines'", ((-1, -2, -1), (0, 0, 0), (1, 2, 1)), 1, 0,
           "The notebook's active filter. As written it detects horizontal edges; the notebook's loop "
           "applies it transposed, so in lab mode it finds vertical lines."),
    Preset("Notebook: 'vertical lines'", ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)), 1, 0,
           "The notebook's third filter. As written it detects vertical edges; in lab mode (transposed) "
           "it finds horizontal ones."),
    Preset("Identity", ((0, 0, 0), (0, 1, 0), (0, 0, 0)), 1, 0, "Copies the image unchanged."),
    Preset("Box blur 3x3", ((1, 1, 1), (1, 1, 1), (1, 1, 1)), 1 / 9, 0,
           "Average of the 3x3 neighbourhood: weight 1/9 makes the kernel sum to 1."),
    Preset("Gaussian blur 3x3", _outer(_binomial(3), _binomial(3)), 1 / 16, 0,
           "A soft blur: centre pixels count more. Weight 1/16 keeps brightness."),
    Preset("Gaussian blur 5x5", _outer(_binomial(5), _binomial(5)), 1 / 256, 0,
           "A wider soft blur from binomial weights. Weight 1/256 keeps brightness."),
    Preset("Sharpen", ((0, -1, 0), (-1, 5, -1), (0, -1, 0)), 1, 0,
           "Boosts the centre against its neighbours; sums to 1 so flat areas stay the same."),
    Preset("Emboss", ((-2, -1, 0), (-1, 1, 1), (0, 1, 2)), 1, 0,
           "Lights edges from the top left, like a relief."),
    Preset("Emboss (gray offset)", ((-1, -1, 0), (-1, 0, 1), (0, 1, 1)), 1, 128,
           "Sums to 0; offset 128 shows negative responses as dark and positive as light on gray."),
    Preset("Outline", ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1)), 1, 0,
           "Bright where a pixel differs from all its neighbours: outlines shapes."),
    Preset("Laplacian", ((0, 1, 0), (1, -4, 1), (0, 1, 0)), 1, 0,
           "Second derivative: responds to edges in every direction."),
    Preset("Sobel x", ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)), 1, 0,
           "Change from left to right: bright on vertical edges that get lighter to the right."),
    Preset("Sobel y", ((-1, -2, -1), (0, 0, 0), (1, 2, 1)), 1, 0,
           "Change from top to bottom: bright on horizontal edges that get lighter downwards."),
    Preset("Prewitt x", ((-1, 0, 1), (-1, 0, 1), (-1, 0, 1)), 1, 0, "Like Sobel x with equal row weights."),
    Preset("Prewitt y", ((-1, -1, -1), (0, 0, 0), (1, 1, 1)), 1, 0, "Like Sobel y with equal column weights."),
    Preset("Scharr x", ((-3, 0, 3), (-10, 0, 10), (-3, 0, 3)), 1, 0,
           "A gradient with better rotational symmetry than Sobel."),
    Preset("Scharr y", ((-3, -10, -3), (0, 0, 0), (3, 10, 3)), 1, 0,
           "Scharr's top-to-bottom gradient."),
)

_BY_KEY = {p.name.casefold(): p for p in PRESETS}


def _key(name: str) -> str:
    return name.casefold().replace("'", "").replace("_", " ").replace("-", " ").strip()


_ALIASES = {_key(p.name): p for p in PRESETS}
_ALIASES.update({_key(p.name).replace("notebook: ", "notebook "): p for p in PRESETS})


def preset_names() -> list[str]:
    return [p.name for p in PRESETS]


def get_preset(name: str) -> Preset:
    """Find a preset by name, ignoring case, quotes, dashes and underscores ('sobel-x', 'Sobel x')."""
    preset = _BY_KEY.get(name.casefold()) or _ALIASES.get(_key(name))
    if preset is None:
        raise OptionsError(f"no preset called {name!r}; presets are: {', '.join(preset_names())}")
    return preset


#: The notebook's active filter: what the window and the command line start with.
DEFAULT_PRESET = get_preset("Notebook: 'horizontal lines'")


def parse_kernel(text: str) -> Grid:
    """Parse "a,b,c;d,e,f;g,h,i": rows separated by ';', entries by ',' or spaces. Each entry is read by
    engine.numbers.parse_number, so "1/9" is exact, and "1,,2", "1_0" or non-ASCII digits are refused with
    the row and entry named."""
    if not isinstance(text, str) or not text.strip():
        raise OptionsError("the kernel is empty; write it as rows separated by ';', e.g. \"0,1,0;1,-4,1;0,1,0\"")
    rows = []
    for number, row_text in enumerate(text.strip().strip(";").split(";"), start=1):
        if not row_text.strip():
            raise OptionsError(f"kernel row {number} is empty")
        row: list[float] = []
        for between_commas in row_text.split(","):
            if not between_commas.strip():
                raise OptionsError(f"kernel row {number}: entry {len(row) + 1} is empty (two commas in a row, "
                                   "or a comma at an end?)")
            for part in between_commas.split():
                try:
                    row.append(parse_number(part))
                except OptionsError as e:
                    raise OptionsError(f"kernel row {number}, entry {len(row) + 1}: {e}") from None
        rows.append(row)
    return _kernel_rows(rows)


def format_kernel(kernel: Grid) -> str:
    """The inverse of parse_kernel: each entry written by engine.numbers.format_number (1/9, 2, 0.5)."""
    return ";".join(",".join(format_number(v) for v in row) for row in kernel)


def normalizing_weight(kernel: Grid) -> float:
    """The weight that makes the weighted kernel sum to 1, i.e. 1/sum.

    Raises OptionsError explaining why when the sum is zero: such kernels (edge detectors) measure
    differences, their response to a flat area is 0 whatever the weight.
    """
    total = 0.0
    for row in kernel:
        for v in row:
            total += v
    if total == 0.0:
        raise OptionsError(
            "this kernel sums to 0, so no weight can make it sum to 1: it measures differences "
            "(edges), and a flat area gives 0 whatever the weight"
        )
    weight = 1.0 / total
    if not math.isfinite(weight):
        raise OptionsError("the kernel's sum is too close to 0 to normalise")
    return weight
