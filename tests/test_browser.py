"""Every page, opened in a real browser (Playwright driving chromium).

Math is typeset, diagrams are drawn, notebooks render, nothing is logged
as an error, and no request leaves 127.0.0.1.
"""

import pytest
from conftest import Visit, wait_for_colours

from bookkit import config


def page_paths() -> list[str]:
    """URL paths of every page: docs/x.md -> x/, docs/x/index.md -> x/,
    docs/x/y.md -> x/y/, docs/labs/y.py -> labs/y/."""
    docs = config.docs_dir()
    sources = [
        p for p in docs.rglob("*.md") if "chapter-template" not in p.name
    ]
    sources += sorted((docs / "labs").glob("*.py"))
    return [config.page_url(source) for source in sorted(sources)]


@pytest.mark.parametrize("path", page_paths())
def test_page_renders_completely_and_offline(browser, site_url, path):
    visit = Visit(browser, site_url + path)
    page = visit.page
    try:
        math = page.locator(".arithmatex")
        unrendered = page.evaluate(
            "[...document.querySelectorAll('.arithmatex')]"
            ".filter(e => !e.querySelector(':scope > math')).length"
        )
        assert unrendered == 0, (
            f"{unrendered} of {math.count()} formulas untypeset"
        )
        assert page.locator("merror").count() == 0, "MathJax errors"
        # a formula is never drawn smaller than the text around it, and a
        # solution's text is the chapter's (only scripts shrink, by 71%)
        small = page.evaluate(
            "[...document.querySelectorAll('.arithmatex > math')].filter(m =>"
            " parseFloat(getComputedStyle(m).fontSize) <"
            " parseFloat(getComputedStyle(m.parentElement.parentElement)"
            ".fontSize)).map(m => m.textContent)"
        )
        assert small == [], f"formulas smaller than their text: {small[:5]}"
        solution_sizes = page.evaluate(
            "[...document.querySelectorAll('article details > p')]"
            ".map(p => getComputedStyle(p).fontSize)"
        )
        body_size = page.evaluate(
            "getComputedStyle(document.querySelector('article')).fontSize"
        )
        assert set(solution_sizes) <= {body_size}, solution_sizes
        assert page.locator(".mermaid").count() == 0, "diagram not drawn"
        for diagram in page.locator(".book-diagram svg").all():
            alt = diagram.locator("title, desc").all_text_contents()
            assert "".join(alt).strip(), "a diagram without alt text"
        # Material moved each table into its scrolling wrapper, inside the
        # div of its own the build gave it (bookkit/material.py)
        tables = page.locator("article table:not([class])").count()
        wrapped = ".book-table > .md-typeset__scrollwrap > div > table"
        assert page.locator(wrapped).count() == tables
        raw_dollars = page.evaluate(
            "[...document.querySelectorAll('.jp-RenderedMarkdown')]"
            ".filter(e => /\\$[^$\\s][^$]*\\$/.test(e.textContent)).length"
        )
        assert raw_dollars == 0, "notebook math left as raw $...$"
        if path.startswith("labs/"):
            assert page.locator(".jupyter-wrapper .jp-Cell").count() > 0
            assert page.locator("a[href$='.ipynb'][download]").count() == 1
        assert page.evaluate(GAPS_AFTER_ROOTS) == []  # (lays all out)
        assert visit.blocks_not_at_their_height(phone=False) == []
        assert visit.off_site == []
        assert visit.errors == []
    finally:
        visit.close()


# The space after each root's radicand, in em, where it is not closed
# (Chromium sizes a root for the widest radical; book.js closes the gap).
# Every root is shown: solutions open, every tab's content, every block.
GAPS_AFTER_ROOTS = """async () => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const style = document.createElement('style');
  style.textContent = `* { content-visibility: visible !important; }
    .tabbed-block { display: block !important; }`;
  document.head.append(style);
  await document.fonts.ready;
  await new Promise(done =>
    requestAnimationFrame(() => requestAnimationFrame(done)));
  return [...document.querySelectorAll('msqrt, mroot')].map(root => {
    const radicand = root.localName === 'mroot'
      ? [root.firstElementChild] : [...root.children];
    const end = Math.max(
      ...radicand.map(part => part.getBoundingClientRect().right));
    const style = getComputedStyle(root);
    const after = root.getBoundingClientRect().right
      + parseFloat(style.marginRight);
    return [root.closest('math').textContent,
            +((after - end) / parseFloat(style.fontSize)).toFixed(3)];
  }).filter(([, gap]) => Math.abs(gap) > 0.02);
}"""


def test_tabs_switch_and_solutions_open(browser, site_url):
    visit = Visit(browser, site_url + "derivative/")
    page = visit.page
    try:
        label = page.locator(".tabbed-labels label", has_text="PyTorch").first
        label.click()
        tab_id = label.get_attribute("for")
        assert page.locator(f"#{tab_id}").is_checked()
        solution = page.locator("details.success").first
        assert solution.get_attribute("open") is None, "solutions start hidden"
        # by keyboard, as a reader without a mouse opens it
        solution.locator("summary").focus()
        page.keyboard.press("Enter")
        assert solution.get_attribute("open") is not None
        assert solution.locator(".book-output").first.is_visible()
    finally:
        visit.close()


DIAGRAM_COLOURS = """() => {
  const svg = document.querySelector('.book-diagram svg');
  const fill = (css) => getComputedStyle(svg.querySelector(css)).fill;
  return {
    shown: svg.getBoundingClientRect().width,
    drawn: parseFloat(svg.style.maxWidth),
    text: fill('text'), box: fill('.node path, .node rect'),
    page: getComputedStyle(document.body).color,
    code: getComputedStyle(document.querySelector('pre > code'))
      .backgroundColor,
  };
}"""


def test_diagrams_follow_the_colour_scheme(browser, site_url):
    colours = {}
    for scheme in ("light", "dark"):
        visit = Visit(browser, site_url + "chain-rule/", color_scheme=scheme)
        try:
            assert visit.page.locator(".book-diagram svg").count() == 4
            wait_for_colours(visit.page)
            colours[scheme] = visit.page.evaluate(DIAGRAM_COLOURS)
        finally:
            visit.close()
    for scheme, c in colours.items():
        # on a wide screen a diagram is shown at the size it was drawn
        assert abs(c["shown"] - c["drawn"]) < 1, f"{scheme}: diagram resized"
        assert c["text"] == c["page"], f"{scheme}: label colour is not text's"
        assert c["box"] == c["code"], f"{scheme}: box is not a code panel"
    assert colours["light"]["text"] != colours["dark"]["text"]


def test_keyboard_alone_skips_to_content_and_searches(browser, site_url):
    visit = Visit(browser, site_url)
    page = visit.page
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Skip to content"
        page.keyboard.press("/")  # Material's search shortcut
        page.wait_for_function(
            "document.activeElement.matches('.md-search__input')"
        )
        visit.search("vanishing")
        # the first result is the chapter on failures
        first = page.locator(".md-search-result__item > a").first
        assert "/failures/?h=vanishing" in first.get_attribute("href")
        # the second result is the failures chapter's section on them
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url("**/failures/?h=vanishing#vanishing-gradients")
        # and the page it opens marks the word searched for
        page.locator("mark", has_text="vanishing").first.wait_for(
            state="attached"
        )
        assert visit.errors == [] and visit.off_site == []
    finally:
        visit.close()


def test_an_old_link_to_a_moved_section_lands_on_its_new_page(
    browser, site_url
):
    """Chapter 6 was one page; its sections' old addresses (the chapter's
    URL and an anchor) lead to the pages that now hold them (book.js)."""
    visit = Visit(browser, site_url + "autodiff/#retain_graph")
    page = visit.page
    try:
        page.wait_for_url("**/autodiff/pytorch/#retain_graph")
        assert page.locator("h2#retain_graph").count() == 1
        page.goto(site_url + "autodiff/#forward-mode-dual-numbers")
        page.wait_for_load_state("load")
        assert page.url.endswith("/autodiff/#forward-mode-dual-numbers")
        page.evaluate("location.hash = '#exercises'")  # a link on the page
        page.wait_for_url("**/autodiff/exercises/#exercises")
        assert visit.errors == [] and visit.off_site == []
    finally:
        visit.close()
