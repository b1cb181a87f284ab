"""Lab pages lose the JupyterLab CSS they do not use, and look the same.

The browser test renders one real lab's notebook HTML, as mkdocs-jupyter
made it, next to the trimmed copy, and compares the computed style of
every element in light and dark mode.
"""

import json

from conftest import Visit

from bookkit import config, lab_pages
from bookkit.mkdocs_plugin import environment_key

CLASSES = {"jp-Cell", "jp-InputArea"}


def test_rules_for_classes_the_page_lacks_go():
    css = ".jp-Cell{color:red}.jp-Toolbar{color:blue}.jp-Cell a{x:1}"
    assert (
        lab_pages.used_css(css, CLASSES)
        == ".jp-Cell{color:red}.jp-Cell a{x:1}"
    )


def test_a_selector_list_keeps_only_the_selectors_that_can_match():
    css = ".jp-Toolbar, .jp-Cell > p {margin:0}"
    assert lab_pages.used_css(css, CLASSES) == ".jp-Cell > p {margin:0}"


def test_attribute_values_and_root_are_read_as_such():
    css = (
        '.jp-Cell[data-mime-type="application/vnd.jupyter.stderr"]{x:1}'
        ".jp-Cell :root{--icon:url(a.svg)}"
        ":root{--kept:1}p{color:var(--kept)}"
    )
    assert lab_pages.used_css(css, CLASSES) == (
        '.jp-Cell[data-mime-type="application/vnd.jupyter.stderr"]{x:1}'
        ":root{--kept:1}p{color:var(--kept)}"
    )


def test_custom_properties_nobody_reads_go_even_through_chains():
    css = (
        ":root{--a:1;--b:var(--a);--c:var(--b);--unread:2;--read-outside:3}"
        "p{width:var(--c)}"
    )
    kept = lab_pages.used_css(css, CLASSES, read_elsewhere={"--read-outside"})
    assert kept == (
        ":root{--a:1;--b:var(--a);--c:var(--b);--read-outside:3;}"
        "p{width:var(--c)}"
    )


def test_media_blocks_are_trimmed_inside():
    css = "@media print{.jp-Toolbar{display:none}.jp-Cell{margin:0}}"
    assert (
        lab_pages.used_css(css, CLASSES) == "@media print{.jp-Cell{margin:0}}"
    )


def test_the_cdn_mermaid_loader_goes_and_small_styles_stay():
    page = (
        '<div class="jp-Cell"><style>.x{y:1}</style>'
        '<script type="module">\nif (document.querySelectorAll('
        '".jp-Mermaid > pre.mermaid").length) import("https://cdn/m.mjs");'
        "</script>\n<p>after</p></div>"
    )
    assert lab_pages.trim(page) == (
        '<div class="jp-Cell"><style>.x{y:1}</style><p>after</p></div>'
    )


def test_a_trimmed_lab_looks_exactly_like_the_original(
    browser, site_url, built_site
):
    cache = config.ROOT / ".cache" / "notebooks" / environment_key()
    notebook = json.loads(sorted(cache.glob("*.json"))[0].read_text())
    original = notebook["content"]
    trimmed = lab_pages.trim(original)
    assert len(trimmed) < len(original) / 2
    site_css = sorted((built_site.site / "assets/stylesheets").glob("*.css"))
    links = "".join(
        f'<link rel="stylesheet" href="assets/stylesheets/{css.name}">'
        for css in site_css
    )
    styles = {}
    for name, content in (("original", original), ("trimmed", trimmed)):
        visit = Visit(browser, site_url)
        try:
            visit.page.set_content(
                f'<!doctype html><html><head><base href="{site_url}">'
                f"{links}<style>* {{ transition: none !important }}</style>"
                '</head><body><article class="md-content md-typeset">'
                f"{content}</article></body></html>",
                wait_until="load",
            )
            styles[name] = [computed_styles(visit.page, s) for s in SCHEMES]
        finally:
            visit.close()
    for scheme, before, after in zip(SCHEMES, *styles.values(), strict=True):
        assert len(before) > 500
        changed = [b for b, a in zip(before, after, strict=True) if a != b]
        assert changed == [], f"{scheme}: {changed[0][:200]}"


SCHEMES = ("default", "slate")


def computed_styles(page, scheme: str) -> list[str]:
    """Every element's computed style (custom properties aside)."""
    return page.evaluate(
        """scheme => {
          document.body.dataset.mdColorScheme = scheme;
          return [...document.querySelectorAll('article *:not(script)')]
            .map(element => {
              const style = getComputedStyle(element);
              const values = [...style].filter(p => !p.startsWith('--'))
                .map(p => `${p}:${style.getPropertyValue(p)}`);
              return `${element.tagName} ${values.join(';')}`;
            });
        }""",
        scheme,
    )
