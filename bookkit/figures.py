"""Turn `plt.show()` into an inline SVG figure on the page.

Blocks end their plots with `plt.show()`, as a reader's script would.
While a block runs, this module is matplotlib's backend: `show()` renders
every open figure to SVG and hands it to the block's output. Black and
white are replaced by the page's own colours, so one figure reads well in
light and dark mode, and matplotlib's colours that fall below 3:1 contrast
on one of the two backgrounds are swapped for a shade that reaches it on
both. On a phone a figure keeps a width at which its smallest text is 9
CSS px, and scrolls sideways if the screen is narrower. Coordinates are
rounded to 0.01 pt and matplotlib's metadata (with the time of the build)
is left out: figures are about a sixth smaller, and the same code draws
the same bytes.
"""

import io
import itertools
import re

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.backends.backend_svg import FigureCanvasSVG

from bookkit import svg_text

BACKEND = "module://bookkit.figures"
FigureCanvas = FigureCanvasSVG
STYLE = {
    "figure.figsize": (5.0, 3.3),
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
    # tab10 colours below 3:1 on white (#fff) or on slate (#1e2129)
    "#ff7f0e": "#d0640a",  # orange
    "#e377c2": "#c2459f",  # pink
    "#bcbd22": "#8a8a12",  # olive
    "#17becf": "#0f8c98",  # cyan
    "#8c564b": "#b07a6e",  # brown
}
METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
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
    svg = METADATA.sub("", svg[svg.index("<svg") :])
    for colour, replacement in PAGE_COLOURS.items():
        svg = re.sub(colour, replacement, svg, flags=re.IGNORECASE)
    return svg_text.round_coordinates(svg_text.with_phone_width(svg))


def show(*args, **kwargs) -> None:
    for number in plt.get_fignums():
        figure = plt.figure(number)
        if _target is not None:
            _target.add_figure(to_svg(figure))
        plt.close(figure)
