"""Tidying an SVG figure's text: a figure's least width on a phone, and
coordinates rounded to 0.01 pt. Shared by the figures that blocks draw
(`figures`, with matplotlib) and the diagrams (`diagrams`, without it)."""

import math
import re

SMALLEST_TEXT = 9  # CSS px, on a phone
DESKTOP_SCALE = 1.15  # a figure's widest, times its drawn size
FONT_SIZE = re.compile(r"font-size: ?([\d.]+)px")
VIEWBOX_WIDTH = re.compile(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+)')
GEOMETRY = re.compile(
    r'\b(d|points|transform|viewBox|x|y|width|height|rx|ry|style)="([^"]*)"'
)


def round_coordinates(svg: str) -> str:
    """Round the numbers in an SVG's geometry attributes to two decimals."""

    def round_numbers(match):
        value = re.sub(r"(\d+\.\d\d)\d+", r"\1", match[2])
        return f'{match[1]}="{value}"'

    return GEOMETRY.sub(round_numbers, svg)


def with_phone_width(svg: str) -> str:
    """Give the `<svg>` the width (`--book-phone-width`) at which its
    smallest text is drawn at SMALLEST_TEXT CSS px: the figure's least
    width on a phone (book.css)."""
    sizes = [float(size) for size in FONT_SIZE.findall(svg)]
    width = VIEWBOX_WIDTH.search(svg)
    if not sizes or not width:
        return svg
    least = math.ceil(float(width[1]) * SMALLEST_TEXT / min(sizes))
    tag = svg[: svg.index(">")]
    if ' style="' in tag:  # mermaid's diagrams have one
        return svg.replace(
            ' style="', f' style="--book-phone-width: {least}px; ', 1
        )
    # on a wide screen: at most DESKTOP_SCALE times its drawn size, so a
    # narrow figure's text stays the size of the book's own
    points = re.search(r'width="([\d.]+)pt"', tag)
    widest = ""
    if points:
        widest = (
            f"; max-width: {round(float(points[1]) * 4 / 3 * DESKTOP_SCALE)}px"
        )
    return svg.replace(
        "<svg ", f'<svg style="--book-phone-width: {least}px{widest}" ', 1
    )
