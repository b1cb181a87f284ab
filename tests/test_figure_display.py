"""Figures read well on a phone and in both colour schemes.

At 390 CSS px no text in a figure or diagram is drawn smaller than 9 px (a
figure keeps the width at which that holds and scrolls sideways), a
chapter's figure is drawn narrow enough that it never needs to, and every
line, marker, arrow and text of a chapter's figure reaches 3:1 contrast
against the page in light and dark mode (WCAG's level for graphics). Lab
figures are PNGs on white: dark mode inverts them.
"""

import re

import pytest
from conftest import Visit, wait_for_colours

from bookkit import config

CHAPTERS = [
    "",
    "derivative/",
    "rules/",
    "chain-rule/",
    "gradients/",
    "gradient-descent/",
    "autodiff/",
    "failures/",
    "beyond/",
]
LABS = ["labs/derivative/", "labs/gradient-descent/", "labs/failures/"]
PLOT = r"^\s*```python[^\n]*\balt=\""  # a block that draws a figure
DIAGRAM = r"^\s*```mermaid"


def pages_drawing(pattern: str) -> list[str]:
    """URL paths of the chapters' pages (the start page's too) whose
    Markdown draws what pattern finds; a chapter in a folder has several
    pages (docs/autodiff/index.md, docs/autodiff/reverse-mode.md, ...)."""
    docs = config.docs_dir()
    sources = []
    for chapter in CHAPTERS:
        folder = docs / chapter.rstrip("/")
        if chapter and folder.is_dir():
            sources += sorted(folder.glob("*.md"))
        else:
            sources.append(docs / f"{chapter.rstrip('/') or 'index'}.md")
    found = re.compile(pattern, re.MULTILINE)
    return [
        config.page_url(source)
        for source in sources
        if found.search(source.read_text(encoding="utf-8"))
    ]


FIGURE_PAGES = pages_drawing(PLOT)  # a matplotlib figure or more
DRAWING_PAGES = pages_drawing(f"{PLOT}|{DIAGRAM}")  # or a diagram

# The smallest text of each figure, in CSS px as drawn: font size in the
# drawing's units times its scale on the page.
SMALLEST_TEXT = """() => [...document.querySelectorAll(
    'article .book-figure svg, article .book-diagram svg')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text, tspan')]
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return [svg.getAttribute('aria-label') || svg.id, Math.min(...sizes)];
})"""

# Paint below 3:1 against the page. Left out as not carrying the figure's
# meaning: areas (backgrounds, a surface's colour map, the 3-D panes and
# grid), a legend's frame, and paint under half opacity (grid lines).
LOW_CONTRAST = """() => {
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const page = getComputedStyle(document.body).backgroundColor;
  const ground = luminance(page);
  const contrast = (c) => {
    const l = luminance(c);
    return (Math.max(l, ground) + 0.05) / (Math.min(l, ground) + 0.05);
  };
  const skip = 'defs, clipPath, [id^="pane3d"], [id^="grid3d"],'
    + ' [id^="Poly3DCollection"], [id^="legend"] > [id^="patch"]';
  const low = new Set();
  document.querySelectorAll('article .book-figure svg').forEach(svg => {
    const label = (svg.getAttribute('aria-label') || '').slice(0, 40);
    for (const e of svg.querySelectorAll(
        'path, line, polyline, polygon, text, tspan, use, circle, ellipse')) {
      if (e.closest(skip)) continue;
      const s = getComputedStyle(e);
      const area = e.closest('[id^="patch"], [id^="PolyCollection"],'
        + ' [id^="QuadContourSet"] > [id^="PathCollection"]');
      const paints = [
        ['stroke', s.stroke, s.strokeOpacity, parseFloat(s.strokeWidth) > 0],
        ['fill', s.fill, s.fillOpacity, !area],
      ];
      for (const [kind, colour, opacity, drawn] of paints) {
        if (!drawn || !colour.startsWith('rgb') || colour === page) continue;
        if (parseFloat(opacity) * parseFloat(s.opacity) < 0.5) continue;
        if (colour.startsWith('rgba')
            && parseFloat(colour.split(',')[3]) < 0.5) continue;
        const ratio = contrast(colour);
        if (ratio < 3) {
          low.add(`${label}: ${kind} ${colour} ${ratio.toFixed(2)}:1`);
        }
      }
    }
  });
  return [...low];
}"""


@pytest.mark.parametrize("path", DRAWING_PAGES + LABS)
def test_no_figure_text_below_9_px_on_a_phone(browser, site_url, path):
    visit = Visit(browser, site_url + path, width=390)
    page = visit.page
    try:
        visit.lay_out_every_block()
        small = [
            f"{label[:50]}: {size:.1f} px"
            for label, size in page.evaluate(SMALLEST_TEXT)
            if size < 8.95
        ]
        assert small == []
        # a lab figure (a PNG) is as wide as its text needs
        for image in page.locator(".jp-RenderedImage img").all():
            least = image.evaluate(
                "i => parseFloat(i.style.getPropertyValue("
                "'--book-phone-width'))"
            )
            assert least > 0
            assert image.bounding_box()["width"] >= least - 0.5
    finally:
        visit.close()


# Each figure's least width (9 px text) against the width it is given.
FIGURE_FIT = """() => [...document.querySelectorAll('article .book-figure')]
  .map(box => {
    const svg = box.querySelector('svg');
    const least = parseFloat(
      svg.style.getPropertyValue('--book-phone-width'));
    return [(svg.getAttribute('aria-label') || '').slice(0, 50), least,
            box.clientWidth, box.scrollWidth];
  })"""


@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_figures_fit_a_phone_without_scrolling(browser, site_url, path):
    visit = Visit(browser, site_url + path, width=390)
    page = visit.page
    try:
        visit.lay_out_every_block()
        boxes = page.evaluate(FIGURE_FIT)
        assert boxes
        too_wide = [
            f"{label}: needs {least:.0f} px, has {width} px"
            for label, least, width, scroll in boxes
            if not least <= width or scroll > width
        ]
        assert too_wide == []
    finally:
        visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_figures_stand_out_in_both_schemes(browser, site_url, path, scheme):
    visit = Visit(browser, site_url + path, color_scheme=scheme)
    page = visit.page
    try:
        assert page.locator(".book-figure svg").count() > 0
        wait_for_colours(page)
        assert page.evaluate(LOW_CONTRAST) == []
    finally:
        visit.close()


def test_lab_figures_are_not_white_boxes_in_dark_mode(browser, site_url):
    filters = {}
    for scheme in ("light", "dark"):
        visit = Visit(browser, site_url + LABS[0], color_scheme=scheme)
        try:
            image = visit.page.locator(".jp-RenderedImage img").first
            filters[scheme] = image.evaluate("i => getComputedStyle(i).filter")
        finally:
            visit.close()
    assert filters["light"] == "none"
    assert "invert" in filters["dark"]
