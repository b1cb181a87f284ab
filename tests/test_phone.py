"""Every page on a phone (360 and 390 CSS px wide): nothing leaves the screen.

No page scrolls sideways; whatever is wider than the screen (a display
formula, a table, code) sits in a box of its own that scrolls, and a
formula's or a table's box shows a shadow at the edge with more to see.
A code block waits off screen at about its real height.
"""

import pytest
from conftest import Visit, mount_widgets
from test_browser import page_paths

WIDTHS = (360, 390)

# Elements of the article that stick out of the screen and are not inside
# a box that scrolls sideways (and is itself on the screen).
CUT = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (e) => /(auto|scroll)/.test(getComputedStyle(e).overflowX);
  const cut = [];
  for (const e of document.querySelectorAll('article *')) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || (box.right <= width + 0.5 && box.left >= -0.5)) {
      continue;
    }
    let a = e.parentElement, held = false;
    for (; a && a.tagName !== 'ARTICLE'; a = a.parentElement) {
      const r = a.getBoundingClientRect();
      if (scrolls(a) && r.right <= width + 0.5 && r.left >= -0.5) {
        held = true;
        break;
      }
    }
    if (!held) {
      cut.push(`${e.tagName.toLowerCase()} "${e.textContent.slice(0, 50)}"`
        + ` ends at ${Math.round(box.right)} px`);
    }
  }
  return cut;
}"""

# Boxes of formulas and tables that hold more than they show, without the
# shadow that says so (its gradients move with the content: "local").
NO_HINT = """() => [...document.querySelectorAll(
    'article div.arithmatex, article .md-typeset__scrollwrap')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .filter(e => !getComputedStyle(e).backgroundAttachment.includes('local')
    || !getComputedStyle(e).backgroundImage.includes('radial-gradient'))
  .map(e => e.textContent.trim().slice(0, 50))"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", page_paths())
def test_nothing_leaves_a_phone_screen(browser, site_url, path, width):
    visit = Visit(browser, site_url + path, width=width)
    page = visit.page
    try:
        visit.lay_out_every_block()
        sideways = page.evaluate(
            "[document.documentElement.scrollWidth,"
            " document.documentElement.clientWidth]"
        )
        assert sideways[0] == sideways[1] == width, "the page scrolls sideways"
        assert page.evaluate(CUT) == []
        assert page.evaluate(NO_HINT) == []
        if width == 390:  # the phone the build sizes skipped blocks for
            assert visit.blocks_not_at_their_height(phone=True) == []
    finally:
        visit.close()


def test_a_tables_first_column_stays_while_it_scrolls(browser, site_url):
    visit = Visit(browser, site_url + "reference/cheat-sheet/", width=390)
    page = visit.page
    try:
        wrap = page.locator(".md-typeset__scrollwrap").filter(
            has_text="softplus"
        )
        wrap.scroll_into_view_if_needed()
        assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
        first = wrap.locator("tbody tr td").first
        wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
        page.wait_for_timeout(50)
        # the row's name is still at the box's left edge, whole
        assert wrap.evaluate("w => w.scrollLeft") > 100
        assert first.bounding_box()["x"] == wrap.bounding_box()["x"]
        # and the last column, the derivative, is now on the screen
        last = wrap.locator("tbody tr td").last.bounding_box()
        assert last["x"] + last["width"] <= 390
    finally:
        visit.close()


def test_the_copy_button_leaves_the_first_line_of_code_free(browser, site_url):
    visit = Visit(browser, site_url + "derivative/", width=390)
    page = visit.page
    try:
        block = page.locator(".book-block pre").first
        block.scroll_into_view_if_needed()
        button = block.locator(".md-code__nav")
        button.wait_for()
        first_line = block.locator("code > span").first.bounding_box()
        nav = button.bounding_box()
        assert nav["y"] + nav["height"] <= first_line["y"] + 1
    finally:
        visit.close()


def test_a_widgets_slider_and_number_box_share_a_line(browser, site_url):
    visit = Visit(browser, site_url + "gradient-descent/", width=390)
    page = visit.page
    try:
        mount_widgets(page)
        rates = page.locator(
            "[data-widget='gradient-descent'] .widget-controls"
        )
        slider = rates.locator("input[type='range']").first.bounding_box()
        number = rates.locator("input[type='number']").first.bounding_box()
        assert (
            abs(
                (slider["y"] + slider["height"] / 2)
                - (number["y"] + number["height"] / 2)
            )
            < 4
        ), "the learning rate's number box wrapped to a line of its own"
    finally:
        visit.close()


def test_a_figure_that_fits_a_phone_is_not_scrolled(browser, site_url):
    """Chapter 1's complex-step figure is drawn for a phone: at 390 px it
    fits unscrolled (its title was cut), and its caption keeps 1e-308 on
    one line."""
    visit = Visit(browser, site_url + "derivative/", width=390)
    page = visit.page
    try:
        figure = page.locator("#the-complex-step ~ .book-block figure").first
        figure.scroll_into_view_if_needed()
        assert figure.evaluate("f => f.scrollWidth <= f.clientWidth")
        number = figure.locator("figcaption .book-nowrap", has_text="1e-308")
        assert number.evaluate("n => n.getClientRects().length") == 1
        assert "sin′(1)" in figure.locator("figcaption").inner_text()
    finally:
        visit.close()


@pytest.mark.parametrize("path", ["gradients/", "labs/derivative/"])
def test_a_title_takes_only_the_lines_of_its_words(browser, site_url, path):
    visit = Visit(browser, site_url + path, width=390)
    try:
        spare = visit.page.evaluate(
            """() => { const h = document.querySelector('article h1');
            const words = document.createRange();
            words.selectNodeContents(h.firstChild);
            return h.getBoundingClientRect().height
              - words.getBoundingClientRect().height; }"""
        )
        # (a line is 41 px; glyphs sit a few px inside their lines)
        assert spare < 20, "the hidden permalink took a line of its own"
    finally:
        visit.close()
