"""axe-core finds no accessibility violation on any page, light or dark.

Each page is checked in light mode, switched to dark with the header's
own toggle (as a reader does), and checked again once the colours have
finished fading, with the rules that depend on colour (the rest read the
same page either way).
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
