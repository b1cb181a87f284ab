"""Turn `plt.show()` into an inline SVG figure on the page.

Blocks end their plots with `plt.show()`, as a reader's script would.
While a block runs, this module is matplotlib's backend: `show()` renders
every open figure to SVG and hands it to the block's output. Black and
white are replaced by the page's own colours, so one figure reads well in
light and dark mode. Coordinates are rounded to 0.01 pt and matplotlib's
metadata (with the time of the build) is left out: figures are about a
sixth smaller, and the same code draws the same bytes.
"""

import io
import itertools
import re

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.backends.backend_svg import FigureCanvasSVG

BACKEND = "module://bookkit.figures"
FigureCanvas = FigureCanvasSVG
STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.35,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
    "legend.framealpha": 0.9,
    "svg.fonttype": "none",
}
PAGE_COLOURS = {
    "#000000": "currentColor",
    "#ffffff": "var(--md-default-bg-color)",
}
GEOMETRY = re.compile(
    r'\b(d|points|transform|viewBox|x|y|width|height|rx|ry|style)="([^"]*)"'
)
METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_target = None
_ids = itertools.count()


def round_coordinates(svg: str) -> str:
    """Round the numbers in an SVG's geometry attributes to two decimals."""

    def round_numbers(match):
        value = re.sub(r"(\d+\.\d\d)\d+", r"\1", match[2])
        return f'{match[1]}="{value}"'

    return GEOMETRY.sub(round_numbers, svg)


def capture_into(output) -> None:
    global _target
    _target = output


def reset() -> None:
    matplotlib.use(BACKEND)
    plt.close("all")
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(STYLE)


def to_svg(figure) -> str:
    matplotlib.rcParams["svg.hashsalt"] = f"fig{next(_ids)}"
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    svg = METADATA.sub("", svg[svg.index("<svg") :])
    for colour, replacement in PAGE_COLOURS.items():
        svg = re.sub(colour, replacement, svg, flags=re.IGNORECASE)
    return round_coordinates(svg)


def show(*args, **kwargs) -> None:
    for number in plt.get_fignums():
        figure = plt.figure(number)
        if _target is not None:
            _target.add_figure(to_svg(figure))
        plt.close(figure)
