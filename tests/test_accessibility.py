"""axe-core finds no accessibility violation on any page, light or dark.

Each page is checked in light mode, switched to dark with the header's
own toggle (as a reader does), and checked again once the colours have
finished fading, with the rules that depend on colour (the rest read the
same page either way). Then each page's colours are checked once more as
Lighthouse checks them: on a phone, as loaded.
"""

import pytest
from conftest import Visit, wait_for_colours
from test_browser import page_paths

COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.mark.parametrize("path", page_paths())
def test_no_accessibility_violations(browser, site_url, path):
    visit = Visit(browser, site_url + path, color_scheme="light")
    page = visit.page
    try:
        assert visit.axe() == [], "light mode"
        page.locator("label[title='Switch to dark mode']").click()
        page.wait_for_function(
            "document.body.dataset.mdColorScheme === 'slate'"
        )
        wait_for_colours(page)
        assert visit.axe(COLOUR_RULES) == [], "dark mode"
    finally:
        visit.close()


@pytest.mark.parametrize("path", page_paths())
def test_colours_as_lighthouse_reads_them(browser, site_url, path):
    """axe in Lighthouse measures an element, scrolls to it, and reads the
    colours behind it: if showing the blocks skipped off screen (book.css)
    moved the page, it reads whatever came to lie there. The test above
    lays every block out first and passed while Lighthouse, on the cheat
    sheet, found the footer's "Next" on a code block (#fcfcfc on #f5f5f5)."""
    # Lighthouse's phone: 412 by 823 CSS px (at 900 px high the cheat
    # sheet's misreading did not happen)
    visit = Visit(browser, site_url + path, width=412, height=823)
    try:
        assert visit.axe(COLOUR_RULES, as_loaded=True) == []
    finally:
        visit.close()
