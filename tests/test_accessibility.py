"""axe-core finds no accessibility violation on any page, light or dark."""

import pytest
from conftest import Visit
from test_browser import page_paths


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", page_paths())
def test_no_accessibility_violations(browser, site_url, path, scheme):
    visit = Visit(browser, site_url + path, color_scheme=scheme)
    try:
        assert visit.axe() == []
    finally:
        visit.close()
