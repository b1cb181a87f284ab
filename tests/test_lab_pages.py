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
        ":root{--a:1;--b:var(--a);--c:var(--b);--unread:2;--read-outside:3;"
        "--x:var(--y);--y:var(--x)}"  # a loop that nothing else reads
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
    visits = {}
    try:
        for name, content in (("original", original), ("trimmed", trimmed)):
            visits[name] = visit = Visit(browser, site_url)
            visit.page.set_content(
                f'<!doctype html><html><head><base href="{site_url}">'
                f"{links}<style>* {{ transition: none !important }}</style>"
                '</head><body><article class="md-content md-typeset">'
                f"{content}</article></body></html>",
                wait_until="load",
            )
        pages = [visit.page for visit in visits.values()]
        for scheme in SCHEMES:
            before, after = (style_digests(page, scheme) for page in pages)
            assert len(before) == len(after) > 500
            pairs = enumerate(zip(before, after, strict=True))
            changed = [i for i, (b, a) in pairs if a != b]
            if changed:
                first = [computed_style(page, changed[0]) for page in pages]
                assert first[0] == first[1], (
                    f"{scheme}: {len(changed)} elements"
                )
    finally:
        for visit in visits.values():
            visit.close()


SCHEMES = ("default", "slate")
ELEMENTS = "[...document.querySelectorAll('article *:not(script)')]"
# every element's computed style, custom properties aside (the trimming
# drops those nothing reads); each element lists the same properties
STYLE = """element => {
  const style = getComputedStyle(element);
  window.styleNames ??= [...style].filter(name => !name.startsWith('--'));
  return element.tagName + ' ' + styleNames
    .map(name => `${name}:${style.getPropertyValue(name)}`).join(';');
}"""


def style_digests(page, scheme: str) -> list[int]:
    """A digest of every element's computed style: comparing digests in
    Python, not the styles, saves moving 30 MB of text out of the page."""
    return page.evaluate(
        f"""scheme => {{
          document.body.dataset.mdColorScheme = scheme;
          const style = {STYLE};
          return {ELEMENTS}.map(element => {{
            const text = style(element);
            let digest = 0x811c9dc5;  // 32-bit FNV-1a
            for (let i = 0; i < text.length; i++) {{
              digest = Math.imul(digest ^ text.charCodeAt(i), 0x01000193);
            }}
            return digest >>> 0;
          }});
        }}""",
        scheme,
    )


def computed_style(page, index: int) -> str:
    return page.evaluate(f"i => ({STYLE})({ELEMENTS}[i])", index)
