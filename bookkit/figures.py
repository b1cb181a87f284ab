"""Turn `plt.show()` into an inline SVG figure on the page.

Blocks end their plots with `plt.show()`, as a reader's script would.
While a block runs, this module is matplotlib's backend: `show()` renders
every open figure to SVG and hands it to the block's output. Black and
white are replaced by the page's own colours, so one figure reads well in
light and dark mode.
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
_target = None
_ids = itertools.count()


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
    svg = svg[svg.index("<svg") :]
    for colour, replacement in PAGE_COLOURS.items():
        svg = re.sub(colour, replacement, svg, flags=re.IGNORECASE)
    return svg


def show(*args, **kwargs) -> None:
    for number in plt.get_fignums():
        figure = plt.figure(number)
        if _target is not None:
            _target.add_figure(to_svg(figure))
        plt.close(figure)
